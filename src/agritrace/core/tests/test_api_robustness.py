"""Server errors schemathesis found (issue 11, point 6), each kept as a regression test."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/products/", {"name": "示例产品", "category": "grain"}),
        ("/api/v1/training-sessions/", {"topic": "示例培训", "held_on": "2026-01-05"}),
        ("/api/v1/records/", {"kind": "planting", "date": "2026-01-05"}),
        ("/api/v1/code-rolls/", {"count": 1}),
    ],
)
def test_a_regulator_creating_without_a_producer_gets_a_400_naming_it(world, path, body):
    response = world.api("county_a").post(path, body, format="multipart")
    assert response.status_code == 400, response.content[:300]
    assert "producer" in response.json()


def test_http_trace_is_not_a_route_to_the_trace_report(world):
    response = world.api("county_a").generic("TRACE", "/api/v1/batches/")
    assert response.status_code == 405


def test_the_province_has_no_parent_code_and_the_schema_says_so(world):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["components"]["schemas"]["Region"]["properties"]["parent_code"]["nullable"]
    rows = world.api("county_a").get("/api/v1/regions/", {"level": "province"}).json()["results"]
    assert rows and rows[0]["parent_code"] is None


@pytest.mark.parametrize("action", ["online-rates", "scoring"])
def test_video_reports_are_documented_as_the_lists_they_are(world, action):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    body = schema["paths"][f"/api/v1/cameras/{action}/"]["get"]["responses"]["200"]
    assert body["content"]["application/json"]["schema"]["type"] == "array"
    response = world.api("county_a").get(f"/api/v1/cameras/{action}/", {"until": "2000-01-01"})
    assert response.status_code == 200
    assert isinstance(response.json(), list)
