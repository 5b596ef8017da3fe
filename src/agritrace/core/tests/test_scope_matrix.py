"""The scope matrix: for every scoped model and every action, through the API and the UI,
exactly what each persona may see and do. Out of scope is 404 (and absent from lists); a role
without the grant gets 403; anonymous users are refused.

Expected visibility is written out here by place, independently of the implementation."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import uscc

from agritrace.accounts.models import Organisation, User
from agritrace.alerts.models import FollowUp, Warning
from agritrace.catalog.models import Certification, Product, Standard, TrainingSession
from agritrace.coding.models import (
    Certificate,
    CodeEvent,
    CodeRoll,
    LabelLayout,
    MarketCheck,
    PrintJob,
    TraceCode,
)
from agritrace.coding.services import binding, certificates, minting, printing
from agritrace.conftest import PASSWORD, World, make_user
from agritrace.core import scoping
from agritrace.core.permissions import Role
from agritrace.producers.models import Equipment, Producer, ProductionBase, TracePoint
from agritrace.production.models import (
    Batch,
    Input,
    InputPurchase,
    ProductionRecord,
    Shipment,
)
from agritrace.public.models import ScanEvent
from agritrace.supervision import services as supervision
from agritrace.supervision.models import Complaint
from agritrace.testing.models import Device, DeviceUpload, SelfTestPlan, Technician, TestRecord
from agritrace.video.models import Camera

PLACES = ("A", "A2", "B")
REGULATOR_SEES = {
    "province": {"A", "A2", "B"},
    "city": {"A", "A2"},
    "county_a": {"A", "A2"},
    "county_b": {"B"},
    "township": {"A"},
}
PRODUCER_SEES = {"producer_a": {"A"}, "producer_b": {"B"}}
PERSONAS = (*REGULATOR_SEES, *PRODUCER_SEES, "anonymous")


@dataclass(frozen=True)
class Case:
    """One scoped model in the matrix."""

    model: type[models.Model]
    api: str
    ui: str
    objects: Callable[[World], dict[str, models.Model]]
    payload: Callable[[World, str, int], dict[str, Any]]
    label: Callable[[models.Model], str]
    rename: dict[str, str]
    producer_visible: bool = True
    #: The UI form of a producer user has no producer field: its own producer is used.
    implicit_producer: bool = False
    #: Lookup from the model to its producer.
    producer_lookup: str = "producer"
    #: Which UI pages exist (warnings are raised by rules, not added or edited by hand).
    ui_actions: tuple[str, ...] = ("view", "change", "delete", "add")
    #: API change through an action instead of PATCH: (action, body, field, value after).
    api_change: tuple[str, dict[str, Any], str, Any] | None = None
    #: Users with the grant may add it whatever the place (a market checks goods from every
    #: county; the check is placed in the checker's own region).
    add_anywhere: bool = False


def _new_uscc(n: int) -> str:
    body = f"93430923NEW{n:05d}X"
    return body + uscc.calc_check_digit(body)


def _users(world: World) -> dict[str, models.Model]:
    return {
        "A": make_user("u_a", producer=world.producers["A"], role=Role.STAFF),
        "A2": make_user("u_a2", organisation=world.orgs["A2"], role=Role.INSPECTOR),
        "B": make_user("u_b", producer=world.producers["B"], role=Role.STAFF),
    }


def _county(place: str) -> str:
    return "county_b" if place == "B" else "county_a"


CASES = {
    "organisation": Case(
        model=Organisation,
        api="/api/v1/organisations/",
        ui="accounts:organisation",
        objects=lambda w: {p: w.orgs[p] for p in PLACES},
        payload=lambda w, p, n: {
            "name": f"新机构{n}",
            "kind": "testing" if p == "A2" else "enforcement",
            "region": w.regions[_county(p)].pk,
        },
        label=lambda o: o.name,
        rename={"name": "改名机构"},
        producer_visible=False,
    ),
    "user": Case(
        model=User,
        api="/api/v1/users/",
        ui="accounts:user",
        objects=_users,
        payload=lambda w, p, n: {
            "username": f"new_user_{n}",
            "producer": w.producers[p].pk,
            "role": "staff",
            "password": PASSWORD,
        },
        label=lambda o: o.username,
        rename={"first_name": "改名"},
    ),
    "producer": Case(
        model=Producer,
        api="/api/v1/producers/",
        ui="producers:producer",
        objects=lambda w: dict(w.producers),
        payload=lambda w, p, n: {
            "kind": "cooperative",
            "name": f"示例新主体{n}",
            "uscc": _new_uscc(n),
            "legal_representative": "示例负责人",
            "township": w.regions[p].pk,
        },
        label=lambda o: o.name,
        rename={"name": "示例改名主体"},
    ),
    "productionbase": Case(
        model=ProductionBase,
        api="/api/v1/bases/",
        ui="producers:productionbase",
        objects=lambda w: {p: ProductionBase.objects.get(name=f"示例{p}基地") for p in PLACES},
        payload=lambda w, p, n: {
            "producer": w.producers[p].pk,
            "name": f"示例新基地{n}",
            "kind": "field",
            "township": w.regions[p].pk,
        },
        label=lambda o: o.name,
        rename={"name": "示例改名基地"},
        implicit_producer=True,
    ),
    "tracepoint": Case(
        model=TracePoint,
        api="/api/v1/trace-points/",
        ui="producers:tracepoint",
        objects=lambda w: {p: TracePoint.objects.get(producer=w.producers[p]) for p in PLACES},
        payload=lambda w, p, n: {
            "kind": "producer_point",
            "producer": w.producers[p].pk,
            "name": f"示例新网点{n}",
            "township": w.regions[p].pk,
        },
        label=lambda o: o.name,
        rename={"name": "示例改名网点"},
        implicit_producer=True,
    ),
    "equipment": Case(
        model=Equipment,
        api="/api/v1/equipment/",
        ui="producers:equipment",
        objects=lambda w: {p: Equipment.objects.get(producer=w.producers[p]) for p in PLACES},
        payload=lambda w, p, n: {
            "category": "desktop",
            "producer": w.producers[p].pk,
            "model_name": f"示例新{n}",
            "status": "in_service",
        },
        label=lambda o: o.model_name,
        rename={"model_name": "示例改名设备"},
        implicit_producer=True,
    ),
}


def _own(key: str) -> Callable[[World], dict[str, models.Model]]:
    return lambda w: {p: w.deps[p]["own"][key] for p in PLACES}


def _rolls(world: World) -> dict[str, CodeRoll]:
    return {p: minting.request_mint(world.producers[p], 3, note=f"示例{p}码卷") for p in PLACES}


def _roll_of(world: World, place: str) -> CodeRoll:
    found = CodeRoll.objects.filter(producer=world.producers[place]).first()
    return found or minting.request_mint(world.producers[place], 3)


def _events(world: World) -> dict[str, CodeEvent]:
    for place, roll in _rolls(world).items():
        binding.void(roll, 3, 3, f"示例{place}作废")
    return {p: CodeEvent.objects.get(reason=f"示例{p}作废") for p in PLACES}


def _preset() -> LabelLayout:
    return LabelLayout.objects.get(producer=None, name="50x30")


def _layouts(world: World) -> dict[str, LabelLayout]:
    preset = _preset()
    return {
        p: LabelLayout.objects.create(
            producer=world.producers[p],
            name=f"示例{p}版式",
            width_mm=preset.width_mm,
            height_mm=preset.height_mm,
            elements=preset.elements,
        )
        for p in PLACES
    }


def _print(world: World, place: str) -> PrintJob:
    job = PrintJob(
        roll=_roll_of(world, place), first_serial=1, last_serial=1, layout=_preset(), output="zpl"
    )
    return printing.request_print(job)


def _certificate_body(world: World, place: str) -> dict[str, Any]:
    return {
        "batch": world.deps[place]["batch"].pk,
        "quantity": "5",
        "basis": "quality_control",
        "no_prohibited": True,
        "within_limits": True,
        "responsible": True,
        "signatory": "示例签名",
        "issued_on": timezone.localdate().isoformat(),
    }


def _certificates(world: World) -> dict[str, Certificate]:
    return {
        p: certificates.issue_certificate(
            Certificate(
                **_certificate_body(world, p)
                | {
                    "batch": world.deps[p]["batch"],
                    "quantity": 10,
                    "signatory": f"示例{p}",
                    "issued_on": timezone.localdate(),
                }
            )
        )
        for p in PLACES
    }


def _certificate_body_n(world: World, place: str, n: int) -> dict[str, Any]:
    return _certificate_body(world, place)


def _checks(world: World) -> dict[str, MarketCheck]:
    return {
        p: MarketCheck.objects.create(
            scanned=f"示例{p}",
            kind="unknown",
            valid=False,
            reason=f"示例{p}查验",
            region=world.regions[p],
            producer=world.producers[p],
            checked_by=world.users["province"],
        )
        for p in PLACES
    }


def _scans(world: World) -> dict[str, ScanEvent]:
    return {
        p: ScanEvent.objects.create(
            code=roll.codes.get(serial=1),
            producer=world.producers[p],
            county=world.producers[p].township.parent,
            scanned_at=timezone.now(),
            client=f"示例{p}客户端",
        )
        for p, roll in _rolls(world).items()
    }


def _complaints(world: World) -> dict[str, Complaint]:
    """One complaint per place, filed from a code of that place's producer (so routed to its
    township and county)."""
    found = {}
    for place in PLACES:
        roll = minting.request_mint(world.producers[place], 1, note=f"示例{place}投诉码")
        found[place] = supervision.file_complaint(
            category="quality",
            description=f"示例{place}投诉",
            code_text=roll.codes.get().code,
        )
    return found


def _dep(key: str) -> Callable[[World, str], int]:
    return lambda w, p: w.deps[p][key].pk


D = "2026-03-05"
CASES |= {
    "product": Case(
        model=Product,
        api="/api/v1/products/",
        ui="catalog:product",
        objects=_own("product"),
        payload=lambda w, p, n: {
            "producer": w.producers[p].pk,
            "name": f"示例新产品{n}",
            "category": "vegetable",
            "unit": "kg",
        },
        label=lambda o: o.name,
        rename={"name": "示例改名产品"},
        implicit_producer=True,
    ),
    "certification": Case(
        model=Certification,
        api="/api/v1/certifications/",
        ui="catalog:certification",
        objects=_own("certification"),
        payload=lambda w, p, n: {
            "producer": w.producers[p].pk,
            "kind": "trademark",
            "name": f"示例新商标{n}",
        },
        label=lambda o: o.name,
        rename={"name": "示例改名商标"},
        implicit_producer=True,
    ),
    "standard": Case(
        model=Standard,
        api="/api/v1/standards/",
        ui="catalog:standard",
        objects=_own("standard"),
        payload=lambda w, p, n: {
            "title": f"示例新标准{n}",
            "number": f"Q/NEW{n}",
            "level": "enterprise",
            "producer": w.producers[p].pk,
        },
        label=lambda o: o.title,
        rename={"title": "示例改名标准"},
    ),
    "trainingsession": Case(
        model=TrainingSession,
        api="/api/v1/training-sessions/",
        ui="catalog:trainingsession",
        objects=_own("trainingsession"),
        payload=lambda w, p, n: {
            "producer": w.producers[p].pk,
            "topic": f"示例新培训{n}",
            "held_on": D,
        },
        label=lambda o: o.topic,
        rename={"topic": "示例改名培训"},
        implicit_producer=True,
    ),
    "input": Case(
        model=Input,
        api="/api/v1/inputs/",
        ui="production:input",
        objects=_own("input"),
        payload=lambda w, p, n: {
            "kind": "fertiliser",
            "name": f"示例新肥{n}",
            "producer": w.producers[p].pk,
            "default_interval_days": 0,
        },
        label=lambda o: o.name,
        rename={"name": "示例改名投入品"},
        implicit_producer=True,
    ),
    "inputpurchase": Case(
        model=InputPurchase,
        api="/api/v1/input-purchases/",
        ui="production:inputpurchase",
        objects=_own("inputpurchase"),
        payload=lambda w, p, n: {
            "producer": w.producers[p].pk,
            "input": _dep("input")(w, p),
            "supplier": f"示例新店{n}",
            "purchased_on": D,
            "quantity": "3",
            "unit": "kg",
        },
        label=lambda o: o.supplier,
        rename={"supplier": "示例改名农资店"},
        implicit_producer=True,
    ),
    "productionrecord": Case(
        model=ProductionRecord,
        api="/api/v1/records/",
        ui="production:productionrecord",
        objects=_own("productionrecord"),
        payload=lambda w, p, n: {
            "producer": w.producers[p].pk,
            "kind": "irrigation",
            "date": D,
            "base": _dep("base")(w, p),
            "note": f"示例新记录{n}",
        },
        label=lambda o: o.note,
        rename={"note": "示例改名记录"},
        implicit_producer=True,
    ),
    "batch": Case(
        model=Batch,
        api="/api/v1/batches/",
        ui="production:batch",
        objects=_own("batch"),
        payload=lambda w, p, n: {
            "producer": w.producers[p].pk,
            "product": _dep("product")(w, p),
            "number": f"NEW-{n}",
            "kind": "purchase",
            "quantity": "20",
            "unit": "kg",
            "produced_on": D,
            "supplier": "示例",
        },
        label=lambda o: o.supplier,
        rename={"supplier": "示例改名供货方"},
        implicit_producer=True,
    ),
    "shipment": Case(
        model=Shipment,
        api="/api/v1/shipments/",
        ui="production:shipment",
        objects=_own("shipment"),
        payload=lambda w, p, n: {
            "batch": _dep("batch")(w, p),
            "shipped_on": D,
            "quantity": "1",
            "buyer": f"示例新买家{n}",
            "buyer_kind": "supermarket",
        },
        label=lambda o: o.buyer,
        rename={"buyer": "示例改名市场"},
        producer_lookup="batch__producer",
    ),
    "warning": Case(
        model=Warning,
        api="/api/v1/warnings/",
        ui="alerts:warning",
        objects=_own("warning"),
        payload=lambda w, p, n: {},
        label=lambda o: o.title,
        rename={},
        ui_actions=("view",),
        api_change=("acknowledge", {}, "status", "acknowledged"),
    ),
    "followup": Case(
        model=FollowUp,
        api="/api/v1/follow-ups/",
        ui="alerts:followup",
        objects=_own("followup"),
        payload=lambda w, p, n: {},
        label=lambda o: o.title,
        rename={},
        producer_visible=False,
        ui_actions=("view",),
        api_change=("close", {"resolution": "示例：已办结"}, "status", "closed"),
    ),
    "complaint": Case(
        model=Complaint,
        api="/api/v1/complaints/",
        ui="supervision:complaint",
        objects=_complaints,
        payload=lambda w, p, n: {"category": "quality", "description": f"示例{n}"},
        label=lambda o: o.tracking_number,
        rename={},
        producer_visible=False,
        ui_actions=("view",),
        api_change=("handle", {"status": "handling"}, "status", "handling"),
    ),
    "technician": Case(
        model=Technician,
        api="/api/v1/testing/technicians/",
        ui="testing:technician",
        objects=_own("technician"),
        payload=lambda w, p, n: {"name": f"示例新技术员{n}", "producer": w.producers[p].pk},
        label=lambda o: o.name,
        rename={"name": "示例改名技术员"},
        implicit_producer=True,
    ),
    "device": Case(
        model=Device,
        api="/api/v1/testing/devices/",
        ui="testing:device",
        objects=_own("device"),
        payload=lambda w, p, n: {
            "kind": "A",
            "model_name": "示例速测仪",
            "serial": f"NEW-{n}",
            "producer": w.producers[p].pk,
        },
        label=lambda o: o.serial,
        rename={"serial": "RENAMED-1"},
        implicit_producer=True,
    ),
    "selftestplan": Case(
        model=SelfTestPlan,
        api="/api/v1/testing/plans/",
        ui="testing:selftestplan",
        objects=_own("selftestplan"),
        payload=lambda w, p, n: {
            "producer": w.producers[p].pk,
            "method": "enzyme",
            "items": f"示例新计划{n}",
            "times": 2,
            "period": "week",
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
        },
        label=lambda o: o.items,
        rename={"items": "示例改名计划"},
        implicit_producer=True,
    ),
    "testrecord": Case(
        model=TestRecord,
        api="/api/v1/testing/tests/",
        ui="testing:testrecord",
        objects=_own("testrecord"),
        payload=lambda w, p, n: {
            "producer": w.producers[p].pk,
            "sample_name": f"示例新样品{n}",
            "method": "enzyme",
            "item": "有机磷",
            "tested_at": "2026-03-05T10:00",
            "inhibition_rate": "5",
            "purpose": "self",
            "unit": "mg/kg",
        },
        label=lambda o: o.sample_name,
        rename={"sample_name": "示例改名样品"},
        implicit_producer=True,
        ui_actions=("view", "add"),
    ),
    "coderoll": Case(
        model=CodeRoll,
        api="/api/v1/code-rolls/",
        ui="coding:coderoll",
        objects=_rolls,
        payload=lambda w, p, n: {"producer": w.producers[p].pk, "count": 2, "note": f"新{n}"},
        label=lambda o: o.note,
        rename={"note": "示例改名码卷"},
        implicit_producer=True,
        ui_actions=("view", "add"),
    ),
    "tracecode": Case(
        model=TraceCode,
        api="/api/v1/trace-codes/",
        ui="coding:tracecode",
        objects=lambda w: {p: roll.codes.get(serial=1) for p, roll in _rolls(w).items()},
        payload=lambda w, p, n: {},
        label=lambda o: o.code,
        rename={},
        ui_actions=("view",),
        api_change=("void", {"reason": "示例作废"}, "status", "voided"),
    ),
    "codeevent": Case(
        model=CodeEvent,
        api="/api/v1/code-events/",
        ui="coding:codeevent",
        objects=_events,
        payload=lambda w, p, n: {},
        label=lambda o: o.reason,
        rename={"reason": "示例改名"},
        ui_actions=("view",),
    ),
    "labellayout": Case(
        model=LabelLayout,
        api="/api/v1/label-layouts/",
        ui="coding:labellayout",
        objects=_layouts,
        payload=lambda w, p, n: {
            "producer": w.producers[p].pk,
            "name": f"示例新版式{n}",
            "width_mm": "50",
            "height_mm": "30",
            "elements": _preset().elements,
        },
        label=lambda o: o.name,
        rename={"name": "示例改名版式"},
        implicit_producer=True,
    ),
    "printjob": Case(
        model=PrintJob,
        api="/api/v1/print-jobs/",
        ui="coding:printjob",
        objects=lambda w: {p: _print(w, p) for p in PLACES},
        payload=lambda w, p, n: {
            "roll": _roll_of(w, p).pk,
            "first_serial": 1,
            "last_serial": 2,
            "layout": _preset().pk,
            "output": "tspl",
            "dpi": 203,
        },
        label=lambda o: f"{o}</a>",
        rename={"sheet": "a4-50x30"},
        ui_actions=("view", "add"),
    ),
    "certificate": Case(
        model=Certificate,
        api="/api/v1/certificates/",
        ui="coding:certificate",
        objects=_certificates,
        payload=_certificate_body_n,
        label=lambda o: o.number,
        rename={"signatory": "示例改名"},
        ui_actions=("view", "add"),
        api_change=("void", {"reason": "示例作废"}, "voided", True),
    ),
    "marketcheck": Case(
        model=MarketCheck,
        api="/api/v1/market-checks/",
        ui="coding:marketcheck",
        objects=_checks,
        payload=lambda w, p, n: {"scanned": f"示例扫描{n}", "market": "示例市场"},
        label=lambda o: o.reason,
        rename={"market": "示例改名"},
        ui_actions=("view",),
        add_anywhere=True,
    ),
    "scanevent": Case(
        model=ScanEvent,
        api="/api/v1/scan-events/",
        ui="public:scanevent",
        objects=_scans,
        payload=lambda w, p, n: {},
        label=lambda o: o.client,
        rename={"client": "示例改名"},
        ui_actions=("view",),
    ),
}
CASES["camera"] = Case(
    model=Camera,
    api="/api/v1/cameras/",
    ui="video:camera",
    objects=lambda w: {
        p: Camera.objects.get_or_create(
            producer=w.producers[p],
            name=f"示例{p}摄像头",
            defaults={"point_type": "lab", "hls_url": f"https://video.example.com/{p}.m3u8"},
        )[0]
        for p in PLACES
    },
    payload=lambda w, p, n: {
        "producer": w.producers[p].pk,
        "point_type": "core_base",
        "name": f"示例新摄像头{n}",
        "hls_url": f"https://video.example.com/new{n}.m3u8",
        "active": True,
    },
    label=lambda o: o.name,
    rename={"name": "示例改名摄像头"},
    implicit_producer=True,
)

CASES["deviceupload"] = Case(
    model=DeviceUpload,
    api="/api/v1/testing/upload-logs/",
    ui="testing:deviceupload",
    objects=lambda w: {
        p: DeviceUpload.objects.create(
            device=Device.objects.create(kind="A", serial=f"UPLOG-{p}-1", producer=w.producers[p]),
            uid=uuid.uuid4(),
            source="json",
            status="ACCEPTED",
            http_status=200,
        )
        for p in PLACES
    },
    payload=lambda w, p, n: {},
    label=lambda o: o.device.serial,
    rename={"records": 7},
    ui_actions=("view",),
)


def sees(persona: str, case: Case) -> set[str]:
    """The places whose objects of ``case`` the persona sees."""
    if persona in PRODUCER_SEES:
        return PRODUCER_SEES[persona] if case.producer_visible else set()
    return REGULATOR_SEES.get(persona, set())


def expect(world: World, persona: str, case: Case, action: str, place: str) -> str:
    """'ok', 'anonymous', 'forbidden' (403), 'hidden' (404) or 'invalid' (400 on create)."""
    user = world.users[persona]
    if user is None:
        return "anonymous"
    if Role(user.role) not in case.model.scope_rules.grants[action]:
        return "forbidden"
    if action == "add" and case.add_anywhere:
        return "ok"
    if place not in sees(persona, case):
        return "invalid" if action == "add" else "hidden"
    return "ok"


def test_every_scoped_model_is_in_the_matrix():
    scoped = {
        m._meta.model_name
        for m in apps.get_models()
        if isinstance(getattr(m, "scope_rules", None), scoping.ScopeRules)
    }
    assert scoped == set(CASES)


API_STATUS = {"anonymous": {401, 403}, "forbidden": {403}, "hidden": {404}, "invalid": {400}}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", CASES)
def test_api(world: World, persona: str, name: str):
    case = CASES[name]
    objects = case.objects(world)
    client = world.api(persona)

    # list
    response = client.get(case.api, {"page_size": 500})
    outcome = expect(world, persona, case, "view", "A")
    if outcome in ("anonymous", "forbidden"):
        assert response.status_code in API_STATUS[outcome]
    else:
        assert response.status_code == 200
        listed = {row["id"] for row in response.json()["results"]}
        for place, obj in objects.items():
            assert (obj.pk in listed) == (place in sees(persona, case)), (place, listed)

    for place, obj in objects.items():
        # get
        response = client.get(f"{case.api}{obj.pk}/")
        outcome = expect(world, persona, case, "view", place)
        assert response.status_code in (API_STATUS.get(outcome) or {200}), (place, "view", outcome)
        # update (warnings are changed by acknowledging them)
        outcome = expect(world, persona, case, "change", place)
        if case.api_change is None:
            response = client.patch(f"{case.api}{obj.pk}/", case.rename, format="json")
            field, value = next(iter(case.rename.items()))
        else:
            name, body, field, value = case.api_change
            response = client.post(f"{case.api}{obj.pk}/{name}/", body, format="json")
        assert response.status_code in (API_STATUS.get(outcome) or {200}), (
            place,
            "change",
            response.content,
        )
        obj.refresh_from_db()
        assert (getattr(obj, field) == value) == (outcome == "ok")
        # delete
        response = client.delete(f"{case.api}{obj.pk}/")
        outcome = expect(world, persona, case, "delete", place)
        assert response.status_code in (API_STATUS.get(outcome) or {204}), (place, "delete")
        assert case.model._default_manager.filter(pk=obj.pk).exists() == (outcome != "ok")

    # create, in each place
    for n, place in enumerate(PLACES, start=1):
        before = case.model._default_manager.count()
        response = client.post(case.api, case.payload(world, place, n), format="json")
        outcome = expect(world, persona, case, "add", place)
        assert response.status_code in (API_STATUS.get(outcome) or {201}), (
            place,
            "add",
            response.content,
        )
        assert case.model._default_manager.count() == before + (outcome == "ok")


def form_data(form: Any) -> dict[str, Any]:
    """The POST data a browser would send for ``form`` as rendered."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, FieldFile):
            continue
        if field.widget.input_type == "checkbox" if hasattr(field.widget, "input_type") else False:
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = value
    return data


UI_STATUS = {"forbidden": 403, "hidden": 404}


def ui_payload(case: Case, payload: dict[str, Any]) -> dict[str, Any]:
    data = {k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in payload.items()}
    if "password" in data:
        data["password1"] = data["password2"] = data.pop("password")
        data["is_active"] = "on"
    return data


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", CASES)
def test_ui(world: World, persona: str, name: str):
    case = CASES[name]
    objects = case.objects(world)
    client = world.client(persona)

    # list
    response = client.get(reverse(f"{case.ui}_list"))
    outcome = expect(world, persona, case, "view", "A")
    if outcome == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
        return
    if outcome == "forbidden":
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        text = response.content.decode()
        for place, obj in objects.items():
            assert (case.label(obj) in text) == (place in sees(persona, case)), place

    for place, obj in objects.items():
        detail = reverse(f"{case.ui}_detail", args=[obj.pk])
        outcome = expect(world, persona, case, "view", place)
        assert client.get(detail).status_code == UI_STATUS.get(outcome, 200), (place, "view")
        if "change" not in case.ui_actions:
            continue
        # (test records are kept as they are: no edit or delete page at all, see ui_actions)

        edit = reverse(f"{case.ui}_edit", args=[obj.pk])
        outcome = expect(world, persona, case, "change", place)
        if outcome == "ok":
            form = client.get(edit).context["form"]
            data = form_data(form) | case.rename
            response = client.post(edit, data)
            assert response.status_code == 302, response.context["form"].errors
        else:
            assert client.post(edit, case.rename).status_code == UI_STATUS[outcome], (
                place,
                "change",
            )
        obj.refresh_from_db()
        field, value = next(iter(case.rename.items()))
        assert (getattr(obj, field) == value) == (outcome == "ok")

        delete = reverse(f"{case.ui}_delete", args=[obj.pk])
        outcome = expect(world, persona, case, "delete", place)
        response = client.post(delete)
        assert response.status_code == UI_STATUS.get(outcome, 302), (place, "delete")
        assert case.model._default_manager.filter(pk=obj.pk).exists() == (outcome != "ok")

    if "add" not in case.ui_actions:
        return
    add = reverse(f"{case.ui}_add")
    for n, place in enumerate(PLACES, start=1):
        before = case.model._default_manager.count()
        response = client.post(add, ui_payload(case, case.payload(world, place, n)))
        outcome = expect(world, persona, case, "add", place)
        if outcome == "invalid" and case.implicit_producer and persona in PRODUCER_SEES:
            # the other producer is not even a field: the form is refused (another county's
            # township) or the object becomes the user's own; never the other producer's
            assert response.status_code in (200, 302)
            created = case.model._default_manager.order_by("-pk")[
                : case.model._default_manager.count() - before
            ]
            assert all(obj.producer_id == world.users[persona].producer_id for obj in created)
            continue
        if outcome == "forbidden":
            assert response.status_code == 403
        elif outcome == "invalid":
            assert response.status_code == 200 and response.context["form"].errors
        else:
            assert response.status_code == 302, response.context["form"].errors
        assert case.model._default_manager.count() == before + (outcome == "ok")


def test_shared_catalogue_entries_are_visible_to_everyone_signed_in(world: World):
    national = Standard.objects.create(title="示例国家标准", number="GB/T 0000", level="national")
    pesticide = Input.objects.create(
        kind="pesticide", name="示例农药", registration_number="PD00000000"
    )
    for persona in PERSONAS[:-1]:
        client = world.api(persona)
        assert client.get(f"/api/v1/standards/{national.pk}/").status_code == 200
        assert client.get(f"/api/v1/inputs/{pesticide.pk}/").status_code == 200
    producer = world.api("producer_a")
    # visible, but only regulators of a region may change a shared entry: 403, not 404
    assert (
        producer.patch(
            f"/api/v1/standards/{national.pk}/", {"title": "x"}, format="json"
        ).status_code
        == 403
    )
    assert world.api("anonymous").get(f"/api/v1/standards/{national.pk}/").status_code in (401, 403)


def test_scope_rules_name_only_known_actions():
    with pytest.raises(ValueError, match="grants"):
        scoping.ScopeRules(region=(), producer=None, grants={"peek": frozenset()})
    with pytest.raises(ValueError, match="unmasked_for"):
        scoping.ScopeRules(region=(), producer=None, unmasked_for="peek")
