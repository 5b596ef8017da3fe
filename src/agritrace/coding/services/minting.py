"""Minting trace codes (码段): rolls of unguessable, typo-checked codes, written in chunks by
COPY, and the code log every change of codes writes to (2020 spec Art. 13 "一品一码")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.coding.choices import CodeAction, CodeStatus, TaskStatus
from agritrace.coding.models import CodeEvent, CodeRoll, TraceCode
from agritrace.core import codes
from agritrace.production.choices import BatchStatus
from agritrace.production.models import Batch

#: Codes written per round trip while minting.
MINT_CHUNK = 50_000
#: The columns minting writes.
CODE_COLUMNS = (
    "code", "producer_id", "roll_id", "serial", "batch_id", "status", "scans", "created_at",
    "updated_at",
)  # fmt: skip


def usable_batch(batch: Batch, producer_id: int, field: str = "batch") -> None:
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
        usable_batch(batch, producer.pk)
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
        log_event(
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


def log_event(
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
    """Log one change of state of one code or of a range of a roll's serials: who, when, what
    (one row per operation, not per code)."""
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


def roll_summary(roll: CodeRoll) -> dict[str, int]:
    """How many of the roll's codes are in each status."""
    counts = dict(
        TraceCode.objects.filter(roll=roll)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in CodeStatus.values}
