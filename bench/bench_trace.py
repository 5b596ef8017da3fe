"""Trace report: ``trace(batch)`` for batches 5 levels deep (5 generations of sources above them,
5 generations of derived batches below) among 100,000 batches and 1,000,000 production records.

Target (issue): ≤ 50 ms on PostgreSQL. Baseline: the same batch read by primary key with its
product (``Batch.objects.select_related("product").get(pk=…)``).

The data is generated once per database and reused: 200 producers with 4 bases and 3 products
each; per producer 10 lineage families of 50 batches in 11 generations (harvests and a purchase,
then splits and merges); 4 records per batch, the rest of the 1,000,000 records on the bases
(applications, fertilising, irrigation…); shipments of the last 5 generations. Rows go in by
COPY on PostgreSQL (executemany elsewhere), so the change log is bypassed.
``AGRITRACE_BENCH_SCALE`` (default 1) scales producers and records, e.g. 0.1 for SQLite.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agritrace.settings")
os.environ.setdefault("AGRITRACE_HOME", tempfile.mkdtemp(prefix="agritrace-bench-"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from agritrace.catalog.models import Product  # noqa: E402
from agritrace.producers.models import Producer, ProductionBase  # noqa: E402
from agritrace.production.choices import (  # noqa: E402
    BatchKind,
    BuyerKind,
    InputKind,
    RecordKind,
)
from agritrace.production.models import (  # noqa: E402
    Batch,
    BatchLink,
    Input,
    ProductionRecord,
    Shipment,
)
from agritrace.production.trace import TraceReport, trace  # noqa: E402
from agritrace.regions.models import Level, Region  # noqa: E402

SCALE = float(os.environ.get("AGRITRACE_BENCH_SCALE", "1"))
PRODUCERS = max(20, round(200 * SCALE))
BASES_PER_PRODUCER = 4
PRODUCTS_PER_PRODUCER = 3
FAMILIES_PER_PRODUCER = 10
#: Batches per generation of a family (50): generation 5 has 5 generations above and below.
WIDTHS = (6, 5, 5, 4, 4, 4, 4, 4, 4, 5, 5)
DEPTH = 5
MERGE_SHARE = 0.3
RECORDS = round(1_000_000 * SCALE)
RECORDS_PER_BATCH = 4
FIRST_SHIPPED_GENERATION = 6
REPEAT = 200
WARM_UP = 10
TARGET_MS = 50.0
START = dt.date(2020, 1, 1)
DAYS = 2372  # to mid-2026
NAME = "示例溯源基准"
CODE = "T"  # identity codes of the generated producers: T0000000000000…

BASE_KINDS = [  # (kind, weight) of the records on a base without a batch
    (RecordKind.INPUT_APPLICATION, 35),
    (RecordKind.FERTILISING, 15),
    (RecordKind.IRRIGATION, 30),
    (RecordKind.PLANTING, 10),
    (RecordKind.OTHER, 10),
]
TARGETS = ["蚜虫", "红蜘蛛", "稻飞虱", "白粉病", "霜霉病", "螟虫"]
DESTINATIONS = ["长沙市", "株洲市", "湘潭市", "衡阳市", "岳阳市", "常德市"]


def columns_for(model: type[models.Model], names: Sequence[str]) -> tuple[list[str], tuple]:
    """The table's columns: ``names`` (attnames) first, then every other concrete column with its
    default (timestamps now, nullable NULL, blank text ''), as a tuple to append to each row."""
    now = timezone.now()
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    rest = {}
    for attname, f in by_attname.items():
        if attname in names:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif f.blank and f.empty_strings_allowed:
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{attname} needs a value")
        rest[f.column] = f.get_db_prep_save(value, connection)
    return [by_attname[n].column for n in names] + list(rest), tuple(rest.values())


def insert(model: type[models.Model], names: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (values of ``names``, explicit ids included) without signals: COPY on
    PostgreSQL, ``executemany`` in chunks elsewhere."""
    columns, rest = columns_for(model, names)
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + rest)
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(columns))})"
            for chunk in itertools.batched(rows, 20_000):
                cursor.executemany(sql, [row + rest for row in chunk])
                count += len(chunk)
    return count


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of ``model``'s table (ids are given explicitly)."""
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def catalogue(townships: list[Region]) -> tuple[list[Producer], dict, dict, list, list]:
    """Producers, their bases and products, and a shared input catalogue (bulk_create)."""
    producers = []
    for n in range(PRODUCERS):
        township = townships[n * len(townships) // PRODUCERS]
        body = f"92{township.code[:6]}TRC{n:06d}"
        producers.append(
            Producer(
                kind="cooperative" if n % 3 else "enterprise",
                name=f"{NAME}{n}号合作社",
                uscc=body + uscc.calc_check_digit(body),
                legal_representative="示例",
                township=township,
                identity_code=f"{CODE}{n:013d}",
                status="approved",
            )
        )
    producers = Producer.objects.bulk_create(producers, batch_size=1000)
    bases = ProductionBase.objects.bulk_create(
        [
            ProductionBase(
                producer=p,
                name=f"示例基地{k + 1}",
                kind="field",
                area_mu=Decimal(50 + 10 * k),
                township=p.township,
            )
            for p in producers
            for k in range(BASES_PER_PRODUCER)
        ],
        batch_size=2000,
    )
    products = Product.objects.bulk_create(
        [
            Product(producer=p, name=name, category="vegetable")
            for p in producers
            for name in ["示例白菜", "示例辣椒", "示例萝卜"][:PRODUCTS_PER_PRODUCER]
        ],
        batch_size=2000,
    )
    pesticides = Input.objects.bulk_create(
        [
            Input(
                kind=InputKind.PESTICIDE,
                name=f"示例农药{k + 1}",
                registration_number=f"PD2008{k + 1:04d}",
                default_interval_days=7 + k,
            )
            for k in range(12)
        ]
    )
    fertilisers = Input.objects.bulk_create(
        [Input(kind=InputKind.FERTILISER, name=f"示例复合肥{k + 1}") for k in range(6)]
    )
    by_producer_bases: dict[int, list[int]] = {}
    for base in bases:
        by_producer_bases.setdefault(base.producer_id, []).append(base.pk)
    by_producer_products: dict[int, list[int]] = {}
    for product in products:
        by_producer_products.setdefault(product.producer_id, []).append(product.pk)
    return (
        producers,
        by_producer_bases,
        by_producer_products,
        [i.pk for i in pesticides],
        [i.pk for i in fertilisers],
    )


def generate() -> float:
    """Create the bench data in one transaction; seconds taken."""
    started = time.perf_counter()
    rng = random.Random(20261123)
    townships = list(Region.objects.filter(level=Level.TOWNSHIP).order_by("code"))
    producers, bases, products, pesticides, fertilisers = catalogue(townships)
    batch_id = next_id(Batch)
    batches = []  # (id, producer, product, number, kind, quantity, produced_on, supplier, gen)
    links: list[tuple[int, int]] = []
    batch_bases: list[tuple[int, int]] = []
    for p_index, producer in enumerate(producers):
        for f in range(FAMILIES_PER_PRODUCER):
            family = p_index * FAMILIES_PER_PRODUCER + f
            day0 = START + dt.timedelta(days=rng.randrange(DAYS - 60))
            product = products[producer.pk][family % PRODUCTS_PER_PRODUCER]
            previous: list[int] = []
            for gen, width in enumerate(WIDTHS):
                current = list(range(batch_id, batch_id + width))
                batch_id += width
                parents: dict[int, set[int]] = {child: set() for child in current}
                for i, parent in enumerate(previous):  # every batch is used downstream…
                    parents[current[i % width]].add(parent)
                for j, child in enumerate(current):  # …and every batch has a source
                    if previous:
                        parents[child].add(previous[j % len(previous)])
                        if rng.random() < MERGE_SHARE:
                            parents[child].add(rng.choice(previous))
                for j, child in enumerate(current):
                    supplier = ""
                    if gen == 0 and j == width - 1:
                        kind, supplier = BatchKind.PURCHASE, f"示例农户{rng.randrange(1000)}"
                    elif gen == 0:
                        kind = BatchKind.HARVEST
                        base = bases[producer.pk][(f + j) % BASES_PER_PRODUCER]
                        batch_bases.append((child, base))
                    else:
                        several = len(parents[child]) > 1
                        kind = BatchKind.PROCESSING if several else BatchKind.SPLIT
                    links.extend((parent, child) for parent in sorted(parents[child]))
                    batches.append(
                        (
                            child,
                            producer.pk,
                            product,
                            f"TR{family:05d}-G{gen:02d}-{j}",
                            kind,
                            Decimal(2000 - 150 * gen + j),
                            day0 + dt.timedelta(days=3 * gen),
                            supplier,
                            gen,
                        )
                    )
                previous = current
    batch_names = ["id", "producer_id", "product_id", "number", "kind", "quantity", "unit"]
    batch_names += ["produced_on", "supplier"]
    insert(Batch, batch_names, ((*b[:6], "kg", b[6], b[7]) for b in batches))
    through = Batch.bases.through
    insert(
        through,
        ["id", "batch_id", "productionbase_id"],
        ((n, *pair) for n, pair in enumerate(batch_bases, start=next_id(through))),
    )
    insert(
        BatchLink,
        ["id", "parent_id", "child_id", "quantity"],
        ((n, p, c, Decimal(100)) for n, (p, c) in enumerate(links, start=next_id(BatchLink))),
    )
    record_names = ["id", "producer_id", "kind", "date", "base_id", "batch_id", "product_id"]
    record_names += ["input_id", "dose", "area_mu", "target", "quantity", "unit", "counterpart"]
    record_names += ["operator"]

    def batch_records() -> Iterable[tuple]:
        base_of = dict(batch_bases)
        for b_id, producer, product, _n, kind, quantity, day, supplier, gen in batches:
            if kind == BatchKind.HARVEST:
                first = (RecordKind.HARVEST, base_of[b_id], "")
            elif kind == BatchKind.PURCHASE:
                first = (RecordKind.PURCHASE, None, supplier)
            else:
                first = (RecordKind.PROCESSING, None, "")
            last = RecordKind.SALE if gen >= FIRST_SHIPPED_GENERATION else RecordKind.OTHER
            kinds = [
                first,
                (RecordKind.STORAGE, None, ""),
                (RecordKind.TRANSPORT, None, "示例物流"),
                (last, None, "示例批发市场" if last == RecordKind.SALE else ""),
            ]
            for k, (record_kind, base, counterpart) in enumerate(kinds[:RECORDS_PER_BATCH]):
                date = day + dt.timedelta(days=k)
                head = (producer, record_kind, date, base, b_id, product, None, "", None, "")
                yield (*head, quantity, "kg", counterpart, "示例操作员")

    def base_records(count: int) -> Iterable[tuple]:
        everywhere = [(p.pk, base, products[p.pk]) for p in producers for base in bases[p.pk]]
        kinds = [kind for kind, weight in BASE_KINDS for _ in range(weight)]
        for _ in range(count):
            producer, base, crops = rng.choice(everywhere)
            kind = rng.choice(kinds)
            day = START + dt.timedelta(days=rng.randrange(DAYS))
            input_id, dose, area, target = None, "", None, ""
            if kind == RecordKind.INPUT_APPLICATION:
                input_id, dose = rng.choice(pesticides), f"{rng.randrange(10, 60)}毫升/亩"
                area, target = Decimal(rng.randrange(5, 50)), rng.choice(TARGETS)
            elif kind == RecordKind.FERTILISING:
                input_id, dose = rng.choice(fertilisers), f"{rng.randrange(10, 40)}千克/亩"
                area = Decimal(rng.randrange(5, 50))
            product = crops[base % len(crops)]
            head = (producer, kind, day, base, None, product, input_id, dose, area, target)
            yield (*head, None, "", "", "示例操作员")

    in_batches = len(batches) * RECORDS_PER_BATCH
    insert(
        ProductionRecord,
        record_names,
        (
            (n, *row)
            for n, row in enumerate(
                itertools.chain(batch_records(), base_records(max(0, RECORDS - in_batches))),
                start=next_id(ProductionRecord),
            )
        ),
    )
    buyer_kinds = list(BuyerKind.values)

    def shipments(n: int) -> Iterable[tuple]:
        for b_id, _p, _pr, _num, _k, quantity, day, _s, gen in batches:
            if gen < FIRST_SHIPPED_GENERATION:
                continue
            for k in range(1 + b_id % 3):
                yield (
                    n,
                    b_id,
                    day + dt.timedelta(days=1 + k),
                    quantity / 4,
                    f"示例批发商{rng.randrange(500)}",
                    buyer_kinds[(b_id + k) % len(buyer_kinds)],
                    rng.choice(DESTINATIONS),
                )
                n += 1

    insert(
        Shipment,
        ["id", "batch_id", "shipped_on", "quantity", "buyer", "buyer_kind", "destination"],
        shipments(next_id(Shipment)),  # not inside the generator: no query during COPY
    )
    if connection.vendor == "postgresql":
        models_with_ids = [Batch, through, BatchLink, ProductionRecord, Shipment]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_with_ids):
                cursor.execute(sql)
    return time.perf_counter() - started


def setup() -> float | None:
    """Migrate, load Hunan and generate the data unless it is there; seconds spent generating."""
    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0, stdout=io.StringIO())
    if Producer.objects.filter(identity_code=f"{CODE}{0:013d}").exists():
        return None
    with transaction.atomic():
        seconds = generate()
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        seconds += time.perf_counter() - started
    return seconds


def pick() -> list[Batch]:
    """``REPEAT`` generation-5 batches in different families, spread over all producers."""
    ours = Producer.objects.filter(identity_code__startswith=CODE, name__startswith=NAME)
    families = ours.count() * FAMILIES_PER_PRODUCER
    wanted = [
        f"TR{k * families // REPEAT:05d}-G{DEPTH:02d}-{k % WIDTHS[DEPTH]}"
        for k in range(min(REPEAT, families))
    ]
    found = {b.number: b for b in Batch.objects.filter(number__in=wanted)}
    return [found[number] for number in wanted]


COUNTS = ["upstream", "downstream", "links", "bases", "applications", "records", "shipments"]


def summary(report: TraceReport) -> dict[str, object]:
    """What a report found: numbers of rows, deepest level up and down."""
    found: dict[str, object] = {k: len(getattr(report, k)) for k in COUNTS}
    found["number"] = report.batch.number
    found["depths"] = (
        max((d for _b, d in report.upstream), default=0),
        max((d for _b, d in report.downstream), default=0),
    )
    return found


def ms(samples: list[float]) -> str:
    p95 = statistics.quantiles(samples, n=20)[18]
    return (
        f"median {statistics.median(samples):7.2f} ms  p95 {p95:7.2f} ms  "
        f"max {max(samples):7.2f} ms"
    )


def main() -> None:
    """Print the trace timings, the baseline, the data sizes and a typical report's contents."""
    generated = setup()
    gc.collect()  # not the generator's garbage: a full collection would land in one sample
    vendor = connection.vendor
    targets = pick()
    for number in [f"TR{k:05d}-G{DEPTH:02d}-{WIDTHS[DEPTH] - 1}" for k in range(WARM_UP)]:
        trace(Batch.objects.get(number=number))
    load = os.getloadavg()[0]
    timings, reports = [], []
    for batch in targets:  # each batch's first trace, as a recall reads it
        start = time.perf_counter()
        report = trace(batch)
        timings.append((time.perf_counter() - start) * 1000)
        reports.append(summary(report))  # not the report: 200 kept would bring on full GCs
    again = []
    for batch in targets:  # the same again, its rows now in the buffer cache
        start = time.perf_counter()
        trace(batch)
        again.append((time.perf_counter() - start) * 1000)
    baseline = []
    for batch in targets:
        start = time.perf_counter()
        Batch.objects.select_related("product").get(pk=batch.pk)
        baseline.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        trace(targets[0])
    load = max(load, os.getloadavg()[0])

    print(f"{vendor:10} {'trace, first time':30} {ms(timings)}")
    print(f"{vendor:10} {'trace, again':30} {ms(again)}")
    print(f"{vendor:10} {'baseline (batch by pk)':30} {ms(baseline)}")
    sizes = {
        "producers": Producer.objects.count(),
        "batches": Batch.objects.count(),
        "links": BatchLink.objects.count(),
        "records": ProductionRecord.objects.count(),
        "shipments": Shipment.objects.count(),
    }
    made = "reused" if generated is None else f"generated in {generated:.0f} s"
    print(f"{vendor:10} data ({made}): " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    typical = reports[timings.index(sorted(timings)[len(timings) // 2])]
    print(
        f"{vendor:10} typical report {typical['number']}: "
        + ", ".join(f"{k} {typical[k]}" for k in COUNTS)
        + f"; {len(queries)} queries"
    )
    print(
        f"{vendor:10} medians over {len(reports)}: "
        + ", ".join(f"{k} {statistics.median(r[k] for r in reports):g}" for k in COUNTS)
    )
    depths = {r["depths"] for r in reports}
    first, repeat, base = (statistics.median(t) for t in (timings, again, baseline))
    ratios = f"{first / base:.1f} (again {repeat / base:.1f})"
    verdict = "met" if first <= TARGET_MS else "NOT met"
    print(
        f"{vendor:10} depths (up, down) {sorted(depths)}; median ratio to baseline {ratios}; "
        f"target ≤ {TARGET_MS:g} ms (median, first time) {verdict}; load average ≤ {load:.1f}"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
