"""Scoping cost: a county officer's producer list page (``restrict``: a join on the region path
prefix) against the same page read without scoping, on 50,000 producers in 25 counties.

Baseline: ``Producer.objects.all()`` with the same ordering, page size and related region.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agritrace.settings")
os.environ.setdefault("AGRITRACE_HOME", tempfile.mkdtemp(prefix="agritrace-bench-"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from agritrace.accounts.models import Organisation, User  # noqa: E402
from agritrace.producers.models import Producer  # noqa: E402
from agritrace.regions.models import Level, Region  # noqa: E402

PRODUCERS = 50_000
REPEAT = 200


def setup() -> User:
    """Migrate, load Hunan, and create the producers once (kept between runs of this script)."""
    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0, stdout=io.StringIO())
    counties = list(Region.objects.filter(level=Level.COUNTY).order_by("code")[:25])
    townships = [t for c in counties for t in c.children.all()]
    existing = Producer.objects.count()
    rows = []
    for n in range(existing, PRODUCERS):
        township = townships[n % len(townships)]
        body = f"93{township.code[:6]}BEN{n:05d}X"[:17]
        rows.append(
            Producer(
                kind="cooperative",
                name=f"示例基准{n}",
                uscc=body + uscc.calc_check_digit(body),
                legal_representative="示例",
                township=township,
                identity_code=f"B{n:013d}",
            )
        )
    Producer.objects.bulk_create(rows, batch_size=5000)
    org, _ = Organisation.objects.get_or_create(
        kind="supervision", region=counties[3], defaults={"name": "示例基准监管站"}
    )
    user, _ = User.objects.get_or_create(
        username="bench_officer", defaults={"organisation": org, "role": "officer"}
    )
    return user


def timed(make_query: object) -> list[float]:
    """Milliseconds per evaluation of a 50-row page, ``REPEAT`` times."""
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        list(make_query()[:50])  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    """Print median and p95 for both, and the ratio."""
    user = setup()
    base = Producer.objects.select_related("township").order_by("name", "id")
    scoped = timed(lambda: base.restrict(user, "view"))
    baseline = timed(lambda: base.all())
    count = base.restrict(user, "view").count()
    vendor = connection.vendor
    for label, samples in (
        ("scoped (county officer)", scoped),
        ("baseline (no scoping)", baseline),
    ):
        p95 = statistics.quantiles(samples, n=20)[18]
        print(
            f"{vendor:10} {label:26} median {statistics.median(samples):7.2f} ms  p95 {p95:7.2f} ms"
        )
    ratio = statistics.median(scoped) / statistics.median(baseline)
    print(f"{vendor:10} producers {PRODUCERS}, in scope {count}, median ratio {ratio:.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
