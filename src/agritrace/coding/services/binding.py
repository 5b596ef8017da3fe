"""Binding codes to batches (scan-to-bind, one code or a strip of one roll), voiding and
recalling them; every change is logged as a code event (2020 spec Art. 13 "一品一码"; 2021
notice "在产品包装上赋追溯码")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.coding.choices import BINDABLE, VOIDABLE, CodeAction, CodeStatus
from agritrace.coding.models import CodeRoll, TraceCode
from agritrace.coding.services.links import parse_code
from agritrace.coding.services.minting import log_event, usable_batch
from agritrace.production.models import Batch


def find_code(text: str, queryset: Any) -> TraceCode:
    """The code ``text`` names among ``queryset`` (the user's scope): ValidationError for a
    malformed code, an unknown one, or one of another producer."""
    code = parse_code(text)
    found = queryset.select_related("roll", "batch").filter(code=code).first()
    if found is None:
        if TraceCode.objects.filter(code=code).exists():
            raise ValidationError({"code": _("追溯码 %(code)s 不属于本主体") % {"code": code}})
        raise ValidationError({"code": _("追溯码 %(code)s 不存在") % {"code": code}})
    return found


def bind_scanned(text: str, last: str, batch: Batch, *, user: Any) -> tuple[TraceCode, int]:
    """Bind the code scanned (``text``), or with ``last`` every code of its roll from it to
    ``last``, to ``batch``; only codes ``user`` may change are found. Returns the first code
    and how many were bound (the scan-to-bind page and the API both call this)."""
    mine = TraceCode.objects.restrict(user, "change")
    first = find_code(text, mine)
    if not last:
        return bind(first, batch, user=user), 1
    return first, bind_range(first, find_code(last, mine), batch, user=user)


def _bind_refusal(code: TraceCode, batch: Batch) -> str | None:
    if code.status in BINDABLE and code.batch_id in (None, batch.pk):
        return None
    if code.status in BINDABLE or code.status == CodeStatus.ACTIVE:
        if code.batch_id == batch.pk:
            return _("追溯码 %(code)s 已绑定本批次") % {"code": code.code}
        return _("追溯码 %(code)s 已绑定批次 %(batch)s") % {
            "code": code.code,
            "batch": code.batch.number if code.batch_id else "—",
        }
    return _("追溯码 %(code)s %(status)s，不能绑定") % {
        "code": code.code,
        "status": code.get_status_display(),
    }


@transaction.atomic
def bind(code: TraceCode, batch: Batch, *, user: Any = None) -> TraceCode:
    """Bind one code to a batch (scan-to-bind): it becomes active."""
    code = TraceCode.objects.select_for_update(of=("self",)).select_related("batch").get(pk=code.pk)
    usable_batch(batch, code.producer_id)
    refusal = _bind_refusal(code, batch)
    if refusal:
        raise ValidationError({"code": refusal})
    code.batch, code.status = batch, CodeStatus.ACTIVE
    code.save(update_fields=["batch", "status", "updated_at"])
    log_event(
        code.roll,
        CodeAction.BIND,
        code.serial,
        code.serial,
        1,
        CodeStatus.ACTIVE,
        user=user,
        code=code,
        batch=batch,
    )
    return code


@transaction.atomic
def bind_range(first: TraceCode, last: TraceCode, batch: Batch, *, user: Any = None) -> int:
    """Bind every code of one roll from ``first`` to ``last`` (scanned at both ends of a strip
    of labels). All or nothing: refused if any code in the range cannot be bound."""
    if first.roll_id != last.roll_id:
        raise ValidationError({"last": _("首尾两个追溯码须来自同一码卷")})
    usable_batch(batch, first.producer_id)
    low, high = sorted((first.serial, last.serial))
    in_range = TraceCode.objects.filter(roll_id=first.roll_id, serial__gte=low, serial__lte=high)
    blocked = in_range.exclude(Q(status__in=BINDABLE) & (Q(batch=None) | Q(batch=batch)))
    count_blocked = blocked.count()
    if count_blocked:
        sample = ", ".join(blocked.order_by("serial").values_list("code", flat=True)[:3])
        raise ValidationError(
            {
                "last": _("范围内有 %(n)s 个码已绑定、作废或召回（如 %(sample)s），未做任何绑定")
                % {"n": count_blocked, "sample": sample}
            }
        )
    count = in_range.update(batch=batch, status=CodeStatus.ACTIVE, updated_at=timezone.now())
    log_event(
        first.roll, CodeAction.BIND, low, high, count, CodeStatus.ACTIVE, user=user, batch=batch
    )
    return count


@transaction.atomic
def void(roll: CodeRoll, low: int, high: int, reason: str, *, user: Any = None) -> int:
    """Void a roll's codes ``low``–``high`` (a damaged strip, a misprint): they stay on record
    and their page says they are void."""
    if not reason.strip():
        raise ValidationError({"reason": _("须写明作废原因")})
    if not 1 <= low <= high <= roll.count:
        raise ValidationError({"last_serial": _("序号须在 1–%(n)s 之间") % {"n": roll.count}})
    count = TraceCode.objects.filter(
        roll=roll, serial__gte=low, serial__lte=high, status__in=VOIDABLE
    ).update(status=CodeStatus.VOIDED, updated_at=timezone.now())
    if not count:
        raise ValidationError({"first_serial": _("范围内没有可作废的追溯码")})
    log_event(
        roll, CodeAction.VOID, low, high, count, CodeStatus.VOIDED, user=user, reason=reason.strip()
    )
    return count


@transaction.atomic
def void_code(code: TraceCode, reason: str, *, user: Any = None) -> TraceCode:
    """Void one code (a label torn or stuck on the wrong package)."""
    void(code.roll, code.serial, code.serial, reason, user=user)
    code.refresh_from_db()
    return code


def recall_codes(batch: Batch) -> int:
    """A recalled batch's live codes become "recalled" (their page shows the recall); one event
    per roll."""
    live = TraceCode.objects.filter(batch=batch).exclude(
        status__in=(CodeStatus.VOIDED, CodeStatus.RECALLED)
    )
    ranges = live.order_by().values("roll_id").annotate(low=Min("serial"), high=Max("serial"))
    count = 0
    for found in list(ranges):
        updated = live.filter(roll_id=found["roll_id"]).update(
            status=CodeStatus.RECALLED, updated_at=timezone.now()
        )
        roll = CodeRoll.objects.get(pk=found["roll_id"])
        log_event(
            roll,
            CodeAction.RECALL,
            found["low"],
            found["high"],
            updated,
            CodeStatus.RECALLED,
            batch=batch,
            reason=batch.status_reason,
        )
        count += updated
    return count
