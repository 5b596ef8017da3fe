"""Malformed device uploads: every bad value is a per-record rejection with reasons (Chinese, or
English in the English UI), a bad body is a 400, never a 500; nothing out of range is stored,
so every page that lists tests keeps working (issue 11)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from agritrace.conftest import World
from agritrace.testing.models import Device, DeviceUpload, TestRecord

URL = "/api/v1/testing/uploads/"
CJK = range(0x4E00, 0xA000)


def chinese(text: str) -> bool:
    return any(ord(char) in CJK for char in text)


@pytest.fixture
def device(world: World) -> Device:
    return Device.objects.create(
        kind="C", model_name="示例速测仪", serial="DEMO-IN-1", producer=world.producers["A"]
    )


def client_for(device: Device, language: str = "") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device.serial}:{device.secret()}")
    if language:
        client.cookies["django_language"] = language
    return client


def enzyme(n: int, **fields):
    return {
        "record_id": f"IN{n:04d}",
        "method": "enzyme",
        "item": "有机磷和氨基甲酸酯类农药",
        "sample_name": "示例白菜",
        "tested_at": "2026-05-01T09:30:00+08:00",
        "inhibition_rate": 10,
    } | fields


def elisa(n: int, **fields):
    return {
        "record_id": f"EL{n:04d}",
        "method": "elisa",
        "item": "克伦特罗",
        "sample_name": "示例猪尿",
        "tested_at": "2026-05-01T09:30:00+08:00",
        "value": "0.2",
        "cutoff": "0.5",
    } | fields


def send(device: Device, records: list, language: str = ""):
    """POST the records as a device would (JSON escapes what UTF-8 cannot carry)."""
    body = json.dumps({"records": records})
    return client_for(device, language).post(URL, body, content_type="application/json")


def rejected_field(response, field: str) -> list[str]:
    """The reasons the only record was rejected for, on ``field``."""
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["status"] == "REJECTED"
    (result,) = data["results"]
    assert result["status"] == "rejected"
    return result["errors"][field]


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (elisa(1, value=1e20), "value"),
        (elisa(2, value="1e20"), "value"),
        (elisa(3, value="1e400"), "value"),
        (elisa(4, cutoff="1" * 20), "cutoff"),
        (elisa(5, cutoff="0.00001"), "cutoff"),
        (elisa(6, value="-1"), "value"),
        (enzyme(7, inhibition_rate="100.5"), "inhibition_rate"),
    ],
)
def test_readings_outside_their_columns_are_rejected_not_stored(device, record, field):
    response = send(device, [record])
    assert all(chinese(reason) for reason in rejected_field(response, field))
    assert not TestRecord.objects.filter(device=device).exists()


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (enzyme(1, inhibition_rate="NaN"), "inhibition_rate"),
        (enzyme(2, inhibition_rate="sNaN"), "inhibition_rate"),
        (enzyme(3, inhibition_rate="-Infinity"), "inhibition_rate"),
        (elisa(4, value="NaN"), "value"),
        (elisa(5, value="sNaN"), "value"),
        (elisa(6, cutoff="Infinity"), "cutoff"),
        (enzyme(7, tested_at="0001-01-01T00:00:00+08:00"), "tested_at"),
        (enzyme(8, tested_at="1989-12-31T23:59:00+08:00"), "tested_at"),
        (enzyme(9, tested_at="2026-13-01T09:30:00+08:00"), "tested_at"),
        (enzyme(10, tested_at="2026-05-01T09:30:00+25:00"), "tested_at"),
        (enzyme(11, tested_at="9999-12-31T23:59:59-08:00"), "tested_at"),
        (enzyme(12, sampled_at="2026-02-30T09:30:00+08:00"), "sampled_at"),
        (enzyme(13, tested_at=20260501), "tested_at"),
        (enzyme(14, item={"nested": ["x"]}), "item"),
        (enzyme(15, item="农药\x00"), "item"),
        (enzyme(16, sample_name="\ud800"), "sample_name"),
        (enzyme(17, item="长" * 101), "item"),
        (enzyme(18, control_line="yes", method="gold"), "control_line"),
    ],
)
def test_malformed_values_are_rejected_with_chinese_reasons(device, record, field):
    response = send(device, [record])
    assert all(chinese(reason) for reason in rejected_field(response, field))


def test_reasons_are_english_in_the_english_ui(device):
    response = send(device, [enzyme(1, inhibition_rate="NaN", tested_at="2026-13-01")], "en")
    reasons = rejected_field(response, "inhibition_rate") + rejected_field(response, "tested_at")
    assert reasons and not any(chinese(reason) for reason in reasons)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 50_000 + b"]" * 50_000,
        b'{"records": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        b'{"records": [{"record_id": "X", "item": ' + b"[" * 5_000 + b"]" * 5_000 + b"}]}",
        b"\xff\xfe not UTF-8",
        b'{"records": [}',
        b'{"records": [{"record_id": "X", "inhibition_rate": NaN}]}',
        b"[]",
        b'"records"',
        b"",
    ],
)
def test_bad_json_bodies_are_a_400_with_a_chinese_message(device, body):
    response = client_for(device).post(URL, body, content_type="application/json")
    assert response.status_code == 400
    data = response.json()
    assert data["status"] == "REJECTED"
    assert all(chinese(m) for messages in data["errors"].values() for m in messages), data
    assert not TestRecord.objects.filter(device=device).exists()
    # the refusal is in the device's upload log
    assert DeviceUpload.objects.get(device=device).status == "REJECTED"


def test_invalid_utf8_is_explained_in_english_in_the_english_ui(device):
    response = client_for(device, "en").post(
        URL, b"\xff\xfe not UTF-8", content_type="application/json"
    )
    assert response.status_code == 400
    assert "UTF-8" in json.dumps(response.json()) and not chinese(json.dumps(response.json()))


def csv_upload(device: Device, content: bytes, language: str = ""):
    return client_for(device, language).post(
        URL + "csv/", {"file": SimpleUploadedFile("r.csv", content, "text/csv")}, format="multipart"
    )


HEADER = b"record_id,method,item,sample_name,tested_at,inhibition_rate\n"


@pytest.mark.parametrize(
    "content",
    [
        HEADER + b'C1,enzyme,x,y,2026-05-01T08:00:00+08:00,"' + b"9" * 200_000 + b'"\n',
        HEADER + b"C1,enzyme," + b"x" * 200_000 + b",y,2026-05-01T08:00:00+08:00,5\n",
        HEADER + b"C1,enzyme,\xff\xfe,y,2026-05-01T08:00:00+08:00,5\n",
        HEADER + b"".join(b"C%d,enzyme,x,y,2026-05-01T08:00:00+08:00,5\n" % n for n in range(1001)),
        b"",
    ],
)
def test_bad_csv_files_are_a_400_with_a_chinese_message(device, content):
    response = csv_upload(device, content)
    assert response.status_code == 400
    data = response.json()
    assert all(chinese(m) for messages in data["errors"].values() for m in messages), data
    assert not TestRecord.objects.filter(device=device).exists()


def test_csv_reasons_are_english_in_the_english_ui(device):
    response = csv_upload(device, HEADER + b"C1,enzyme,\xff,y,2026-05-01,5\n", "en")
    assert response.status_code == 400
    assert "UTF-8" in json.dumps(response.json()) and not chinese(json.dumps(response.json()))


def test_csv_values_are_checked_like_json_ones(device):
    content = (
        HEADER
        + (
            "C1,enzyme,有机磷,示例辣椒,2026-05-01T08:00:00+08:00,NaN\n"
            "C2,enzyme,有机磷,示例辣椒,0001-01-01T08:00:00+08:00,5\n"
            "C3,enzyme,有机磷,示例辣椒,2026-05-01T08:00:00+08:00,1e20\n"
        ).encode()
    )
    data = csv_upload(device, content).json()
    assert data["status"] == "REJECTED"
    assert [sorted(r["errors"]) for r in data["results"]] == [
        ["inhibition_rate"],
        ["tested_at"],
        ["inhibition_rate"],
    ]


def test_after_hostile_uploads_every_page_listing_tests_still_answers(device, world: World):
    """The reported failure: a reading of 1e20 accepted, then every page listing it a 500."""
    batch = world.deps["A"]["batch"]
    records = [
        elisa(1, value="1e20", batch_number=batch.number),
        elisa(2, value="1e400", batch_number=batch.number),
        elisa(3, cutoff="9" * 20, batch_number=batch.number),
        enzyme(4, inhibition_rate="NaN", batch_number=batch.number),
        elisa(5, value="12345678.1234", cutoff="99999999.9999", batch_number=batch.number),
    ]
    response = send(device, records)
    assert [r["status"] for r in response.json()["results"]] == ["rejected"] * 4 + ["accepted"]
    producer = world.client("producer_a")
    pages = [
        reverse("coding:certificate_add"),
        reverse("testing:testrecord_add"),
        reverse("testing:testrecord_list"),
        reverse("testing:summary", args=[world.producers["A"].pk]) + "?year=2026",
        reverse("testing:summary", args=[world.producers["A"].pk]) + "?year=2026&format=pdf",
        reverse("testing:summary", args=[world.producers["A"].pk]) + "?year=2026&format=xlsx",
    ]
    for page in pages:
        assert producer.get(page).status_code == 200, page
    assert world.api("producer_a").get("/api/v1/testing/tests/").status_code == 200
