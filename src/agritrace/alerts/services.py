"""Warning rules: raised through one function, closed when the cause goes away, handled by
regulators; follow-ups closed with what was done. Every domain calls down to these."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.alerts.models import FollowUp, FollowUpStatus, Severity, Warning, WarningStatus
from agritrace.core.formats import clipped
from agritrace.regions.models import Region

#: Allowed handling transitions.
TRANSITIONS = {
    WarningStatus.OPEN: {WarningStatus.ACKNOWLEDGED, WarningStatus.CLOSED},
    WarningStatus.ACKNOWLEDGED: {WarningStatus.CLOSED},
    WarningStatus.CLOSED: set(),
}


def raise_warning(
    kind: str,
    subject: models.Model,
    *,
    region: Region,
    title: str,
    detail: str = "",
    severity: str = Severity.WARNING,
    producer: Any = None,
) -> Warning:
    """The one way to raise a warning. A subject has at most one unclosed warning of a kind:
    raising it again refreshes that one (title, detail, severity) instead of adding another."""
    subject_type = ContentType.objects.get_for_model(type(subject))
    key = {"kind": kind, "subject_type": subject_type, "subject_id": str(subject.pk)}
    values = {
        "region": region,
        "producer": producer,
        "title": clipped(title, Warning._meta.get_field("title").max_length),
        "detail": detail,
        "severity": severity,
    }
    existing = Warning.objects.filter(**key).exclude(status=WarningStatus.CLOSED).first()
    if existing is not None:
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        for name in changed:
            setattr(existing, name, values[name])
        if changed:
            existing.save(update_fields=[*changed, "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return Warning.objects.create(**key, **values)
    except IntegrityError:  # raised concurrently: the other one stands
        return Warning.objects.filter(**key).exclude(status=WarningStatus.CLOSED).get()


def close_warnings(kind: str, subject: models.Model, note: str) -> int:
    """Close the unclosed warnings of ``kind`` on ``subject`` (the cause went away)."""
    subject_type = ContentType.objects.get_for_model(type(subject))
    warnings = Warning.objects.filter(
        kind=kind, subject_type=subject_type, subject_id=str(subject.pk)
    ).exclude(status=WarningStatus.CLOSED)
    count = 0
    for warning in warnings:
        warning.status = WarningStatus.CLOSED
        warning.handling_note = note[:500]
        warning.handled_at = timezone.now()
        warning.save(update_fields=["status", "handling_note", "handled_at", "updated_at"])
        count += 1
    return count


def unclosed_subjects(model: type[models.Model], kinds: list[str]) -> list[int]:
    """The primary keys of the ``model`` objects that have an unclosed warning of one of
    ``kinds`` (a periodic check re-examines them, so that it closes what went away)."""
    ids = (
        Warning.objects.filter(subject_type=ContentType.objects.get_for_model(model))
        .filter(kind__in=kinds)
        .exclude(status=WarningStatus.CLOSED)
        .values_list("subject_id", flat=True)
    )
    return [int(pk) for pk in ids]


def handle(warning: Warning, to: str, *, by: Any, note: str = "") -> Warning:
    """A regulator acknowledges or closes a warning; closing needs a note."""
    if to not in TRANSITIONS[WarningStatus(warning.status)]:
        raise ValidationError(
            {
                "status": _("不能从“%(a)s”改为“%(b)s”")
                % {"a": warning.get_status_display(), "b": WarningStatus(to).label}
            }
        )
    if to == WarningStatus.CLOSED and not note.strip():
        raise ValidationError({"handling_note": _("关闭预警须写明处理意见")})
    warning.status = to
    warning.handled_by = by
    warning.handled_at = timezone.now()
    warning.handling_note = note.strip()[:500]
    warning.save(
        update_fields=["status", "handled_by", "handled_at", "handling_note", "updated_at"]
    )
    return warning


def close_follow_up(follow_up: FollowUp, *, resolution: str) -> FollowUp:
    """A regulator closes a follow-up item with what was done."""
    if follow_up.status == FollowUpStatus.CLOSED:
        raise ValidationError({"status": _("该事项已办结")})
    if not resolution.strip():
        raise ValidationError({"resolution": _("须填写办理结果")})
    follow_up.status = FollowUpStatus.CLOSED
    follow_up.resolution = resolution.strip()
    follow_up.closed_at = timezone.now()
    follow_up.save(update_fields=["status", "resolution", "closed_at", "updated_at"])
    return follow_up
