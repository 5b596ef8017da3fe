"""A stored row can always be displayed: tests holding the extreme values each field allows
(stored through the rules, so the bounds are proved to allow them) render on every testing
page, in the annual summary (page, PDF, xlsx), in the forms that list tests and through the
API (issue 11)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agritrace.conftest import World
from agritrace.core.validators import EARLIEST_DAY, LATEST_DAY
from agritrace.testing import services
from agritrace.testing.models import (
    MAX_LIMIT,
    MAX_READING,
    Device,
    DeviceUpload,
    MaximumResidueLimit,
    SelfTestPlan,
    Technician,
    TechnicianTraining,
    TestRecord,
)

LONG = "长🥬<b>&" * 40

EARLIEST_TIME = dt.datetime.combine(EARLIEST_DAY, dt.time(), dt.UTC)


def text(length: int) -> str:
    return LONG[:length]


def store(world: World, device: Device | None = None, **fields) -> TestRecord:
    producer = world.producers["A"]
    values = {
        "producer": producer,
        "batch": world.deps["A"]["batch"],
        "product": world.deps["A"]["product"],
        "sample_name": text(100),
        "sampling_place": text(200),
        "sampler": text(50),
        "item": text(100),
        "tester_name": text(50),
        "unit": text(16),
        "limit_source": text(64),
        "tested_at": EARLIEST_TIME,
        "sampled_at": EARLIEST_TIME,
    } | fields
    if device is not None:
        values |= {"device": device, "device_record_id": text(63) + str(TestRecord.objects.count())}
    return services.record_test(TestRecord(**values))


@pytest.fixture
def extremes(world: World) -> dict[str, object]:
    device = Device.objects.create(
        kind="C",
        model_name=text(100),
        serial="X" * 64,
        producer=world.producers["A"],
        calibrated_on=timezone.localdate(),
    )
    latest = timezone.now() + dt.timedelta(minutes=4, seconds=50)
    tests = [
        store(world, method="enzyme", inhibition_rate=Decimal(0)),
        store(world, device, method="enzyme", inhibition_rate=Decimal(100), tested_at=latest),
        store(world, device, method="elisa", value=MAX_READING, limit=MAX_READING),
        store(world, method="elisa", value=Decimal(0), limit=Decimal("0.0001")),
        store(
            world,
            method="lab",
            value=MAX_READING,
            limit=Decimal("0.0001"),
            laboratory=text(100),
            tested_at=latest,
            sampled_at=latest,
        ),
        store(world, method="gold", control_line=True, t_line="weaker"),
    ]
    MaximumResidueLimit.objects.create(
        analyte=text(100), food=text(100), limit=MAX_LIMIT, source="GB"
    )
    technician = Technician.objects.create(
        name=text(50), certificate=text(64), producer=world.producers["A"]
    )
    TechnicianTraining(
        technician=technician, course=text(200), held_on=timezone.localdate(), issuer=text(100)
    ).full_clean(exclude=["technician"])
    plan = SelfTestPlan(
        producer=world.producers["A"],
        method="enzyme",
        items=text(200),
        times=1000,
        period="week",
        valid_from=EARLIEST_DAY,
        valid_to=LATEST_DAY,
    )
    plan.full_clean()
    plan.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device.serial}:{device.secret()}")
    client.post(
        "/api/v1/testing/uploads/",
        {"records": [{"record_id": tests[1].device_record_id, "method": "enzyme"}] * 1000},
        format="json",
    )
    return {"device": device, "tests": tests, "plan": plan, "technician": technician}


def test_the_bounds_are_the_columns(world: World):
    for fields in (
        {"method": "enzyme", "inhibition_rate": Decimal("100.01")},
        {"method": "elisa", "value": MAX_READING + Decimal("0.0001"), "limit": Decimal(1)},
        {"method": "elisa", "value": Decimal(1), "limit": MAX_READING * 10},
        {"method": "enzyme", "inhibition_rate": 1, "tested_at": EARLIEST_TIME - dt.timedelta(1)}
        | {"sampled_at": None},
        {"method": "enzyme", "inhibition_rate": 1, "sample_name": text(101)},
    ):
        with pytest.raises(ValidationError):
            store(world, **fields)


@pytest.mark.parametrize("persona", ["producer_a", "township", "province"])
def test_every_page_and_read_shows_the_extremes(world: World, extremes, persona):
    client = world.client(persona)
    producer = world.producers["A"]
    upload = DeviceUpload.objects.get(device=extremes["device"])
    assert upload.omitted and upload.results  # 1,000 results bounded in the log
    pages = [
        reverse("testing:testrecord_list"),
        reverse("testing:testrecord_list") + "?export=xlsx",
        *(reverse("testing:testrecord_detail", args=[t.pk]) for t in extremes["tests"]),
        reverse("testing:device_list"),
        reverse("testing:device_detail", args=[extremes["device"].pk]),
        reverse("testing:deviceupload_list"),
        reverse("testing:deviceupload_detail", args=[upload.pk]),
        reverse("testing:technician_list"),
        reverse("testing:technician_detail", args=[extremes["technician"].pk]),
        reverse("testing:selftestplan_list"),
        reverse("testing:selftestplan_detail", args=[extremes["plan"].pk]),
        reverse("coding:certificate_add"),
        reverse("testing:testrecord_add"),
    ]
    for year in (1990, timezone.localdate().year):
        summary = reverse("testing:summary", args=[producer.pk]) + f"?year={year}"
        pages += [summary, summary + "&format=pdf", summary + "&format=xlsx"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    listing = client.get(reverse("testing:testrecord_list")).content.decode()
    assert "1990-01-01" in listing or "1990年1月1日" in listing
    api = world.api(persona)
    reads = [
        "/api/v1/testing/tests/",
        *(f"/api/v1/testing/tests/{t.pk}/" for t in extremes["tests"]),
        "/api/v1/testing/devices/",
        "/api/v1/testing/upload-logs/",
        f"/api/v1/testing/upload-logs/{upload.pk}/",
        "/api/v1/testing/technicians/",
        "/api/v1/testing/plans/",
        "/api/v1/testing/limits/",
    ]
    for read in reads:
        assert api.get(read).status_code == 200, read
    values = {row["value"] for row in api.get("/api/v1/testing/tests/").json()["results"]}
    assert str(MAX_READING) in values


MANUAL = {
    "sample_name": "示例白菜",
    "method": "enzyme",
    "item": "有机磷",
    "tested_at": "2026-03-05T10:00",
    "inhibition_rate": "5",
    "purpose": "self",
    "unit": "mg/kg",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"inhibition_rate": "NaN"}, "inhibition_rate"),
        ({"inhibition_rate": "100.5"}, "inhibition_rate"),
        ({"method": "elisa", "value": "1e20", "limit": "1"}, "value"),
        ({"method": "elisa", "value": "1", "limit": "-1"}, "limit"),
        ({"tested_at": "0001-01-01T00:00"}, "tested_at"),
        ({"tested_at": "1989-12-31T23:00"}, "tested_at"),
        ({"sampled_at": "1989-12-31T23:00"}, "sampled_at"),
        ({"tested_at": "2999-01-01T00:00"}, "tested_at"),
    ],
)
def test_the_form_and_the_api_refuse_what_the_columns_cannot_hold(world: World, change, field):
    body = MANUAL | {"producer": world.producers["A"].pk} | change
    api = world.api("producer_a").post("/api/v1/testing/tests/", body, format="json")
    assert api.status_code == 400 and field in api.json(), api.content
    form = world.client("producer_a").post(reverse("testing:testrecord_add"), body)
    assert form.status_code == 200 and field in form.context["form"].errors
    assert not TestRecord.objects.filter(sample_name="示例白菜").exists()
