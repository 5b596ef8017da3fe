"""Products (GTIN, mandatory certificate), certification validity and warnings, standards."""

import datetime as dt

import pytest
from django.utils import timezone

from agritrace.alerts.models import Warning, WarningStatus
from agritrace.catalog.choices import Validity
from agritrace.catalog.models import Certification, Product, Standard, TrainingSession
from agritrace.catalog.services import check_certifications, produces_to_standard
from agritrace.conftest import World


def test_gtin_check_digit(world: World):
    client = world.api("producer_a")
    bad = client.post(
        "/api/v1/products/",
        {"name": "示例米", "category": "grain", "gtin": "6901234567891"},
        format="json",
    )
    assert bad.status_code == 400 and "gtin" in bad.json()
    good = client.post(
        "/api/v1/products/",
        {"name": "示例米", "category": "grain", "gtin": "6901234567892"},
        format="json",
    )
    assert good.status_code == 201, good.json()
    assert good.json()["certificate_mandatory"] is False


@pytest.mark.parametrize(
    ("category", "mandatory"),
    [
        ("vegetable", True),
        ("fruit", True),
        ("tea_fresh", True),
        ("egg", True),
        ("aquatic", True),
        ("tea", False),
        ("grain", False),
    ],
)
def test_certificate_mandatory_categories(world: World, category, mandatory):
    assert (
        Product(producer=world.producers["A"], name="x", category=category).certificate_mandatory
        is mandatory
    )


def certification(world: World, days: int) -> Certification:
    today = timezone.localdate()
    return Certification.objects.create(
        producer=world.producers["A"],
        kind="green_food",
        number="LB-00-0000000000A",
        issuer="示例中心",
        valid_from=today - dt.timedelta(days=300),
        valid_to=today + dt.timedelta(days=days),
    )


def test_expiring_certification_raises_a_warning_visible_to_its_regulators_only(world: World):
    cert = certification(world, 20)
    assert cert.validity() == Validity.EXPIRING
    warning = Warning.objects.get(kind="certification_expiring", subject_id=str(cert.pk))

    def ids(persona):
        return {w["id"] for w in world.api(persona).get("/api/v1/warnings/").json()["results"]}

    assert warning.pk in ids("county_a") and warning.pk in ids("producer_a")
    assert warning.pk not in ids("county_b") and warning.pk not in ids("producer_b")
    listing = world.api("county_a").get("/api/v1/certifications/", {"validity": "expiring"}).json()
    assert [row["id"] for row in listing["results"]] == [cert.pk]


def test_expiry_then_renewal_closes_the_warning(world: World):
    cert = certification(world, 10)
    later = timezone.localdate() + dt.timedelta(days=11)
    assert check_certifications(later) >= 1
    expired = Warning.objects.get(kind="certification_expired", subject_id=str(cert.pk))
    assert expired.severity == "critical"
    assert (
        Warning.objects.get(kind="certification_expiring", subject_id=str(cert.pk)).status
        == WarningStatus.CLOSED
    )
    cert.valid_to = timezone.localdate() + dt.timedelta(days=700)
    cert.save()
    expired.refresh_from_db()
    assert expired.status == WarningStatus.CLOSED


def test_raising_twice_does_not_duplicate(world: World):
    cert = certification(world, 5)
    check_certifications()
    check_certifications()
    assert Warning.objects.filter(subject_id=str(cert.pk)).exclude(status="closed").count() == 1


def test_regulator_closes_a_warning_with_a_note(world: World):
    cert = certification(world, 5)
    warning = Warning.objects.get(subject_id=str(cert.pk))
    client = world.api("township")
    assert (
        client.post(f"/api/v1/warnings/{warning.pk}/close/", {}, format="json").status_code == 400
    )
    assert (
        client.post(
            f"/api/v1/warnings/{warning.pk}/close/", {"note": "示例：已督促续展"}, format="json"
        ).status_code
        == 200
    )
    assert (
        world.api("producer_a").post(f"/api/v1/warnings/{warning.pk}/acknowledge/").status_code
        == 403
    )


def test_produces_to_standard_needs_standard_and_training(world: World):
    producer = world.producers["A"]
    producer.training_sessions.all().delete()
    product = Product.objects.create(producer=producer, name="示例茶", category="tea")
    assert not produces_to_standard(product)
    product.standards.add(
        Standard.objects.create(title="示例黑茶加工规程", number="DB43/T 0000", level="local")
    )
    assert not produces_to_standard(product)
    TrainingSession.objects.create(
        producer=producer, topic="示例标准培训", held_on=timezone.localdate()
    )
    assert produces_to_standard(product)
