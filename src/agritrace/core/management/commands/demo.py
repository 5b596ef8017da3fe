"""``agritrace demo``: migrate, load Hunan's regions and the demo data, print the demo accounts,
then serve on 127.0.0.1:8000 (``--host``, ``--port``) with a task worker and the scheduler of
the periodic checks and jobs (``--no-serve`` only loads). Every URL the demo prints (QR codes,
labels, certificates, camera sources) uses ``AGRITRACE_PUBLIC_BASE_URL``, which the
``agritrace`` script sets to the served address unless it is given (see
:func:`agritrace.cli.demo_environment`)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from agritrace.cli import BASE_URL_VARIABLES, add_demo_address, demo_base_url
from agritrace.core import demodata
from agritrace.core.changelog import actor
from agritrace.core.demodata import DEMO_PASSWORD, DemoContext, run_loaders


class Command(BaseCommand):
    """Load demo data (idempotently) and serve."""

    help = (
        "Migrate, load regions and demo data, print demo accounts, serve on 127.0.0.1:8000 "
        "(--host, --port; QR codes and links follow them)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_demo_address(parser)
        parser.add_argument("--no-serve", action="store_true", help="only load the data")

    def handle(self, *args: Any, **options: Any) -> None:
        served = demo_base_url(options["host"], options["port"])
        explicit = any(os.environ.get(name) for name in BASE_URL_VARIABLES)
        if served != settings.PUBLIC_BASE_URL and not explicit:
            raise CommandError(
                f"The demo would serve on {served} but print {settings.PUBLIC_BASE_URL} in its "
                "QR codes: run it as `agritrace demo`, or set AGRITRACE_PUBLIC_BASE_URL."
            )
        demodata.prepare()
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
        scheduler = subprocess.Popen([sys.executable, "-m", "agritrace", "scheduler"])
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(f"\nAgriTrace: http://{address}/  (API docs: http://{address}/api/docs/)")
        self.stdout.write(f"QR codes and links: {settings.PUBLIC_BASE_URL}/")
        try:
            call_command("runserver", address, use_reloader=False)
        finally:
            for process in (scheduler, worker):
                process.terminate()
                process.wait(timeout=10)
