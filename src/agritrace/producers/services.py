"""Producer registry rules: registration, review, identity codes, required equipment."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agritrace.accounts.models import OrganisationKind, User
from agritrace.core import scoping
from agritrace.core.permissions import REGISTRARS, Role
from agritrace.core.urls import public_url
from agritrace.producers.choices import EquipmentCategory as E
from agritrace.producers.choices import EquipmentStatus, IndustryCode, ProducerStatus
from agritrace.producers.models import Equipment, Producer

#: Allowed review transitions: from → to.
TRANSITIONS: dict[str, frozenset[str]] = {
    ProducerStatus.APPLIED: frozenset({ProducerStatus.APPROVED, ProducerStatus.SUSPENDED}),
    ProducerStatus.APPROVED: frozenset({ProducerStatus.SUSPENDED}),
    ProducerStatus.SUSPENDED: frozenset({ProducerStatus.APPROVED}),
}


def may_review(user: Any, producer: Producer) -> bool:
    """Township stations and county (or higher) registrars review producers in their scope
    (2020 spec Art. 5: registration checked by the county and township)."""
    if scoping.is_unrestricted(user):
        return True
    return (
        getattr(user, "role", None) in REGISTRARS
        and getattr(user, "organisation_id", None) is not None
        and scoping.in_scope(user, producer, "change")
    )


@transaction.atomic
def review(producer: Producer, to: str, *, by: User, note: str = "") -> Producer:
    """Approve or suspend a producer; the change is logged centrally."""
    if not may_review(by, producer):
        raise PermissionDenied(_("您不能审核该生产经营主体。"))
    if to not in TRANSITIONS.get(producer.status, frozenset()):
        raise ValidationError(
            {
                "status": _("不能从“%(from)s”改为“%(to)s”")
                % {"from": producer.get_status_display(), "to": ProducerStatus(to).label}
            }
        )
    if to == ProducerStatus.SUSPENDED and not note.strip():
        raise ValidationError({"status_note": _("暂停须写明原因")})
    producer.status = to
    producer.status_note = note.strip()[:200]
    producer.reviewed_at = timezone.now()
    producer.reviewed_by = by
    producer.save(
        update_fields=["status", "status_note", "reviewed_at", "reviewed_by", "updated_at"]
    )
    return producer


@transaction.atomic
def register_producer(producer: Producer, owner: User, industries: Iterable[Any] = ()) -> Producer:
    """Self-registration: the producer is saved as "applied" with its owner account, for the
    township or county to approve (2020 spec Art. 5)."""
    producer.status = ProducerStatus.APPLIED
    producer.full_clean()
    producer.save()
    producer.industries.set(industries)
    owner.producer = producer
    owner.role = Role.OWNER
    owner.full_clean()
    owner.save()
    return producer


def identity_url(producer: Producer) -> str:
    """What the producer identity QR encodes: the public producer page."""
    return public_url(f"/p/{producer.identity_code}")


def identity_qr(producer: Producer, kind: str) -> bytes:
    """The producer identity QR (主体身份码) as ``svg`` or ``png`` bytes."""
    qr = segno.make_qr(identity_url(producer), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind=kind, scale=8, border=4)
    return buffer.getvalue()


@dataclass(frozen=True)
class Requirement:
    """One line of Annex 1's 必配/标配 list: any of ``categories`` satisfies it."""

    label: Any
    categories: frozenset[str]

    def __str__(self) -> str:
        return str(self.label)


def _req(label: Any, *categories: str) -> Requirement:
    return Requirement(label, frozenset(categories))


RAPID_ANY = (E.RAPID_PESTICIDE, E.RAPID_VETDRUG, E.RAPID_COMBINED)
#: Annex 1 of the 2020 spec, 必配 items per kind of organisation.
ORGANISATION_REQUIREMENTS: dict[str, tuple[Requirement, ...]] = {
    OrganisationKind.SUPERVISION: (
        _req(gettext_lazy("台式办公电脑"), E.DESKTOP),
        _req(gettext_lazy("移动监管终端"), E.MOBILE_TERMINAL),
        _req(gettext_lazy("A4 打印机"), E.A4_PRINTER),
    ),
    OrganisationKind.TESTING: (
        _req(gettext_lazy("U key"), E.UKEY),
        _req(gettext_lazy("台式办公电脑"), E.DESKTOP),
        _req(gettext_lazy("移动监测终端"), E.MOBILE_TERMINAL),
        _req(gettext_lazy("标准化检测室"), E.STANDARD_LAB),
    ),
    OrganisationKind.ENFORCEMENT: (
        _req(gettext_lazy("台式办公电脑"), E.DESKTOP),
        _req(gettext_lazy("移动执法终端"), E.MOBILE_TERMINAL),
        _req(gettext_lazy("A4 打印机"), E.A4_PRINTER),
    ),
    OrganisationKind.TOWNSHIP_STATION: (
        _req(gettext_lazy("台式办公电脑"), E.DESKTOP),
        _req(gettext_lazy("移动监管终端"), E.MOBILE_TERMINAL),
        _req(gettext_lazy("标准化检测室"), E.STANDARD_LAB),
        _req(gettext_lazy("速测设备（A、B 或 C）"), *RAPID_ANY),
        _req(gettext_lazy("A4 打印机"), E.A4_PRINTER),
    ),
}
#: Annex 1 标配 items of every producer; the rapid-test device depends on the industry.
PRODUCER_REQUIREMENTS: tuple[Requirement, ...] = (
    _req(gettext_lazy("台式办公电脑"), E.DESKTOP),
    _req(gettext_lazy("移动终端"), E.MOBILE_TERMINAL),
    _req(gettext_lazy("扫码枪"), E.SCANNER),
    _req(gettext_lazy("标准化检测室"), E.STANDARD_LAB),
    _req(gettext_lazy("二维码/合格证打印机（≥203 dpi）"), E.LABEL_PRINTER),
)
RAPID_BY_INDUSTRY: dict[str, Requirement] = {
    IndustryCode.PLANTING: _req(
        gettext_lazy("农药残留速测设备"), E.RAPID_PESTICIDE, E.RAPID_COMBINED
    ),
    IndustryCode.LIVESTOCK: _req(
        gettext_lazy("兽药残留速测设备"), E.RAPID_VETDRUG, E.RAPID_COMBINED
    ),
    IndustryCode.AQUACULTURE: _req(
        gettext_lazy("兽药残留速测设备"), E.RAPID_VETDRUG, E.RAPID_COMBINED
    ),
}


def requirements_for_producer(producer: Producer) -> list[Requirement]:
    """Annex 1's list for this producer (种植业配备农残、养殖业配备兽残速测设备)."""
    codes = set(producer.industries.values_list("code", flat=True))
    extra = {RAPID_BY_INDUSTRY[code] for code in codes if code in RAPID_BY_INDUSTRY}
    return [*PRODUCER_REQUIREMENTS, *sorted(extra, key=lambda r: str(r.label))]


def missing_equipment(holder: Producer | Any) -> list[Requirement]:
    """Required items the holder has no working equipment for (Annex 2 items 10–12)."""
    if isinstance(holder, Producer):
        requirements = requirements_for_producer(holder)
        owned = Equipment.objects.filter(producer=holder)
    else:
        requirements = list(ORGANISATION_REQUIREMENTS.get(holder.kind, ()))
        owned = Equipment.objects.filter(organisation=holder)
    present = set(
        owned.filter(status=EquipmentStatus.IN_SERVICE).values_list("category", flat=True)
    )
    return [req for req in requirements if not req.categories & present]
