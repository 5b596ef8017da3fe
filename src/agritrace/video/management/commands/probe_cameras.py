"""``agritrace probe_cameras``: probe every active camera once, or every ``--every`` seconds
(run it from cron or a timer, e.g. every 5 minutes; ``agritrace run_checks`` also probes)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from agritrace.core.changelog import actor
from agritrace.video.services import probe_all


class Command(BaseCommand):
    """Probe the cameras' HLS streams and record the results."""

    help = "Probe every active camera's HLS stream (online rate, offline warnings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            with actor(source="agritrace probe_cameras"):
                counts = probe_all()
            self.stdout.write("cameras probed: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
            if options["every"] <= 0:
                return
            time.sleep(options["every"])
