"""The menu, grouped by task (issue 13 "navigation by task"), and the producer's next actions:
declared once as data. An entry shows only when the user's role may do its action on its model
(:func:`agritrace.core.scoping.may`, the check the page itself makes), so nobody meets a link
that answers 403."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agritrace.accounts.models import Organisation, User
from agritrace.alerts.models import FollowUp, Warning
from agritrace.catalog.models import Certification, Product, Standard, TrainingSession
from agritrace.coding.models import (
    Certificate,
    CodeRoll,
    LabelLayout,
    MarketCheck,
    PrintJob,
    TraceCode,
)
from agritrace.core import scoping
from agritrace.core.imports.importer import importers_for
from agritrace.producers.models import Equipment, Producer, ProductionBase, TracePoint
from agritrace.production.models import (
    Batch,
    Input,
    InputPurchase,
    ProductionRecord,
    Shipment,
)
from agritrace.supervision.models import Complaint
from agritrace.testing.models import Device, DeviceUpload, SelfTestPlan, Technician, TestRecord
from agritrace.video.models import Camera

#: Who an entry is for besides its grant: producer users, organisation users (and platform
#: superusers), or both.
PRODUCERS, ORGANISATIONS, EVERYONE = "producers", "organisations", "everyone"


def signed_in(user: Any) -> bool:
    """Pages open to every signed-in user (they show each user's own scope)."""
    return bool(user.is_authenticated)


@dataclass(frozen=True)
class Entry:
    """One link: shown when the user may ``action`` on ``model`` (or passes ``test``)."""

    label: Promise
    url_name: str
    model: type[models.Model] | None = None
    action: str = "view"
    who: str = EVERYONE
    query: str = ""
    test: Callable[[Any], bool] | None = None

    def allowed(self, user: Any) -> bool:
        """Whether ``user`` gets this entry."""
        if self.who != EVERYONE and bool(user.producer_id) != (self.who == PRODUCERS):
            return False
        if self.test is not None:
            return self.test(user)
        assert self.model is not None
        return scoping.may(user, self.model, self.action)

    @property
    def url(self) -> str:
        """The page's address (with the entry's query string)."""
        return reverse(self.url_name) + (f"?{self.query}" if self.query else "")

    def current(self, view_name: str) -> bool:
        """Whether the page ``view_name`` is one of this entry's pages (list, detail, add…)."""
        return self.url_name.rsplit("_", 1)[0] == view_name.rsplit("_", 1)[0]


@dataclass(frozen=True)
class Group:
    """A dropdown of the menu."""

    label: Promise
    entries: tuple[Entry, ...]


MENU: tuple[Group, ...] = (
    Group(
        _("主体与基地"),
        (
            Entry(_("本主体"), "producers:mine", Producer, who=PRODUCERS),
            Entry(_("生产经营主体"), "producers:producer_list", Producer, who=ORGANISATIONS),
            Entry(_("生产基地"), "producers:productionbase_list", ProductionBase),
            Entry(_("追溯网点"), "producers:tracepoint_list", TracePoint),
            Entry(_("设施设备"), "producers:equipment_list", Equipment),
            Entry(_("认证与品牌"), "catalog:certification_list", Certification),
            Entry(_("生产技术规程"), "catalog:standard_list", Standard),
            Entry(_("标准培训"), "catalog:trainingsession_list", TrainingSession),
        ),
    ),
    Group(
        _("生产"),
        (
            Entry(_("产品"), "catalog:product_list", Product),
            Entry(_("生产记录"), "production:productionrecord_list", ProductionRecord),
            Entry(_("投入品"), "production:input_list", Input),
            Entry(_("投入品采购"), "production:inputpurchase_list", InputPurchase),
            Entry(_("批次"), "production:batch_list", Batch),
            Entry(_("发货记录"), "production:shipment_list", Shipment),
        ),
    ),
    Group(
        _("检测"),
        (
            Entry(_("检测记录"), "testing:testrecord_list", TestRecord),
            Entry(_("自检计划"), "testing:selftestplan_list", SelfTestPlan),
            Entry(_("速测设备"), "testing:device_list", Device),
            Entry(_("检测技术员"), "testing:technician_list", Technician),
            Entry(_("设备上传记录"), "testing:deviceupload_list", DeviceUpload),
        ),
    ),
    Group(
        _("赋码与合格证"),
        (
            Entry(_("合格证"), "coding:certificate_list", Certificate),
            Entry(_("码卷"), "coding:coderoll_list", CodeRoll),
            Entry(_("追溯码"), "coding:tracecode_list", TraceCode),
            Entry(_("绑定追溯码"), "coding:bind", TraceCode, "change"),
            Entry(_("打印任务"), "coding:printjob_list", PrintJob),
            Entry(_("标签版式"), "coding:labellayout_list", LabelLayout),
            Entry(_("“身份证”管理"), "coding:idcard_list", Product),
            Entry(_("扫码统计"), "public:scan_stats", test=signed_in),
        ),
    ),
    Group(
        _("监管"),
        (
            Entry(_("预警"), "alerts:warning_list", Warning),
            Entry(_("跟进事项"), "alerts:followup_list", FollowUp),
            Entry(_("投诉举报"), "supervision:complaint_list", Complaint),
            Entry(_("视频监控"), "video:home", Camera),
            Entry(_("市场查验"), "coding:check", MarketCheck, "add"),
            Entry(_("查验记录"), "coding:marketcheck_list", MarketCheck),
        ),
    ),
    Group(
        _("数据与设置"),
        (
            Entry(_("机构"), "accounts:organisation_list", Organisation),
            Entry(_("用户"), "accounts:user_list", User),
            Entry(_("数据导入"), "imports:home", test=lambda user: bool(importers_for(user))),
        ),
    ),
)

#: A producer's next actions on its home, in the order of the work (2020 spec Art. 11 录入和
#: 维护追溯信息; Art. 20 合格证; Art. 13 "一品一码"): each opens the page that does it.
PRODUCER_ACTIONS: tuple[Entry, ...] = (
    Entry(
        _("记录投入品使用"),
        "production:productionrecord_add",
        ProductionRecord,
        "add",
        query="kind=input_application",
    ),
    Entry(_("记录农事"), "production:productionrecord_add", ProductionRecord, "add"),
    Entry(_("采收/出栏"), "production:harvest", Batch, "add"),
    Entry(_("录入检测"), "testing:testrecord_add", TestRecord, "add"),
    Entry(_("开具合格证"), "coding:certificate_add", Certificate, "add"),
    Entry(_("生成追溯码"), "coding:coderoll_add", CodeRoll, "add"),
    Entry(_("打印标签"), "coding:printjob_add", PrintJob, "add"),
    Entry(_("绑定追溯码"), "coding:bind", TraceCode, "change"),
    Entry(_("登记发货"), "production:shipment_add", Shipment, "add"),
)


@dataclass(frozen=True)
class ShownGroup:
    """A group as one user sees it."""

    label: Promise
    entries: list[Entry]
    current: bool


def menu_for(user: Any, view_name: str = "") -> list[ShownGroup]:
    """The groups with the entries ``user`` may open; empty groups are left out. No query."""
    if not user.is_authenticated:
        return []
    shown = []
    for group in MENU:
        entries = [entry for entry in group.entries if entry.allowed(user)]
        if entries:
            current = any(entry.current(view_name) for entry in entries)
            shown.append(ShownGroup(group.label, entries, current))
    return shown


def actions_for(user: Any) -> list[Entry]:
    """The next actions ``user`` may take (producer users)."""
    return [entry for entry in PRODUCER_ACTIONS if entry.allowed(user)]
