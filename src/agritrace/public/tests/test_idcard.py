"""The public ID card: what it shows, what it hides, the states of a code, scan records and
counts, counterfeit warnings, enumeration, caching and its invalidation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from agritrace.alerts.models import Warning, WarningKind
from agritrace.catalog.models import Certification
from agritrace.coding.models import Certificate, TraceCode
from agritrace.coding.services import binding, certificates, checks, links, minting
from agritrace.conftest import World
from agritrace.production.models import Batch, Shipment
from agritrace.public import scans
from agritrace.public.models import ScanEvent
from agritrace.testing.models import TestRecord


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def active_code(world: World, place: str = "A") -> TraceCode:
    batch = world.deps[place]["batch"]
    roll = minting.request_mint(world.producers[place], 3, batch=batch)
    code = roll.codes.get(serial=1)
    return binding.bind(code, batch) if code.status != "active" else code


def certify(batch: Batch) -> Certificate:
    return certificates.issue_certificate(
        Certificate(
            batch=batch,
            quantity=10,
            basis="quality_control",
            no_prohibited=True,
            within_limits=True,
            responsible=True,
            signatory="示例",
        )
    )


def test_card_shows_producer_batch_tests_and_certificate(world: World, client):
    producer = world.producers["A"]
    producer.contact_phone = "13800138000"
    producer.save()
    batch = world.deps["A"]["batch"]
    TestRecord.objects.create(
        producer=producer,
        batch=batch,
        sample_name="示例样品",
        method="enzyme",
        item="有机磷示例项目",
        tested_at=timezone.now(),
        inhibition_rate=5,
        result="negative",
        tester_name="示例检测员",
    )
    certify(batch)
    code = active_code(world)
    page = client.get(f"/t/{code.code}")
    text = page.content.decode()
    assert page.status_code == 200
    for shown in (
        producer.name,
        batch.number,
        "有机磷示例项目",
        "阴性",
        "承诺达标合格证",
        "此码已被扫描 1 次",
    ):
        assert shown in text, shown
    assert "13800138000" not in text and "138****8000" in text  # masked (PIPL Art. 6)


def test_states_of_a_code(world: World, client):
    roll = minting.request_mint(world.producers["A"], 3)
    inactive = client.get(f"/t/{roll.codes.get(serial=1).code}")
    assert inactive.status_code == 200 and 'data-testid="inactive"' in inactive.content.decode()
    binding.void(roll, 2, 2, "示例")
    voided = client.get(f"/t/{roll.codes.get(serial=2).code}")
    assert 'data-testid="voided"' in voided.content.decode()
    code = active_code(world)
    batch = code.batch
    batch.status, batch.status_reason = "recalled", "示例：农残超标召回"
    batch.save()
    recalled = client.get(f"/t/{code.code}").content.decode()
    assert 'data-testid="recalled"' in recalled and "农残超标召回" in recalled


@pytest.mark.parametrize(
    "bad", ["abc", "0" * 14, "'; DROP TABLE x;--", "<script>x</script>", "7K3M9QX2TB4HNZ"]
)
def test_malformed_and_unknown_codes_are_404(world: World, client, bad):
    response = client.get(f"/t/{bad}")
    assert response.status_code == 404
    assert "<script>x" not in response.content.decode()
    assert ScanEvent.objects.count() == 0


def test_enumeration_gets_429(world: World, client, settings):
    settings.AGRITRACE_UNKNOWN_CODES_PER_CLIENT = 5
    from agritrace.core import codes

    statuses = [client.get(f"/t/{codes.new_code()}").status_code for _ in range(7)]
    assert statuses == [404] * 5 + [429] * 2


def test_scans_are_recorded_and_counted(world: World, client):
    code = active_code(world)
    for n in range(1, 4):
        page = client.get(
            f"/t/{code.code}",
            REMOTE_ADDR="203.0.113.7",
            HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 13) MicroMessenger/8.0",
        )
        assert f"此码已被扫描 {n} 次" in page.content.decode()
    code.refresh_from_db()
    assert code.scans == 3 and code.first_scanned_at is not None
    event = ScanEvent.objects.filter(code=code).first()
    assert (event.network, event.client) == ("203.0.113.0/24", "WeChat/Android")
    assert event.county == world.regions["county_a"]


def test_a_copied_code_raises_a_counterfeit_warning(world: World, client, settings):
    settings.AGRITRACE_SCAN_SUSPECT_PLACES = 3
    code = active_code(world)
    for n in range(3):
        client.get(f"/t/{code.code}", REMOTE_ADDR=f"198.51.{n}.9")
    warning = Warning.objects.get(kind=WarningKind.COUNTERFEIT_SCAN)
    assert warning.producer == world.producers["A"] and code.code in warning.title
    assert Warning.objects.restrict(world.users["county_a"]).filter(pk=warning.pk).exists()
    assert not Warning.objects.restrict(world.users["county_b"]).filter(pk=warning.pk).exists()


def test_lookup_is_one_query_when_parts_are_cached_and_scans_buffered(
    world: World, client, settings
):
    code = active_code(world)
    client.get(f"/t/{code.code}")  # warms the cached parts
    settings.AGRITRACE_SCAN_FLUSH_MS = 60_000
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/t/{code.code}").status_code == 200
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert scans.BUFFER.flush() == 1
    code.refresh_from_db()
    assert code.scans == 2


def test_cached_parts_follow_the_records(world: World, client):
    code = active_code(world)
    assert "示例新检测项目" not in client.get(f"/t/{code.code}").content.decode()
    TestRecord.objects.create(
        producer=world.producers["A"],
        batch=code.batch,
        sample_name="示例",
        method="enzyme",
        item="示例新检测项目",
        tested_at=timezone.now(),
        inhibition_rate=70,
        result="positive",
    )
    text = client.get(f"/t/{code.code}").content.decode()
    assert "示例新检测项目" in text and "阳性" in text
    producer = world.producers["A"]
    producer.name = "示例改名合作社"
    producer.save()
    assert "示例改名合作社" in client.get(f"/t/{code.code}").content.decode()


def test_english_switch(world: World, client):
    code = active_code(world)
    response = client.get(f"/lang/en/?next=/t/{code.code}")
    assert response.status_code == 302 and response["Location"] == f"/t/{code.code}"
    assert 'lang="en"' in client.get(f"/t/{code.code}").content.decode()
    assert client.get("/lang/en/?next=https://evil.example/")["Location"] == "/"


def test_scan_statistics_for_regulators(world: World, client):
    code = active_code(world)
    for _ in range(2):
        client.get(f"/t/{code.code}")
    other = active_code(world, "B")
    client.get(f"/t/{other.code}")
    api = world.api("county_a")
    rows = api.get("/api/v1/scan-stats/", {"group": "producer"}).json()
    assert [(r["producer"], r["scans"]) for r in rows] == [(world.producers["A"].pk, 2)]
    assert world.api("province").get("/api/v1/scan-stats/", {"group": "county"}).json()[0][
        "scans"
    ] in (1, 2)
    page = world.client("county_a").get("/scans/")
    assert page.status_code == 200 and world.producers["A"].name in page.content.decode()
    assert (
        world.api("producer_b").get("/api/v1/scan-stats/", {"group": "code"}).json()[0]["code"]
        == other.code
    )
    since = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert api.get("/api/v1/scan-stats/", {"group": "code", "since": since}).json() == []


def test_card_and_market_check_agree_on_a_code_whose_batch_is_recalled(world: World, client):
    """Issue 12: one rule decides whether a code is valid now. A batch recalled without its
    codes being recalled yet (a bulk update, no signal) makes its active codes invalid on the
    ID card as at a market check."""
    code = active_code(world)
    Batch.objects.filter(pk=code.batch_id).update(
        status="recalled", status_reason="示例：抽检不合格召回"
    )
    assert TraceCode.objects.get(pk=code.pk).status == "active"
    page = client.get(f"/t/{code.code}").content.decode()
    assert 'data-testid="recalled"' in page and "抽检不合格召回" in page
    verdict = checks.judge_scan(code.code)
    assert not verdict.valid and "召回" in verdict.reason


def test_digital_link_and_certificate_pages_look_up_once(world: World, client, settings):
    """Issue 12: the Digital Link page finds its code with the ID card's one lookup, and the
    certificate page fetches the certificate once (with its batch and product) and the batch's
    first active code."""
    product = world.deps["A"]["product"]
    product.gtin = "6901234567892"
    product.save()
    code = active_code(world)
    link = links.digital_link(product.gtin, code.batch.number, code.code)
    path = link.removeprefix(settings.PUBLIC_BASE_URL)
    client.get(path)  # warms the cached parts
    settings.AGRITRACE_SCAN_FLUSH_MS = 60_000
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert scans.BUFFER.flush() == 1
    certificate = certify(code.batch)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/c/{certificate.number}")
    assert page.status_code == 200 and "合格证有效" in page.content.decode()
    assert len(queries) == 2, [q["sql"] for q in queries]


def image(kind: str = "PNG", size: tuple[int, int] = (800, 600)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (47, 129, 50)).save(out, kind)
    return out.getvalue()


def test_card_shows_what_a_shopper_looks_for(world: World, client, settings, tmp_path):
    """Issue 13: photo (responsive, lazy), test readings against their limits and the method's
    standard, the production standard, shelf life and storage, the masked service phone and
    12316, offline places to buy, and which products a certification covers."""
    settings.MEDIA_ROOT = tmp_path
    producer = world.producers["A"]
    producer.contact_phone = "13800138000"
    producer.save()
    product = world.deps["A"]["product"]
    product.shelf_life_days = 7
    product.storage = "0–4℃冷藏"
    product.photo = SimpleUploadedFile("示例.png", image(), content_type="image/png")
    product.save()
    product.standards.add(world.deps["A"]["own"]["standard"])
    batch = world.deps["A"]["batch"]
    TestRecord.objects.create(
        producer=producer, batch=batch, sample_name="示例样品", method="lab", item="示例农药A",
        tested_at=timezone.now(), value=Decimal("0.02"), limit=Decimal("0.5"),
        limit_source="GB 2763-2021", laboratory="示例检测中心", result="qualified",
    )  # fmt: skip
    TestRecord.objects.create(
        producer=producer, batch=batch, sample_name="示例样品", method="enzyme",
        item="示例速测项目", tested_at=timezone.now(), inhibition_rate=5, result="negative",
    )  # fmt: skip
    for buyer, kind in (("示例超市", "supermarket"), ("示例加工厂", "processor")):
        Shipment.objects.create(
            batch=batch, shipped_on=batch.produced_on, quantity=1, buyer=buyer,
            buyer_kind=kind, destination="示例县城关镇",
        )  # fmt: skip
    green = Certification.objects.create(
        producer=producer, kind="green_food", name="示例绿色", number="LB-00-0000000000",
        valid_to=timezone.localdate() + dt.timedelta(days=400),
    )  # fmt: skip
    green.products.add(product)
    code = active_code(world)
    text = client.get(f"/t/{code.code}").content.decode()

    photo = text[text.index('<img class="photo"') :].split(">", 1)[0]
    for attribute in ('loading="lazy"', 'decoding="async"', "-160w.png 160w", "-320w.png 320w",
                      "-640w.png 640w", 'sizes="7rem"'):  # fmt: skip
        assert attribute in photo, (attribute, photo)
    stored = product.photo.storage
    with stored.open(product.photo.name.replace(".png", "-320w.png")) as copy:
        assert Image.open(copy).size == (320, 240)
    for shown in (
        "7 天", "至 2026-03-08", "0–4℃冷藏", "Q/A 示例A企业标准",
        "0.02 mg/kg", "限量 ≤ 0.5 mg/kg", "GB 2763-2021", "抑制率 5%（≥ 50% 为阳性）",
        "GB/T 5009.199-2003", "示例超市", "示例A市场", "138****8000", 'href="tel:12316"',
    ):  # fmt: skip
        assert shown in text, shown
    assert "示例加工厂" not in text and "13800138000" not in text
    certifications = text[text.index('data-testid="certifications"') :]
    assert "示例绿色" in certifications and product.name in certifications.split("</dd>")[0]


def test_new_facts_refresh_the_cached_card(world: World, client):
    """A shipment, a standard and a certification's products are shown as soon as they
    change: each gives its part a new version."""
    code = active_code(world)
    product = code.batch.product
    assert "示例新超市" not in client.get(f"/t/{code.code}").content.decode()
    Shipment.objects.create(
        batch=code.batch, shipped_on=code.batch.produced_on, quantity=1, buyer="示例新超市",
        buyer_kind="supermarket",
    )  # fmt: skip
    product.standards.add(world.deps["A"]["own"]["standard"])
    world.deps["A"]["own"]["certification"].products.add(product)
    text = client.get(f"/t/{code.code}").content.decode()
    assert "示例新超市" in text and "Q/A" in text
    scope = text[text.index('data-testid="certifications"') :].split("</dl>")[0]
    assert product.name in scope


def test_a_product_photo_is_content_checked(world: World, settings, tmp_path):
    """A product photo passes the complaint photos' check (a real JPEG/PNG/WebP, re-encoded
    without metadata): anything else is a 400 naming the reason."""
    settings.MEDIA_ROOT = tmp_path
    api = world.api("producer_a")
    url = f"/api/v1/products/{world.deps['A']['product'].pk}/"
    gif = SimpleUploadedFile("p.gif", image("GIF"), content_type="image/gif")
    refused = api.patch(url, {"photo": gif}, format="multipart")
    assert refused.status_code == 400
    assert "只接受 JPEG、PNG 或 WebP 格式的照片" in str(refused.json()["photo"])
    jpeg = BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "示例相机"  # Make
    Image.new("RGB", (400, 300), (200, 30, 30)).save(jpeg, "JPEG", exif=exif.tobytes())
    upload = SimpleUploadedFile("p.jpg", jpeg.getvalue(), content_type="image/jpeg")
    accepted = api.patch(url, {"photo": upload, "shelf_life_days": 30}, format="multipart")
    assert accepted.status_code == 200, accepted.json()
    product = world.deps["A"]["product"]
    product.refresh_from_db()
    with product.photo.open() as stored:
        assert not Image.open(stored).getexif()  # metadata dropped
    assert product.shelf_life_days == 30
    assert api.patch(url, {"shelf_life_days": 0}, format="json").status_code == 400
