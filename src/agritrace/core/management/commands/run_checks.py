"""``agritrace run_checks``: every periodic check and job the apps register
(``agritrace.core.periodic``), run here and now (from cron or a timer, or by hand); ``agritrace
scheduler`` runs each on its own interval instead."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agritrace.core import periodic


def summary(result: Any) -> str:
    """A job's result on one line: ``k v, k v`` for counts per kind."""
    if isinstance(result, dict):
        return ", ".join(f"{k} {v}" for k, v in result.items())
    return str(result)


class Command(BaseCommand):
    """Run the registered periodic checks and jobs once."""

    help = "Run the periodic checks and jobs (all, or those named) that raise or close warnings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", help="only these jobs (e.g. coding.id_cards)")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = periodic.registered()
        unknown = set(options["names"]) - {job.name for job in jobs}
        if unknown:
            known = ", ".join(job.name for job in jobs)
            raise CommandError(f"unknown job(s): {', '.join(sorted(unknown))} (known: {known})")
        for job in jobs:
            if not options["names"] or job.name in options["names"]:
                self.stdout.write(f"{job.name}: {summary(job.task.call())}")
