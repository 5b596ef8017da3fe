"""Health, the OpenAPI schema, offline API docs, the change log, exports."""

import yaml
from django.urls import reverse

from agritrace.conftest import World
from agritrace.core.exports import neutralise
from agritrace.core.models import ChangeRecord
from agritrace.producers.models import Producer


def test_healthz(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_schema_is_openapi_3_and_covers_every_endpoint(world: World):
    response = world.api("province").get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for resource in (
        "regions",
        "organisations",
        "users",
        "producers",
        "bases",
        "trace-points",
        "equipment",
    ):
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{id}}/" in paths
    assert "/api/v1/producers/{id}/approve/" in paths


def test_swagger_ui_needs_no_network(db, client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower() and "https://" not in page.replace("https://swagger.io", "")


def test_every_change_is_recorded_with_who_and_what(world: World):
    producer = world.producers["A"]
    client = world.api("county_a")
    assert (
        client.patch(
            f"/api/v1/producers/{producer.pk}/", {"name": "示例改名"}, format="json"
        ).status_code
        == 200
    )
    record = ChangeRecord.objects.filter(object_id=str(producer.pk), action="update").latest("id")
    assert record.username == "p_county_a"
    assert record.before["name"] == "示例A合作社" and record.after["name"] == "示例改名"
    assert record.changed_fields == ["name", "updated_at"]
    assert record.source == f"PATCH /api/v1/producers/{producer.pk}/"


def test_delete_is_recorded_with_the_last_values(world: World):
    base = world.producers["A"].bases.get(name="示例A基地")
    assert world.api("producer_a").delete(f"/api/v1/bases/{base.pk}/").status_code == 204
    record = ChangeRecord.objects.get(
        object_id=str(base.pk), action="delete", object_repr=base.name
    )
    assert record.before["name"] == base.name and record.username == "p_producer_a"


def test_formula_cells_are_neutralised():
    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-1+1") == "'-1+1"
    assert neutralise("示例") == "示例"


def test_list_export_is_scoped_and_neutralised(world: World):
    from io import BytesIO

    from openpyxl import load_workbook

    Producer.objects.filter(pk=world.producers["A"].pk).update(name="=cmd|' /C calc'!A0")
    response = world.client("county_a").get(reverse("producers:producer_list") + "?export=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    names = [row[0] for row in rows[1:]]
    assert "'=cmd|' /C calc'!A0" in names and "示例A2合作社" in names
    assert "示例B合作社" not in names


def test_language_switch(world: World):
    client = world.client("county_a")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("producers:producer_list")).content.decode()
    assert "Export" in page or "Producer" in page


def test_chinese_is_the_default_whatever_the_browser_says(db, client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page and 'lang="zh-hans"' in page
