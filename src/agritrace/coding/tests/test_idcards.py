"""Art. 13: which products must carry the ID card, whether they have one, the warning when
they do not (raised and closed by a registered periodic check) and the regulators' list."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agritrace.alerts.models import Warning, WarningKind, WarningStatus
from agritrace.catalog.models import Certification, Product
from agritrace.coding.models import TraceCode
from agritrace.coding.services import binding, minting
from agritrace.coding.services.idcards import with_id_card
from agritrace.conftest import World

TODAY = timezone.localdate()


def certify(world: World, kind: str, *products: Product, place: str = "A", **dates: dt.date):
    """A certification of the place's producer covering ``products``."""
    certification = Certification.objects.create(
        producer=world.producers[place],
        kind=kind,
        number="LB-00-0000000000A",
        name=f"示例{kind}",
        valid_to=dates.get("valid_to", TODAY + dt.timedelta(days=365)),
        valid_from=dates.get("valid_from"),
    )
    certification.products.set(products)
    return certification


def flags(*products: Product) -> list[tuple[bool, bool]]:
    """(must carry the ID card, has one) of each product."""
    found = {p.pk: p for p in with_id_card(Product.objects.filter(pk__in=[p.pk for p in products]))}
    return [(found[p.pk].id_card_required, found[p.pk].has_id_card) for p in products]


def active_code(world: World, place: str = "A") -> TraceCode:
    """An active trace code bound to the place's batch (of ``deps[place]["product"]``)."""
    batch = world.deps[place]["batch"]
    code = minting.request_mint(world.producers[place], 3, batch=batch).codes.get(serial=1)
    return binding.bind(code, batch) if code.status != "active" else code


def run_check() -> str:
    out = io.StringIO()
    call_command("run_checks", "coding.id_cards", stdout=out)
    return out.getvalue()


def test_products_covered_by_a_certification_in_force_or_made_by_a_leading_enterprise(
    world: World,
):
    producer = world.producers["A"]
    green, plain, lapsed, pending = (
        Product.objects.create(producer=producer, name=f"示例{n}", category="vegetable")
        for n in ("绿色菜", "普通菜", "过期菜", "待生效菜")
    )
    certify(world, "green_food", green)
    certify(world, "gi", lapsed, valid_to=TODAY - dt.timedelta(days=1))
    certify(world, "organic", pending, valid_from=TODAY + dt.timedelta(days=10))
    certify(world, "trademark")  # a trademark listing no product requires none
    assert flags(green, plain, lapsed, pending) == [(True, False), *[(False, False)] * 3]

    other = Product.objects.create(producer=world.producers["B"], name="示例B菜", category="fruit")
    certify(world, "leading_provincial")  # the enterprise itself: all its products
    assert flags(plain, lapsed, pending, other) == [(True, False)] * 3 + [(False, False)]


def test_a_product_has_its_id_card_while_an_active_code_is_bound_to_one_of_its_batches(
    world: World,
):
    product = world.deps["A"]["product"]
    certify(world, "regional_brand", product)
    batch = world.deps["A"]["batch"]
    minting.request_mint(world.producers["A"], 3)  # minted, bound to nothing
    assert flags(product) == [(True, False)]
    code = active_code(world)
    assert flags(product) == [(True, True)]
    binding.void(code.roll, code.serial, code.serial, "示例作废")
    assert not TraceCode.objects.filter(batch=batch, status="active").exists()
    assert flags(product) == [(True, False)]


def test_the_registered_check_warns_the_regulators_in_scope_and_closes_when_fixed(world: World):
    product = world.deps["A"]["product"]
    brand = certify(world, "green_food", product)
    assert run_check().strip() == "coding.id_cards: 1"
    run_check()
    warning = Warning.objects.get(kind=WarningKind.ID_CARD_MISSING)
    assert warning.subject == product and warning.status == WarningStatus.OPEN
    assert product.name in warning.title and str(brand) in warning.detail

    def seen(persona: str) -> bool:
        listed = world.api(persona).get("/api/v1/warnings/", {"kind": "id_card_missing"}).json()
        return [row["id"] for row in listed["results"]] == [warning.pk]

    assert seen("township") and seen("county_a") and seen("producer_a")
    assert not seen("county_b") and not seen("producer_b")

    active_code(world)
    assert run_check().strip() == "coding.id_cards: 0"
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLOSED and "已有" in warning.handling_note

    TraceCode.objects.filter(batch__product=product).update(status="voided")
    run_check()
    reopened = Warning.objects.exclude(status=WarningStatus.CLOSED).get(kind="id_card_missing")
    brand.valid_to = TODAY - dt.timedelta(days=1)  # no longer required once the brand lapses
    brand.save()
    run_check()
    reopened.refresh_from_db()
    assert reopened.status == WarningStatus.CLOSED and "不再" in reopened.handling_note


def test_regulators_list_the_products_that_must_carry_it_within_their_scope(world: World):
    lacking = world.deps["A"]["product"]
    carded = Product.objects.create(
        producer=world.producers["A"], name="示例有码菜", category="fruit"
    )
    exempt = Product.objects.create(
        producer=world.producers["A"], name="示例无需菜", category="fruit"
    )
    certify(world, "green_food", lacking, carded)
    batch = world.deps["A"]["batch"]
    batch.product = carded
    batch.save(update_fields=["product"])
    active_code(world)
    url = reverse("coding:idcard_list")

    page = world.client("county_a").get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert lacking.name in text and carded.name in text and exempt.name not in text
    assert "实行“身份证”管理的产品" in text and "示例green_food" in text
    missing = world.client("county_a").get(url, {"has_id_card": "false"}).content.decode()
    assert lacking.name in missing and carded.name not in missing
    assert lacking.name not in world.client("county_b").get(url).content.decode()
    assert lacking.name not in world.client("producer_b").get(url).content.decode()
    assert world.client("anonymous").get(url).status_code == 302

    home = world.client("township").get(reverse("catalog:product_list")).content.decode()
    assert f'href="{url}"' in home
    detail = world.client("producer_a").get(lacking.get_absolute_url()).content.decode()
    assert "须实行“身份证”管理" in detail and f'href="{url}?q=' in detail

    english = world.client("county_a")
    english.cookies["django_language"] = "en"
    text = english.get(url, {"has_id_card": "false"}).content.decode()
    assert "Products that must carry the ID card" in text and "Required by (Art. 13)" in text
