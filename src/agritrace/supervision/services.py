"""Complaints from the public (2020 spec Art. 23): filing, routing, photos, handling, deadlines
(overdue complaints raise a warning through ``agritrace.alerts``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.alerts.models import WarningKind
from agritrace.alerts.services import close_warnings, raise_warning
from agritrace.coding.choices import CheckedKind
from agritrace.coding.models import TraceCode
from agritrace.coding.services.links import read_scan
from agritrace.core import codes
from agritrace.core.images import CleanPhoto, PhotoRefused, clean_photo
from agritrace.core.validators import normalise_phone
from agritrace.regions.models import Level, Region
from agritrace.supervision.models import (
    CLOSED_COMPLAINT,
    TRACKING_LENGTH,
    TRACKING_PAYLOAD,
    Complaint,
    ComplaintCategory,
    ComplaintPhoto,
    ComplaintStatus,
)

#: Photos per complaint.
MAX_PHOTOS = 3
#: How a complaint may move: closed ones (resolved, rejected) stay closed.
COMPLAINT_TRANSITIONS = {
    ComplaintStatus.RECEIVED: {
        ComplaintStatus.HANDLING,
        ComplaintStatus.RESOLVED,
        ComplaintStatus.REJECTED,
    },
    ComplaintStatus.HANDLING: {
        ComplaintStatus.HANDLING,
        ComplaintStatus.RESOLVED,
        ComplaintStatus.REJECTED,
    },
    ComplaintStatus.RESOLVED: set(),
    ComplaintStatus.REJECTED: set(),
}


@dataclass(frozen=True)
class Routing:
    """Where a complaint goes, and what was wrong with the code it came with (if anything)."""

    trace_code: TraceCode | None
    problem: str = ""


def resolve_code(text: str) -> Routing:
    """The trace code a complaint came from (a bare code, or a ``/t/<code>`` URL): unknown or
    malformed codes are reported plainly, never guessed at."""
    if not text.strip():
        return Routing(None)
    scanned = read_scan(text)
    if scanned.kind == CheckedKind.UNKNOWN:
        return Routing(None, scanned.problem)
    if scanned.kind != CheckedKind.TRACE_CODE:
        return Routing(None, _("这是合格证编号，不是追溯码"))
    found = (
        TraceCode.objects.select_related("producer__township", "batch__product")
        .filter(code=scanned.value)
        .first()
    )
    if found is None:
        return Routing(None, _("追溯码不存在：可能是伪造的"))
    return Routing(found)


def complaint_counties() -> Any:
    """The counties a complainant without a code may choose."""
    return Region.objects.filter(level=Level.COUNTY).order_by("code")


def clean_photos(uploads: Sequence[Any]) -> list[CleanPhoto]:
    """All photos or none: ValidationError on ``photos`` naming each refused file and why."""
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(
            {
                "photos": _("最多上传 %(n)s 张照片（收到 %(m)s 张）")
                % {"n": MAX_PHOTOS, "m": len(uploads)}
            }
        )
    accepted, errors = [], []
    for index, upload in enumerate(uploads, start=1):
        try:
            accepted.append(clean_photo(upload, settings.AGRITRACE_COMPLAINT_PHOTO_MAX_BYTES))
        except PhotoRefused as refused:
            errors.append(
                _("第 %(i)s 张照片（%(name)s）：%(why)s")
                % {"i": index, "name": str(upload.name)[:80], "why": refused}
            )
    if errors:
        raise ValidationError({"photos": errors})
    return accepted


def _new_tracking_number() -> str:
    """An unused random tracking number (50 bits and a check character)."""
    for _attempt in range(5):
        number = codes.new_code(TRACKING_PAYLOAD)
        if not Complaint.objects.filter(number=number).exists():
            return number
    raise RuntimeError("could not draw an unused tracking number")


def parse_tracking_number(text: str) -> str:
    """A typed tracking number in canonical form (any case, with or without ``TS-`` and
    hyphens); ValidationError on ``number`` saying what is wrong (the check character catches
    every single typo and every swap of neighbours)."""
    compact = codes.normalise(text)
    if len(compact) == TRACKING_LENGTH + 2 and compact.startswith("TS"):
        compact = compact[2:]
    try:
        return codes.validate(compact, TRACKING_LENGTH)
    except codes.InvalidCode as error:
        reason = str(error)
        if reason.startswith("length") or reason == "too short":
            message = _("受理编号应为 TS- 加 %(n)s 位字母数字") % {"n": TRACKING_LENGTH}
        elif reason.startswith("check"):
            message = _("受理编号校验不符：可能输错了某一位，请核对")
        else:
            message = _("受理编号含有无效字符")
        raise ValidationError({"number": message}) from None


def find_complaint(text: str) -> Complaint | None:
    """The complaint a tracking number names, or ``None`` when there is none;
    ValidationError when the number itself is malformed."""
    return Complaint.objects.filter(number=parse_tracking_number(text)).first()


def file_complaint(
    *,
    category: str,
    description: str,
    code_text: str = "",
    county: Region | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    photos: Sequence[Any] = (),
) -> Complaint:
    """Receive a complaint from the public (Art. 23): route it to the county and township of
    the producer of the trace code it came with, or to the county the complainant chose when
    there is no usable code; set its deadline (``AGRITRACE_COMPLAINT_DAYS``). Everything is
    checked before anything is written: one bad field or photo refuses the whole complaint
    (ValidationError naming the fields), with no row and no file left behind."""
    errors: dict[str, Any] = {}
    if category not in ComplaintCategory.values:
        errors["category"] = _("请选择投诉类别")
    if not description.strip():
        errors["description"] = _("请填写投诉内容")
    elif len(description) > 2000:
        errors["description"] = _("投诉内容最多 2000 字")
    if len(contact_name) > 50:
        errors["contact_name"] = _("联系人最多 50 字")
    phone = ""
    if contact_phone.strip():
        try:
            phone = normalise_phone(contact_phone)
        except ValidationError as error:
            errors["contact_phone"] = error.messages
    routing = resolve_code(code_text)
    township = routing.trace_code.producer.township if routing.trace_code else None
    if township is not None:
        county = township.county
    elif county is None or county.level != Level.COUNTY:
        errors["county"] = (
            _("追溯码无法识别（%(why)s），请选择问题发生地所在县市区") % {"why": routing.problem}
            if routing.problem
            else _("请选择问题发生地所在县市区")
        )
    try:
        cleaned = clean_photos(photos)
    except ValidationError as error:
        errors.update(error.message_dict)
        cleaned = []
    if errors:
        raise ValidationError(errors)
    assert county is not None
    code = routing.trace_code
    saved: list[str] = []
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                number=_new_tracking_number(),
                category=category,
                description=description,
                contact_name=contact_name.strip(),
                contact_phone=phone,
                code_text=code_text.strip()[:300],
                trace_code=code,
                producer=code.producer if code else None,
                batch=code.batch if code else None,
                county=county,
                township=township,
                due_on=timezone.localdate() + dt.timedelta(days=settings.AGRITRACE_COMPLAINT_DAYS),
            )
            for photo in cleaned:
                row = ComplaintPhoto(complaint=complaint, width=photo.width, height=photo.height)
                row.image.save(f"photo.{photo.extension}", ContentFile(photo.content), save=False)
                saved.append(row.image.name)
                row.save()
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    return complaint


def handle_complaint(
    complaint: Complaint, to: str, *, by: Any, reply: str = "", internal_note: str = ""
) -> Complaint:
    """A regulator takes up, resolves or rejects a complaint (Art. 23; Annex 2 item 15 "认真承
    办、及时受理、依法处置"). Closing needs a public reply; closing also closes its overdue
    warning."""
    try:
        status = ComplaintStatus(to)
    except ValueError:
        raise ValidationError({"status": _("未知的状态")}) from None
    if status not in COMPLAINT_TRANSITIONS[ComplaintStatus(complaint.status)]:
        raise ValidationError(
            {
                "status": _("不能从“%(a)s”改为“%(b)s”")
                % {"a": complaint.get_status_display(), "b": status.label}
            }
        )
    errors = {}
    if status in CLOSED_COMPLAINT and not reply.strip():
        errors["reply"] = _("办结或不予处理须写明给投诉人的答复")
    for name, text in (("reply", reply), ("internal_note", internal_note)):
        if len(text) > 2000:
            errors[name] = _("最多 2000 字")
    if errors:
        raise ValidationError(errors)
    complaint.status = status
    complaint.reply = reply.strip()
    complaint.internal_note = internal_note.strip()
    complaint.handled_by = by
    complaint.handled_at = timezone.now()
    with transaction.atomic():
        complaint.save(
            update_fields=[
                "status",
                "reply",
                "internal_note",
                "handled_by",
                "handled_at",
                "updated_at",
            ]
        )
        if status in CLOSED_COMPLAINT:
            close_warnings(
                WarningKind.COMPLAINT_OVERDUE, complaint, _("投诉已%(s)s") % {"s": status.label}
            )
    return complaint


def check_complaints(today: dt.date | None = None) -> int:
    """Raise a COMPLAINT_OVERDUE warning for each complaint still open after its deadline, in
    its township (or county) so that the regulators handling it see it; idempotent. Producers
    do not see these warnings (they do not see complaints). Returns how many are overdue."""
    today = today or timezone.localdate()
    overdue = Complaint.objects.filter(
        due_on__lt=today, status__in=[ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING]
    ).select_related("county", "township")
    count = 0
    for complaint in overdue.iterator():
        raise_warning(
            WarningKind.COMPLAINT_OVERDUE,
            complaint,
            region=complaint.township or complaint.county,
            title=_("投诉 %(n)s 超期未办结（期限 %(d)s）")
            % {"n": complaint.tracking_number, "d": complaint.due_on.isoformat()},
            detail=complaint.get_category_display(),
        )
        count += 1
    return count
