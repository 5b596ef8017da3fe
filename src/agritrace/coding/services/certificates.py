"""Certificates of compliance (承诺达标合格证): what blocks issuing one, issuing it with the
details copied as printed, voiding it, and the printed page (农业农村部令2025年第4号; 2021 notice
"赋追溯码、合格证、身份证")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.coding import documents
from agritrace.coding.choices import TEST_BASES
from agritrace.coding.models import Certificate
from agritrace.coding.services.links import certificate_url
from agritrace.core.formats import clipped, labelled
from agritrace.production.choices import BatchStatus
from agritrace.production.models import Batch
from agritrace.production.services import breaches_for_harvest
from agritrace.testing.choices import PASSING
from agritrace.testing.services import unanswered_failures


def certificate_blockers(batch: Batch, on: dt.date) -> list[str]:
    """Why a certificate cannot be issued for ``batch`` on ``on`` (empty when it can):
    a batch under review, recalled or closed; a positive or unqualified test without a passing
    retest; an input whose pre-harvest interval or withdrawal period has not run out
    (农业农村部令2025年第4号: the commitment rests on quality control or passed tests)."""
    reasons = []
    if batch.status != BatchStatus.ACTIVE:
        status = _("批次状态为“%(status)s”") % {"status": batch.get_status_display()}
        reasons.append(labelled(status) + batch.status_reason if batch.status_reason else status)
    for test in unanswered_failures(batch):
        reasons.append(
            _("%(item)s 检测%(result)s（%(date)s），尚无合格复检")
            % {
                "item": test.item,
                "result": test.get_result_display(),
                "date": f"{test.tested_at:%Y-%m-%d}",
            }
        )
    category = batch.product.category
    breaches = breaches_for_harvest(None, batch, category, on)
    for base in batch.bases.all():
        breaches += breaches_for_harvest(base, None, category, batch.produced_on)
    reasons += [breach.message() for breach in breaches]
    return reasons


def issued_quantity(batch: Batch) -> Decimal:
    """How much of the batch its certificates (not voided) cover: no more than the batch."""
    certificates = Certificate.objects.filter(batch=batch, voided=False)
    return certificates.aggregate(total=Sum("quantity"))["total"] or Decimal(0)


def origin_of(batch: Batch) -> str:
    """The origin (产地) printed on a certificate (农业农村部令2025年第4号 template): where the
    batch was produced, i.e. the township's full name and the address of each of its production
    bases; the producer's own township and address only for a batch with no base (a purchase).
    Several bases (a merged batch) are joined, clipped to the field's length."""
    places = list(batch.bases.select_related("township").order_by("pk")) or [batch.producer]
    texts = dict.fromkeys(
        f"{place.township.full_name or place.township.name} {place.address}".strip()
        for place in places
    )
    return clipped("；".join(texts), Certificate._meta.get_field("origin").max_length)


@transaction.atomic
def issue_certificate(certificate: Certificate, *, user: Any = None) -> Certificate:
    """Issue a certificate for its batch after checking every rule; copies the product,
    producer, contact and origin as they are printed."""
    batch = (
        Batch.objects.select_for_update(of=("self",))
        .select_related("product", "producer__township")
        .get(pk=certificate.batch_id)
    )
    producer = batch.producer
    certificate.producer = producer
    errors: dict[str, list[str]] = {}
    on = certificate.issued_on or timezone.localdate()
    if on > timezone.localdate():
        errors.setdefault("issued_on", []).append(_("开具日期不能晚于今天"))
    if on < batch.produced_on:
        errors.setdefault("issued_on", []).append(_("开具日期不能早于批次的采收/生产日期"))
    blockers = certificate_blockers(batch, on)
    if blockers:
        errors.setdefault("batch", []).extend(blockers)
    if not (certificate.no_prohibited and certificate.within_limits and certificate.responsible):
        errors.setdefault("responsible", []).append(_("须勾选全部三项承诺"))
    if certificate.basis in TEST_BASES:
        test = certificate.test
        if test is None:
            errors.setdefault("test", []).append(_("以检测合格为依据时须选择检测记录"))
        elif test.batch_id != batch.pk or test.result not in PASSING:
            errors.setdefault("test", []).append(_("须为本批次的阴性/合格检测记录"))
    issued = issued_quantity(batch)
    if certificate.quantity and issued + certificate.quantity > batch.quantity:
        errors.setdefault("quantity", []).append(
            _("超过批次数量：批次 %(total)s，已开具 %(issued)s")
            % {"total": batch.quantity.normalize(), "issued": issued.normalize()}
        )
    if errors:
        raise ValidationError(errors)
    certificate.issued_on = on
    certificate.product_name = batch.product.name
    certificate.unit = batch.unit
    certificate.producer_name = producer.name
    certificate.contact_phone = producer.contact_phone
    certificate.origin = origin_of(batch)
    certificate.created_by = user if getattr(user, "is_authenticated", False) else None
    certificate.full_clean()
    certificate.save()
    return certificate


@transaction.atomic
def void_certificate(certificate: Certificate, reason: str) -> Certificate:
    """Void a mistaken certificate (it stays on record, and market checks show it as void)."""
    if certificate.voided:
        raise ValidationError({"reason": _("合格证已作废")})
    if not reason.strip():
        raise ValidationError({"reason": _("须写明作废原因")})
    certificate.voided, certificate.void_reason = True, reason.strip()
    certificate.save(update_fields=["voided", "void_reason", "updated_at"])
    return certificate


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as printed (A6-sized page) with its QR code."""
    return documents.certificate_pdf(
        title=_("承诺达标合格证"),
        rows=[
            (_("编号"), certificate.number),
            (_("产品名称"), certificate.product_name),
            (
                _("数量（重量）"),
                f"{certificate.quantity.normalize():f} {certificate.get_unit_display()}",
            ),
            (_("生产者"), certificate.producer_name),
            (_("联系方式"), certificate.contact_phone or "—"),
            (_("产地"), certificate.origin),
            (_("开具日期"), f"{certificate.issued_on:%Y-%m-%d}"),
            (_("承诺依据"), certificate.get_basis_display()),
        ],
        statements=[
            _("我承诺对生产销售的食用农产品："),
            _("☑ 不使用禁用农药兽药、停用兽药和非法添加物"),
            _("☑ 常规农药兽药残留不超标"),
            _("☑ 对承诺的真实性负责"),
        ],
        signature=_("承诺人签名：%(name)s") % {"name": certificate.signatory},
        url=certificate_url(certificate.number),
        void_text=_("已作废") if certificate.voided else "",
    )
