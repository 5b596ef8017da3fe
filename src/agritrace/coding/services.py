"""The coding rules: minting, binding, voiding and recalling trace codes; print jobs; certificates
of compliance; market-access checks; QR contents (2020 spec Art. 13–14; 2021 notice "赋追溯码、
合格证、身份证"; 农业农村部令2025年第4号)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from biip import ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_messages import GS1Message
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.coding import documents, labels
from agritrace.coding.choices import (
    TEST_BASES,
    CheckedKind,
    CodeAction,
    CodeStatus,
    OutputFormat,
    TaskStatus,
)
from agritrace.coding.models import (
    CODE_LENGTH,
    Certificate,
    CodeEvent,
    CodeRoll,
    LabelLayout,
    MarketCheck,
    PrintJob,
    TraceCode,
)
from agritrace.core import codes
from agritrace.core.urls import public_url
from agritrace.production.choices import BatchStatus
from agritrace.production.models import Batch
from agritrace.production.services import breaches_for_harvest
from agritrace.testing.choices import FAILING, PASSING

#: Codes written per round trip while minting.
MINT_CHUNK = 50_000
#: Statuses a code may be bound from.
BINDABLE = (CodeStatus.MINTED, CodeStatus.PRINTED)
#: Statuses a code may be voided from.
VOIDABLE = (CodeStatus.MINTED, CodeStatus.PRINTED, CodeStatus.ACTIVE)


# --- QR contents --------------------------------------------------------------------------


def code_url(code: str) -> str:
    """What a trace code's QR encodes: the public ID-card page (issue 5, point 2)."""
    return public_url(f"/t/{code}")


def certificate_url(number: str) -> str:
    """What a certificate's QR encodes: its public verification page, which leads to the
    batch's ID card."""
    return public_url(f"/c/{number}")


def digital_link(gtin: str, batch_number: str, code: str) -> str | None:
    """The GS1 Digital Link form ``/01/{gtin}/10/{batch}/21/{serial}`` on our own domain, or
    ``None`` when the product has no GTIN or the batch number is not GS1-encodable (GS1
    General Specifications: AI 10 is up to 20 characters of the CSET 82 set)."""
    if not gtin:
        return None
    try:
        message = GS1Message.parse_hri(f"(01){gtin.zfill(14)}(10){batch_number}(21){code}")
        uri = GS1DigitalLinkURI.from_element_strings(message.element_strings).as_uri()
    except (ParseError, ValueError):
        return None
    return public_url(urlsplit(uri).path)


def code_from_digital_link(path: str) -> str | None:
    """The trace code (AI 21, serial) of a GS1 Digital Link path or URI, else ``None``."""
    uri = path if "://" in path else f"https://id.gs1.org{path}"
    try:
        strings = GS1DigitalLinkURI.parse(uri).element_strings
    except (ParseError, ValueError):
        return None
    serial = strings.get(ai="21")
    return codes.validate_or_none(serial.value, CODE_LENGTH) if serial else None


@dataclass(frozen=True)
class Scanned:
    """What a scanner read: a trace code, a certificate number, or nothing usable."""

    kind: CheckedKind
    value: str
    problem: str = ""


def read_scan(text: str) -> Scanned:
    """Interpret a scan: a bare code, our ``/t/<code>`` or ``/c/<number>`` URL, or a GS1
    Digital Link URI. A wrong check character is reported as such (a typo or a damaged
    label), never looked up."""
    text = text.strip()
    kind, raw = CheckedKind.TRACE_CODE, text
    if "/" in text:
        path = urlsplit(text).path if "://" in text else text
        parts = [p for p in path.split("/") if p]
        if len(parts) == 2 and parts[0] in ("t", "c"):
            kind = CheckedKind.TRACE_CODE if parts[0] == "t" else CheckedKind.CERTIFICATE
            raw = parts[1]
        elif "01" in parts:
            found = code_from_digital_link(path)
            if found is None:
                return Scanned(CheckedKind.UNKNOWN, "", _("无法识别的 GS1 数字链接"))
            return Scanned(CheckedKind.TRACE_CODE, found)
        else:
            return Scanned(CheckedKind.UNKNOWN, "", _("不是本平台的追溯码或合格证"))
    try:
        value = codes.validate(raw, CODE_LENGTH)
    except codes.InvalidCode as error:
        return Scanned(CheckedKind.UNKNOWN, "", explain_invalid(error))
    return Scanned(kind, value)


def explain_invalid(error: codes.InvalidCode) -> str:
    """A clear message for a code that failed validation."""
    text = str(error)
    if text.startswith("length"):
        return _("追溯码应为 %(n)s 位") % {"n": CODE_LENGTH}
    if text.startswith("check"):
        return _("校验位不符：可能输错或标签损坏")
    return _("含有无效字符")


def parse_code(text: str) -> str:
    """A trace code typed or scanned, canonical; ValidationError saying what is wrong."""
    scanned = read_scan(text)
    if scanned.kind != CheckedKind.TRACE_CODE:
        raise ValidationError({"code": scanned.problem or _("这是合格证编号，不是追溯码")})
    return scanned.value


# --- minting ------------------------------------------------------------------------------


def _usable_batch(batch: Batch, producer_id: int, field: str = "batch") -> None:
    """Codes go only on the producer's own batches that may still be sold."""
    if batch.producer_id != producer_id:
        raise ValidationError({field: _("批次不属于该主体")})
    if batch.status != BatchStatus.ACTIVE:
        raise ValidationError(
            {field: _("批次状态为“%(status)s”，不能赋码") % {"status": batch.get_status_display()}}
        )


def request_mint(
    producer: Any, count: int, *, batch: Batch | None = None, user: Any = None, note: str = ""
) -> CodeRoll:
    """Start minting ``count`` codes for ``producer`` (bound to ``batch`` at once, or an unbound
    roll to bind by scanning later). Small runs are minted now; larger ones by a background
    task that reports progress on the roll."""
    if not 1 <= count <= settings.AGRITRACE_MAX_MINT:
        raise ValidationError(
            {"count": _("一次最多生成 %(max)s 个追溯码") % {"max": settings.AGRITRACE_MAX_MINT}}
        )
    if batch is not None:
        _usable_batch(batch, producer.pk)
    roll = CodeRoll(producer=producer, batch=batch, count=count, created_by=user, note=note)
    roll.full_clean()
    roll.save()
    if count <= settings.AGRITRACE_MINT_INLINE:
        fill_roll(roll)
    else:
        from agritrace.coding.tasks import mint_roll

        transaction.on_commit(lambda: mint_roll.enqueue(roll.pk))
    return roll


def copy_text(table: str, columns: Sequence[str], lines: list[str]) -> None:
    """Insert rows given as lines of PostgreSQL's COPY text format (tab-separated, ``\\N`` for
    NULL, newline-terminated) in one ``COPY``; ``executemany`` of the split lines elsewhere.
    Callers produce only values that need no escaping (codes, numbers, ISO times)."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                copy.write("".join(lines))
        else:
            marks = ", ".join(["%s"] * len(columns))
            rows = [
                [None if v == "\\N" else v for v in line.rstrip("\n").split("\t")] for line in lines
            ]
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)


#: The columns minting writes.
CODE_COLUMNS = (
    "code", "producer_id", "roll_id", "serial", "batch_id", "status", "scans", "created_at",
    "updated_at",
)  # fmt: skip


def code_lines(roll: CodeRoll, first_serial: int, size: int) -> list[str]:
    """COPY lines of ``size`` new codes of ``roll`` from serial ``first_serial``."""
    now = timezone.now().isoformat()
    batch = "\\N" if roll.batch_id is None else str(roll.batch_id)
    fixed = f"\t{roll.producer_id}\t{roll.pk}\t"
    rest = f"\t{batch}\t{CodeStatus.MINTED}\t0\t{now}\t{now}\n"
    return [
        f"{code}{fixed}{serial}{rest}"
        for serial, code in enumerate(codes.new_codes(size), start=first_serial)
    ]


def fill_roll(roll: CodeRoll, chunk: int = MINT_CHUNK) -> None:
    """Mint the roll's codes in chunks, each in its own transaction (progress is visible and a
    crash resumes where it stopped); a chunk that collides with an existing code (about one in
    2⁴⁰ chunks of 50,000) is drawn again. Logs one ``mint`` event for the whole roll."""
    CodeRoll.objects.filter(pk=roll.pk).update(status=TaskStatus.RUNNING)
    table = connection.ops.quote_name(TraceCode._meta.db_table)
    done = TraceCode.objects.filter(roll=roll).count()
    while done < roll.count:
        size = min(chunk, roll.count - done)
        try:
            with transaction.atomic():
                copy_text(table, CODE_COLUMNS, code_lines(roll, done + 1, size))
                CodeRoll.objects.filter(pk=roll.pk).update(minted=done + size)
        except IntegrityError:
            continue
        done += size
    with transaction.atomic():
        CodeRoll.objects.filter(pk=roll.pk).update(status=TaskStatus.DONE, minted=roll.count)
        _event(
            roll,
            CodeAction.MINT,
            1,
            roll.count,
            roll.count,
            CodeStatus.MINTED,
            user=roll.created_by,
            batch=roll.batch,
        )
    roll.refresh_from_db()


def _event(
    roll: CodeRoll,
    action: CodeAction,
    first: int,
    last: int,
    count: int,
    to_status: CodeStatus,
    *,
    user: Any = None,
    code: TraceCode | None = None,
    batch: Batch | None = None,
    reason: str = "",
) -> CodeEvent:
    return CodeEvent.objects.create(
        producer_id=roll.producer_id,
        roll=roll,
        action=action,
        first_serial=first,
        last_serial=last,
        count=count,
        code=code,
        batch=batch,
        to_status=to_status,
        reason=reason,
        user=user if getattr(user, "is_authenticated", False) else None,
    )


# --- binding, voiding, recalling ----------------------------------------------------------


def find_code(text: str, queryset: Any) -> TraceCode:
    """The code ``text`` names among ``queryset`` (the user's scope): ValidationError for a
    malformed code, an unknown one, or one of another producer."""
    code = parse_code(text)
    found = queryset.select_related("roll", "batch").filter(code=code).first()
    if found is None:
        if TraceCode.objects.filter(code=code).exists():
            raise ValidationError({"code": _("追溯码 %(code)s 不属于本主体") % {"code": code}})
        raise ValidationError({"code": _("追溯码 %(code)s 不存在") % {"code": code}})
    return found


def _bind_refusal(code: TraceCode, batch: Batch) -> str | None:
    if code.status in BINDABLE and code.batch_id in (None, batch.pk):
        return None
    if code.status in BINDABLE or code.status == CodeStatus.ACTIVE:
        if code.batch_id == batch.pk:
            return _("追溯码 %(code)s 已绑定本批次") % {"code": code.code}
        return _("追溯码 %(code)s 已绑定批次 %(batch)s") % {
            "code": code.code,
            "batch": code.batch.number if code.batch_id else "—",
        }
    return _("追溯码 %(code)s %(status)s，不能绑定") % {
        "code": code.code,
        "status": code.get_status_display(),
    }


@transaction.atomic
def bind(code: TraceCode, batch: Batch, *, user: Any = None) -> TraceCode:
    """Bind one code to a batch (scan-to-bind): it becomes active."""
    code = TraceCode.objects.select_for_update(of=("self",)).select_related("batch").get(pk=code.pk)
    _usable_batch(batch, code.producer_id)
    refusal = _bind_refusal(code, batch)
    if refusal:
        raise ValidationError({"code": refusal})
    code.batch, code.status = batch, CodeStatus.ACTIVE
    code.save(update_fields=["batch", "status", "updated_at"])
    _event(
        code.roll,
        CodeAction.BIND,
        code.serial,
        code.serial,
        1,
        CodeStatus.ACTIVE,
        user=user,
        code=code,
        batch=batch,
    )
    return code


@transaction.atomic
def bind_range(first: TraceCode, last: TraceCode, batch: Batch, *, user: Any = None) -> int:
    """Bind every code of one roll from ``first`` to ``last`` (scanned at both ends of a strip
    of labels). All or nothing: refused if any code in the range cannot be bound."""
    if first.roll_id != last.roll_id:
        raise ValidationError({"last": _("首尾两个追溯码须来自同一码卷")})
    _usable_batch(batch, first.producer_id)
    low, high = sorted((first.serial, last.serial))
    in_range = TraceCode.objects.filter(roll_id=first.roll_id, serial__gte=low, serial__lte=high)
    blocked = in_range.exclude(Q(status__in=BINDABLE) & (Q(batch=None) | Q(batch=batch)))
    count_blocked = blocked.count()
    if count_blocked:
        sample = ", ".join(blocked.order_by("serial").values_list("code", flat=True)[:3])
        raise ValidationError(
            {
                "last": _("范围内有 %(n)s 个码已绑定、作废或召回（如 %(sample)s），未做任何绑定")
                % {"n": count_blocked, "sample": sample}
            }
        )
    count = in_range.update(batch=batch, status=CodeStatus.ACTIVE, updated_at=timezone.now())
    _event(first.roll, CodeAction.BIND, low, high, count, CodeStatus.ACTIVE, user=user, batch=batch)
    return count


@transaction.atomic
def void(roll: CodeRoll, low: int, high: int, reason: str, *, user: Any = None) -> int:
    """Void a roll's codes ``low``–``high`` (a damaged strip, a misprint): they stay on record
    and their page says they are void."""
    if not reason.strip():
        raise ValidationError({"reason": _("须写明作废原因")})
    if not 1 <= low <= high <= roll.count:
        raise ValidationError({"last_serial": _("序号须在 1–%(n)s 之间") % {"n": roll.count}})
    count = TraceCode.objects.filter(
        roll=roll, serial__gte=low, serial__lte=high, status__in=VOIDABLE
    ).update(status=CodeStatus.VOIDED, updated_at=timezone.now())
    if not count:
        raise ValidationError({"first_serial": _("范围内没有可作废的追溯码")})
    _event(
        roll, CodeAction.VOID, low, high, count, CodeStatus.VOIDED, user=user, reason=reason.strip()
    )
    return count


@transaction.atomic
def void_code(code: TraceCode, reason: str, *, user: Any = None) -> TraceCode:
    """Void one code (a label torn or stuck on the wrong package)."""
    void(code.roll, code.serial, code.serial, reason, user=user)
    code.refresh_from_db()
    return code


def recall_codes(batch: Batch) -> int:
    """A recalled batch's live codes become "recalled" (their page shows the recall); one event
    per roll."""
    live = TraceCode.objects.filter(batch=batch).exclude(
        status__in=(CodeStatus.VOIDED, CodeStatus.RECALLED)
    )
    ranges = live.order_by().values("roll_id").annotate(low=Min("serial"), high=Max("serial"))
    count = 0
    for found in list(ranges):
        updated = live.filter(roll_id=found["roll_id"]).update(
            status=CodeStatus.RECALLED, updated_at=timezone.now()
        )
        roll = CodeRoll.objects.get(pk=found["roll_id"])
        _event(
            roll,
            CodeAction.RECALL,
            found["low"],
            found["high"],
            updated,
            CodeStatus.RECALLED,
            batch=batch,
            reason=batch.status_reason,
        )
        count += updated
    return count


# --- labels and print jobs ----------------------------------------------------------------


def layout_of(layout: LabelLayout) -> labels.Layout:
    """The stored layout as the renderer's :class:`labels.Layout` (ValidationError if invalid)."""
    return labels.Layout.from_dict(
        {
            "width_mm": float(layout.width_mm),
            "height_mm": float(layout.height_mm),
            "elements": layout.elements,
        }
    )


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
    layout = layout_of(job.layout)
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
        layout = layout_of(job.layout)
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
        _event(
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


# --- certificates of compliance -----------------------------------------------------------


def certificate_blockers(batch: Batch, on: dt.date) -> list[str]:
    """Why a certificate cannot be issued for ``batch`` on ``on`` (empty when it can):
    a batch under review, recalled or closed; a positive or unqualified test without a passing
    retest; an input whose pre-harvest interval or withdrawal period has not run out
    (农业农村部令2025年第4号: the commitment rests on quality control or passed tests)."""
    reasons = []
    if batch.status != BatchStatus.ACTIVE:
        reasons.append(
            _("批次状态为“%(status)s”%(why)s")
            % {
                "status": batch.get_status_display(),
                "why": f"：{batch.status_reason}" if batch.status_reason else "",
            }
        )
    for test in batch.tests.filter(result__in=FAILING):
        if not test.retests.filter(result__in=PASSING).exists():
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


def origin_of(producer: Any) -> str:
    """The origin printed on a certificate: the township's full name and the address."""
    township = producer.township.full_name or producer.township.name
    return f"{township} {producer.address}".strip()


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
    issued = Certificate.objects.filter(batch=batch, voided=False).aggregate(total=Sum("quantity"))[
        "total"
    ] or Decimal(0)
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
    certificate.origin = origin_of(producer)
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


# --- market checks ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """A market check's outcome, before it is recorded."""

    kind: CheckedKind
    valid: bool
    reason: str
    trace_code: TraceCode | None = None
    certificate: Certificate | None = None


def judge_scan(text: str) -> Verdict:
    """Valid: an active code of a batch not recalled or under review, or a certificate not
    voided whose batch is not recalled or under review. Looked up platform-wide: a market
    checks goods from every county. A bare code may be either: codes first, then certificate
    numbers (both are random 65-bit codes, so they never coincide in practice)."""
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
            return _certificate_verdict(certificate)
        if scanned.kind == CheckedKind.CERTIFICATE:
            return Verdict(scanned.kind, False, _("合格证不存在：可能是伪造的"))
        return Verdict(scanned.kind, False, _("追溯码不存在：可能是伪造的"))
    if code.status != CodeStatus.ACTIVE or code.batch is None:
        reason = (
            _("追溯码%(status)s，未激活使用") if code.status in BINDABLE else _("追溯码%(status)s")
        )
        return Verdict(
            scanned.kind, False, reason % {"status": code.get_status_display()}, trace_code=code
        )
    return _batch_verdict(scanned.kind, code.batch, trace_code=code)


def _certificate_verdict(certificate: Certificate) -> Verdict:
    kind = CheckedKind.CERTIFICATE
    if certificate.voided:
        reason = _("合格证已作废：%(r)s") % {"r": certificate.void_reason}
        return Verdict(kind, False, reason, certificate=certificate)
    return _batch_verdict(kind, certificate.batch, certificate=certificate)


def _batch_verdict(kind: CheckedKind, batch: Batch, **found: Any) -> Verdict:
    if batch.status in (BatchStatus.RECALLED, BatchStatus.UNDER_REVIEW):
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


def roll_summary(roll: CodeRoll) -> dict[str, int]:
    """How many of the roll's codes are in each status."""
    counts = dict(
        TraceCode.objects.filter(roll=roll)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in CodeStatus.values}
