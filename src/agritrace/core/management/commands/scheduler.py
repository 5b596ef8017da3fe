"""``agritrace scheduler``: enqueue each registered periodic check and job
(``agritrace.core.periodic``) when it is due; ``agritrace db_worker`` runs them. Safe to run in
several processes (each job is claimed by one). ``agritrace demo`` starts one."""

from __future__ import annotations

import time
from argparse import ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from agritrace.core import periodic


def seconds(text: str) -> int:
    """A tick interval: a whole number of seconds from 1 to 3600."""
    if not text.isdigit() or not 1 <= int(text) <= 3600:
        raise ArgumentTypeError(f"{text!r} is not a whole number of seconds from 1 to 3600")
    return int(text)


class Command(BaseCommand):
    """Tick every ``--interval`` seconds; ``--once`` ticks once."""

    help = "Enqueue the periodic checks and jobs when they are due (run beside db_worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=seconds,
            default=30,
            metavar="SECONDS",
            help="seconds between ticks (1-3600, default 30)",
        )
        parser.add_argument("--once", action="store_true", help="tick once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        for job in periodic.registered():
            self.stdout.write(f"{job.name}: every {job.every}")
        while True:
            for name in periodic.enqueue_due():
                self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            time.sleep(options["interval"])
