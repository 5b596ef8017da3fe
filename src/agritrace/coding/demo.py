"""Demo codes, labels and certificates: for the demo producers' latest active batch, a roll of
codes bound to the batch, printed as a PDF roll, ZPL and TSPL; a certificate of compliance;
producer A also gets an unbound roll for the scan-to-bind page, and a market check by the
Anhua officer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from agritrace.accounts.models import User
from agritrace.coding.choices import Basis, OutputFormat
from agritrace.coding.models import Certificate, CodeRoll, LabelLayout, PrintJob
from agritrace.coding.services import certificates, checks, minting, printing
from agritrace.core.demodata import MARK, DemoContext
from agritrace.producers.models import Producer
from agritrace.production.choices import BatchStatus
from agritrace.production.models import Batch
from agritrace.testing.choices import PASSING

#: Producers that get codes (the first ones with batches, and producer A).
PRODUCERS = 12
CODES_PER_BATCH = 120
PRINTS = (
    (OutputFormat.PDF_ROLL, 203, ""),
    (OutputFormat.PDF_SHEET, 203, "a4-50x30"),
    (OutputFormat.ZPL, 203, ""),
    (OutputFormat.TSPL, 300, ""),
)


def load(ctx: DemoContext) -> None:
    """Idempotent: producers that already have code rolls are skipped."""
    printing.sync_presets()
    owner_a = User.objects.filter(username="producer_a").select_related("producer").first()
    chosen = list(
        Producer.objects.filter(name__contains=MARK, batches__status=BatchStatus.ACTIVE)
        .distinct()
        .order_by("id")[:PRODUCERS]
    )
    if owner_a and owner_a.producer and owner_a.producer not in chosen:
        chosen.append(owner_a.producer)
    layout = LabelLayout.objects.get(producer=None, name="50x30")
    for producer in chosen:
        if CodeRoll.objects.filter(producer=producer).exists():
            continue
        batch = (
            Batch.objects.filter(producer=producer, status=BatchStatus.ACTIVE)
            .select_related("product")
            .order_by("-produced_on", "-id")
            .first()
        )
        if batch is None:
            continue
        roll = minting.request_mint(producer, CODES_PER_BATCH, batch=batch, note=f"{MARK}批次码")
        ctx.count("trace codes", CODES_PER_BATCH)
        for output, dpi, sheet in PRINTS:
            printing.request_print(
                PrintJob(
                    roll=roll,
                    first_serial=1,
                    last_serial=CODES_PER_BATCH,
                    layout=layout,
                    output=output,
                    dpi=dpi,
                    sheet=sheet,
                )
            )
            ctx.count("print jobs", 1)
        certificate(batch, ctx)
        if owner_a and producer == owner_a.producer:
            minting.request_mint(producer, 50, note=f"{MARK}空白码卷（扫码绑定）")
            officer = User.objects.filter(username="anhua_officer").first()
            if officer is not None:
                checks.record_check(
                    roll.codes.get(serial=1).code, user=officer, market=f"{MARK}农贸市场"
                )


def certificate(batch: Batch, ctx: DemoContext) -> None:
    """A certificate for a tenth of the batch, on a passing self-test when there is one."""
    test = batch.tests.filter(result__in=PASSING).order_by("-tested_at").first()
    draft = Certificate(
        batch=batch,
        quantity=(batch.quantity / 10).quantize(Decimal("0.001")),
        issued_on=min(batch.produced_on + dt.timedelta(days=1), timezone.localdate()),
        basis=Basis.SELF_TEST if test else Basis.QUALITY_CONTROL,
        test=test,
        no_prohibited=True,
        within_limits=True,
        responsible=True,
        signatory=f"{MARK}负责人",
    )
    try:
        certificates.issue_certificate(draft)
    except ValidationError:
        return  # e.g. the batch is blocked by a test: no certificate, as the rules say
    ctx.count("certificates", 1)
