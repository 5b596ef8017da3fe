"""Complaints from the public (2020 spec Art. 23): filing from a scanned code, routing, the
tracking lookup, escaping, photo checks, rate limits, handling and the overdue warning."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from agritrace.alerts.models import Warning, WarningKind, WarningStatus
from agritrace.coding.services import minting
from agritrace.conftest import World, make_user
from agritrace.core import codes
from agritrace.core.permissions import Role
from agritrace.supervision import services
from agritrace.supervision.models import Complaint, ComplaintPhoto, ComplaintStatus

NEW = "/complaints/new/"
SCRIPT = "<script>alert(1)</script>"
#: A well-formed but fictitious mobile number (no real person's).
PHONE = "13000000000"


@pytest.fixture(autouse=True)
def _clean_cache_and_media(settings, tmp_path):
    """Each test starts with fresh rate-limit counters and an empty media directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def active_code(world: World, place: str = "A") -> str:
    """An active code of the place's producer, bound to its batch."""
    roll = minting.request_mint(world.producers[place], 1, batch=world.deps[place]["batch"])
    return roll.codes.get().code


def image_bytes(kind: str = "JPEG", size: tuple[int, int] = (64, 48), **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 160, 60)).save(buffer, kind, **save)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def body(**extra: object) -> dict[str, object]:
    return {"category": "quality", "description": "示例：买到的青菜有异味"} | extra


def test_complaint_from_a_code_is_routed_to_the_producers_township_and_county(world: World):
    code = active_code(world)
    form = Client().get(NEW, {"code": code})
    assert form.status_code == 200
    assert code in form.content.decode() and 'name="county"' not in form.content.decode()

    response = Client().post(NEW, body(code=code, contact_phone="130-0000-0000"))
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.township == world.regions["A"]
    assert complaint.county == world.regions["county_a"]
    assert complaint.producer == world.producers["A"]
    assert complaint.batch == world.deps["A"]["batch"]
    assert complaint.trace_code.code == code
    assert complaint.contact_phone == PHONE
    assert complaint.due_on == complaint.created_at.astimezone().date() + dt.timedelta(days=15)
    text = response.content.decode()
    assert 'data-testid="tracking-number"' in text and complaint.tracking_number in text
    assert len(complaint.number) == 11 and codes.validate(complaint.number, 11)


def test_deadline_follows_the_setting(world: World, settings):
    settings.AGRITRACE_COMPLAINT_DAYS = 7
    complaint = services.file_complaint(
        category="other", description="示例", county=world.regions["county_b"]
    )
    assert complaint.due_on == complaint.created_at.astimezone().date() + dt.timedelta(days=7)


def test_the_neighbouring_county_and_other_townships_never_see_it(world: World):
    complaint = services.file_complaint(
        category="quality", description="示例", code_text=active_code(world)
    )
    detail = f"/api/v1/complaints/{complaint.pk}/"
    for persona in ("county_b", "producer_a", "producer_b"):
        assert world.api(persona).get(detail).status_code in (403, 404), persona
        assert world.client(persona).get(complaint.get_absolute_url()).status_code in (403, 404)
    listed = world.api("county_b").get("/api/v1/complaints/").json()["results"]
    assert listed == []
    for persona in ("county_a", "township", "city", "province"):
        assert world.api(persona).get(detail).status_code == 200, persona
    # filed without a code, it goes to the chosen county only: township stations do not see it
    other = services.file_complaint(
        category="other", description="示例", county=world.regions["county_a"]
    )
    assert world.api("county_a").get(f"/api/v1/complaints/{other.pk}/").status_code == 200
    assert world.api("township").get(f"/api/v1/complaints/{other.pk}/").status_code == 404


def test_tracking_shows_status_and_reply_but_nothing_private(world: World):
    complaint = services.file_complaint(
        category="quality",
        description="示例：私密的描述内容",
        code_text=active_code(world),
        contact_name="示例联系人",
        contact_phone=PHONE,
    )
    services.handle_complaint(
        complaint,
        "resolved",
        by=world.users["county_a"],
        reply="示例：已责令整改",
        internal_note="示例：内部记录不公开",
    )
    page = Client().get(reverse("public:complaint_status", args=[complaint.number]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "已办结" in text and "示例：已责令整改" in text and complaint.tracking_number in text
    assert complaint.due_on.isoformat() in text
    for private in ("示例：内部记录不公开", "示例联系人", PHONE, "1300", "示例：私密的描述内容"):
        assert private not in text, private


@pytest.mark.parametrize(
    "typed",
    ["{grouped}", "{grouped_lower}", "{bare}", "TS{bare}", " ts-{bare_lower} "],
)
def test_tracking_numbers_are_read_in_any_case_with_or_without_hyphens(world: World, typed):
    complaint = services.file_complaint(
        category="other", description="示例", county=world.regions["county_a"]
    )
    number = typed.format(
        grouped=complaint.tracking_number,
        grouped_lower=complaint.tracking_number.lower(),
        bare=complaint.number,
        bare_lower=complaint.number.lower(),
    )
    response = Client().get(reverse("public:complaint_track"), {"number": number}, follow=True)
    assert response.status_code == 200
    assert complaint.tracking_number in response.content.decode()


def test_a_mistyped_number_is_invalid_and_an_unknown_one_not_found(world: World):
    complaint = services.file_complaint(
        category="other", description="示例", county=world.regions["county_a"]
    )
    number = complaint.number
    wrong = next(c for c in "0123456789ABCDEF" if c != number[3])
    typo = number[:3] + wrong + number[4:]
    for typed in (typo, number[:5], "TS-<script>"):
        response = Client().get(reverse("public:complaint_track"), {"number": typed})
        assert response.status_code == 400, typed
        assert 'data-testid="error-number"' in response.content.decode()
        assert "<script>" not in response.content.decode()
    response = Client().get(reverse("public:complaint_status", args=[typo]))
    assert response.status_code == 400 and "校验不符" in response.content.decode()
    unknown = codes.new_code(10)
    response = Client().get(reverse("public:complaint_status", args=[unknown]))
    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()


def test_script_in_the_description_comes_back_escaped(world: World):
    response = Client().post(NEW, body(description=SCRIPT, code=active_code(world)))
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.description == SCRIPT  # stored as typed
    page = world.client("county_a").get(complaint.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200
    assert SCRIPT not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    form = Client().get(NEW, {"code": SCRIPT})
    assert SCRIPT not in form.content.decode()
    assert 'data-testid="code-problem"' in form.content.decode()


def test_a_bad_or_unknown_code_is_reported_and_a_county_is_then_required(world: World):
    unknown = codes.new_code(13)
    form = Client().get(NEW, {"code": unknown})
    assert "不存在" in form.content.decode() and 'name="county"' in form.content.decode()
    refused = Client().post(NEW, body(code=unknown))
    assert refused.status_code == 400
    assert "请选择问题发生地" in refused.context["form"].errors["county"][0]
    assert not Complaint.objects.exists()
    filed = Client().post(NEW, body(code=unknown, county=world.regions["county_b"].pk))
    assert filed.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.county == world.regions["county_b"] and complaint.township is None
    assert complaint.code_text == unknown and complaint.trace_code is None


def test_a_township_is_not_a_county(world: World):
    response = Client().post(NEW, body(county=world.regions["A"].pk))
    assert response.status_code == 400 and "county" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_bad_fields_are_named_and_nothing_is_stored(world: World):
    response = Client().post(
        NEW, {"category": "nonsense", "description": "  ", "contact_phone": "12345"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"category", "description"} <= set(errors)
    response = Client().post(NEW, body(county=world.regions["county_a"].pk, contact_phone="123"))
    assert response.status_code == 400
    assert "contact_phone" in response.context["form"].errors
    response = Client().post(NEW, body(description="字" * 2001, county=world.regions["A"].pk))
    assert response.status_code == 400 and "description" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_photos_are_stored_reencoded_without_exif(world: World, settings):
    exif = Image.Exif()
    exif[0x010F] = "示例相机"  # Make
    exif[0x8825] = {1: "N", 2: (28.0, 12.0, 0.0)}  # GPS
    jpeg = image_bytes("JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(jpeg)).getexif()
    photos = [
        upload("a.jpg", jpeg),
        upload("b.png", image_bytes("PNG"), "image/png"),
        upload("c.webp", image_bytes("WEBP"), "image/webp"),
    ]
    response = Client().post(NEW, body(code=active_code(world), photos=photos))
    assert response.status_code == 200
    stored = ComplaintPhoto.objects.order_by("id")
    assert [p.image.name.rsplit(".", 1)[1] for p in stored] == ["jpg", "png", "webp"]
    with stored[0].image.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG" and not image.getexif() and image.size == (64, 48)
    assert len(stored_files(settings)) == 3
    # regulators in scope see them; the neighbouring county does not
    url = reverse("supervision:complaint_photo", args=[stored[0].complaint_id, stored[0].pk])
    assert world.client("county_a").get(url).status_code == 200
    assert world.client("county_b").get(url).status_code == 404
    assert Client().get(url).status_code == 302


def _bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
    return buffer.getvalue()


def _noise(megabytes: float) -> bytes:
    """A real PNG of random pixels (incompressible) of about ``megabytes``."""
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5) + 1
    buffer = io.BytesIO()
    pixels = secrets.token_bytes(side * side * 3)
    Image.frombytes("RGB", (side, side), pixels).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("photos", "reason"),
    [
        (lambda: [upload("fake.jpg", b"this is not an image at all")], "不是有效的图片"),
        (lambda: [upload("doc.gif", _gif(), "image/gif")], "只接受 JPEG、PNG 或 WebP"),
        (lambda: [upload("big.png", _noise(5.2), "image/png")], "超过 5 MB"),
        (lambda: [upload("bomb.png", _bomb(), "image/png")], "像素过多"),
        (lambda: [upload(f"{i}.jpg", image_bytes()) for i in range(4)], "最多上传 3 张"),
        (
            lambda: [upload("ok.jpg", image_bytes()), upload("bad.jpg", b"\xff\xd8\xff garbage")],
            "第 2 张照片（bad.jpg）",
        ),
    ],
    ids=["fake", "gif", "oversized", "bomb", "four", "one-bad-of-two"],
)
def test_a_bad_photo_refuses_the_whole_complaint(world: World, settings, photos, reason):
    response = Client().post(NEW, body(code=active_code(world), photos=photos()))
    assert response.status_code == 400
    errors = response.context["form"].errors["photos"]
    assert any(reason in e for e in errors), errors
    assert reason in response.content.decode()
    assert Complaint.objects.count() == 0 and ComplaintPhoto.objects.count() == 0
    assert stored_files(settings) == []


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, "GIF")
    return buffer.getvalue()


def test_rate_limits_answer_429_and_store_nothing(world: World, settings):
    settings.AGRITRACE_COMPLAINTS_PER_HOUR = 2
    client = Client()
    code = active_code(world)
    for _ in range(2):
        assert client.post(NEW, body(code=code)).status_code == 200
    refused = client.post(NEW, body(code=code, photos=[upload("a.jpg", image_bytes())]))
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert 'data-testid="rate-limited"' in refused.content.decode()
    assert Complaint.objects.count() == 2 and ComplaintPhoto.objects.count() == 0
    assert stored_files(settings) == []
    # another client address is not affected
    assert Client(REMOTE_ADDR="192.0.2.9").post(NEW, body(code=code)).status_code == 200

    settings.AGRITRACE_COMPLAINT_LOOKUPS_PER_MINUTE = 3
    number = Complaint.objects.first().number
    url = reverse("public:complaint_status", args=[number])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    # the form with a code shows whose code it is: it counts as a lookup too
    assert client.get(NEW, {"code": code}).status_code == 429
    assert client.get(NEW).status_code == 200


def test_csrf_protection_stays_on(world: World):
    client = Client(enforce_csrf_checks=True)
    assert client.post(NEW, body(county=world.regions["county_a"].pk)).status_code == 403
    assert not Complaint.objects.exists()


def test_handling_rules(world: World):
    complaint = services.file_complaint(
        category="misuse", description="示例", code_text=active_code(world)
    )
    api = world.api("county_a")
    url = f"/api/v1/complaints/{complaint.pk}/handle/"
    response = api.post(url, {"status": "resolved"}, format="json")
    assert response.status_code == 400 and "reply" in response.json()
    response = api.post(url, {"status": "handling", "internal_note": "示例"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "handling"
    response = api.post(url, {"status": "rejected", "reply": "示例：不属实"}, format="json")
    assert response.status_code == 200
    response = api.post(url, {"status": "handling"}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REJECTED
    assert complaint.handled_by == world.users["county_a"]
    # nobody creates or deletes complaints through the API
    assert api.post("/api/v1/complaints/", {"description": "x"}).status_code == 403
    assert api.delete(f"/api/v1/complaints/{complaint.pk}/").status_code == 403


def test_the_phone_is_full_only_for_those_who_handle_it(world: World):
    complaint = services.file_complaint(
        category="quality",
        description="示例",
        code_text=active_code(world),
        contact_phone=PHONE,
    )
    tester = make_user("p_tester", organisation=world.orgs["county_a"], role=Role.TESTER)
    handler = world.api("county_a").get(f"/api/v1/complaints/{complaint.pk}/").json()
    assert handler["contact_phone"] == PHONE
    client = Client()
    client.force_login(tester)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert PHONE not in page and "130****0000" in page
    assert 'data-testid="handle-form"' not in page


def test_the_workspace_lists_filters_and_handles(world: World):
    late = services.file_complaint(
        category="quality", description="示例", code_text=active_code(world)
    )
    Complaint.objects.filter(pk=late.pk).update(due_on=dt.date(2020, 1, 1))
    services.file_complaint(category="sales", description="示例", code_text=active_code(world))
    client = world.client("county_a")
    page = client.get(reverse("supervision:complaint_list"))
    assert page.status_code == 200 and 'data-testid="overdue"' in page.content.decode()
    overdue = client.get(reverse("supervision:complaint_list"), {"overdue": "true"})
    assert list(overdue.context["object_list"]) == [late]
    by_category = world.api("county_a").get("/api/v1/complaints/", {"category": "sales"}).json()
    assert [row["category"] for row in by_category["results"]] == ["sales"]
    by_county = world.api("province").get(
        "/api/v1/complaints/", {"county": world.regions["county_b"].pk}
    )
    assert by_county.json()["results"] == []
    response = client.post(
        reverse("supervision:complaint_handle", args=[late.pk]),
        {"status": "resolved", "reply": "示例：已答复", "internal_note": ""},
    )
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == ComplaintStatus.RESOLVED and late.reply == "示例：已答复"
    # out of scope: 404
    other = world.client("county_b").post(
        reverse("supervision:complaint_handle", args=[late.pk]), {"status": "handling"}
    )
    assert other.status_code == 404


def test_run_checks_raises_the_overdue_warning_once_and_resolving_closes_it(world: World):
    complaint = services.file_complaint(
        category="quality", description="示例", code_text=active_code(world)
    )
    on_time = services.file_complaint(
        category="other", description="示例", county=world.regions["county_b"]
    )
    call_command("run_checks", stdout=io.StringIO())
    assert not Warning.objects.filter(kind=WarningKind.COMPLAINT_OVERDUE).exists()

    Complaint.objects.filter(pk=complaint.pk).update(due_on=dt.date(2020, 1, 1))
    for _ in range(2):
        call_command("run_checks", stdout=io.StringIO())
    warning = Warning.objects.get(kind=WarningKind.COMPLAINT_OVERDUE)
    assert warning.subject == complaint and warning.region == world.regions["A"]
    assert warning.status == WarningStatus.OPEN and warning.producer is None
    assert complaint.tracking_number in warning.title
    assert world.api("township").get(f"/api/v1/warnings/{warning.pk}/").status_code == 200
    assert world.api("county_b").get(f"/api/v1/warnings/{warning.pk}/").status_code == 404
    assert world.api("producer_a").get(f"/api/v1/warnings/{warning.pk}/").status_code == 404
    assert on_time.status == ComplaintStatus.RECEIVED

    services.handle_complaint(complaint, "resolved", by=world.users["township"], reply="示例")
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLOSED
    call_command("run_checks", stdout=io.StringIO())
    assert Warning.objects.filter(kind=WarningKind.COMPLAINT_OVERDUE).count() == 1
