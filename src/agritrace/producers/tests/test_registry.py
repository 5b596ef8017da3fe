"""Registration, review, identity codes, required equipment."""

import pytest
import segno
from django.urls import reverse

from agritrace.conftest import World
from agritrace.producers import services
from agritrace.producers.choices import EquipmentCategory, ProducerStatus
from agritrace.producers.models import Equipment, Industry, Producer


def test_self_registration_waits_for_approval_by_the_township(world: World, client):
    from stdnum.cn import uscc

    body = "92430923DEM00077X"
    data = {
        "p-kind": "family_farm",
        "p-name": "示例自注册家庭农场",
        "p-uscc": body + uscc.calc_check_digit(body),
        "p-legal_representative": "示例负责人",
        "p-township": "430923100",
        "p-industries": [Industry.objects.get(code="planting").pk],
        "u-username": "self_owner",
        "u-password1": "correct-horse-battery-9",
        "u-password2": "correct-horse-battery-9",
    }
    response = client.post(reverse("producers:register"), data)
    assert response.status_code == 302
    producer = Producer.objects.get(name="示例自注册家庭农场")
    assert producer.status == ProducerStatus.APPLIED
    assert producer.users.get().role == "owner"

    township = world.client("township")
    response = township.post(
        reverse("producers:producer_review", args=[producer.pk]), {"to": "approved"}
    )
    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.status == ProducerStatus.APPROVED
    assert producer.reviewed_by == world.users["township"]


def test_registration_with_bad_data_saves_nothing(db, client):
    response = client.post(reverse("producers:register"), {"p-uscc": "123", "u-username": "x"})
    assert response.status_code == 400
    assert not Producer.objects.exists()


def test_review_rules(world: World):
    producer = world.producers["A"]
    officer = world.users["county_a"]
    services.review(producer, ProducerStatus.APPROVED, by=officer)
    with pytest.raises(Exception, match="原因"):
        services.review(producer, ProducerStatus.SUSPENDED, by=officer)
    services.review(producer, ProducerStatus.SUSPENDED, by=officer, note="示例：抽检不合格")
    assert producer.status == ProducerStatus.SUSPENDED


def test_api_approve_and_out_of_scope_review(world: World):
    producer = world.producers["A"]
    assert (
        world.api("county_a").post(f"/api/v1/producers/{producer.pk}/approve/").status_code == 200
    )
    assert (
        world.api("county_b").post(f"/api/v1/producers/{producer.pk}/approve/").status_code == 404
    )
    assert (
        world.api("producer_a")
        .post(f"/api/v1/producers/{producer.pk}/suspend/", {"note": "x"})
        .status_code
        == 403
    )


def test_identity_qr_encodes_the_public_page(world: World, settings):
    producer = world.producers["A"]
    response = world.api("producer_a").get(f"/api/v1/producers/{producer.pk}/qr/?fmt=svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert world.api("producer_b").get(f"/api/v1/producers/{producer.pk}/qr/").status_code == 404
    qr = segno.make_qr(services.identity_url(producer), error="m")
    assert qr.version <= 5
    assert (
        services.identity_url(producer) == f"{settings.PUBLIC_BASE_URL}/p/{producer.identity_code}"
    )


def test_public_producer_card_masks_the_phone(world: World, client):
    producer = world.producers["A"]
    producer.contact_phone = "13800138000"
    producer.save()
    page = client.get(f"/p/{producer.identity_code}").content.decode()
    assert "138****8000" in page and "13800138000" not in page
    own = world.client("producer_a").get(f"/p/{producer.identity_code.lower()}").content.decode()
    assert "13800138000" in own
    assert client.get("/p/NOTACODE").status_code == 404


def test_missing_equipment_follows_annex_1(world: World):
    producer = world.producers["A"]
    producer.industries.set([Industry.objects.get(code="planting")])
    missing = {str(r.label) for r in services.missing_equipment(producer)}
    assert "农药残留速测设备" in missing and "台式办公电脑" in missing
    for category in (
        EquipmentCategory.DESKTOP,
        EquipmentCategory.MOBILE_TERMINAL,
        EquipmentCategory.STANDARD_LAB,
        EquipmentCategory.RAPID_COMBINED,
    ):
        Equipment.objects.create(category=category, producer=producer)
    Equipment.objects.create(category=EquipmentCategory.LABEL_PRINTER, producer=producer, dpi=300)
    assert services.missing_equipment(producer) == []
