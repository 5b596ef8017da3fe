"""Excel import: 100,000 producers from one xlsx (every row parsed and validated, scope and
uniqueness checked, bulk writes with change records, all in one transaction) by a province
administrator, on whatever database ``AGRITRACE_DATABASE_URL`` names.

Baseline: openpyxl merely reading the same file in read-only mode (the least any import does).
Target: the import within 60 s.
"""

from __future__ import annotations

import io
import os
import resource
import secrets
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agritrace.settings")
os.environ.setdefault("AGRITRACE_HOME", tempfile.mkdtemp(prefix="agritrace-bench-"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from agritrace.accounts.models import Organisation, User  # noqa: E402
from agritrace.core.changelog import actor  # noqa: E402
from agritrace.core.imports import runner  # noqa: E402
from agritrace.producers.importers import ProducerImporter  # noqa: E402
from agritrace.regions.models import Level, Region  # noqa: E402

ROWS = 100_000
TARGET_SECONDS = 60
#: Characters a USCC may contain (GB 32100-2015: no I, O, S, V, Z).
USCC_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
KINDS = ("农民专业合作社", "家庭农场", "种养大户", "农业企业")


def setup() -> User:
    """Migrate, load Hunan, and a province administrator (kept between runs)."""
    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0, stdout=io.StringIO())
    province = Region.objects.get(level=Level.PROVINCE, code="43")
    org, _ = Organisation.objects.get_or_create(
        kind="bureau", region=province, defaults={"name": "示例基准省厅"}
    )
    user, _ = User.objects.get_or_create(
        username="bench_importer", defaults={"organisation": org, "role": "administrator"}
    )
    return user


def generate(path: Path) -> None:
    """``ROWS`` fictitious producers across Hunan's townships; USCCs unique per run (a random
    two-character tag), names containing 示例, no phone numbers, empty cells left out (as
    Excel does)."""
    townships = list(
        Region.objects.filter(level=Level.TOWNSHIP).order_by("code").values_list("code", flat=True)
    )
    tag = "".join(secrets.choice(USCC_CHARACTERS) for _ in range(2))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("生产经营主体")
    sheet.append([column.header_zh for column in ProducerImporter.columns])
    for n in range(ROWS):
        township = townships[n % len(townships)]
        body = f"93{township[:6]}{tag}{n:07d}"
        located = n % 4 == 0
        sheet.append(
            [
                f"示例导入主体{tag}{n}",
                KINDS[n % len(KINDS)],
                body + uscc.calc_check_digit(body),
                "示例负责人",
                None,
                township,
                f"示例村{n % 40 + 1}组",
                27 + n % 300 / 100 if located else None,
                111 + n % 200 / 100 if located else None,
                "种植业" if n % 3 else "种植业、畜牧业",
                "是" if n % 5 == 0 else "否",
                None,
                "否",
                None,
                None,
            ]
        )
    workbook.save(path)


def read_only_baseline(path: Path) -> float:
    """Seconds for openpyxl to read every row of the file, values only."""
    start = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        pass
    workbook.close()
    return time.perf_counter() - start


def main() -> None:
    """Generate, read, import; print both times, the rate and the ratio."""
    user = setup()
    path = Path(tempfile.mkdtemp(prefix="agritrace-bench-")) / "producers.xlsx"
    generate(path)
    baseline = read_only_baseline(path)
    start = time.perf_counter()
    with actor(user=user, source="bench_import"), path.open("rb") as file:
        result = runner.run(ProducerImporter(user), file, path.stat().st_size)
    seconds = time.perf_counter() - start
    if result.errors or result.created != ROWS:
        sys.exit(f"import failed: {result.created} created, first errors {result.errors[:5]}")
    vendor = connection.vendor
    size_mb = path.stat().st_size / 1024 / 1024
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{vendor:10} file {ROWS} rows, {size_mb:.1f} MB")
    print(f"{vendor:10} import        {seconds:7.2f} s  {ROWS / seconds:8.0f} rows/s")
    print(f"{vendor:10} baseline read {baseline:7.2f} s  {ROWS / baseline:8.0f} rows/s")
    verdict = "within" if seconds <= TARGET_SECONDS else "OVER"
    print(
        f"{vendor:10} ratio import/read {seconds / baseline:.2f}; {verdict} the "
        f"{TARGET_SECONDS} s target; peak RSS {peak_mb:.0f} MB"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
