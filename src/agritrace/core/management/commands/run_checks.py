"""``agritrace run_checks``: the periodic rules (run daily from cron or a timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from agritrace.catalog.services import check_certifications
from agritrace.core.changelog import actor
from agritrace.supervision.services import check_complaints
from agritrace.video.services import probe_all


class Command(BaseCommand):
    """Certification expiry, overdue complaints (and later: cameras, scans)."""

    help = "Run the periodic checks that raise or close warnings."

    def handle(self, *args: Any, **options: Any) -> None:
        with actor(source="agritrace run_checks"):
            checked = check_certifications()
            overdue = check_complaints()
            cameras = probe_all()
        self.stdout.write(f"certifications checked: {checked}")
        self.stdout.write(f"complaints overdue: {overdue}")
        self.stdout.write("cameras probed: " + ", ".join(f"{k} {v}" for k, v in cameras.items()))
