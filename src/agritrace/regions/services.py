"""Loading region data files (``regions/data/<province code>.csv``, see its README)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from django.db import transaction

from agritrace.regions.models import CODE_LENGTHS, Level, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
HEADER = ["code", "name", "level", "parent_code"]


class RegionDataError(ValueError):
    """A region file row that breaks the format."""


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a region CSV, checked: header, levels, code lengths, parents before children."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != HEADER:
            raise RegionDataError(f"{path.name}: header must be {','.join(HEADER)}")
        rows = list(reader)
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        try:
            level = Level(row["level"])
        except ValueError:
            raise RegionDataError(
                f"{path.name} row {number}: unknown level {row['level']!r}"
            ) from None
        code, parent = row["code"], row["parent_code"]
        if len(code) != CODE_LENGTHS[level] or not code.isdigit():
            raise RegionDataError(f"{path.name} row {number}: bad {level} code {code!r}")
        if level != Level.PROVINCE and (parent not in seen or not code.startswith(parent)):
            raise RegionDataError(f"{path.name} row {number}: parent {parent!r} of {code} unknown")
        if not row["name"].strip():
            raise RegionDataError(f"{path.name} row {number}: empty name")
        seen.add(code)
    return rows


@transaction.atomic
def load_regions(rows: Sequence[dict[str, str]]) -> tuple[int, int]:
    """Insert new regions (in bulk, level by level) and update changed ones; returns
    (created, updated). Loading the same file again changes nothing."""
    known = {region.code: region for region in Region.objects.all()}
    created = updated = 0
    for level in Level:
        new: list[Region] = []
        for row in (r for r in rows if r["level"] == level):
            parent = known.get(row["parent_code"])
            name = row["name"].strip()
            values = {
                "name": name,
                "full_name": (parent.full_name if parent else "") + name,
                "level": level,
                "parent": parent,
                "path": (parent.path if parent else "") + row["code"] + "/",
            }
            region = known.get(row["code"])
            if region is None:
                region = Region(code=row["code"], **values)
                new.append(region)
            elif any(getattr(region, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(region, key, value)
                region.save()
                updated += 1
            known[row["code"]] = region
        Region.objects.bulk_create(new, batch_size=500)
        created += len(new)
    return created, updated


def province_file(code: str) -> Path:
    """The shipped data file of a province."""
    return DATA_DIR / f"{code}.csv"
