"""Bad producer input: field-level 400s in the API, field errors in the UI, nothing saved."""

import pytest
from django.urls import reverse

from agritrace.conftest import World, uscc_of
from agritrace.producers.models import Producer


def payload(world: World, **changes):
    body = "93430923DEM00009X"
    from stdnum.cn import uscc

    data = {
        "kind": "cooperative",
        "name": "示例新合作社",
        "uscc": body + uscc.calc_check_digit(body),
        "legal_representative": "示例负责人",
        "township": world.regions["A"].pk,
        "contact_phone": "13800138000",
    }
    return data | changes


BAD = {
    "uscc": {"uscc": "93430923DEM00009XA"[:17] + "0"},
    "duplicate uscc": {"uscc": None},
    "phone": {"contact_phone": "12345"},
    "longitude": {"longitude": "-0.120000", "latitude": "51.500000"},
    "township": {"township": None},
}


def bad(world: World, name: str):
    changes = dict(BAD[name])
    if name == "duplicate uscc":
        changes["uscc"] = uscc_of("A")
    if name == "township":
        changes["township"] = world.regions["county_a"].pk
    return payload(world, **changes)


@pytest.mark.parametrize("name", BAD)
def test_api_refuses_with_the_field_named(world: World, name):
    before = Producer.objects.count()
    response = world.api("county_a").post("/api/v1/producers/", bad(world, name), format="json")
    assert response.status_code == 400
    field = next(iter(BAD[name]))
    assert field in response.json(), response.json()
    assert Producer.objects.count() == before


@pytest.mark.parametrize("name", BAD)
def test_ui_shows_the_error_next_to_the_field(world: World, name):
    before = Producer.objects.count()
    response = world.client("county_a").post(reverse("producers:producer_add"), bad(world, name))
    assert response.status_code == 200
    field = next(iter(BAD[name]))
    assert field in response.context["form"].errors
    assert f'data-error-for="{field}"' in response.content.decode()
    assert Producer.objects.count() == before


def test_county_instead_of_township_names_the_level(world: World):
    response = world.api("province").post(
        "/api/v1/producers/", payload(world, township=world.regions["county_a"].pk), format="json"
    )
    assert response.status_code == 400
    assert "乡镇" in response.json()["township"][0]


def test_valid_payload_is_created_with_compact_uscc(world: World):
    data = payload(world)
    data["uscc"] = data["uscc"].lower()
    response = world.api("county_a").post("/api/v1/producers/", data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["uscc"] == data["uscc"].upper()
    assert response.json()["identity_code"]


def test_user_scoped_outside_its_organisation_is_refused(world: World):
    response = world.api("province").post(
        "/api/v1/users/",
        {
            "username": "stray",
            "password": "correct-horse-battery-9",
            "organisation": world.orgs["county_a"].pk,
            "role": "grid_officer",
            "region": world.regions["B"].pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "region" in response.json()


def test_weak_password_is_refused(world: World):
    response = world.api("province").post(
        "/api/v1/users/",
        {
            "username": "weak",
            "password": "password1",
            "organisation": world.orgs["A"].pk,
            "role": "officer",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "password" in response.json()


def test_label_printer_below_203_dpi_is_refused(world: World):
    response = world.api("producer_a").post(
        "/api/v1/equipment/", {"category": "label_printer", "dpi": 150}, format="json"
    )
    assert response.status_code == 400
    assert "dpi" in response.json()
