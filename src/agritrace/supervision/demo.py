"""Demo complaints (2020 spec Art. 23): two fictitious complaints filed against demo trace
codes through the same rules as the public form, one already taken up by the county.

Complaints need active codes, which the coding loader mints; this app loads before ``testing``
and ``coding``, so it runs their (idempotent) loaders first, in their own order."""

from __future__ import annotations

from agritrace.accounts.models import User
from agritrace.coding import demo as coding_demo
from agritrace.coding.choices import CodeStatus
from agritrace.coding.models import TraceCode
from agritrace.core.demodata import MARK, DemoContext
from agritrace.core.permissions import REGISTRARS
from agritrace.supervision import services
from agritrace.supervision.models import Complaint, ComplaintCategory, ComplaintStatus
from agritrace.testing import demo as testing_demo

COMPLAINTS = (
    (ComplaintCategory.QUALITY, f"{MARK}：在农贸市场买的这批蔬菜有明显异味，怀疑农药残留超标。"),
    (ComplaintCategory.COUNTERFEIT, f"{MARK}：同一追溯码出现在两家店的包装上，疑似标签被复制。"),
)


def load(ctx: DemoContext) -> None:
    """Idempotent: complaints are keyed by their demo description."""
    testing_demo.load(ctx)
    coding_demo.load(ctx)
    active = TraceCode.objects.filter(status=CodeStatus.ACTIVE, producer__name__contains=MARK)
    # the demo accounts' producers first, so that the demo regulators see the complaints
    mine = list(
        User.objects.filter(username__in=["producer_a", "producer_b"], producer__isnull=False)
        .order_by("username")
        .values_list("producer_id", flat=True)
    )
    others = active.values_list("producer_id", flat=True).distinct().order_by("producer_id")
    producers = [p for p in mine if active.filter(producer_id=p).exists()] + list(others[:2])
    producers = list(dict.fromkeys(producers))[:2]
    for (category, description), producer_id in zip(COMPLAINTS, producers, strict=False):
        if Complaint.objects.filter(description=description).exists():
            continue
        code = active.filter(producer_id=producer_id).order_by("serial").first()
        complaint = services.file_complaint(
            category=category,
            description=description,
            code_text=code.code,
            contact_name=f"{MARK}消费者",
        )
        ctx.count("complaints", 1)
        if category == ComplaintCategory.QUALITY:
            officer = (
                User.objects.filter(
                    organisation__region__in=[complaint.county, complaint.township],
                    role__in=REGISTRARS,
                )
                .order_by("id")
                .first()
            )
            services.handle_complaint(
                complaint,
                ComplaintStatus.HANDLING,
                by=officer,
                internal_note=f"{MARK}：已安排乡镇监管站抽样快检。",
            )
