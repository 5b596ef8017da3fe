"""``agritrace demo``: migrate, load Hunan's regions and the demo data, print the demo accounts,
then serve on 127.0.0.1:8000 with a task worker (``--no-serve`` only loads)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from agritrace.core.changelog import actor
from agritrace.core.demodata import DEMO_PASSWORD, DemoContext, run_loaders


class Command(BaseCommand):
    """Load demo data (idempotently) and serve."""

    help = "Migrate, load regions and demo data, print demo accounts, serve on 127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="only load the data")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_regions", stdout=self.stdout)
        ctx = DemoContext()
        with actor(source="agritrace demo"), transaction.atomic():
            run_loaders(ctx)
        created = ", ".join(f"{k} {v}" for k, v in ctx.counts.items() if v) or "nothing new"
        self.stdout.write(f"demo data: {created}")
        self.stdout.write(f"\n演示账号 / demo accounts (password for all: {DEMO_PASSWORD})")
        for persona, username in ctx.accounts:
            self.stdout.write(f"  {username:<18} {persona}")
        if options["no_serve"]:
            return
        worker = subprocess.Popen([sys.executable, "-m", "agritrace", "db_worker"])
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(f"\nAgriTrace: http://{address}/  (API docs: http://{address}/api/docs/)")
        try:
            call_command("runserver", address, use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
