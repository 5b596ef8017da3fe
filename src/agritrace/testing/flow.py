"""What testing adds to a batch's page: the test step of the guided flow and the tests of the
lineage in the trace report (registries of ``production.flow`` and ``production.trace``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agritrace.production.flow import Step, batch_step, step_url
from agritrace.production.models import Batch
from agritrace.production.trace import Section, TraceReport, trace_section
from agritrace.testing.choices import Purpose
from agritrace.testing.models import TestRecord
from agritrace.testing.services import unanswered_failures


@batch_step(10)
def test_step(batch: Batch, user: Any) -> Step:
    """Test the batch (2021 notice Annex 2, 检验检测); after a failing result, a retest of it."""
    tests = TestRecord.objects.restrict(user, "view").filter(batch=batch)
    latest = tests.order_by("-tested_at", "-id").first()
    failed = unanswered_failures(batch).first()
    query = {
        "producer": batch.producer_id,
        "batch": batch.pk,
        "product": batch.product_id,
        "sample_name": batch.product.name,
    }
    if failed is not None:
        query |= {"purpose": Purpose.RETEST, "retest_of": failed.pk, "item": failed.item}
    status = ""
    if latest is not None:
        status = _("%(item)s %(result)s（%(date)s），共 %(n)s 次") % {
            "item": latest.item,
            "result": latest.get_result_display(),
            "date": f"{timezone.localtime(latest.tested_at):%Y-%m-%d}",
            "n": tests.count(),
        }
    return Step(
        key="test",
        label=_("检测"),
        action=_("录入复检") if failed is not None else _("录入检测"),
        url=step_url("testing:testrecord_add", user, TestRecord, query, back=batch),
        enabled=True,
        done=latest is not None,
        status=status,
    )


@trace_section(10)
def tests_of_the_lineage(report: TraceReport, batch_ids: list[int]) -> Section:
    """Every test of every batch of the lineage, the latest first."""
    tests = (
        TestRecord.objects.filter(batch_id__in=batch_ids)
        .select_related("batch", "retest_of")
        .order_by("-tested_at", "-id")
    )
    return Section(
        title=gettext_lazy("检测记录"),
        columns=[
            (gettext_lazy("批次号"), lambda t: t.batch.number),
            (
                gettext_lazy("检测时间"),
                lambda t: timezone.localtime(t.tested_at).replace(tzinfo=None),
            ),
            (gettext_lazy("样品名称"), lambda t: t.sample_name),
            (gettext_lazy("检测项目"), lambda t: t.item),
            (gettext_lazy("检测方法"), lambda t: t.get_method_display()),
            (gettext_lazy("检测目的"), lambda t: t.get_purpose_display()),
            (gettext_lazy("结果"), lambda t: t.get_result_display()),
            (gettext_lazy("复检自"), lambda t: str(t.retest_of) if t.retest_of_id else ""),
        ],
        rows=list(tests),
    )
