"""``agritrace load_mrls FILE``: maximum residue limits from a CSV (see testing/data/README.md)."""

from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from agritrace.testing.models import MaximumResidueLimit

HEADER = ["analyte", "food", "limit_mg_per_kg", "source"]
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "gb2763-sample.csv"


def read_limits(path: Path) -> list[tuple[str, str, Decimal, str]]:
    """Rows of a limits file, checked; the first bad row stops the load with its number."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != HEADER:
            raise CommandError(f"{path.name}: header must be {','.join(HEADER)}")
        rows = []
        for number, row in enumerate(reader, start=2):
            try:
                limit = Decimal(row["limit_mg_per_kg"])
            except InvalidOperation:
                raise CommandError(f"{path.name} row {number}: limit is not a number") from None
            if limit <= 0 or not all(row[key].strip() for key in ("analyte", "food", "source")):
                raise CommandError(f"{path.name} row {number}: empty field or non-positive limit")
            rows.append((row["analyte"].strip(), row["food"].strip(), limit, row["source"].strip()))
    return rows


class Command(BaseCommand):
    """Load or update maximum residue limits."""

    help = "Load maximum residue limits from a CSV (default: the shipped GB 2763 sample)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=SAMPLE)

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        created = updated = 0
        for analyte, food, limit, source in read_limits(options["file"]):
            _obj, new = MaximumResidueLimit.objects.update_or_create(
                analyte=analyte, food=food, source=source, defaults={"limit": limit}
            )
            created += new
            updated += not new
        self.stdout.write(f"limits: {created} created, {updated} updated")
