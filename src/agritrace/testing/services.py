"""Testing rules: judging, recording, what a failed test blocks, retest release, plans.

2021 notice Annex 2 (检验检测): self-testing rules, qualified devices, trained technicians, plans,
records, reports and annual summaries; a positive result stops the batch at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.accounts.models import Organisation, OrganisationKind
from agritrace.core import scoping
from agritrace.core.permissions import Role
from agritrace.production.choices import BatchStatus
from agritrace.production.models import Batch
from agritrace.supervision.models import FollowUp, FollowUpStatus, Severity, WarningKind
from agritrace.supervision.services import close_warnings, raise_warning
from agritrace.testing import rules
from agritrace.testing.choices import DEVICE_METHODS, FAILING, PASSING, Method, Purpose, Result
from agritrace.testing.models import MaximumResidueLimit, TestRecord

#: Days the county has to follow up a failed test.
FOLLOW_UP_DAYS = 7
#: Who may release a blocked batch after a negative retest.
RELEASERS = frozenset({Role.TESTER, Role.ADMINISTRATOR, Role.OFFICER})


def judge(test: TestRecord) -> Result:
    """The result of a test from its readings, by its method's rule."""
    if test.method == Method.ENZYME:
        return rules.judge_enzyme(test.inhibition_rate)
    if test.method == Method.GOLD:
        return rules.judge_gold(test.control_line, test.t_line)
    return rules.judge_threshold(test.value, test.limit, lab=test.method == Method.LAB)


def check(test: TestRecord) -> None:
    """Everything a test must satisfy before it is stored (field errors by name)."""
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if test.tested_at and test.tested_at > now + dt.timedelta(minutes=5):
        errors.setdefault("tested_at", []).append(_("检测时间不能晚于当前时间"))
    if test.sampled_at and test.tested_at and test.sampled_at > test.tested_at:
        errors.setdefault("sampled_at", []).append(_("抽样时间不能晚于检测时间"))
    if test.batch_id and test.batch.producer_id != test.producer_id:
        errors.setdefault("batch", []).append(_("批次不属于受检主体"))
    if test.product_id and test.product.producer_id != test.producer_id:
        errors.setdefault("product", []).append(_("产品不属于受检主体"))
    if test.device_id:
        if not test.device.active:
            errors.setdefault("device", []).append(_("设备已停用"))
        if test.method not in DEVICE_METHODS[test.device.kind]:
            errors.setdefault("method", []).append(_("该类设备不能做此方法的检测"))
    if test.method == Method.LAB:
        if not test.laboratory:
            errors.setdefault("laboratory", []).append(_("定量检测须填写检测机构"))
        if test.limit is None:
            fill_limit(test)
    if test.purpose == Purpose.SUPERVISORY and not test.ordered_by_id:
        errors.setdefault("ordered_by", []).append(_("监督抽查须填写下达抽查的机构"))
    try:
        test.result = judge(test)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def fill_limit(test: TestRecord) -> None:
    """A lab test without a limit takes the maximum residue limit of its analyte for the
    sample (by name, or by the product's category name) from the loaded standards."""
    foods = [test.sample_name]
    if test.product_id:
        foods += [test.product.name, str(test.product.get_category_display()).split("（")[0]]
    found = MaximumResidueLimit.objects.filter(analyte=test.item, food__in=foods).first()
    if found is not None:
        test.limit = found.limit
        test.limit_source = found.source


@transaction.atomic
def record_test(test: TestRecord) -> TestRecord:
    """Judge, validate and store a test; a failing result blocks its batch at once."""
    check(test)
    test.full_clean(exclude=["result"])
    test.save()
    apply_consequences(test)
    return test


def apply_consequences(test: TestRecord) -> None:
    """A positive or unqualified result puts the batch "under review" (refusing certificates of
    compliance), raises a warning to the county supervision agency and the township station,
    and opens a follow-up item for the county."""
    if test.result not in FAILING:
        return
    producer = test.producer
    if test.batch_id:
        Batch.objects.filter(pk=test.batch_id).exclude(status=BatchStatus.RECALLED).update(
            status=BatchStatus.UNDER_REVIEW,
            status_reason=_("检测%(result)s：%(item)s（%(date)s）")
            % {
                "result": test.get_result_display(),
                "item": test.item,
                "date": f"{test.tested_at:%Y-%m-%d}",
            },
        )
    title = _("%(producer)s %(sample)s %(item)s 检测%(result)s") % {
        "producer": producer.name,
        "sample": test.sample_name,
        "item": test.item,
        "result": test.get_result_display(),
    }
    warning = raise_warning(
        WarningKind.POSITIVE_TEST,
        test,
        region=producer.township,
        producer=producer,
        severity=Severity.CRITICAL,
        title=title,
        detail=_("批次：%(batch)s") % {"batch": test.batch.number if test.batch_id else "—"},
    )
    county = producer.township.parent
    FollowUp.objects.get_or_create(
        warning=warning,
        defaults={
            "title": _("跟进：%(title)s") % {"title": title},
            "producer": producer,
            "organisation": Organisation.objects.filter(
                region=county, kind=OrganisationKind.SUPERVISION
            ).first(),
            "due_on": timezone.localdate() + dt.timedelta(days=FOLLOW_UP_DAYS),
        },
    )


@transaction.atomic
def release(batch: Batch, retest: TestRecord, *, by: Any, reason: str) -> Batch:
    """A negative retest by an authorised tester releases a blocked batch, with the reason."""
    if not scoping.is_unrestricted(by) and (
        getattr(by, "role", None) not in RELEASERS
        or getattr(by, "organisation_id", None) is None
        or not scoping.in_scope(by, batch, "view")
    ):
        raise PermissionDenied(_("只有本辖区的检测或监管人员可以解除批次复核"))
    errors = {}
    if batch.status != BatchStatus.UNDER_REVIEW:
        errors["batch"] = _("批次不在待复核状态")
    if retest.batch_id != batch.pk or retest.retest_of_id is None:
        errors["retest"] = _("须为该批次的复检记录")
    elif retest.result not in PASSING:
        errors["retest"] = _("复检结果须为阴性/合格")
    if not reason.strip():
        errors["reason"] = _("须写明解除原因")
    if errors:
        raise ValidationError(errors)
    batch.status = BatchStatus.ACTIVE
    batch.status_reason = _("复检%(result)s，解除复核：%(reason)s") % {
        "result": retest.get_result_display(),
        "reason": reason.strip(),
    }
    batch.save(update_fields=["status", "status_reason", "updated_at"])
    for failed in batch.tests.filter(result__in=FAILING):
        close_warnings(WarningKind.POSITIVE_TEST, failed, batch.status_reason)
        FollowUp.objects.filter(
            warning__kind=WarningKind.POSITIVE_TEST,
            warning__subject_id=str(failed.pk),
            status=FollowUpStatus.OPEN,
        ).update(
            status=FollowUpStatus.CLOSED, resolution=batch.status_reason, closed_at=timezone.now()
        )
    return batch
