"""``agritrace load_regions [--province 43] [--file PATH]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agritrace.regions.services import RegionDataError, load_regions, province_file, read_rows


class Command(BaseCommand):
    """Load (or refresh) a province's regions from its data file."""

    help = "Load a province's administrative regions from regions/data/<code>.csv or --file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default="43", help="2-digit province code (default 43)")
        parser.add_argument("--file", type=Path, help="a CSV in the same format")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"] or province_file(options["province"])
        if not path.exists():
            raise CommandError(f"no region file {path}")
        try:
            rows = read_rows(path)
        except RegionDataError as exc:
            raise CommandError(str(exc)) from exc
        created, updated = load_regions(rows)
        self.stdout.write(
            f"regions: {created} created, {updated} updated, {len(rows)} in {path.name}"
        )
