"""Running an import: the header check, the row loop, the all-or-nothing write, the result,
and the background job that runs an uploaded file."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from agritrace.core import changelog, scoping
from agritrace.core.imports.columns import Column, cell_text
from agritrace.core.imports.importer import Importer, Pending, get_importer
from agritrace.core.imports.sheets import ImportRefused, check_archive, read_sheet

#: Rows written per INSERT.
BATCH_SIZE = 2000
#: Progress is reported every this many rows.
PROGRESS_EVERY = 1000
#: Keys per database query when checking uniqueness.
LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class RowError:
    """One problem: the row as Excel numbers it, the column header, the reason."""

    row: int
    column: str
    message: str

    def as_list(self) -> list[Any]:
        """``[row, column, message]`` for the JSON error report."""
        return [self.row, self.column, self.message]


Progress = Callable[[int, int], None]


@dataclass
class Result:
    """What an import did: data rows read, objects created, errors (nothing is written when
    there is any)."""

    total: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)


def check_header(columns: Sequence[Column], header: Sequence[Any]) -> list[RowError]:
    """Row-1 errors naming each wrong, missing or extra column."""
    found = [cell_text(value) for value in header]
    errors = []
    for index, column in enumerate(columns):
        got = found[index] if index < len(found) else ""
        if got == column.header_zh:
            continue
        letter = get_column_letter(index + 1)
        if got:
            message = _("第 %(letter)s 列应为“%(expected)s”，实为“%(got)s”") % {
                "letter": letter,
                "expected": column.header_zh,
                "got": got,
            }
        else:
            message = _("缺少列“%(expected)s”（第 %(letter)s 列）") % {
                "expected": column.header_zh,
                "letter": letter,
            }
        errors.append(RowError(1, column.header_zh, message))
    for index in range(len(columns), len(found)):
        if found[index]:
            errors.append(
                RowError(
                    1,
                    found[index],
                    _("多余的列“%(got)s”（第 %(letter)s 列）")
                    % {"got": found[index], "letter": get_column_letter(index + 1)},
                )
            )
    return errors


def messages_of(error: ValidationError) -> Iterator[tuple[str, str]]:
    """(field, message) pairs of a ``ValidationError``; ``""`` for non-field errors."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for message in ValidationError(errors).messages:
                yield ("" if name == NON_FIELD_ERRORS else name), message
    else:
        for message in error.messages:
            yield "", message


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _row_errors(importer: Importer, row: int, error: ValidationError) -> list[RowError]:
    return [
        RowError(row, importer.headers.get(name, ""), message)
        for name, message in messages_of(error)
    ]


class _Validation:
    """The row loop: parse, build, validate, check duplicates within the file."""

    def __init__(self, importer: Importer, total: int, progress: Progress | None) -> None:
        self.importer = importer
        self.total = total
        self.progress = progress
        self.pending: list[Pending] = []
        self.errors: list[RowError] = []
        self.sets = importer.unique_sets()
        meta = importer.model._meta
        self.attnames = [tuple(meta.get_field(n).attname for n in s.fields) for s in self.sets]
        self.seen: list[dict[tuple[Any, ...], int]] = [{} for _ in self.sets]
        #: Hashes of the rows, to find rows repeated whole (hashes keep memory low).
        self.rows_seen: dict[int, int] = {}
        self.example = tuple(column.example for column in importer.columns)
        self.count = 0

    def run(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for number, cells in enumerate(rows, start=2):
            if all(_blank(value) for value in cells) or self.is_example(cells):
                continue
            self.count += 1
            self.row(number, cells)
            if self.progress and self.count % PROGRESS_EVERY == 0:
                self.progress(self.count, max(self.total, self.count))
        self.check_database()

    def is_example(self, cells: tuple[Any, ...]) -> bool:
        """The template's example row, left unchanged."""
        return cell_text(cells[0]) == self.example[0] and (
            tuple(cell_text(value) for value in cells) == self.example
        )

    def row(self, number: int, cells: tuple[Any, ...]) -> None:
        importer = self.importer
        earlier = self.rows_seen.setdefault(hash(cells), number)
        if earlier != number:
            self.errors.append(
                RowError(number, "", _("与第 %(row)s 行完全相同") % {"row": earlier})
            )
            return
        parsed: dict[str, Any] = {}
        failed = False
        for column, value in zip(importer.columns, cells, strict=True):
            try:
                parsed[column.field] = column.parse(value)
            except ValidationError as exc:
                self.errors.extend(
                    RowError(number, column.header_zh, m) for _f, m in messages_of(exc)
                )
                failed = True
                continue
            if column.required and parsed[column.field] in (None, "", []):
                self.errors.append(RowError(number, column.header_zh, _("必填")))
                failed = True
        if failed:
            return
        try:
            obj, many = importer.build(parsed)
            importer.validate(obj)
        except ValidationError as exc:
            self.errors.extend(_row_errors(importer, number, exc))
            return
        for unique, attnames, seen in zip(self.sets, self.attnames, self.seen, strict=True):
            key = tuple(getattr(obj, name) for name in attnames)
            if None in key:
                continue
            first = seen.setdefault(key, number)
            if first != number:
                self.errors.append(
                    RowError(
                        number,
                        importer.header_for(unique.fields),
                        _("与第 %(row)s 行重复") % {"row": first},
                    )
                )
                return
        self.pending.append(Pending(number, obj, many))

    def check_database(self) -> None:
        """Rows that duplicate objects already in the database, a few queries per
        ``LOOKUP_CHUNK`` keys."""
        manager = self.importer.model._base_manager
        for unique, attnames, seen in zip(self.sets, self.attnames, self.seen, strict=True):
            keys = list(seen)
            existing: set[tuple[Any, ...]] = set()
            for start in range(0, len(keys), LOOKUP_CHUNK):
                chunk = keys[start : start + LOOKUP_CHUNK]
                if len(attnames) == 1:
                    query = Q(**{f"{attnames[0]}__in": [key[0] for key in chunk]})
                else:
                    query = Q()
                    for key in chunk:
                        query |= Q(**dict(zip(attnames, key, strict=True)))
                existing.update(manager.filter(query).values_list(*attnames))
            header = self.importer.header_for(unique.fields)
            self.errors.extend(
                RowError(seen[key], header, unique.message) for key in keys if key in existing
            )


def _write(importer: Importer, pending: list[Pending]) -> list[RowError]:
    """Write every row in one transaction: ``bulk_create`` in batches, many-to-many rows,
    change records; then re-check scope with ``restrict`` and the importer's after-write rules.
    Any error rolls everything back."""
    model = importer.model
    scope_field = scoping.rules_for(model).field_for_errors()
    errors: list[RowError] = []
    with transaction.atomic():
        for start in range(0, len(pending), BATCH_SIZE):
            chunk = pending[start : start + BATCH_SIZE]
            model._default_manager.bulk_create([p.obj for p in chunk])
            _write_many(model, chunk)
            changelog.record_bulk_create([p.obj for p in chunk])
            allowed = set(
                model._default_manager.restrict(importer.user, "add")  # type: ignore[attr-defined]
                .filter(pk__in=[p.obj.pk for p in chunk])
                .values_list("pk", flat=True)
            )
            errors += [
                RowError(p.row, importer.headers.get(scope_field, ""), _("不在您的管辖范围内。"))
                for p in chunk
                if p.obj.pk not in allowed
            ]
        for item, error in importer.recheck(pending):
            errors += _row_errors(importer, item.row, error)
        if errors:
            transaction.set_rollback(True)
    return sorted(errors, key=lambda e: e.row)


def _write_many(model: type[models.Model], chunk: list[Pending]) -> None:
    for name in {name for p in chunk for name in p.many}:
        relation: Any = model._meta.get_field(name)
        through = relation.remote_field.through
        source = through._meta.get_field(relation.m2m_field_name()).attname
        target = through._meta.get_field(relation.m2m_reverse_field_name()).attname
        through.objects.bulk_create(
            [
                through(**{source: p.obj.pk, target: other.pk})
                for p in chunk
                for other in p.many.get(name, ())
            ],
            batch_size=BATCH_SIZE,
        )


def run(importer: Importer, file: IO[bytes], size: int, progress: Progress | None = None) -> Result:
    """Import a workbook: all rows or none. Raises :class:`ImportRefused` for a file refused
    as a whole; row problems come back in ``Result.errors``."""
    if not scoping.may(importer.user, importer.model, "add"):
        raise ImportRefused(_("您没有权限导入%(label)s") % {"label": importer.label})
    check_archive(file, size)
    stream = read_sheet(file, size, len(importer.columns))
    try:
        total = max(next(stream) - 1, 0)
        errors = check_header(importer.columns, next(stream, ()))
        if errors:
            return Result(total=total, errors=errors)
        validation = _Validation(importer, total, progress)
        validation.run(stream)
    finally:
        stream.close()
    result = Result(total=validation.count, errors=validation.errors)
    if not validation.count:
        raise ImportRefused(_("文件中没有可导入的数据行"))
    if progress:
        progress(validation.count, validation.count)
    if not result.errors:
        result.errors = _write(importer, validation.pending)
        result.created = 0 if result.errors else len(validation.pending)
    result.errors.sort(key=lambda e: e.row)
    return result


def run_job(job: Any) -> None:
    """Run an uploaded import job, recording progress and the outcome on it (updates, not
    saves, so that progress is not change-logged)."""
    from agritrace.core.models import ImportJob, ImportStatus

    jobs = ImportJob.objects.filter(pk=job.pk)
    jobs.update(status=ImportStatus.RUNNING, started_at=timezone.now())

    def progress(done: int, total: int) -> None:
        jobs.update(processed_rows=done, total_rows=total)

    outcome: dict[str, Any]
    try:
        importer = get_importer(job.kind)(job.user)
        source = f"import {job.kind} {job.filename}"
        with (
            translation.override(settings.LANGUAGE_CODE),
            changelog.actor(user=job.user, source=source),
            job.file.open("rb") as file,
        ):
            result = run(importer, file, job.file.size, progress)
    except ImportRefused as exc:
        outcome = {"status": ImportStatus.FAILED, "message": str(exc)}
    except Exception:
        jobs.update(
            status=ImportStatus.FAILED,
            message=_("导入时发生内部错误，请联系管理员"),
            finished_at=timezone.now(),
        )
        raise
    else:
        outcome = {
            "status": ImportStatus.SUCCEEDED if result.created else ImportStatus.FAILED,
            "total_rows": result.total,
            "processed_rows": result.total,
            "created_count": result.created,
            "errors": [error.as_list() for error in result.errors],
        }
    jobs.update(**outcome, finished_at=timezone.now())
