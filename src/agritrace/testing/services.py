"""Testing rules: judging, recording, what a failed test blocks, retest release, plans.

2021 notice Annex 2 (检验检测): self-testing rules, qualified devices, trained technicians, plans,
records, reports and annual summaries; a positive result stops the batch at once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.accounts.models import Organisation, OrganisationKind
from agritrace.alerts.models import FollowUp, FollowUpStatus, Severity, WarningKind
from agritrace.alerts.services import close_warnings, raise_warning
from agritrace.core import scoping
from agritrace.core.changelog import record_bulk_create
from agritrace.core.formats import clipped
from agritrace.core.permissions import Role
from agritrace.production.choices import BatchStatus
from agritrace.production.models import Batch
from agritrace.testing import rules
from agritrace.testing.choices import (
    DEVICE_METHODS,
    FAILING,
    PASSING,
    Method,
    Purpose,
    RecordStatus,
    Result,
)
from agritrace.testing.models import Device, MaximumResidueLimit, TestRecord

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


#: Fields not checked value by value in :func:`check`: relations (checked against the user's
#: scope by forms and serializers, looked up in bulk by device uploads), the judged result and
#: the report file.
NOT_CHECKED_HERE = (
    "producer",
    "batch",
    "product",
    "ordered_by",
    "technician",
    "device",
    "retest_of",
    "recorded_by",
    "result",
    "report",
)
#: The readings a result is judged from.
READINGS = frozenset({"inhibition_rate", "control_line", "t_line", "value", "limit"})


def check(test: TestRecord) -> None:
    """Everything a test must satisfy before it is stored (field errors by name): each value
    within its field's bounds (the model's validators: inhibition 0–100 %, readings ≥ 0 and
    within their column, times from 1990 to now plus the clock allowance), then the rules of
    the 2021 notice (检验检测) and the 2020 spec Annex 1 (device kinds); the result is judged
    from readings that passed."""
    errors: dict[str, list[str]] = {}
    try:
        test.clean_fields(exclude=NOT_CHECKED_HERE)
    except ValidationError as exc:
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
    if (
        test.sampled_at
        and test.tested_at
        and not errors.keys() & {"sampled_at", "tested_at"}
        and test.sampled_at > test.tested_at
    ):
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
    if not errors.keys() & READINGS:
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


@transaction.atomic
def record_uploaded(
    device: Device, tests: Sequence[TestRecord], upload: uuid.UUID
) -> list[tuple[RecordStatus, int]]:
    """Store tests a device uploaded, each already built, checked (:func:`check`, with relations
    looked up in bulk) and fingerprinted (:mod:`agritrace.testing.identity`), and say what became
    of each (2020 spec Annex 1: uploaded data are evidence). A record id is stored once: the
    first test of a new id is ``accepted`` and takes its consequences as :func:`record_test`'s
    do; a test whose id is stored with the same content is a ``duplicate``; with different
    content a ``conflict``, stored nowhere and warned about (:func:`warn_conflict`). Returns
    (status, id of the stored test) for each test, in order."""
    stored = _stored(device, {test.device_record_id for test in tests})
    new: dict[str, TestRecord] = {}
    for test in tests:
        if test.device_record_id not in stored:
            new.setdefault(test.device_record_id, test)
    inserted = _insert(list(new.values()), upload)
    # a concurrent upload may have stored some of them first
    stored |= _stored(device, set(new) - set(inserted))
    stored |= {record_id: (new[record_id].fingerprint, pk) for record_id, pk in inserted.items()}
    answers: list[tuple[RecordStatus, int]] = []
    conflicts: list[TestRecord] = []
    for test in tests:
        record_id = test.device_record_id
        fingerprint, pk = stored[record_id]
        if record_id in inserted and new[record_id] is test:
            answers.append((RecordStatus.ACCEPTED, pk))
        elif fingerprint == test.fingerprint:
            answers.append((RecordStatus.DUPLICATE, pk))
        else:
            answers.append((RecordStatus.CONFLICT, pk))
            conflicts.append(test)
    _warn_conflicts(device, conflicts)
    return answers


def _insert(tests: list[TestRecord], upload: uuid.UUID) -> dict[str, int]:
    """Insert new uploaded tests in one statement: (device, record id) is unique, so a record
    that a concurrent upload stored first is skipped. The failing ones inserted here take their
    consequences. Returns the record ids inserted, with their ids."""
    for test in tests:
        test.upload = upload
    TestRecord.objects.bulk_create(tests, batch_size=500, ignore_conflicts=True)
    # Only the rows this call inserted carry its upload id.
    inserted = dict(TestRecord.objects.filter(upload=upload).values_list("device_record_id", "pk"))
    stored = [test for test in tests if test.device_record_id in inserted]
    for test in stored:
        test.pk = inserted[test.device_record_id]
    record_bulk_create(stored)
    for test in stored:
        apply_consequences(test)
    return inserted


def _stored(device: Device, ids: set[str]) -> dict[str, tuple[str, int]]:
    """Record id → (content fingerprint, id) of this device's stored records among ``ids``."""
    if not ids:
        return {}
    rows = TestRecord.objects.filter(device=device, device_record_id__in=ids)
    return {
        rid: (fp, pk) for rid, fp, pk in rows.values_list("device_record_id", "fingerprint", "pk")
    }


def _warn_conflicts(device: Device, conflicts: list[TestRecord]) -> None:
    """:func:`warn_conflict` for each conflicting test, against the test stored under its id."""
    if not conflicts:
        return
    stored = {
        test.device_record_id: test
        for test in TestRecord.objects.filter(
            device=device, device_record_id__in={t.device_record_id for t in conflicts}
        ).select_related("producer__township", "batch", "device")
    }
    for sent in conflicts:
        warn_conflict(stored[sent.device_record_id], sent)


def apply_consequences(test: TestRecord) -> None:
    """A positive or unqualified result puts the batch "under review" (refusing certificates of
    compliance), raises a warning to the county supervision agency and the township station,
    and opens a follow-up item for the county."""
    if test.result not in FAILING:
        return
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
    warn_failing(test, test)


def warn_failing(subject: TestRecord, reading: TestRecord, note: str = "") -> None:
    """The positive-test warning (critical) on ``subject`` for the failing ``reading`` (the same
    test, or a conflicting upload of it that was not stored), with a follow-up item for the
    county supervision agency (2021 notice: 检验检测, a positive result is acted on at once)."""
    producer = reading.producer
    title = _("%(producer)s %(sample)s %(item)s 检测%(result)s") % {
        "producer": producer.name,
        "sample": reading.sample_name,
        "item": reading.item,
        "result": reading.get_result_display(),
    }
    detail = _("批次：%(batch)s") % {"batch": reading.batch.number if reading.batch_id else "—"}
    warning = raise_warning(
        WarningKind.POSITIVE_TEST,
        subject,
        region=producer.township,
        producer=producer,
        severity=Severity.CRITICAL,
        title=title,
        detail=f"{detail}\n{note}" if note else detail,
    )
    county = producer.township.parent
    FollowUp.objects.get_or_create(
        warning=warning,
        defaults={
            "title": clipped(
                _("跟进：%(title)s") % {"title": title},
                FollowUp._meta.get_field("title").max_length,
            ),
            "producer": producer,
            "organisation": Organisation.objects.filter(
                region=county, kind=OrganisationKind.SUPERVISION
            ).first(),
            "due_on": timezone.localdate() + dt.timedelta(days=FOLLOW_UP_DAYS),
        },
    )


def readings(test: TestRecord) -> str:
    """The readings of a test as a short text, by its method."""
    if test.method == Method.ENZYME:
        return _("抑制率 %(rate)s%%") % {"rate": test.inhibition_rate}
    if test.method == Method.GOLD:
        return _("C 线%(c)s，%(t)s") % {
            "c": _("显色") if test.control_line else _("不显色"),
            "t": test.get_t_line_display() or "—",
        }
    return _("检测值 %(value)s，判定值 %(limit)s") % {"value": test.value, "limit": test.limit}


def describe(test: TestRecord) -> str:
    """One line with what a record says: when, what, the readings and the judged result."""
    return _("%(time)s %(sample)s %(item)s：%(readings)s，结果%(result)s") % {
        "time": f"{timezone.localtime(test.tested_at):%Y-%m-%d %H:%M}",
        "sample": test.sample_name,
        "item": test.item,
        "readings": readings(test),
        "result": test.get_result_display(),
    }


def warn_conflict(stored: TestRecord, sent: TestRecord) -> None:
    """A device sent a record id again with different content (2020 spec Annex 1: uploaded data
    are evidence): the new content is stored nowhere, the stored test stays as it is, and the
    producer and its regulators are warned. A failing reading is never lost silently: it raises
    the positive-test warning on the stored test anyway."""
    producer = stored.producer
    note = _("设备 %(serial)s 再次上传记录号 %(id)s，内容与已保存的不同，未保存：%(sent)s") % {
        "serial": stored.device.serial if stored.device_id else "—",
        "id": stored.device_record_id,
        "sent": describe(sent),
    }
    raise_warning(
        WarningKind.UPLOAD_CONFLICT,
        stored,
        region=producer.township,
        producer=producer,
        severity=Severity.WARNING,
        title=_("设备上传记录冲突：%(producer)s %(id)s")
        % {
            "producer": producer.name,
            "id": stored.device_record_id,
        },
        detail=_("已保存：%(stored)s\n%(note)s") % {"stored": describe(stored), "note": note},
    )
    if sent.result in FAILING:
        warn_failing(stored, sent, note)


def unanswered_failures(batch: Batch) -> Any:
    """The batch's positive or unqualified tests without a passing retest, the latest first:
    what blocks its certificate (农业农村部令2025年第4号) and what a retest must answer."""
    failing = batch.tests.filter(result__in=FAILING).exclude(retests__result__in=PASSING)
    return failing.order_by("-tested_at", "-id")


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
