"""Certificates of compliance: the rules that refuse them, what they copy, voiding, the PDF,
the public page, and market checks."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agritrace.coding.models import Certificate, MarketCheck
from agritrace.coding.services import binding, certificates, checks, links, minting
from agritrace.conftest import World
from agritrace.production.models import Input, ProductionRecord
from agritrace.testing.models import TestRecord


def draft(world: World, place: str = "A", **fields) -> Certificate:
    values = {
        "batch": world.deps[place]["batch"],
        "quantity": Decimal("100"),
        "basis": "quality_control",
        "no_prohibited": True,
        "within_limits": True,
        "responsible": True,
        "signatory": "示例签名",
    } | fields
    return Certificate(**values)


def test_issue_copies_the_template_fields(world: World):
    certificate = certificates.issue_certificate(draft(world))
    batch = world.deps["A"]["batch"]
    assert certificate.product_name == batch.product.name
    assert certificate.producer_name == world.producers["A"].name
    assert certificate.unit == "kg" and certificate.issued_on == timezone.localdate()
    assert world.regions["A"].name in certificate.origin
    assert len(certificate.number) == 14


def test_refused_for_a_blocked_batch_or_a_failing_test(world: World):
    batch = world.deps["A"]["batch"]
    test = TestRecord.objects.create(
        producer=world.producers["A"],
        batch=batch,
        sample_name="示例样品",
        method="enzyme",
        item="有机磷",
        tested_at=timezone.now(),
        inhibition_rate=70,
        result="positive",
    )
    with pytest.raises(ValidationError) as error:
        certificates.issue_certificate(draft(world))
    assert "有机磷" in " ".join(error.value.message_dict["batch"])
    batch.status = "under_review"
    batch.save()
    with pytest.raises(ValidationError, match="待复核"):
        certificates.issue_certificate(draft(world))
    batch.status = "active"
    batch.save()
    TestRecord.objects.create(
        producer=world.producers["A"],
        batch=batch,
        sample_name="示例复检",
        method="enzyme",
        item="有机磷",
        tested_at=timezone.now(),
        inhibition_rate=5,
        result="negative",
        retest_of=test,
    )
    assert certificates.issue_certificate(draft(world)).pk
    assert Certificate.objects.count() == 1


def test_refused_inside_a_pre_harvest_interval(world: World):
    batch = world.deps["A"]["batch"]
    pesticide = Input.objects.create(
        kind="pesticide", name="示例杀虫剂", producer=world.producers["A"], default_interval_days=14
    )
    ProductionRecord.objects.create(
        producer=world.producers["A"],
        kind="input_application",
        date=timezone.localdate() - dt.timedelta(days=3),
        batch=batch,
        input=pesticide,
    )
    with pytest.raises(ValidationError, match="安全间隔期"):
        certificates.issue_certificate(draft(world))


def test_basis_commitments_and_quantity_rules(world: World):
    with pytest.raises(ValidationError) as error:
        certificates.issue_certificate(draft(world, basis="self_test"))
    assert "test" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        certificates.issue_certificate(draft(world, responsible=False))
    assert "responsible" in error.value.message_dict
    certificates.issue_certificate(draft(world, quantity=Decimal("900")))
    with pytest.raises(ValidationError) as error:
        certificates.issue_certificate(draft(world, quantity=Decimal("200")))
    assert "quantity" in error.value.message_dict
    negative = TestRecord.objects.create(
        producer=world.producers["A"],
        batch=world.deps["A"]["batch"],
        sample_name="示例",
        method="enzyme",
        item="有机磷",
        tested_at=timezone.now(),
        inhibition_rate=5,
        result="negative",
    )
    assert certificates.issue_certificate(
        draft(world, basis="self_test", test=negative, quantity=Decimal("100"))
    ).pk


def test_api_issue_void_never_delete(world: World):
    api = world.api("producer_a")
    body = {
        "batch": world.deps["A"]["batch"].pk,
        "quantity": "50",
        "basis": "quality_control",
        "no_prohibited": True,
        "within_limits": True,
        "responsible": True,
        "signatory": "示例签名",
    }
    created = api.post("/api/v1/certificates/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api.delete(f"/api/v1/certificates/{pk}/").status_code == 403
    assert (
        api.patch(f"/api/v1/certificates/{pk}/", {"quantity": "1"}, format="json").status_code
        == 405
    )
    voided = api.post(
        f"/api/v1/certificates/{pk}/void/", {"reason": "示例：数量写错"}, format="json"
    )
    assert voided.json()["voided"] is True
    pdf = api.get(f"/api/v1/certificates/{pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    blocked = world.deps["A"]["batch"]
    blocked.status = "recalled"
    blocked.save()
    refused = api.post("/api/v1/certificates/", body, format="json")
    assert refused.status_code == 400 and "batch" in refused.json()
    assert Certificate.objects.count() == 1


def test_market_check_records_valid_and_invalid(world: World):
    certificate = certificates.issue_certificate(draft(world))
    officer = world.users["county_b"]
    ok = checks.record_check(
        links.certificate_url(certificate.number), user=officer, market="示例农贸市场"
    )
    assert ok.valid and ok.certificate == certificate and ok.region == officer.scope_region
    roll = minting.request_mint(world.producers["A"], 2)
    code = roll.codes.get(serial=1)
    not_active = checks.record_check(code.code, user=officer)
    assert not not_active.valid and "未激活" in not_active.reason
    binding.bind(code, world.deps["A"]["batch"])
    assert checks.record_check(f"http://x/t/{code.code}", user=officer).valid
    fake = checks.record_check("0" * 13 + "0", user=officer)
    assert not fake.valid and "不存在" in fake.reason
    certificates.void_certificate(certificate, "示例作废")
    assert not checks.record_check(f"/c/{certificate.number}", user=officer).valid
    assert MarketCheck.objects.count() == 5
    # the check is visible to the checker's county and to the producer's regulators
    assert MarketCheck.objects.restrict(world.users["county_a"]).filter(pk=ok.pk).exists()
    assert MarketCheck.objects.restrict(officer).filter(pk=ok.pk).exists()


def test_market_check_page(world: World):
    certificate = certificates.issue_certificate(draft(world))
    client = world.client("township")
    page = client.post(
        "/market-checks/check/", {"scanned": certificate.number, "market": "示例市场"}
    )
    assert page.status_code == 200 and "有效" in page.content.decode()
    public = world.client("anonymous").get(f"/c/{certificate.number}")
    assert "合格证有效" in public.content.decode()


def test_the_printed_certificate_holds_the_longest_values_whole(world: World, tmp_path):
    """Issue 11: wrapped or shrunk, never cut; nothing runs under the QR or off the page."""
    certificate = certificates.issue_certificate(draft(world))
    fields = {
        "product_name": "示例长名称产品" * 14 + "末尾",
        "producer_name": "示例长名称合作社Example Cooperative " * 3 + "终",
        "origin": "湖南省益阳市安化县" * 45 + "尾",
        "signatory": "示例签名人" * 10,
    }
    for name, value in fields.items():
        value = value[: Certificate._meta.get_field(name).max_length]
        setattr(certificate, name, value)
        fields[name] = value
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(certificates.certificate_pdf(certificate))

    def text(*crop: str) -> str:
        out = subprocess.run(["pdftotext", *crop, str(pdf), "-"], capture_output=True, text=True)
        return "".join(out.stdout.split())

    column = text("-x", "0", "-y", "0", "-W", "305", "-H", "250")  # beside the QR
    for name in ("product_name", "producer_name", "origin"):
        assert "".join(fields[name].split()) in column, name
    assert certificate.number in column
    assert fields["signatory"] in text()
    words = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True)
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', words.stdout)
    width, height = float(page.group(1)), float(page.group(2))
    for x_max, y_max in re.findall(r'xMax="([\d.]+)" yMax="([\d.]+)"', words.stdout):
        assert float(x_max) <= width - 5 * 72 / 25.4 and float(y_max) <= height


def test_a_base_with_the_longest_address_can_issue_certificates(world: World):
    """The origin joins the township's full name and the address: its column holds both."""
    world.deps["A"]["base"].__class__.objects.filter(pk=world.deps["A"]["base"].pk).update(
        address="址" * 200
    )
    certificate = certificates.issue_certificate(draft(world))
    assert certificate.origin.endswith("址" * 200)


def test_origin_is_the_batch_base_not_the_producer_address(world: World):
    """产地 (农业农村部令2025年第4号 template) is where the batch was produced: its base's
    township and address; the producer's registered address only for a batch with no base."""
    producer, base = world.producers["A"], world.deps["A"]["base"]
    type(producer).objects.filter(pk=producer.pk).update(address="示例注册地址1号")
    base.township = world.regions["A2"]
    base.address = "示例基地村3组"
    base.save()
    certificate = certificates.issue_certificate(draft(world))
    assert certificate.origin == f"{world.regions['A2'].full_name} 示例基地村3组"
    batch = world.deps["A"]["batch"]
    batch.bases.clear()
    bare = certificates.issue_certificate(draft(world))
    assert bare.origin == f"{world.regions['A'].full_name} 示例注册地址1号"


def test_void_pages_keep_the_record_and_refuse_without_a_reason(world: World):
    """The certificate and code-roll void pages (``ScopedActionView``): 404 out of scope, a
    refusal is a message with nothing changed, success voids and says so."""
    from agritrace.coding.tests.test_codes import mint

    certificate = certificates.issue_certificate(draft(world))
    roll = mint(world, count=4)
    client = world.client("producer_a")
    pages = (
        (f"/certificates/{certificate.pk}/void/", {}, {"reason": "示例：数量写错"}),
        (
            f"/code-rolls/{roll.pk}/void/",
            {"first_serial": "3", "last_serial": "2", "reason": "示例"},
            {"first_serial": "3", "last_serial": "4", "reason": "示例：卷尾受潮"},
        ),
    )
    for url, bad, good in pages:
        assert world.client("producer_b").post(url, good).status_code == 404
        refused = client.post(url, bad, follow=True)
        assert [m.level_tag for m in refused.context["messages"]] == ["error"], url
        done = client.post(url, good, follow=True)
        assert [m.level_tag for m in done.context["messages"]] == ["success"], url
    certificate.refresh_from_db()
    assert certificate.voided and Certificate.objects.filter(pk=certificate.pk).exists()
    assert roll.codes.filter(status="voided").count() == 2
