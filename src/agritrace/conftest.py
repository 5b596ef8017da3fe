"""Shared fixtures: a small real region tree and the personas of the scope matrix.

Places: ``A`` (township A of county A 安化), ``A2`` (another township of county A) and ``B``
(a township of county B 衡阳县, in another city). Personas: province, city (益阳), county A,
county B, township A, producer A, producer B, anonymous.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from agritrace.accounts.models import Organisation, OrganisationKind, User
from agritrace.core.permissions import Role
from agritrace.producers.choices import EquipmentCategory, ProducerKind, TracePointKind
from agritrace.producers.models import Equipment, Producer, ProductionBase, TracePoint
from agritrace.regions.models import Region
from agritrace.regions.services import load_regions

PASSWORD = "correct-horse-battery-9"
REGION_ROWS = [
    {"code": "43", "name": "湖南省", "level": "province", "parent_code": ""},
    {"code": "4304", "name": "衡阳市", "level": "city", "parent_code": "43"},
    {"code": "430421", "name": "衡阳县", "level": "county", "parent_code": "4304"},
    {"code": "430421100", "name": "西渡镇", "level": "township", "parent_code": "430421"},
    {"code": "4309", "name": "益阳市", "level": "city", "parent_code": "43"},
    {"code": "430923", "name": "安化县", "level": "county", "parent_code": "4309"},
    {"code": "430923100", "name": "东坪镇", "level": "township", "parent_code": "430923"},
    {"code": "430923101", "name": "小淹镇", "level": "township", "parent_code": "430923"},
]
#: Valid USCCs (check characters computed by python-stdnum) for test producers.
USCC = {"A": "93430923DEM00001X", "A2": "91430923DEM00002X", "B": "92430421DEM00003X"}


def uscc_of(place: str) -> str:
    from stdnum.cn import uscc

    return USCC[place] + uscc.calc_check_digit(USCC[place])


@dataclass
class World:
    """Everything the scope tests need, by place."""

    regions: dict[str, Region]
    orgs: dict[str, Organisation]
    producers: dict[str, Producer]
    users: dict[str, User | None]
    #: Per place: objects that others refer to (a product with batches, a base with records…).
    deps: dict[str, dict[str, Any]]

    def client(self, persona: str) -> Client:
        client = Client()
        user = self.users[persona]
        if user is not None:
            client.force_login(user)
        return client

    def api(self, persona: str) -> APIClient:
        client = APIClient()
        user = self.users[persona]
        if user is not None:
            client.force_authenticate(user)
        return client


def make_user(username: str, **fields: Any) -> User:
    user = User(username=username, **fields)
    user.set_password(PASSWORD)
    user.full_clean()
    user.save()
    return user


def make_producer(place: str, township: Region, **fields: Any) -> Producer:
    producer = Producer(
        kind=fields.pop("kind", ProducerKind.COOPERATIVE),
        name=f"示例{place}合作社",
        uscc=uscc_of(place),
        legal_representative="示例负责人",
        township=township,
        **fields,
    )
    producer.full_clean()
    producer.save()
    return producer


@pytest.fixture
def world(db) -> World:
    load_regions(REGION_ROWS)
    regions = {
        "province": Region.objects.get(code="43"),
        "city": Region.objects.get(code="4309"),
        "county_a": Region.objects.get(code="430923"),
        "county_b": Region.objects.get(code="430421"),
        "A": Region.objects.get(code="430923100"),
        "A2": Region.objects.get(code="430923101"),
        "B": Region.objects.get(code="430421100"),
    }

    def org(kind: str, key: str, name: str) -> Organisation:
        return Organisation.objects.create(kind=kind, region=regions[key], name=name)

    orgs = {
        "province": org(OrganisationKind.BUREAU, "province", "示例省厅"),
        "city": org(OrganisationKind.BUREAU, "city", "示例市局"),
        "county_a": org(OrganisationKind.SUPERVISION, "county_a", "示例安化监管站"),
        "county_b": org(OrganisationKind.SUPERVISION, "county_b", "示例衡阳县监管站"),
        "A": org(OrganisationKind.TOWNSHIP_STATION, "A", "示例东坪监管站"),
        "A2": org(OrganisationKind.TOWNSHIP_STATION, "A2", "示例小淹监管站"),
        "B": org(OrganisationKind.TOWNSHIP_STATION, "B", "示例西渡监管站"),
    }
    producers = {place: make_producer(place, regions[place]) for place in ("A", "A2", "B")}
    users: dict[str, User | None] = {
        "province": make_user("p_province", organisation=orgs["province"], role=Role.ADMINISTRATOR),
        "city": make_user("p_city", organisation=orgs["city"], role=Role.OFFICER),
        "county_a": make_user("p_county_a", organisation=orgs["county_a"], role=Role.ADMINISTRATOR),
        "county_b": make_user("p_county_b", organisation=orgs["county_b"], role=Role.OFFICER),
        "township": make_user("p_township", organisation=orgs["A"], role=Role.OFFICER),
        "producer_a": make_user("p_producer_a", producer=producers["A"], role=Role.OWNER),
        "producer_b": make_user("p_producer_b", producer=producers["B"], role=Role.OWNER),
        "anonymous": None,
    }
    for place, producer in producers.items():
        ProductionBase.objects.create(
            producer=producer, name=f"示例{place}基地", kind="field", township=regions[place]
        )
        point = TracePoint.objects.create(
            kind=TracePointKind.PRODUCER_POINT,
            name=f"示例{place}网点",
            producer=producer,
            township=regions[place],
        )
        Equipment.objects.create(
            category=EquipmentCategory.SCANNER,
            producer=producer,
            trace_point=point,
            model_name=f"示例{place}扫码枪",
        )
    deps = {place: make_production(place, producer) for place, producer in producers.items()}
    return World(regions=regions, orgs=orgs, producers=producers, users=users, deps=deps)


def make_production(place: str, producer: Producer) -> dict[str, Any]:
    """Catalogue and production objects of one place: the matrix's own objects (unreferenced,
    so deletable) and the dependencies other objects refer to."""
    import datetime as dt

    from agritrace.alerts.models import FollowUp
    from agritrace.alerts.services import raise_warning
    from agritrace.catalog.models import Certification, Product, Standard, TrainingSession
    from agritrace.production.models import (
        Batch,
        Input,
        InputPurchase,
        ProductionRecord,
        Shipment,
    )
    from agritrace.testing.models import Device, SelfTestPlan, Technician, TestRecord

    day = dt.date(2026, 3, 1)
    base = ProductionBase.objects.create(
        producer=producer,
        name=f"示例{place}生产基地",
        kind="greenhouse",
        township=producer.township,
    )
    product = Product.objects.create(
        producer=producer, name=f"示例{place}原料", category="vegetable"
    )
    fertiliser = Input.objects.create(
        kind="fertiliser", name=f"示例{place}有机肥", producer=producer
    )
    batch = Batch.objects.create(
        producer=producer,
        product=product,
        number=f"{place}-001",
        kind="harvest",
        quantity=1000,
        unit="kg",
        produced_on=day,
    )
    batch.bases.add(base)
    certification = Certification.objects.create(
        producer=producer, kind="trademark", name=f"示例{place}商标"
    )
    result = {
        "base": base,
        "product": product,
        "input": fertiliser,
        "batch": batch,
        "own": {
            "product": Product.objects.create(
                producer=producer, name=f"示例{place}产品", category="fruit"
            ),
            "certification": certification,
            "standard": Standard.objects.create(
                title=f"示例{place}企业标准",
                number=f"Q/{place}",
                level="enterprise",
                producer=producer,
            ),
            "trainingsession": TrainingSession.objects.create(
                producer=producer, topic=f"示例{place}培训", held_on=day
            ),
            "input": Input.objects.create(kind="feed", name=f"示例{place}饲料", producer=producer),
            "inputpurchase": InputPurchase.objects.create(
                producer=producer,
                input=fertiliser,
                supplier=f"示例{place}农资店",
                purchased_on=day,
                quantity=10,
                unit="kg",
            ),
            "productionrecord": ProductionRecord.objects.create(
                producer=producer, kind="irrigation", date=day, base=base, note=f"示例{place}灌溉"
            ),
            "batch": Batch.objects.create(
                producer=producer,
                product=product,
                number=f"{place}-002",
                kind="purchase",
                quantity=50,
                unit="kg",
                produced_on=day,
                supplier=f"示例{place}供货方",
            ),
            "shipment": Shipment.objects.create(
                batch=batch,
                shipped_on=day,
                quantity=5,
                buyer=f"示例{place}市场",
                buyer_kind="farmers_market",
            ),
            "warning": raise_warning(
                "certification_expiring",
                certification,
                region=producer.township,
                producer=producer,
                title=f"示例{place}预警",
            ),
            "technician": Technician.objects.create(name=f"示例{place}技术员", producer=producer),
            "device": Device.objects.create(
                kind="C", model_name="示例速测仪", serial=f"DEV-{place}", producer=producer
            ),
            "selftestplan": SelfTestPlan.objects.create(
                producer=producer,
                method="enzyme",
                items=f"示例{place}农残",
                times=1,
                period="week",
                valid_from=day,
                valid_to=day.replace(month=12),
            ),
            "testrecord": TestRecord.objects.create(
                producer=producer,
                sample_name=f"示例{place}样品",
                method="enzyme",
                item="有机磷",
                tested_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
                inhibition_rate=5,
                result="negative",
            ),
        },
    }
    own = result["own"]
    own["followup"] = FollowUp.objects.create(
        title=f"示例{place}跟进", producer=producer, warning=own["warning"], due_on=day
    )
    return result


@pytest.fixture(autouse=True)
def _fresh_card_memo():
    """ID-card parts remembered by version: a rolled-back test may reuse ids and versions."""
    from agritrace.public import card

    card.MEMO.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Chinese): a test that switches to English
    (a client's English cookie activates it in the test's thread) does not leak it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _scans_written_at_once(settings):
    """Scans are written in the request, inside the test's transaction (no writer thread)."""
    settings.AGRITRACE_SCAN_FLUSH_MS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is for production, not for hundreds of test accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render pages without running ``collectstatic`` first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


#: Where browser tests leave screenshots (collected as CI artifacts).
ARTIFACTS = Path(os.environ.get("AGRITRACE_TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (no browser download); ``scripts/system-deps.sh``
    installs it. The sync Playwright API runs an event loop in the test thread, so Django's
    async-safety check is relaxed for the tests that use it."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium is missing: run scripts/system-deps.sh")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--autoplay-policy=no-user-gesture-required", "--no-sandbox"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, request):
    """A fresh browser context and page; a screenshot of the last state is saved to
    ``ARTIFACTS/<test name>.png`` whatever the outcome."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    finally:
        context.close()
