"""Device upload throughput: 100,000 rapid-test records through ``/api/v1/testing/uploads/`` in
batches of 500, served as in production (gunicorn, 2 workers) on the database of
``AGRITRACE_DATABASE_URL`` (PostgreSQL under ``make bench``), then a full replay of the same
uploads, which must store nothing new.

Baseline: the same 100,000 records inserted directly with ``bulk_create`` (no HTTP, no
validation), measured in the same run.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agritrace.settings")
os.environ.setdefault("AGRITRACE_HOME", tempfile.mkdtemp(prefix="agritrace-bench-"))

import django

django.setup()

import httpx  # noqa: E402
import serving  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from agritrace.producers.models import Producer  # noqa: E402
from agritrace.regions.models import Region  # noqa: E402
from agritrace.testing.models import Device, TestRecord  # noqa: E402

RECORDS = 100_000
BATCH = 500
CLIENTS = 4


def setup() -> tuple[Device, Device]:
    """Two devices of a fictitious producer: one for the API run, one for the baseline."""
    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123
    township = Region.objects.filter(level="township").order_by("code").first()
    body = "93430923BEN77777X"
    producer, _ = Producer.objects.get_or_create(
        uscc=body + uscc.calc_check_digit(body),
        defaults={
            "kind": "cooperative",
            "name": "示例基准合作社",
            "legal_representative": "示例",
            "township": township,
        },
    )
    TestRecord.objects.filter(producer=producer).delete()
    api, _ = Device.objects.get_or_create(
        serial="BENCH-API", defaults={"kind": "A", "model_name": "示例", "producer": producer}
    )
    raw, _ = Device.objects.get_or_create(
        serial="BENCH-RAW", defaults={"kind": "A", "model_name": "示例", "producer": producer}
    )
    return api, raw


def payloads() -> list[dict[str, object]]:
    """200 uploads of 500 records."""
    moment = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    return [
        {
            "records": [
                {
                    "record_id": f"R{start + i:07d}",
                    "method": "enzyme",
                    "item": "有机磷",
                    "sample_name": "示例白菜",
                    "tested_at": moment,
                    "inhibition_rate": (start + i) % 45,
                }
                for i in range(BATCH)
            ]
        }
        for start in range(0, RECORDS, BATCH)
    ]


def send_all(
    base: str, device: Device, bodies: list[dict[str, object]]
) -> tuple[float, dict[str, int]]:
    """Seconds for all uploads (CLIENTS at a time) and the per-record statuses seen."""
    headers = {"Authorization": f"Device {device.serial}:{device.secret()}"}
    seen: dict[str, int] = {}

    def one(body: dict[str, object]) -> dict[str, object]:
        with httpx.Client(timeout=120) as client:
            response = client.post(f"{base}/api/v1/testing/uploads/", json=body, headers=headers)
            response.raise_for_status()
            return response.json()

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        for answer in pool.map(one, bodies):
            for result in answer["results"]:
                seen[result["status"]] = seen.get(result["status"], 0) + 1
    return time.perf_counter() - start, seen


def main() -> None:
    """Run the API uploads, the replay and the baseline; print the figures."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    api, raw = setup()
    bodies = payloads()
    with serving.gunicorn() as base:
        seconds, first = send_all(base, api, bodies)
        replay_seconds, second = send_all(base, api, bodies)
    stored = TestRecord.objects.filter(device=api).count()
    duplicates = (
        stored - TestRecord.objects.filter(device=api).values("device_record_id").distinct().count()
    )

    start = time.perf_counter()
    moment = timezone.now()
    TestRecord.objects.bulk_create(
        (
            TestRecord(
                producer=raw.producer,
                device=raw,
                device_record_id=f"R{n:07d}",
                method="enzyme",
                item="有机磷",
                sample_name="示例白菜",
                tested_at=moment,
                inhibition_rate=n % 45,
                result="negative",
            )
            for n in range(RECORDS)
        ),
        batch_size=BATCH,
    )
    baseline = time.perf_counter() - start
    vendor = connection.vendor
    rate = RECORDS / seconds
    print(f"{vendor:10} upload API   {RECORDS} records {seconds:6.1f} s ({rate:6.0f}/s) {first}")
    print(f"{vendor:10} full replay {replay_seconds:6.1f} s; stored {stored}, dupes {duplicates}")
    print(f"{vendor:10} replay statuses {second}")
    print(f"{vendor:10} baseline bulk_create {baseline:6.1f} s; ratio {seconds / baseline:.1f}")


if __name__ == "__main__":
    main()
