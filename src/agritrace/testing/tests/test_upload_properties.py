"""Property tests of the device upload parser (JSON and CSV): whatever a device sends, the
answer is never a server error, every record ends accepted, duplicate, conflict or rejected,
exactly the accepted ones are stored, and everything stored reads back (issue 11)."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from agritrace.conftest import World
from agritrace.testing.models import Device, DeviceUpload, TestRecord

URL = "/api/v1/testing/uploads/"
STATES = {"accepted", "duplicate", "conflict", "rejected"}
#: The HTTP status of each overall status (a CONFLICT is 207 when something was accepted).
HTTP = {"ACCEPTED": {200}, "PARTIALLY_ACCEPTED": {200}, "CONFLICT": {207, 409}, "REJECTED": {400}}
BUDGET = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

moments = st.builds(
    "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:00{}".format,
    st.sampled_from([1, 1989, 1990, 2026, 2099, 9999]) | st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 24),
    st.integers(0, 60),
    st.sampled_from(["", "Z", "+08:00", "-23:59", "+24:00", "+25:00", ".123456789+08:00"]),
)
numbers = st.sampled_from(
    ["NaN", "sNaN", "-Infinity", "1e20", "1e400", "9" * 20, "0.00001", "-0", "70", "70.00"]
) | st.sampled_from(["7E+1", " 12.5 ", "99999999.9999", "100", "100.01", "-1", "0x10", "١٢"])
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=80)
    | numbers
    | moments
)
anything = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
FIELDS = {
    "record_id": st.sampled_from(["R1", " R1 ", "R2", "r1", "", "   ", "长" * 64, "X" * 65]),
    "method": st.sampled_from(["enzyme", "gold", "elisa", "lab", "ENZYME"]),
    "item": st.sampled_from(["有机磷", "克伦特罗", "x" * 101]) | st.text(max_size=20),
    "sample_name": st.sampled_from(["示例白菜", "示例猪尿", ""]) | st.text(max_size=20),
    "tested_at": st.sampled_from(["2026-05-01T09:30:00+08:00", "2026-05-01T01:30:00Z"]) | moments,
    "sampled_at": moments,
    "inhibition_rate": st.sampled_from(["10", "45", "70", 55.5, 0, 100]) | numbers,
    "value": numbers | st.sampled_from(["0.2", "0.7", 1]),
    "cutoff": numbers | st.sampled_from(["0.5", 0.5]),
    "control_line": st.booleans() | st.sampled_from(["true", 1]),
    "t_line": st.sampled_from(["absent", "weaker", "equal_or_stronger", "none"]),
    "batch_number": st.sampled_from(["A-001", "NO-SUCH", " A-001 "]),
    "product_name": st.sampled_from(["示例A原料", "没有"]),
    "producer_uscc": st.text(max_size=20),
    "unit": st.sampled_from(["μg/kg", "x" * 17]),
    "tester": st.text(max_size=60),
}
valid = st.fixed_dictionaries(
    {
        "record_id": st.sampled_from(["R1", " R1 ", "R2", "r1"]) | st.integers(0).map("P{}".format),
        "method": st.just("enzyme"),
        "item": st.just("有机磷"),
        "sample_name": st.just("示例白菜"),
        "tested_at": st.sampled_from(["2026-05-01T09:30:00+08:00", "2026-05-01T01:30:00Z"]),
        "inhibition_rate": st.sampled_from(["10", "45", "70", "70.00", 55.5, 0, 100]),
    }
)
#: A few fields of a valid record changed to a plausible or an arbitrary value, or dropped.
changes = st.lists(
    st.sampled_from(sorted(FIELDS)).flatmap(
        lambda name: st.tuples(st.just(name), FIELDS[name] | anything | st.just(None))
    ),
    max_size=3,
).map(dict)
records = st.builds(lambda record, changed: record | changed, valid, changes) | (
    st.fixed_dictionaries(
        {}, optional={name: strategy | anything for name, strategy in FIELDS.items()}
    )
)


@pytest.fixture
def device(world: World) -> Device:
    return Device.objects.create(
        kind="C", model_name="示例速测仪", serial="DEMO-PROP-1", producer=world.producers["A"]
    )


def client_for(device: Device) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device.serial}:{device.secret()}")
    return client


def check_answer(device: Device, response, sent: list | None, stored_before: int) -> None:
    """The properties every answer has."""
    assert response.status_code < 500, response.content
    data = response.json()
    assert response.status_code in HTTP[data["status"]]
    event(f"upload {data['status']}")
    stored = TestRecord.objects.filter(device=device)
    if "results" in data:
        results = data["results"]
        assert sent is None or [r["index"] for r in results] == list(range(len(sent)))
        assert {r["status"] for r in results} <= STATES
        for state in {r["status"] for r in results}:
            event(f"record {state}")
        accepted = sum(r["status"] == "accepted" for r in results)
        assert stored.count() == stored_before + accepted
    else:
        assert response.status_code == 400 and data["errors"]
        assert stored.count() == stored_before
    # everything stored reads back, and the upload was logged
    list(stored.values_list("inhibition_rate", "value", "limit", "tested_at", "sampled_at"))
    assert DeviceUpload.objects.filter(device=device, uid=data["upload"]).exists()


@BUDGET
@given(batch=st.lists(records | anything, max_size=6), wrap=st.integers(0, 9))
def test_json_uploads_never_fail_and_account_for_every_record(device, batch, wrap):
    body = {"records": batch} if wrap else batch
    before = TestRecord.objects.filter(device=device).count()
    response = client_for(device).post(URL, json.dumps(body), content_type="application/json")
    check_answer(device, response, batch if wrap and batch else None, before)


cells = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@BUDGET
@given(
    rows=st.lists(records, max_size=6),
    extra=st.lists(st.tuples(st.sampled_from(["", "extra", "record_id"]), cells), max_size=2),
    garbage=st.binary(max_size=200) | st.just(b""),
)
def test_csv_uploads_never_fail_and_account_for_every_record(device, rows, extra, garbage):
    header = sorted({name for row in rows for name in row})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header + [name for name, _cell in extra])
    for row in rows:
        cells = ["" if row.get(name) is None else str(row.get(name)) for name in header]
        writer.writerow([cell.encode("utf-8", "replace").decode() for cell in cells])
    writer.writerow([cell for _name, cell in extra])
    content = out.getvalue().encode() + garbage
    before = TestRecord.objects.filter(device=device).count()
    response = client_for(device).post(
        URL + "csv/",
        {"file": SimpleUploadedFile("r.csv", content, "text/csv")},
        format="multipart",
    )
    check_answer(device, response, None, before)
