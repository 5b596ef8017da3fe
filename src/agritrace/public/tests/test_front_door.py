"""Issue 13: the front door at ``/``: a visitor types a code or a certificate number, tracks a
complaint and sees what the platform covers; a signed-in user goes to their home."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agritrace.coding.services import minting
from agritrace.conftest import World
from agritrace.public.tests.test_idcard import active_code, certify


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_anonymous_visitor_sees_the_front_door(world: World, client):
    active_code(world)
    minting.request_mint(world.producers["B"], 2)  # minted, not bound: no ID card
    page = client.get("/")
    text = page.content.decode()
    assert page.status_code == 200
    for part in ("front-code", "front-certificate", "front-complaint", "coverage", "login"):
        assert f'data-testid="{part}"' in text, part
    assert 'action="/go"' in text and 'action="/complaints/track/"' in text
    assert 'href="/login/"' in text and 'id="scan" hidden' in text  # the script shows it
    counts = page.context["coverage"]
    approved = {p.township.parent_id for p in world.producers.values() if p.status == "approved"}
    assert counts["counties"] == len(approved) and counts["products"] == 1
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len(queries) == 0  # the counts come from the cache


def test_a_signed_in_user_is_sent_home(world: World):
    response = world.client("county_a").get("/")
    assert response.status_code == 302
    assert response["Location"] == "/workspace/"


@pytest.mark.parametrize("form", ["{code}", "{code_lower}", "https://example.org/t/{code}"])
def test_a_typed_code_reaches_its_card(world: World, client, form):
    code = active_code(world).code
    typed = form.format(code=code, code_lower=code.lower())
    response = client.get("/go", {"q": f"  {typed} "})
    assert response.status_code == 302 and response["Location"] == f"/t/{code}"


def test_a_certificate_number_reaches_its_verification(world: World, client):
    code = active_code(world)
    number = certify(code.batch).number
    response = client.get("/go", {"q": number.lower(), "as": "certificate"})
    assert response.status_code == 302 and response["Location"] == f"/c/{number}"
    assert client.get("/go", {"q": f"/c/{number}"})["Location"] == f"/c/{number}"


def test_a_mistyped_code_is_a_400_saying_why(world: World, client):
    code = active_code(world).code
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = client.get("/go", {"q": typo})
    text = response.content.decode()
    assert response.status_code == 400 and 'data-testid="error"' in text
    assert "校验" in text and typo in text  # what was typed is kept to correct
    assert client.get("/go", {"q": "<script>x</script>"}).status_code == 400
    assert "<script>x" not in client.get("/go", {"q": "<script>x</script>"}).content.decode()
    assert client.get("/go", {"q": " "})["Location"] == "/"


def test_front_door_and_card_facts_in_english(world: World, client):
    client.get("/lang/en/")
    text = client.get("/").content.decode()
    for shown in ("Look up a product ID card", "Verify a certificate of compliance",
                  "Track a complaint", "What the platform covers"):  # fmt: skip
        assert shown in text, shown
    product = world.deps["A"]["product"]
    product.shelf_life_days, product.storage = 1, "示例阴凉处"
    product.save()
    card = client.get(f"/t/{active_code(world).code}").content.decode()
    assert "1 day · until 2026-03-02" in card and "Agricultural service hotline" in card
