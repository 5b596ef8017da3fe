"""Minting trace codes: 1,000,000 codes for one producer into the database through
``coding.services.minting.fill_roll`` (random draw, check characters, COPY in chunks of 50,000, one
transaction per chunk, progress on the roll, the mint event).

Target (issue 5): ≥ 100,000 codes/s on PostgreSQL. Baseline: a raw ``COPY`` of the same rows,
generated beforehand, into the same table with the same indexes, in one statement.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agritrace.settings")
os.environ.setdefault("AGRITRACE_HOME", tempfile.mkdtemp(prefix="agritrace-bench-"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from agritrace.coding.models import CodeEvent, CodeRoll, TraceCode  # noqa: E402
from agritrace.coding.services import minting  # noqa: E402
from agritrace.producers.models import Producer  # noqa: E402
from agritrace.regions.models import Level, Region  # noqa: E402

COUNT = int(os.environ.get("AGRITRACE_BENCH_MINT", "1000000"))
TARGET = 100_000


def producer() -> Producer:
    """One producer to mint for."""
    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0, stdout=io.StringIO())
    township = Region.objects.filter(level=Level.TOWNSHIP).order_by("code").first()
    body = f"93{township.code[:6]}MNT00001X"[:17]
    found, _ = Producer.objects.get_or_create(
        uscc=body + uscc.calc_check_digit(body),
        defaults={
            "kind": "cooperative",
            "name": "示例赋码基准",
            "legal_representative": "示例",
            "township": township,
        },
    )
    return found


def clear(owner: Producer) -> None:
    """Remove the benchmark producer's codes between the two runs (other benchmarks' codes in
    the same database stay)."""
    with transaction.atomic():
        CodeEvent.objects.filter(roll__producer=owner).delete()
        TraceCode.objects.filter(producer=owner).delete()
        CodeRoll.objects.filter(producer=owner).delete()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {TraceCode._meta.db_table}")


def baseline(owner: Producer) -> float:
    """Seconds for one COPY of the same lines, generated beforehand (not timed)."""
    roll = CodeRoll.objects.create(producer=owner, count=COUNT)
    lines = minting.code_lines(roll, 1, COUNT)
    table = connection.ops.quote_name(TraceCode._meta.db_table)
    start = time.perf_counter()
    with transaction.atomic():
        minting.copy_text(table, minting.CODE_COLUMNS, lines)
    return time.perf_counter() - start


def minted(owner: Producer) -> float:
    """Seconds for ``fill_roll`` of a new roll of ``COUNT`` codes."""
    roll = CodeRoll.objects.create(producer=owner, count=COUNT)
    start = time.perf_counter()
    minting.fill_roll(roll)
    elapsed = time.perf_counter() - start
    assert TraceCode.objects.filter(roll=roll).count() == COUNT
    return elapsed


def main() -> None:
    """Print codes/s for both and the ratio."""
    owner = producer()
    clear(owner)
    copy_s = baseline(owner)
    clear(owner)
    mint_s = minted(owner)
    clear(owner)
    vendor = connection.vendor
    print(
        f"{vendor:10} baseline raw COPY {COUNT:,} rows   {copy_s:6.2f} s  "
        f"{COUNT / copy_s:10,.0f} rows/s"
    )
    print(
        f"{vendor:10} fill_roll {COUNT:,} codes        {mint_s:6.2f} s  "
        f"{COUNT / mint_s:10,.0f} codes/s  (target ≥ {TARGET:,})"
    )
    print(f"{vendor:10} ratio mint/COPY time {mint_s / copy_s:.2f}  ({dt.date.today():%Y-%m-%d})")
    if COUNT / mint_s < TARGET:
        print(f"{vendor:10} MISSED: minting below target by {1 - COUNT / mint_s / TARGET:.0%}")


if __name__ == "__main__":
    main()
