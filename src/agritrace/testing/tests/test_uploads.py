"""The device upload API: authentication, per-record results, idempotency, consequences."""

import hashlib
import hmac
import json
import threading
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from agritrace.alerts.models import FollowUp, Warning
from agritrace.conftest import World
from agritrace.production.models import Batch
from agritrace.testing.models import Device, TestRecord

URL = "/api/v1/testing/uploads/"


@pytest.fixture
def device(world: World) -> Device:
    return Device.objects.create(
        kind="C", model_name="示例速测仪", serial="DEMO-0001", producer=world.producers["A"]
    )


def client_for(device: Device) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device.serial}:{device.secret()}")
    return client


def record(n: int, **fields):
    return {
        "record_id": f"R{n:05d}",
        "method": "enzyme",
        "item": "有机磷和氨基甲酸酯类农药",
        "sample_name": "示例白菜",
        "tested_at": "2026-05-01T09:30:00+08:00",
        "inhibition_rate": 10,
    } | fields


def test_all_valid_is_accepted_and_replay_stores_nothing_new(device):
    body = {"records": [record(n) for n in range(20)]}
    first = client_for(device).post(URL, body, format="json")
    assert first.status_code == 200 and first.json()["status"] == "ACCEPTED"
    again = client_for(device).post(URL, body, format="json")
    assert again.json()["status"] == "ACCEPTED"
    assert {r["status"] for r in again.json()["results"]} == {"duplicate"}
    assert TestRecord.objects.filter(device=device).count() == 20


def test_half_valid_batch_keeps_the_valid_ones_with_reasons_for_the_rest(device, world: World):
    batch = world.deps["A"]["batch"]
    body = {
        "records": [
            record(1, batch_number=batch.number),
            record(2, inhibition_rate=130),
            record(3, tested_at="2099-01-01T00:00:00+08:00"),
            record(4, batch_number="NO-SUCH"),
            record(5, method="gold", control_line=False, t_line="absent"),
            {"record_id": "R00006"},
            "not an object",
        ]
    }
    response = client_for(device).post(URL, body, format="json")
    data = response.json()
    assert response.status_code == 200 and data["status"] == "PARTIALLY_ACCEPTED"
    by_id = {r["record_id"]: r for r in data["results"]}
    assert by_id["R00001"]["status"] == "accepted" and by_id["R00005"]["status"] == "accepted"
    assert "inhibition_rate" in by_id["R00002"]["errors"]
    assert "tested_at" in by_id["R00003"]["errors"]
    assert "batch_number" in by_id["R00004"]["errors"]
    assert {"method", "item", "sample_name", "tested_at"} <= set(by_id["R00006"]["errors"])
    assert TestRecord.objects.get(device_record_id="R00005").result == "invalid"
    assert TestRecord.objects.filter(device=device).count() == 2


def test_all_invalid_is_rejected(device):
    response = client_for(device).post(
        URL, {"records": [record(1, inhibition_rate=-1)]}, format="json"
    )
    assert response.status_code == 400 and response.json()["status"] == "REJECTED"


def test_positive_result_blocks_the_batch_warns_and_opens_a_follow_up(device, world: World):
    batch = world.deps["A"]["batch"]
    response = client_for(device).post(
        URL, {"records": [record(1, batch_number=batch.number, inhibition_rate=72)]}, format="json"
    )
    assert response.json()["status"] == "ACCEPTED"
    batch.refresh_from_db()
    assert batch.status == "under_review"
    warning = Warning.objects.get(kind="positive_test")
    assert warning.severity == "critical" and warning.region == world.producers["A"].township
    assert FollowUp.objects.get(warning=warning).producer == world.producers["A"]
    ids = {w["id"] for w in world.api("township").get("/api/v1/warnings/").json()["results"]}
    assert warning.pk in ids
    # a replay of the positive record raises nothing new
    client_for(device).post(
        URL, {"records": [record(1, batch_number=batch.number, inhibition_rate=72)]}, format="json"
    )
    assert FollowUp.objects.filter(warning__kind="positive_test").count() == 1


def test_negative_retest_by_an_authorised_tester_releases_the_batch(device, world: World):
    from agritrace.accounts.models import Organisation
    from agritrace.conftest import make_user

    batch = world.deps["A"]["batch"]
    client_for(device).post(
        URL, {"records": [record(1, batch_number=batch.number, inhibition_rate=72)]}, format="json"
    )
    positive = TestRecord.objects.get(device_record_id="R00001")
    testing_org = Organisation.objects.create(
        kind="testing", region=world.regions["county_a"], name="示例检测站"
    )
    tester = make_user("p_tester", organisation=testing_org, role="tester")
    api = APIClient()
    api.force_authenticate(tester)
    retest = api.post(
        "/api/v1/testing/tests/",
        {
            "producer": world.producers["A"].pk,
            "batch": batch.pk,
            "sample_name": "示例白菜",
            "method": "enzyme",
            "item": "有机磷和氨基甲酸酯类农药",
            "tested_at": "2026-05-02T10:00:00+08:00",
            "inhibition_rate": "8",
            "purpose": "retest",
            "retest_of": positive.pk,
        },
        format="json",
    )
    assert retest.status_code == 201 and retest.json()["result"] == "negative"
    owner = world.api("producer_a").post(
        f"/api/v1/testing/tests/{retest.json()['id']}/release/", {"reason": "x"}
    )
    assert owner.status_code == 403
    reason = "示例：复检合格" + "理" * 193  # the longest reason: kept whole with its prefix
    released = api.post(f"/api/v1/testing/tests/{retest.json()['id']}/release/", {"reason": reason})
    assert released.status_code == 200
    batch.refresh_from_db()
    assert batch.status == "active" and reason in batch.status_reason
    assert Warning.objects.get(kind="positive_test").status == "closed"


def test_wrong_secret_unknown_device_and_bad_signature(device):
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION=f"Device {device.serial}:{'0' * 64}")
    assert bad.post(URL, {"records": [record(1)]}, format="json").status_code == 401
    bad.credentials(HTTP_AUTHORIZATION="Device NOPE:123")
    assert bad.post(URL, {"records": [record(1)]}, format="json").status_code == 401
    signed = APIClient()
    body = json.dumps({"records": [record(1)]}).encode()
    stamp = str(int(time.time()))
    signature = hmac.new(
        device.secret().encode(), stamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    ok = signed.post(
        URL,
        body,
        content_type="application/json",
        HTTP_X_DEVICE_SERIAL=device.serial,
        HTTP_X_TIMESTAMP=stamp,
        HTTP_X_SIGNATURE=signature,
    )
    assert ok.status_code == 200
    tampered = signed.post(
        URL,
        body.replace(b"10", b"99"),
        content_type="application/json",
        HTTP_X_DEVICE_SERIAL=device.serial,
        HTTP_X_TIMESTAMP=stamp,
        HTTP_X_SIGNATURE=signature,
    )
    assert tampered.status_code == 401
    old = str(int(time.time()) - 3600)
    stale = hmac.new(
        device.secret().encode(), old.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert (
        signed.post(
            URL,
            body,
            content_type="application/json",
            HTTP_X_DEVICE_SERIAL=device.serial,
            HTTP_X_TIMESTAMP=old,
            HTTP_X_SIGNATURE=stale,
        ).status_code
        == 401
    )
    assert world_users_cannot_upload(device)


def world_users_cannot_upload(device) -> bool:
    person = APIClient()
    return person.post(URL, {"records": [record(1)]}, format="json").status_code in (401, 403)


def test_oversized_payload_is_refused_before_reading(device):
    response = client_for(device).post(
        URL, b"{}", content_type="application/json", CONTENT_LENGTH=str(100 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert not TestRecord.objects.filter(device=device).exists()


def test_csv_upload(device):
    content = (
        "record_id,method,item,sample_name,tested_at,inhibition_rate\n"
        "C1,enzyme,有机磷,示例辣椒,2026-05-01T08:00:00+08:00,55\n"
        "C2,enzyme,有机磷,示例辣椒,2026-05-01T08:05:00+08:00,abc\n"
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(device).post(
        URL + "csv/", {"file": SimpleUploadedFile("r.csv", content, "text/csv")}, format="multipart"
    )
    data = response.json()
    assert data["status"] == "PARTIALLY_ACCEPTED"
    assert TestRecord.objects.get(device_record_id="C1").result == "positive"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_uploads_of_the_same_batch_store_each_record_once(world: World):
    device = Device.objects.create(
        kind="A", model_name="示例", serial="DEMO-CONC", producer=world.producers["A"]
    )
    body = {"records": [record(n) for n in range(200)]}
    answers = []

    def send():
        try:
            answers.append(client_for(device).post(URL, body, format="json").json()["status"])
        except Exception as exc:
            answers.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["ACCEPTED", "ACCEPTED"]
    assert TestRecord.objects.filter(device=device).count() == 200
    assert Batch.objects.exists()
