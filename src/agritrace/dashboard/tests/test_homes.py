"""Issue 13, homes by role: a producer's home lists its next actions and what needs its
attention; a regulator's its region's key counts and today's items. Everything within the
user's scope, every count equal to what the list page it links to shows, a pinned number of
queries."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from agritrace.alerts.models import Warning
from agritrace.alerts.services import raise_warning
from agritrace.catalog.models import Certification
from agritrace.conftest import PASSWORD, World
from agritrace.dashboard.services import Figure
from agritrace.supervision.models import Complaint
from agritrace.testing.models import Device, DeviceUpload, TestRecord
from agritrace.video.models import Camera, Probe

HOME = reverse("dashboard:home")
REGULATORS = ("province", "city", "county_a", "county_b", "township")
#: Issue 13: each home's queries, whatever the data (pinned).
MAX_QUERIES = 25


@pytest.fixture
def busy(world: World) -> World:
    """Things needing attention at every place: an expiring certification covering a product
    (which then must carry the ID card), an offline camera, a refused device upload, a failing
    test of today, an overdue complaint."""
    today = timezone.localdate()
    now = timezone.now()
    for n, (place, producer) in enumerate(world.producers.items()):
        certification = Certification.objects.create(
            producer=producer,
            kind="green_food",
            number=f"GF-{place}",
            valid_to=today + dt.timedelta(days=10),
        )
        certification.products.add(world.deps[place]["product"])
        camera = Camera.objects.create(
            producer=producer,
            name=f"示例{place}摄像头",
            point_type="lab",
            hls_url=f"https://video.example.com/{place}.m3u8",
        )
        Probe.objects.create(camera=camera, status="offline", time=now - dt.timedelta(minutes=5))
        device = Device.objects.create(kind="A", serial=f"HOME-{place}", producer=producer)
        DeviceUpload.objects.create(
            device=device, uid=uuid.uuid4(), source="json", status="REJECTED", http_status=400
        )
        test = TestRecord.objects.create(
            producer=producer,
            batch=world.deps[place]["batch"],
            sample_name=f"示例{place}阳性样品",
            method="enzyme",
            item="有机磷",
            tested_at=now,
            inhibition_rate=80,
            result="positive",
        )
        raise_warning(
            "positive_test",
            test,
            region=producer.township,
            producer=producer,
            severity="critical",
            title=f"示例{place}阳性预警",
        )
        Complaint.objects.create(
            number=f"HOMECMP000{n}",
            category="quality",
            description="示例",
            producer=producer,
            county=producer.township.parent,
            township=producer.township,
            due_on=today - dt.timedelta(days=1),
        )
    return world


def home(world: World, persona: str) -> Any:
    response = world.client(persona).get(HOME)
    assert response.status_code == 200
    return response


def listed(world: World, persona: str, url: str) -> int:
    """How many rows the list page at ``url`` shows the persona."""
    response = world.client(persona).get(url)
    assert response.status_code == 200, url
    return response.context["paginator"].count


def test_signed_in_users_land_on_their_home(world):
    client = world.client("anonymous")
    response = client.post(reverse("login"), {"username": "p_township", "password": PASSWORD})
    assert response["Location"] == HOME
    assert world.client("producer_a").get("/")["Location"] == HOME
    assert world.client("anonymous").get(HOME)["Location"].startswith(reverse("login"))


def test_producer_home_lists_next_actions(world):
    response = home(world, "producer_a")
    assert response.templates[0].name == "dashboard/producer_home.html"
    urls = [action.url for action in response.context["actions"]]
    for name in (
        "production:harvest",
        "testing:testrecord_add",
        "coding:certificate_add",
        "coding:coderoll_add",
        "coding:printjob_add",
    ):
        assert reverse(name) in urls
    assert reverse("production:productionrecord_add") + "?kind=input_application" in urls
    for url in urls:  # every button opens a page the producer may use
        assert world.client("producer_a").get(url).status_code == 200, url


def test_producer_home_shows_what_needs_attention_and_only_its_own(busy):
    response = home(busy, "producer_a")
    attention = {str(f.label): f for f in response.context["attention"]}
    assert attention["认证 30 天内到期"].value == 1
    assert attention["摄像头离线"].value == 1
    assert attention["设备上传被拒收"].value == 1
    assert attention["产品缺“身份证”"].value == 1
    assert attention["待处理预警"].value == 3  # the fixture's, the certification's, the test's
    assert "标准化检测室" in attention["缺少必配设备"].detail
    assert "认证已过期" not in attention  # nothing expired: no empty item
    assert not any("投诉" in label for label in attention)  # producers never see complaints
    for figure in attention.values():
        if figure.url.startswith(reverse("catalog:certification_list")) or "?" in figure.url:
            assert listed(busy, "producer_a", figure.url) == figure.value, figure.label
    page = response.content.decode()
    assert "A-001" in page and "B-001" not in page and "A2-001" not in page


def test_producer_with_nothing_pending_is_told_so(world):
    from agritrace.producers.models import Equipment

    categories = ["desktop", "mobile_terminal", "standard_lab", "label_printer"]
    for category in categories:
        Equipment.objects.create(category=category, producer=world.producers["A"])
    Warning.objects.filter(producer=world.producers["A"]).update(status="closed")
    response = home(world, "producer_a")
    assert response.context["attention"] == []
    assert "暂无需要处理的事项" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "producers"),
    [("province", 3), ("city", 2), ("county_a", 2), ("county_b", 1), ("township", 1)],
)
def test_regulator_home_counts_its_region(busy, persona, producers):
    response = home(busy, persona)
    assert response.templates[0].name == "dashboard/regulator_home.html"
    figures = {str(f.label): f for f in response.context["figures"]}
    assert figures["登记主体"].value == producers
    assert figures["待处理预警"].value == producers * 3
    assert figures["待受理投诉"].value == producers
    parts = {str(p.label): p.value for p in figures["本月检测"].parts}
    assert parts["阳性"] == producers
    assert figures["视频在线率（7 天）"].value == "0.0%"
    counted: list[Figure] = [
        f for figure in figures.values() for f in (figure, *figure.parts) if type(f.value) is int
    ]
    assert len(counted) > 15
    for figure in counted:  # each count is what its list page shows
        assert listed(busy, persona, figure.url) == figure.value, (figure.label, figure.url)


def test_regulator_today_items_stay_in_scope(busy):
    response = home(busy, "county_a")
    today = {item.kind: item for item in response.context["today"]}
    assert set(today) == {"warning", "complaint", "test", "followup"}
    warnings = [w.title for w in today["warning"].rows]
    assert warnings[:2] == ["示例A阳性预警", "示例A2阳性预警"] or warnings[:2] == [
        "示例A2阳性预警",
        "示例A阳性预警",
    ]  # critical first
    assert not any("B" in title for title in warnings)
    assert {c.producer.name for c in today["complaint"].rows} == {"示例A合作社", "示例A2合作社"}
    assert {t.sample_name for t in today["test"].rows} == {"示例A阳性样品", "示例A2阳性样品"}
    assert {f.title for f in today["followup"].rows} == {"示例A跟进", "示例A2跟进"}
    page = response.content.decode()
    assert "示例B阳性样品" not in page and "示例A阳性样品" in page


def test_township_home_has_no_other_township(busy):
    page = home(busy, "township").content.decode()
    assert "示例A阳性样品" in page and "示例A2阳性样品" not in page


@pytest.mark.parametrize("persona", [*REGULATORS, "producer_a", "producer_b"])
def test_home_queries_are_pinned(busy, persona, django_assert_max_num_queries):
    client = busy.client(persona)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(HOME).status_code == 200
