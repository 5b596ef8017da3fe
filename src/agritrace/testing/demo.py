"""Demo testing: residue limits, a device, a trained technician and a weekly plan for each demo
producer that has a season, a season of device uploads (through the same ingestion as the API),
and one positive result that blocks a demo batch of producer A."""

from __future__ import annotations

import datetime as dt
import zlib
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from agritrace.core.demodata import MARK, DemoContext
from agritrace.producers.models import Producer
from agritrace.production.models import Batch
from agritrace.testing import uploads
from agritrace.testing.models import Device, SelfTestPlan, Technician, TechnicianTraining


def load(ctx: DemoContext) -> None:
    """Idempotent: devices are keyed by serial; uploads by record id."""
    call_command("load_mrls", stdout=StringIO())
    producers = (
        Producer.objects.filter(name__contains=MARK, batches__isnull=False)
        .distinct()
        .order_by("id")
    )
    for producer in producers:
        serial = f"DEMO-{producer.pk:05d}"
        animal = producer.industries.filter(code__in=["livestock", "aquaculture"]).exists()
        device, created = Device.objects.get_or_create(
            serial=serial,
            defaults={
                "kind": "B" if animal else "A",
                "model_name": f"{MARK}速测仪",
                "producer": producer,
                "calibrated_on": timezone.localdate() - dt.timedelta(days=90),
            },
        )
        if created:
            technician = Technician.objects.create(
                name=f"{MARK}检测员", certificate=f"{MARK}-{producer.pk}", producer=producer
            )
            TechnicianTraining.objects.create(
                technician=technician,
                course=f"{MARK}农残速测培训",
                held_on=timezone.localdate() - dt.timedelta(days=200),
                issuer=f"{MARK}县农产品质量安全检测站",
            )
            SelfTestPlan.objects.create(
                producer=producer,
                method="gold" if animal else "enzyme",
                items="兽药残留" if animal else "有机磷和氨基甲酸酯类农药",
                times=1,
                period="week",
                valid_from=timezone.localdate().replace(month=1, day=1),
                valid_to=timezone.localdate().replace(month=12, day=31),
            )
        outcome = uploads.ingest(device, season(producer, animal))
        ctx.count("test records", sum(r["status"] == "accepted" for r in outcome.results))
    block_one()


def season(producer: Producer, animal: bool) -> list[dict[str, object]]:
    """A negative test for every batch, and a weekly test over the season."""
    records: list[dict[str, object]] = []
    batches = list(
        Batch.objects.filter(producer=producer).select_related("product").order_by("produced_on")
    )
    start = batches[0].produced_on - dt.timedelta(days=90)
    for week in range(24):
        day = start + dt.timedelta(weeks=week)
        records.append(reading(f"W{week:03d}", day, animal, "示例样品"))
    for batch in batches:
        record = reading(f"B{batch.pk:06d}", batch.produced_on, animal, batch.product.name)
        records.append(record | {"batch_number": batch.number})
    return records


def reading(record_id: str, day: dt.date, animal: bool, sample: str) -> dict[str, object]:
    """One negative rapid-test reading."""
    moment = f"{day.isoformat()}T09:00:00+08:00"
    if animal:
        return {
            "record_id": record_id,
            "method": "gold",
            "item": "克伦特罗",
            "sample_name": sample,
            "tested_at": moment,
            "control_line": True,
            "t_line": "equal_or_stronger",
            "tester": f"{MARK}检测员",
        }
    return {
        "record_id": record_id,
        "method": "enzyme",
        "item": "有机磷和氨基甲酸酯类农药",
        "sample_name": sample,
        "tested_at": moment,
        "inhibition_rate": 8 + zlib.crc32(record_id.encode()) % 20,
        "tester": f"{MARK}检测员",
    }


def block_one() -> None:
    """Producer A's latest tea batch gets a positive retest upload: it is blocked and warned."""
    producer = Producer.objects.filter(users__username="producer_a").first()
    device = Device.objects.filter(producer=producer).first() if producer else None
    batch = (
        Batch.objects.filter(producer=producer).order_by("-produced_on").first()
        if producer
        else None
    )
    if device is None or batch is None:
        return
    uploads.ingest(
        device,
        [
            {
                "record_id": "POSITIVE-DEMO-1",
                "method": "enzyme",
                "item": "有机磷和氨基甲酸酯类农药",
                "sample_name": batch.product.name,
                "batch_number": batch.number,
                "inhibition_rate": 63.5,
                "tested_at": f"{batch.produced_on.isoformat()}T15:00:00+08:00",
                "tester": f"{MARK}检测员",
            }
        ],
    )
