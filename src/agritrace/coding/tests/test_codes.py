"""Trace codes: bulk minting, scan reading, binding (one and ranges), voiding, recalling, the
code log, the GS1 Digital Link form, and the API's refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from agritrace.coding.choices import CheckedKind, CodeAction, CodeStatus, TaskStatus
from agritrace.coding.models import CodeEvent, TraceCode
from agritrace.coding.services import binding, checks, links, minting
from agritrace.conftest import World
from agritrace.core import codes
from agritrace.production.models import Batch


@given(st.integers(min_value=1, max_value=24))
@settings(max_examples=24, deadline=None)
def test_bulk_codes_carry_the_same_check_character_as_one_by_one(length):
    for code in codes.new_codes(50, length):
        assert len(code) == length + 1
        assert codes.check_character(code[:-1]) == code[-1]


def test_bulk_codes_are_uppercase_crockford_and_distinct():
    batch = codes.new_codes(20_000)
    assert len(set(batch)) == 20_000
    assert all(set(code) <= set(codes.ALPHABET) for code in batch)


def mint(world: World, place: str = "A", count: int = 10, batch: Batch | None = None):
    return minting.request_mint(
        world.producers[place], count, batch=batch, user=world.users["producer_a"]
    )


def test_mint_a_roll_numbers_the_codes_and_logs_one_event(world: World):
    roll = mint(world, count=25)
    assert roll.status == TaskStatus.DONE and roll.minted == 25
    codes_ = list(roll.codes.order_by("serial"))
    assert [c.serial for c in codes_] == list(range(1, 26))
    assert {c.status for c in codes_} == {CodeStatus.MINTED}
    assert all(codes.validate(c.code, 14) == c.code for c in codes_)
    (event,) = CodeEvent.objects.filter(roll=roll)
    assert (event.action, event.first_serial, event.last_serial, event.count) == (
        CodeAction.MINT,
        1,
        25,
        25,
    )


def test_a_large_mint_goes_to_a_background_task(
    world: World, settings, django_capture_on_commit_callbacks
):
    settings.AGRITRACE_MINT_INLINE = 5
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        roll = mint(world, count=12)
    roll.refresh_from_db()
    assert roll.status == TaskStatus.DONE and roll.codes.count() == 12


def test_mint_refuses_too_many_and_blocked_batches(world: World, settings):
    settings.AGRITRACE_MAX_MINT = 100
    with pytest.raises(ValidationError) as error:
        mint(world, count=101)
    assert "count" in error.value.message_dict
    batch = world.deps["A"]["batch"]
    Batch.objects.filter(pk=batch.pk).update(status="under_review")
    batch.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        mint(world, batch=batch)
    assert "待复核" in error.value.message_dict["batch"][0]
    other = world.deps["B"]["batch"]
    with pytest.raises(ValidationError):
        mint(world, batch=other)
    assert TraceCode.objects.count() == 0


def test_read_scan_accepts_urls_and_reports_typos(world: World):
    code = codes.new_code()
    assert links.read_scan(code.lower()).value == code
    assert links.read_scan(f"http://x.example/t/{code}").value == code
    cert = links.read_scan(f"https://x.example/c/{code}")
    assert (cert.kind, cert.value) == (CheckedKind.CERTIFICATE, code)
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert "校验位" in links.read_scan(typo).problem
    assert "14" in links.read_scan(code[:-2]).problem
    assert links.read_scan("'; DROP TABLE x; --").kind == CheckedKind.UNKNOWN
    assert links.read_scan("<script>alert(1)</script>").kind == CheckedKind.UNKNOWN


def test_bind_one_code_then_refusals(world: World):
    roll = mint(world, count=5)
    batch = world.deps["A"]["batch"]
    first = roll.codes.get(serial=1)
    mine = TraceCode.objects.restrict(world.users["producer_a"], "change")
    bound = binding.bind(binding.find_code(first.code, mine), batch)
    assert (bound.status, bound.batch_id) == (CodeStatus.ACTIVE, batch.pk)
    with pytest.raises(ValidationError, match="已绑定本批次"):
        binding.bind(bound, batch)
    other_batch = world.deps["A"]["own"]["batch"]
    with pytest.raises(ValidationError, match="已绑定批次"):
        binding.bind(bound, other_batch)
    binding.void(roll, 2, 2, "标签撕坏")
    with pytest.raises(ValidationError, match="已作废"):
        binding.bind(roll.codes.get(serial=2), batch)
    theirs = TraceCode.objects.restrict(world.users["producer_b"], "change")
    with pytest.raises(ValidationError, match="不属于本主体"):
        binding.find_code(first.code, theirs)
    with pytest.raises(ValidationError, match="不存在"):
        binding.find_code(codes.new_code(), mine)
    with pytest.raises(ValidationError, match="校验位"):
        binding.find_code(first.code[:-1] + ("0" if first.code[-1] != "0" else "1"), mine)


def test_bind_a_range_is_all_or_nothing(world: World):
    roll = mint(world, count=10)
    batch = world.deps["A"]["batch"]
    binding.void(roll, 5, 5, "错贴")
    first, last = roll.codes.get(serial=2), roll.codes.get(serial=8)
    with pytest.raises(ValidationError, match="1 个码"):
        binding.bind_range(first, last, batch)
    assert roll.codes.filter(status=CodeStatus.ACTIVE).count() == 0
    assert binding.bind_range(roll.codes.get(serial=6), roll.codes.get(serial=10), batch) == 5
    assert set(roll.codes.filter(serial__gte=6).values_list("status", flat=True)) == {"active"}
    other_roll = mint(world, count=2)
    with pytest.raises(ValidationError, match="同一码卷"):
        binding.bind_range(first, other_roll.codes.get(serial=1), batch)


def test_recalling_a_batch_recalls_its_codes_and_logs_it(world: World):
    roll = mint(world, count=4)
    batch = world.deps["A"]["batch"]
    binding.bind_range(roll.codes.get(serial=1), roll.codes.get(serial=3), batch)
    batch.status, batch.status_reason = "recalled", "示例：农残超标召回"
    batch.save()
    assert roll.codes.filter(status=CodeStatus.RECALLED).count() == 3
    assert roll.codes.get(serial=4).status == CodeStatus.MINTED
    event = CodeEvent.objects.get(action=CodeAction.RECALL)
    assert (event.first_serial, event.last_serial, event.count) == (1, 3, 3)
    verdict = checks.judge_scan(roll.codes.get(serial=1).code)
    assert not verdict.valid and "召回" in verdict.reason


def test_digital_link_round_trip(world: World):
    code = codes.new_code()
    link = links.digital_link("6901234567892", "A-001", code)
    assert link.endswith(f"/01/06901234567892/10/A-001/21/{code}")
    assert links.code_from_digital_link(link) == code
    assert links.read_scan(link).value == code
    assert links.digital_link("", "A-001", code) is None
    assert links.digital_link("6901234567892", "批次一", code) is None


def test_public_pages_by_code_and_by_digital_link(world: World, client):
    product = world.deps["A"]["product"]
    product.gtin = "6901234567892"
    product.save()
    roll = mint(world, count=2)
    batch = world.deps["A"]["batch"]
    code = binding.bind(roll.codes.get(serial=1), batch).code
    page = client.get(f"/t/{code}")
    assert page.status_code == 200 and batch.number in page.content.decode()
    link = links.digital_link(product.gtin, batch.number, code)
    same = client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert same.status_code == 200 and code in same.content.decode()
    assert client.get(f"/01/06901234567899/10/{batch.number}/21/{code}").status_code == 404
    typo = code[:-1] + ("Y" if code.endswith("X") else "X")  # a wrong check character
    assert client.get(f"/t/{typo}").status_code == 404
    inactive = client.get(f"/t/{roll.codes.get(serial=2).code}")
    assert "尚未激活" in inactive.content.decode()


def test_api_bind_void_and_log(world: World):
    roll = mint(world, count=6)
    api = world.api("producer_a")
    batch = world.deps["A"]["batch"]
    c1, c3 = roll.codes.get(serial=1), roll.codes.get(serial=3)
    response = api.post(
        "/api/v1/trace-codes/bind/",
        {"code": c1.code, "last": c3.code, "batch": batch.pk},
        format="json",
    )
    assert response.status_code == 200 and response.json()["bound"] == 3
    again = api.post(
        "/api/v1/trace-codes/bind/", {"code": c1.code, "batch": batch.pk}, format="json"
    )
    assert again.status_code == 400 and "已绑定本批次" in again.json()["code"][0]
    wrong = api.post(
        "/api/v1/trace-codes/bind/", {"code": "12345", "batch": batch.pk}, format="json"
    )
    assert wrong.status_code == 400 and "14" in wrong.json()["code"][0]
    theirs = world.api("producer_b").post(
        "/api/v1/trace-codes/bind/",
        {"code": c1.code, "batch": world.deps["B"]["batch"].pk},
        format="json",
    )
    assert theirs.status_code == 400 and "不属于本主体" in theirs.json()["code"][0]
    voided = api.post(
        f"/api/v1/code-rolls/{roll.pk}/void/",
        {"first_serial": 4, "last_serial": 6, "reason": "示例：卷尾受潮"},
        format="json",
    )
    assert voided.json() == {"voided": 3}
    looked_up = api.get(f"/api/v1/trace-codes/by-code/{c3.code.lower()}/")
    assert looked_up.json()["status"] == "active"
    assert looked_up.json()["url"].endswith(f"/t/{c3.code}")
    summary = api.get(f"/api/v1/code-rolls/{roll.pk}/summary/").json()
    assert summary == {"minted": 0, "printed": 0, "active": 3, "voided": 3, "recalled": 0}
    log = api.get("/api/v1/code-events/", {"roll": roll.pk}).json()["results"]
    assert [e["action"] for e in log] == ["void", "bind", "mint"]


def test_scan_to_bind_page(world: World):
    roll = mint(world, count=3)
    client = world.client("producer_a")
    batch = world.deps["A"]["batch"]
    assert client.get("/trace-codes/bind/").status_code == 200
    ok = client.post(
        "/trace-codes/bind/",
        {"batch": batch.pk, "code": roll.codes.get(serial=1).code},
        HTTP_HX_REQUEST="true",
    )
    assert ok.status_code == 200 and "✔" in ok.content.decode()
    bad = client.post(
        "/trace-codes/bind/", {"batch": batch.pk, "code": "ABC"}, HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 400 and "✖" in bad.content.decode()
