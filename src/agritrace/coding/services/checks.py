"""Is a trace code or a certificate valid now? One rule, which the public ID card leads with
and a market-access check (市场准入查验) records with its reason (2020 spec Art. 14: the
certificate as the market-access voucher; issue 7, point 4: a code's page says plainly when it
is inactive, void or recalled)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agritrace.coding.choices import BINDABLE, CheckedKind, CodeStatus
from agritrace.coding.models import Certificate, MarketCheck, TraceCode
from agritrace.coding.services.links import read_scan
from agritrace.production.choices import BatchStatus
from agritrace.production.models import Batch


class Validity(StrEnum):
    """Whether goods carrying a code or certificate may be sold now and, if not, why."""

    VALID = ""
    #: Minted or printed, not bound to a batch yet.
    INACTIVE = "inactive"
    VOIDED = "voided"
    #: The code, or its batch.
    RECALLED = "recalled"
    #: Its batch.
    UNDER_REVIEW = "under_review"


def batch_validity(status: str) -> Validity:
    """A batch's goods may be sold unless it is recalled or under review (the statuses that
    also stop certificates of compliance)."""
    if status == BatchStatus.RECALLED:
        return Validity.RECALLED
    if status == BatchStatus.UNDER_REVIEW:
        return Validity.UNDER_REVIEW
    return Validity.VALID


def own_validity(status: str, bound: bool) -> Validity:
    """A code by itself is valid only when active on a batch ("一品一码": a label means
    nothing until it is bound); voided and recalled codes say so."""
    if status == CodeStatus.VOIDED:
        return Validity.VOIDED
    if status == CodeStatus.RECALLED:
        return Validity.RECALLED
    if status != CodeStatus.ACTIVE or not bound:
        return Validity.INACTIVE
    return Validity.VALID


def code_validity(status: str, batch_status: str | None) -> Validity:
    """A trace code is valid when it is active on a batch whose goods may be sold
    (``batch_status`` is ``None`` for a code on no batch)."""
    own = own_validity(status, batch_status is not None)
    if own or batch_status is None:
        return own
    return batch_validity(batch_status)


@dataclass(frozen=True)
class Verdict:
    """A market check's outcome, before it is recorded."""

    kind: CheckedKind
    valid: bool
    reason: str
    trace_code: TraceCode | None = None
    certificate: Certificate | None = None


def judge_scan(text: str) -> Verdict:
    """Valid: a code valid by :func:`code_validity`, or a certificate not voided whose batch's
    goods may be sold. Looked up platform-wide: a market checks goods from every county. A
    bare code may be either: codes first, then certificate numbers (both are random 65-bit
    codes, so they never coincide in practice)."""
    scanned = read_scan(text)
    if scanned.kind == CheckedKind.UNKNOWN:
        return Verdict(scanned.kind, False, scanned.problem)
    code = None
    if scanned.kind == CheckedKind.TRACE_CODE:
        code = TraceCode.objects.select_related("batch__product").filter(code=scanned.value).first()
    if code is None:
        certificate = (
            Certificate.objects.select_related("batch__product")
            .filter(number=scanned.value)
            .first()
        )
        if certificate is not None:
            return certificate_verdict(certificate)
        if scanned.kind == CheckedKind.CERTIFICATE:
            return Verdict(scanned.kind, False, _("合格证不存在：可能是伪造的"))
        return Verdict(scanned.kind, False, _("追溯码不存在：可能是伪造的"))
    if own_validity(code.status, code.batch_id is not None):
        reason = (
            _("追溯码%(status)s，未激活使用") if code.status in BINDABLE else _("追溯码%(status)s")
        )
        return Verdict(
            scanned.kind, False, reason % {"status": code.get_status_display()}, trace_code=code
        )
    return _batch_verdict(scanned.kind, code.batch, trace_code=code)


def certificate_verdict(certificate: Certificate) -> Verdict:
    """A certificate (its batch and product loaded) is valid unless voided or its batch's
    goods may not be sold."""
    kind = CheckedKind.CERTIFICATE
    if certificate.voided:
        reason = _("合格证已作废：%(r)s") % {"r": certificate.void_reason}
        return Verdict(kind, False, reason, certificate=certificate)
    return _batch_verdict(kind, certificate.batch, certificate=certificate)


def _batch_verdict(kind: CheckedKind, batch: Batch, **found: Any) -> Verdict:
    if batch_validity(batch.status):
        return Verdict(
            kind,
            False,
            _("批次%(status)s：%(reason)s")
            % {"status": batch.get_status_display(), "reason": batch.status_reason},
            **found,
        )
    product = batch.product.name
    return Verdict(
        kind,
        True,
        _("有效：%(product)s，批次 %(batch)s") % {"product": product, "batch": batch.number},
        **found,
    )


def record_check(text: str, *, user: Any, market: str = "") -> MarketCheck:
    """Judge a scan and record the market-access check in the checker's region."""
    verdict = judge_scan(text)
    found = verdict.trace_code or verdict.certificate
    region = user.scope_region
    if region is None:
        raise ValidationError({"scanned": _("查验人员须属于某个地区的机构")})
    return MarketCheck.objects.create(
        scanned=text.strip()[:300],
        kind=verdict.kind,
        valid=verdict.valid,
        reason=verdict.reason[:200],
        market=market,
        trace_code=verdict.trace_code,
        certificate=verdict.certificate,
        producer_id=found.producer_id if found else None,
        region=region,
        checked_by=user,
    )
