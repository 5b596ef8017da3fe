"""What each home shows (issue 13 "homes by role"): a producer's next actions and what needs its
attention, a regulator's key counts and today's items. Every figure is read through
``restrict(user, "view")``, so a home shows only what the user may see, and each figure carries
the address of the list page that shows the same rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agritrace.alerts.models import FollowUp, FollowUpStatus, Severity, Warning, WarningStatus
from agritrace.catalog.choices import Validity
from agritrace.catalog.models import Certification, Product
from agritrace.catalog.services import validity_q
from agritrace.coding.choices import CodeStatus
from agritrace.coding.models import Certificate, TraceCode
from agritrace.coding.services.idcards import with_id_card
from agritrace.core import scoping
from agritrace.core.formats import listed
from agritrace.producers.choices import ProducerStatus
from agritrace.producers.models import Producer
from agritrace.producers.services import missing_equipment
from agritrace.production.models import Batch
from agritrace.supervision.filters import overdue_q
from agritrace.supervision.models import CLOSED_COMPLAINT, Complaint, ComplaintStatus
from agritrace.testing.choices import FAILING, Result, UploadStatus
from agritrace.testing.models import DeviceUpload, TestRecord
from agritrace.video import services as video
from agritrace.video.choices import ProbeStatus
from agritrace.video.models import Camera

#: Device uploads this recent count as needing attention.
UPLOAD_DAYS = 30
#: Positive tests this recent are today's items (a week of rapid tests).
POSITIVE_DAYS = 7
#: Complaints due within this many days (or overdue) are today's items.
COMPLAINT_NEAR_DAYS = 3
#: Follow-ups due within this many days (or overdue) are today's items.
FOLLOWUP_NEAR_DAYS = 7
#: The certification list (filtered by validity).
VALIDITY = "catalog:certification_list"
#: How many rows each list of today's items shows.
LIST_SIZE = 8
#: Severity order: critical first.
SEVERITY_RANK = Case(
    When(severity=Severity.CRITICAL, then=Value(0)),
    When(severity=Severity.WARNING, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class Figure:
    """A count (or rate) with the page that lists what it counts; ``parts`` break it down."""

    label: Promise | str
    value: int | str
    url: str
    detail: str = ""
    parts: tuple[Figure, ...] = field(default_factory=tuple)


def link(url_name: str, *args: Any, **query: Any) -> str:
    """``url_name``'s address with ``query`` (a list page's filters)."""
    url = reverse(url_name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight of ``day``: where a list page's ``…_after=day`` filter starts."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def month_start(today: dt.date) -> dt.date:
    """The first day of ``today``'s month."""
    return today.replace(day=1)


# A producer's home


def certification_figures(user: Any, today: dt.date) -> list[Figure]:
    """Expired and expiring (within 30 days) certifications: the same rule as the certification
    list's validity filter (2020 spec Art. 7: certified products stay traceable; Art. 17: renewal
    needs traceability and the ID card)."""
    counts = Certification.objects.restrict(user, "view").aggregate(
        expired=Count("pk", filter=validity_q(Validity.EXPIRED, today)),
        expiring=Count("pk", filter=validity_q(Validity.EXPIRING, today)),
    )
    expired = link(VALIDITY, validity=Validity.EXPIRED)
    expiring = link(VALIDITY, validity=Validity.EXPIRING)
    return [
        Figure(_("认证已过期"), counts["expired"], expired),
        Figure(_("认证 30 天内到期"), counts["expiring"], expiring),
    ]


def equipment_figure(producer: Producer) -> Figure:
    """Required equipment the producer has none of in service (2020 spec Art. 10, Annex 1)."""
    missing = missing_equipment(producer)
    return Figure(
        _("缺少必配设备"),
        len(missing),
        link("producers:mine"),
        detail=listed(requirement.label for requirement in missing),
    )


def offline_cameras(cameras: QuerySet[Camera]) -> QuerySet[Camera]:
    """Active cameras whose latest probe did not find the stream online (2021 notice Annex 2
    "5G技术": cameras at the quality-control points stay online)."""
    not_online = [status for status in ProbeStatus.values if status != ProbeStatus.ONLINE]
    return cameras.filter(active=True).with_latest_probe().filter(latest_status__in=not_online)


def upload_figures(user: Any, today: dt.date) -> list[Figure]:
    """Device uploads refused or in conflict over the last 30 days (2020 spec Annex 1: devices
    back up and upload their data; a refused upload means results missing from the platform)."""
    since = today - dt.timedelta(days=UPLOAD_DAYS)
    counts = (
        DeviceUpload.objects.restrict(user, "view")
        .filter(created_at__gte=day_start(since))
        .aggregate(
            rejected=Count("pk", filter=Q(status=UploadStatus.REJECTED)),
            conflict=Count("pk", filter=Q(status=UploadStatus.CONFLICT)),
        )
    )
    url = "testing:deviceupload_list"
    return [
        Figure(
            _("设备上传被拒收"),
            counts["rejected"],
            link(url, status=UploadStatus.REJECTED, created_at_after=since),
        ),
        Figure(
            _("设备上传记录号冲突"),
            counts["conflict"],
            link(url, status=UploadStatus.CONFLICT, created_at_after=since),
        ),
    ]


def id_card_figure(user: Any) -> Figure:
    """Products that must carry the ID card and have no active code yet (2020 spec Art. 13)."""
    products = with_id_card(Product.objects.restrict(user, "view"))
    count = products.filter(id_card_required=True, has_id_card=False).count()
    return Figure(_("产品缺“身份证”"), count, link("coding:idcard_list", has_id_card="false"))


def open_warnings_figure(user: Any) -> Figure:
    """Warnings in scope nobody has handled yet."""
    count = Warning.objects.restrict(user, "view").filter(status=WarningStatus.OPEN).count()
    return Figure(_("待处理预警"), count, link("alerts:warning_list", status=WarningStatus.OPEN))


def producer_attention(user: Any, today: dt.date | None = None) -> list[Figure]:
    """What needs a producer's attention, only the items with something in them. Complaints
    are not among them: producers never see complaints about them (a report protects the
    person who made it, 2020 spec Art. 23)."""
    today = today or timezone.localdate()
    producer = user.producer
    cameras = offline_cameras(Camera.objects.restrict(user, "view"))
    figures = [
        *certification_figures(user, today),
        equipment_figure(producer),
        Figure(_("摄像头离线"), cameras.count(), link("video:producer", producer.pk)),
        *upload_figures(user, today),
        id_card_figure(user),
        open_warnings_figure(user),
    ]
    return [figure for figure in figures if figure.value]


def latest_batches(user: Any, size: int = 5) -> list[Batch]:
    """The user's newest batches, to continue work on one."""
    batches = Batch.objects.restrict(user, "view").select_related("product")
    return list(batches.order_by("-produced_on", "-id")[:size])


# A regulator's home


def producer_figure(user: Any) -> Figure:
    """Producers registered in scope, of them the scale producers (2020 spec Art. 5: every
    scale producer registers) and those awaiting review."""
    counts = Producer.objects.restrict(user, "view").aggregate(
        total=Count("pk"),
        scale=Count("pk", filter=Q(scale_producer=True)),
        applied=Count("pk", filter=Q(status=ProducerStatus.APPLIED)),
    )
    url = "producers:producer_list"
    return Figure(
        _("登记主体"),
        counts["total"],
        link(url),
        parts=(
            Figure(_("规模主体"), counts["scale"], link(url, designation="scale")),
            Figure(_("待审核"), counts["applied"], link(url, status=ProducerStatus.APPLIED)),
        ),
    )


def product_figure(user: Any) -> Figure:
    """Products in scope, and those lacking the ID card they must carry (Art. 13)."""
    count = Product.objects.restrict(user, "view").count()
    missing = id_card_figure(user)
    return Figure(
        _("产品数"),
        count,
        link("catalog:product_list"),
        parts=(Figure(_("缺“身份证”"), missing.value, missing.url),),
    )


def batch_figure(user: Any, today: dt.date) -> Figure:
    """Batches produced this month (Art. 11: traceability records kept up to date)."""
    start = month_start(today)
    count = Batch.objects.restrict(user, "view").filter(produced_on__gte=start).count()
    return Figure(_("本月批次"), count, link("production:batch_list", produced_on_after=start))


def test_figure(user: Any, today: dt.date) -> Figure:
    """Tests this month, with the positive and unqualified ones (Art. 21: 监督抽查)."""
    start = month_start(today)
    counts = (
        TestRecord.objects.restrict(user, "view")
        .filter(tested_at__gte=day_start(start))
        .aggregate(
            total=Count("pk"),
            positive=Count("pk", filter=Q(result=Result.POSITIVE)),
            unqualified=Count("pk", filter=Q(result=Result.UNQUALIFIED)),
        )
    )
    url = "testing:testrecord_list"
    return Figure(
        _("本月检测"),
        counts["total"],
        link(url, tested_at_after=start),
        parts=(
            Figure(
                Result.POSITIVE.label,
                counts["positive"],
                link(url, result=Result.POSITIVE, tested_at_after=start),
            ),
            Figure(
                Result.UNQUALIFIED.label,
                counts["unqualified"],
                link(url, result=Result.UNQUALIFIED, tested_at_after=start),
            ),
        ),
    )


def certificate_figure(user: Any, today: dt.date) -> Figure:
    """Certificates of compliance issued this month and not voided (Art. 20: 合格证制度)."""
    start = month_start(today)
    count = (
        Certificate.objects.restrict(user, "view")
        .filter(issued_on__gte=start, voided=False)
        .count()
    )
    url = link("coding:certificate_list", issued_on_after=start, voided="false")
    return Figure(_("本月合格证"), count, url)


def code_figure(user: Any) -> Figure:
    """Trace codes bound to a batch and in circulation (Art. 13: 一品一码)."""
    count = TraceCode.objects.restrict(user, "view").filter(status=CodeStatus.ACTIVE).count()
    return Figure(_("已激活追溯码"), count, link("coding:tracecode_list", status=CodeStatus.ACTIVE))


def camera_figure(user: Any) -> Figure:
    """The cameras' online rate over the last week, from the stored probes (2021 notice Annex 2
    "5G技术": 视频实时在线率 ≥ 80 %)."""
    since, until = video.period()
    rates = video.online_rates(Camera.objects.restrict(user, "view"), since, until, "county")
    total = video.Rate(
        key=0,
        label="",
        cameras=sum(rate.cameras for rate in rates),
        probes=sum(rate.probes for rate in rates),
        online=sum(rate.online for rate in rates),
    )
    return Figure(_("视频在线率（7 天）"), total.percent, link("video:rates"))


def warning_figure(user: Any) -> Figure:
    """Open warnings, and the critical ones among them."""
    counts = (
        Warning.objects.restrict(user, "view")
        .filter(status=WarningStatus.OPEN)
        .aggregate(
            total=Count("pk"),
            critical=Count("pk", filter=Q(severity=Severity.CRITICAL)),
        )
    )
    url = "alerts:warning_list"
    return Figure(
        _("待处理预警"),
        counts["total"],
        link(url, status=WarningStatus.OPEN),
        parts=(
            Figure(
                Severity.CRITICAL.label,
                counts["critical"],
                link(url, status=WarningStatus.OPEN, severity=Severity.CRITICAL),
            ),
        ),
    )


def complaint_figure(user: Any) -> Figure:
    """Complaints received and not yet taken up, those in handling, and the overdue ones (Art.
    23: 及时受理投诉举报)."""
    counts = Complaint.objects.restrict(user, "view").aggregate(
        received=Count("pk", filter=Q(status=ComplaintStatus.RECEIVED)),
        handling=Count("pk", filter=Q(status=ComplaintStatus.HANDLING)),
        overdue=Count("pk", filter=overdue_q()),
    )
    url = "supervision:complaint_list"
    return Figure(
        _("待受理投诉"),
        counts["received"],
        link(url, status=ComplaintStatus.RECEIVED),
        parts=(
            Figure(
                ComplaintStatus.HANDLING.label,
                counts["handling"],
                link(url, status=ComplaintStatus.HANDLING),
            ),
            Figure(_("已超期"), counts["overdue"], link(url, overdue="true")),
        ),
    )


def regulator_figures(user: Any, today: dt.date | None = None) -> list[Figure]:
    """The region's key counts, each only when the user's role may view what it counts."""
    today = today or timezone.localdate()
    figures = (
        (Producer, lambda: producer_figure(user)),
        (Product, lambda: product_figure(user)),
        (Batch, lambda: batch_figure(user, today)),
        (TestRecord, lambda: test_figure(user, today)),
        (Certificate, lambda: certificate_figure(user, today)),
        (TraceCode, lambda: code_figure(user)),
        (Camera, lambda: camera_figure(user)),
        (Warning, lambda: warning_figure(user)),
        (Complaint, lambda: complaint_figure(user)),
    )
    return [make() for model, make in figures if scoping.may(user, model, "view")]


@dataclass(frozen=True)
class Today:
    """One list of today's items with the page that lists all of them; ``kind`` names the
    rows' template."""

    kind: str
    label: Promise
    rows: list[Any]
    url: str


def open_warnings(user: Any) -> Today:
    """Open warnings, critical first, then the newest."""
    rows = (
        Warning.objects.restrict(user, "view")
        .filter(status=WarningStatus.OPEN)
        .select_related("producer")
        .order_by(SEVERITY_RANK, "-created_at", "-id")[:LIST_SIZE]
    )
    url = link("alerts:warning_list", status=WarningStatus.OPEN)
    return Today("warning", _("待处理预警"), list(rows), url)


def complaints_due(user: Any, today: dt.date) -> Today:
    """Open complaints due within three days or overdue, the earliest deadline first (Art.
    23)."""
    rows = (
        Complaint.objects.restrict(user, "view")
        .exclude(status__in=CLOSED_COMPLAINT)
        .filter(due_on__lte=today + dt.timedelta(days=COMPLAINT_NEAR_DAYS))
        .order_by("due_on", "id")[:LIST_SIZE]
    )
    url = link("supervision:complaint_list", overdue="true")
    return Today("complaint", _("临近或超过办理期限的投诉"), list(rows), url)


def recent_failing_tests(user: Any, today: dt.date) -> Today:
    """Positive or unqualified tests of the last seven days, the newest first (Art. 21)."""
    since = today - dt.timedelta(days=POSITIVE_DAYS)
    rows = (
        TestRecord.objects.restrict(user, "view")
        .filter(result__in=FAILING, tested_at__gte=day_start(since))
        .select_related("producer")
        .order_by("-tested_at", "-id")[:LIST_SIZE]
    )
    url = link("testing:testrecord_list", result=Result.POSITIVE, tested_at_after=since)
    return Today("test", _("近 7 天阳性/不合格检测"), list(rows), url)


def followups_due(user: Any, today: dt.date) -> Today:
    """Open follow-ups due within a week or overdue, the earliest first."""
    rows = (
        FollowUp.objects.restrict(user, "view")
        .filter(
            status=FollowUpStatus.OPEN,
            due_on__lte=today + dt.timedelta(days=FOLLOWUP_NEAR_DAYS),
        )
        .select_related("producer")
        .order_by("due_on", "id")[:LIST_SIZE]
    )
    return Today(
        "followup",
        _("到期的跟进事项"),
        list(rows),
        link("alerts:followup_list", status=FollowUpStatus.OPEN),
    )


def regulator_today(user: Any, today: dt.date | None = None) -> list[Today]:
    """Today's items, each list only when the user's role may view its rows."""
    today = today or timezone.localdate()
    lists: Iterable[tuple[type, Any]] = (
        (Warning, lambda: open_warnings(user)),
        (Complaint, lambda: complaints_due(user, today)),
        (TestRecord, lambda: recent_failing_tests(user, today)),
        (FollowUp, lambda: followups_due(user, today)),
    )
    return [make() for model, make in lists if scoping.may(user, model, "view")]
