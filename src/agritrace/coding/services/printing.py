"""Labels and print jobs: the shared preset layouts, the lines printed beside the QR, and
print jobs that render a roll's serial range to PDF, ZPL or TSPL, mark the codes printed and
log it (issue 5, points 4 and 5; 2020 spec Annex 1: label printers of at least 203 dpi)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.coding import labels
from agritrace.coding.choices import CodeAction, CodeStatus, OutputFormat, TaskStatus
from agritrace.coding.models import LabelLayout, PrintJob, TraceCode
from agritrace.coding.services.links import code_url
from agritrace.coding.services.minting import log_event
from agritrace.production.models import Batch


def usual_layout(producer_id: int) -> LabelLayout | None:
    """The layout a producer's next print job starts from: the one its last job used, else the
    first shared preset."""
    last = (
        PrintJob.objects.filter(producer_id=producer_id).order_by("-id").select_related("layout")
    ).first()
    if last is not None:
        return last.layout
    return LabelLayout.objects.filter(producer=None).order_by("id").first()


def sync_presets() -> None:
    """The shared preset layouts exist and match ``labels.PRESETS`` (run after migrate)."""
    for name, preset in labels.PRESETS.items():
        data = preset.to_dict()
        LabelLayout.objects.update_or_create(
            producer=None,
            name=name,
            defaults={
                "width_mm": Decimal(str(data["width_mm"])),
                "height_mm": Decimal(str(data["height_mm"])),
                "elements": data["elements"],
            },
        )


def label_lines(batch: Batch | None, producer: Any) -> tuple[str, ...]:
    """The text lines printed beside the QR: product, batch, producer."""
    if batch is None:
        return (producer.name,)
    return (batch.product.name, _("批次 %(n)s") % {"n": batch.number}, producer.name)


def request_print(job: PrintJob, *, user: Any = None) -> PrintJob:
    """Check and queue a print job (rendered now when small, by a task otherwise)."""
    errors: dict[str, str] = {}
    roll = job.roll
    job.producer_id = roll.producer_id
    if job.last_serial < job.first_serial:
        errors["last_serial"] = _("结束序号不能小于起始序号")
    elif job.count > settings.AGRITRACE_MAX_PRINT:
        errors["last_serial"] = _("一次最多打印 %(max)s 张标签，请分批打印") % {
            "max": settings.AGRITRACE_MAX_PRINT
        }
    elif job.last_serial > roll.minted:
        errors["last_serial"] = _("码卷只有 %(n)s 个已生成的码") % {"n": roll.minted}
    if job.layout.producer_id not in (None, job.producer_id):
        errors["layout"] = _("版式不属于该主体")
    if job.output == OutputFormat.PDF_SHEET and job.sheet not in labels.SHEETS:
        errors["sheet"] = _("请选择 A4 版面")
    if errors:
        raise ValidationError(errors)
    layout = job.layout.as_layout()
    if job.output == OutputFormat.PDF_SHEET:
        labels.check_media(
            layout,
            labels.SHEETS[job.sheet].label_width_mm,
            labels.SHEETS[job.sheet].label_height_mm,
        )
    selected = TraceCode.objects.filter(
        roll=roll, serial__gte=job.first_serial, serial__lte=job.last_serial
    )
    voided = selected.filter(status__in=(CodeStatus.VOIDED, CodeStatus.RECALLED)).count()
    if voided:
        raise ValidationError(
            {"first_serial": _("范围内有 %(n)s 个已作废或召回的码，不能打印") % {"n": voided}}
        )
    job.reprint = selected.exclude(status=CodeStatus.MINTED).exists()
    job.created_by = user if getattr(user, "is_authenticated", False) else None
    job.full_clean()
    job.save()
    if job.count <= settings.AGRITRACE_PRINT_INLINE:
        render_job(job)
    else:
        from agritrace.coding.tasks import print_labels

        transaction.on_commit(lambda: print_labels.enqueue(job.pk))
    return job


def render_job(job: PrintJob) -> PrintJob:
    """Render the job's labels, store the file, mark the codes printed (codes minted onto a
    batch become active at once) and log a print or reprint event."""
    PrintJob.objects.filter(pk=job.pk).update(status=TaskStatus.RUNNING)
    try:
        items = [
            labels.LabelItem(code=code, url=code_url(code), lines=label_lines(batch, job.producer))
            for code, batch in _codes_with_batches(job)
        ]
        layout = job.layout.as_layout()
        output, extension = _render(job, layout, items)
    except ValidationError as error:
        PrintJob.objects.filter(pk=job.pk).update(
            status=TaskStatus.FAILED, error="; ".join(error.messages)
        )
        raise
    with transaction.atomic():
        job.file.save(f"labels-{job.pk}.{extension}", ContentFile(output), save=False)
        job.status, job.progress, job.finished_at = TaskStatus.DONE, len(items), timezone.now()
        job.save(update_fields=["file", "status", "progress", "finished_at", "updated_at"])
        selected = TraceCode.objects.filter(
            roll=job.roll,
            serial__gte=job.first_serial,
            serial__lte=job.last_serial,
            status=CodeStatus.MINTED,
        )
        now = timezone.now()
        selected.filter(batch__isnull=False).update(status=CodeStatus.ACTIVE, updated_at=now)
        selected.filter(batch__isnull=True).update(status=CodeStatus.PRINTED, updated_at=now)
        log_event(
            job.roll,
            CodeAction.REPRINT if job.reprint else CodeAction.PRINT,
            job.first_serial,
            job.last_serial,
            job.count,
            CodeStatus.PRINTED,
            user=job.created_by,
            reason=_("打印任务 %(id)s") % {"id": job.pk},
        )
    return job


def _codes_with_batches(job: PrintJob) -> list[tuple[str, Batch | None]]:
    rows = (
        TraceCode.objects.filter(
            roll=job.roll, serial__gte=job.first_serial, serial__lte=job.last_serial
        )
        .order_by("serial")
        .values_list("code", "batch_id")
    )
    batches = {
        b.pk: b
        for b in Batch.objects.filter(
            pk__in={batch for _code, batch in rows if batch}
        ).select_related("product")
    }
    return [(code, batches.get(batch_id)) for code, batch_id in rows]


def _render(
    job: PrintJob, layout: labels.Layout, items: list[labels.LabelItem]
) -> tuple[bytes, str]:
    if job.output == OutputFormat.ZPL:
        return labels.render_zpl(layout, items, dpi=job.dpi), "zpl"
    if job.output == OutputFormat.TSPL:
        return labels.render_tspl(layout, items, dpi=job.dpi), "prn"
    sheet = labels.SHEETS[job.sheet] if job.output == OutputFormat.PDF_SHEET else None
    return labels.render_pdf(layout, items, sheet=sheet), "pdf"
