"""Device record identity: a record id names one record; the same id with the same content is
a duplicate, with different content a conflict that is stored nowhere, warned about and logged;
no result is ever dropped silently (issue 11)."""

import importlib
import json

import pytest
from django.apps import apps
from django.urls import reverse
from rest_framework.test import APIClient

from agritrace.alerts.models import FollowUp, Warning
from agritrace.conftest import World
from agritrace.testing.models import Device, DeviceUpload, TestRecord

URL = "/api/v1/testing/uploads/"


@pytest.fixture
def device(world: World) -> Device:
    return Device.objects.create(
        kind="C", model_name="示例速测仪", serial="DEMO-ID-1", producer=world.producers["A"]
    )


def send(device: Device, *records):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device.serial}:{device.secret()}")
    body = json.dumps({"records": list(records)})
    return client.post(URL, body, content_type="application/json")


def enzyme(record_id, rate=10, **fields):
    return {
        "record_id": record_id,
        "method": "enzyme",
        "item": "有机磷和氨基甲酸酯类农药",
        "sample_name": "示例白菜",
        "tested_at": "2026-05-01T09:30:00+08:00",
        "inhibition_rate": rate,
    } | fields


@pytest.mark.parametrize("missing", [None, "", "   ", {"id": 1}, True])
def test_a_record_without_a_record_id_is_rejected_never_dropped(device, missing):
    """Reported: a null id was stored as "None", and the next null-id record, a positive, was
    answered duplicate and dropped while the upload said accepted."""
    first = send(device, enzyme(missing))
    assert first.status_code == 400 and first.json()["status"] == "REJECTED"
    positive = send(device, enzyme(missing, rate=70)).json()
    assert positive["status"] == "REJECTED"
    (result,) = positive["results"]
    assert result["status"] == "rejected" and "record_id" in result["errors"]
    assert not TestRecord.objects.filter(device=device).exists()


def test_a_record_id_is_trimmed_once_and_then_compared_as_stored(device):
    """Reported: " NCS-1 " was stored trimmed but answered duplicate."""
    first = send(device, enzyme(" NCS-1 ")).json()
    assert first["status"] == "ACCEPTED"
    assert [(r["record_id"], r["status"]) for r in first["results"]] == [("NCS-1", "accepted")]
    assert TestRecord.objects.get(device=device).device_record_id == "NCS-1"
    for again in ("NCS-1", " NCS-1\t"):
        (result,) = send(device, enzyme(again)).json()["results"]
        assert result["status"] == "duplicate"
    (other,) = send(device, enzyme("ncs-1")).json()["results"]
    assert other["status"] == "accepted"


def test_the_same_content_written_differently_is_a_duplicate(device, world: World):
    batch = world.deps["A"]["batch"]
    send(device, enzyme("R1", rate=70, batch_number=batch.number))
    same = enzyme(
        "R1", rate="70.00", batch_number=f" {batch.number} ", tested_at="2026-05-01T01:30:00Z"
    )
    response = send(device, same, enzyme("R1", rate="7E+1", batch_number=batch.number))
    assert response.status_code == 200 and response.json()["status"] == "ACCEPTED"
    assert {r["status"] for r in response.json()["results"]} == {"duplicate"}
    assert TestRecord.objects.filter(device=device).count() == 1


def test_a_changed_result_under_a_used_record_id_is_a_conflict(device, world: World):
    """Reported: re-sending a record id with a changed result was silently "duplicate"."""
    send(device, enzyme("R1", rate=10))
    stored = TestRecord.objects.get(device=device)
    response = send(device, enzyme("R1", rate=20))
    assert response.status_code == 409
    data = response.json()
    assert data["status"] == "CONFLICT"
    (result,) = data["results"]
    assert (result["status"], result["code"], result["id"]) == ("conflict", 409, stored.pk)
    assert result["errors"]["record_id"]
    # stored nowhere: the stored test is as it was
    stored.refresh_from_db()
    assert stored.inhibition_rate == 10 and TestRecord.objects.filter(device=device).count() == 1
    # warned about to the producer (and the regulators in scope), not to others
    warning = Warning.objects.get(kind="upload_conflict")
    assert warning.subject == stored and warning.producer == world.producers["A"]
    assert "抑制率 20%" in warning.detail and "R1" in warning.title
    for persona, sees in (("producer_a", True), ("township", True), ("producer_b", False)):
        listed = world.api(persona).get("/api/v1/warnings/", {"kind": "upload_conflict"})
        assert (warning.pk in {w["id"] for w in listed.json()["results"]}) == sees, persona
    # shown in the device's upload log, on its page and through the API
    entry = DeviceUpload.objects.filter(device=device).first()
    assert (entry.status, entry.http_status, entry.conflicts) == ("CONFLICT", 409, 1)
    assert entry.uid == __import__("uuid").UUID(data["upload"])
    page = world.client("producer_a").get(reverse("testing:device_detail", args=[device.pk]))
    assert "记录号冲突" in page.content.decode()
    detail = world.client("producer_a").get(entry.get_absolute_url()).content.decode()
    assert "该记录号已上传过不同的内容" in detail
    logs = world.api("producer_a").get("/api/v1/testing/upload-logs/", {"device": device.pk})
    assert [log["conflicts"] for log in logs.json()["results"]] == [1, 0]
    assert (
        world.api("producer_b").get(f"/api/v1/testing/upload-logs/{entry.pk}/").status_code == 404
    )


def test_a_conflicting_positive_raises_the_positive_test_warning_anyway(device, world: World):
    batch = world.deps["A"]["batch"]
    send(device, enzyme("R1", rate=10, batch_number=batch.number))
    stored = TestRecord.objects.get(device=device)
    assert not Warning.objects.filter(kind="positive_test").exists()
    send(device, enzyme("R1", rate=70, batch_number=batch.number))
    warning = Warning.objects.get(kind="positive_test")
    assert warning.subject == stored and warning.severity == "critical"
    assert "抑制率 70%" in warning.detail and "阳性" in warning.title
    assert FollowUp.objects.filter(warning=warning).exists()
    assert TestRecord.objects.filter(device=device).count() == 1


def test_an_upload_with_new_records_and_a_conflict_is_a_207(device):
    send(device, enzyme("R1"))
    response = send(device, enzyme("R2"), enzyme("R1", rate=30), enzyme("R3", rate=-1))
    assert response.status_code == 207 and response.json()["status"] == "CONFLICT"
    states = [(r["index"], r["record_id"], r["status"]) for r in response.json()["results"]]
    assert states == [(0, "R2", "accepted"), (1, "R1", "conflict"), (2, "R3", "rejected")]
    entry = DeviceUpload.objects.filter(device=device).first()
    assert (entry.accepted, entry.conflicts, entry.rejected, entry.http_status) == (1, 1, 1, 207)
    # the log keeps the telling results first
    assert [r["status"] for r in entry.results] == ["conflict", "rejected", "accepted"]


def test_the_same_id_twice_in_one_upload(device):
    response = send(device, enzyme("R1"), enzyme("R1"), enzyme("R1", rate=70))
    assert [r["status"] for r in response.json()["results"]] == [
        "accepted",
        "duplicate",
        "conflict",
    ]
    assert TestRecord.objects.get(device=device).inhibition_rate == 10
    assert Warning.objects.filter(kind="positive_test").count() == 1


def test_records_stored_before_fingerprints_are_fingerprinted_by_the_migration(device):
    send(device, enzyme("R1", rate="12.5"), enzyme("R2", rate="55"))
    TestRecord.objects.update(fingerprint="")
    migration = importlib.import_module("agritrace.testing.migrations.0003_fill_fingerprints")
    migration.fill(apps, None)
    response = send(device, enzyme("R1", rate="12.50"), enzyme("R2", rate="56"))
    assert [r["status"] for r in response.json()["results"]] == ["duplicate", "conflict"]
