"""What coding adds to a batch's page: the certificate, codes and labels steps of the guided
flow, and the certificates and codes of the lineage in the trace report (registries of
``production.flow`` and ``production.trace``). Each step asks the rule its service applies."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agritrace.coding.choices import Basis, CodeStatus
from agritrace.coding.models import Certificate, CodeRoll, PrintJob, TraceCode
from agritrace.coding.services import certificates, minting, printing
from agritrace.core.formats import listed, quantity
from agritrace.production.flow import Step, batch_step, step_url
from agritrace.production.models import Batch
from agritrace.production.trace import Section, TraceReport, trace_section
from agritrace.testing.choices import PASSING


@batch_step(20)
def certificate_step(batch: Batch, user: Any) -> Step:
    """Issue the certificate of compliance (农业农村部令2025年第4号): refused while
    :func:`~agritrace.coding.services.certificates.certificate_blockers` names a reason, and
    once certificates cover the whole batch."""
    issued = Certificate.objects.restrict(user, "view").filter(batch=batch, voided=False)
    latest = issued.order_by("-issued_on", "-id").first()
    left = batch.quantity - certificates.issued_quantity(batch)
    reasons = certificates.certificate_blockers(batch, timezone.localdate())
    if left <= 0:
        reasons.append(_("合格证已覆盖批次全部数量"))
    passed = batch.tests.filter(result__in=PASSING).order_by("-tested_at", "-id").first()
    query: dict[str, Any] = {"batch": batch.pk, "quantity": quantity(max(left, 0))}
    query |= (
        {"basis": Basis.SELF_TEST, "test": passed.pk}
        if passed is not None
        else {"basis": Basis.QUALITY_CONTROL}
    )
    status = ""
    if latest is not None:
        status = _("%(number)s（%(q)s%(unit)s，%(date)s），共 %(n)s 张") % {
            "number": latest.number,
            "q": quantity(latest.quantity),
            "unit": latest.get_unit_display(),
            "date": latest.issued_on,
            "n": issued.count(),
        }
    return Step(
        key="certificate",
        label=_("合格证"),
        action=_("开具合格证"),
        url=step_url("coding:certificate_add", user, Certificate, query, back=batch),
        enabled=not reasons,
        reason=listed(reasons),
        done=latest is not None,
        status=status,
    )


@batch_step(30)
def codes_step(batch: Batch, user: Any) -> Step:
    """Give the batch its trace codes (2020 spec Art. 13 "一品一码"): only the producer's own
    batches that may still be sold (:func:`~agritrace.coding.services.minting.usable_batch`)."""
    counts = dict(
        TraceCode.objects.restrict(user, "view")
        .filter(batch=batch)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    try:
        minting.usable_batch(batch, batch.producer_id)
    except ValidationError as error:
        reason = listed(error.messages)
    else:
        reason = ""
    status = ""
    if counts:
        status = _("已绑定 %(n)s 个：%(states)s") % {
            "n": sum(counts.values()),
            "states": listed(
                f"{label} {counts[value]}" for value, label in CodeStatus.choices if value in counts
            ),
        }
    return Step(
        key="codes",
        label=_("追溯码"),
        action=_("生成追溯码"),
        url=step_url(
            "coding:coderoll_add",
            user,
            CodeRoll,
            {"producer": batch.producer_id, "batch": batch.pk},
            back=batch,
        ),
        enabled=not reason,
        reason=reason,
        done=bool(counts),
        status=status,
    )


@batch_step(40)
def labels_step(batch: Batch, user: Any) -> Step:
    """Print the labels of the codes minted onto the batch (its latest roll with codes); no
    codes yet, nothing to print. (Codes bound by scanning were printed on their unbound roll
    before they were bound.)"""
    rolls = CodeRoll.objects.restrict(user, "view").filter(batch=batch)
    roll = rolls.filter(minted__gt=0).order_by("-id").first()
    jobs = list(PrintJob.objects.restrict(user, "view").filter(roll__batch=batch).order_by("-id"))
    reason = ""
    if roll is None:
        reason = (
            _("码卷正在生成追溯码") if rolls.exists() else _("本批次尚无追溯码，请先生成追溯码")
        )
    query = {"roll": roll.pk, "first_serial": 1, "last_serial": roll.minted} if roll else {}
    layout = printing.usual_layout(batch.producer_id)
    if roll and layout is not None:
        query["layout"] = layout.pk
    status = ""
    if jobs:
        status = _("打印任务 %(jobs)s 个，共 %(labels)s 张，最近一次%(state)s") % {
            "jobs": len(jobs),
            "labels": sum(job.count for job in jobs),
            "state": jobs[0].get_status_display(),
        }
    return Step(
        key="labels",
        label=_("标签"),
        action=_("打印标签"),
        url=step_url("coding:printjob_add", user, PrintJob, query, back=None),
        enabled=roll is not None,
        reason=reason,
        done=bool(jobs),
        status=status,
    )


@trace_section(20)
def certificates_of_the_lineage(report: TraceReport, batch_ids: list[int]) -> Section:
    """Every certificate of compliance of the lineage's batches, voided ones included."""
    found = Certificate.objects.filter(batch_id__in=batch_ids).select_related("batch")
    return Section(
        title=gettext_lazy("承诺达标合格证"),
        columns=[
            (gettext_lazy("合格证编号"), lambda c: c.number),
            (gettext_lazy("批次号"), lambda c: c.batch.number),
            (gettext_lazy("数量（重量）"), lambda c: c.quantity),
            (gettext_lazy("单位"), lambda c: c.get_unit_display()),
            (gettext_lazy("开具日期"), lambda c: c.issued_on),
            (gettext_lazy("承诺依据"), lambda c: c.get_basis_display()),
            (gettext_lazy("产地"), lambda c: c.origin),
            (gettext_lazy("作废原因"), lambda c: c.void_reason if c.voided else ""),
        ],
        rows=list(found.order_by("-issued_on", "-id")),
    )


@trace_section(30)
def codes_of_the_lineage(report: TraceReport, batch_ids: list[int]) -> Section:
    """How many trace codes each batch of the lineage carries, by status (a recall recalls
    the active ones)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        TraceCode.objects.filter(batch_id__in=batch_ids)
        .values("batch_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["batch_id"], {})[row["status"]] = row["n"]
    family = [(b, counts[b.pk]) for b, _depth in report.family if b.pk in counts]
    columns: list[tuple[Any, Any]] = [(gettext_lazy("批次号"), lambda r: r[0].number)]
    columns += [
        (label, lambda r, value=value: r[1].get(value, 0)) for value, label in CodeStatus.choices
    ]
    columns.append((gettext_lazy("合计"), lambda r: sum(r[1].values())))
    return Section(title=gettext_lazy("追溯码"), columns=columns, rows=family)
