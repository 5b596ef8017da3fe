"""Excel (.xlsx) imports: declarative importers, safe reading, all-or-nothing bulk writes.

An :class:`Importer` names its model and its columns (the Chinese header of the template, the
field the column fills, a parser). :func:`run` refuses files that could hurt the server before
openpyxl parses them (size, zip bombs, not an xlsx), then merged cells and a wrong header; it
validates every row with the model's own validators and ``clean()``, the user's scope and
uniqueness (within the file and against the database) using lookups loaded once, and writes
everything with ``bulk_create`` in one transaction only when no row has an error. Importers live
in each app's ``importers.py`` and are registered with :func:`register`.
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from io import BytesIO
from typing import IO, Any, ClassVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from agritrace.core import changelog, scoping
from agritrace.core.exports import xlsx_bytes

#: Rows written per INSERT.
BATCH_SIZE = 2000
#: Zip bomb limits, checked on the archive's directory before anything is decompressed.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
#: Members smaller than this cannot be bombs whatever their ratio.
RATIO_FLOOR = 1024 * 1024
#: Progress is reported every this many rows.
PROGRESS_EVERY = 1000
#: Keys per database query when checking uniqueness.
LOOKUP_CHUNK = 500
#: Files from this size on are parsed in a child process (starting one costs about a second).
CHILD_READ_BYTES = 1024 * 1024
#: Rows per message from that child.
CHILD_BATCH = 1000
TEMPLATE_LANGUAGE = "zh-hans"

_MERGED = re.compile(rb"<(?:\w+:)?mergeCell[\s/>]")
_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_LIST_SEPARATORS = re.compile(r"\s*[、,，;；]\s*")


class ImportRefused(Exception):
    """The whole file is refused (too large, not an xlsx, merged cells, no permission…)."""


@dataclass(frozen=True)
class RowError:
    """One problem: the row as Excel numbers it, the column header, the reason."""

    row: int
    column: str
    message: str

    def as_list(self) -> list[Any]:
        """``[row, column, message]`` for the JSON error report."""
        return [self.row, self.column, self.message]


# Parsers ---------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return str(value).strip()


class Parser:
    """Turns a cell value into a field value; raises ``ValidationError`` with the reason.

    ``hint`` is what the template's 说明 sheet says about the values allowed.
    """

    hint: Any = gettext_lazy("文本")

    def __call__(self, value: Any) -> Any:
        raise NotImplementedError

    def describe(self) -> str:
        """The allowed values, for the 说明 sheet."""
        return str(self.hint)


class Text(Parser):
    """Text, optionally normalised (e.g. a USCC compacted, a phone number checked)."""

    def __init__(self, normalise: Callable[[str], str] | None = None) -> None:
        self.normalise = normalise

    def __call__(self, value: Any) -> str:
        text = cell_text(value)
        return self.normalise(text) if text and self.normalise else text


class Number(Parser):
    """A decimal number."""

    hint = gettext_lazy("数字")

    def __call__(self, value: Any) -> Decimal | None:
        text = cell_text(value)
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("“%(value)s”不是数字") % {"value": text}) from None
        if not number.is_finite():
            raise ValidationError(_("“%(value)s”不是数字") % {"value": text})
        return number


class Integer(Parser):
    """A whole number."""

    hint = gettext_lazy("整数")

    def __call__(self, value: Any) -> int | None:
        number = Number()(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(_("须为整数"))
        return int(number)


class Date(Parser):
    """An Excel date, a date serial number, or text YYYY-MM-DD."""

    hint = gettext_lazy("日期：Excel 日期或 YYYY-MM-DD")

    def __call__(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return from_excel(value).date()
            except (ValueError, OverflowError):
                raise ValidationError(_("日期无效")) from None
        text = cell_text(value)
        if not text:
            return None
        if _DATE.match(text):
            try:
                return dt.date(*(int(part) for part in text.split("-")))
            except ValueError:
                raise ValidationError(_("日期“%(value)s”不存在") % {"value": text}) from None
        raise ValidationError(
            _("“%(value)s”不是日期，请填写 Excel 日期或 YYYY-MM-DD") % {"value": text}
        )


class YesNo(Parser):
    """是/否 (also TRUE/FALSE and 1/0); blank means the field's default."""

    hint = gettext_lazy("是 / 否")
    _VALUES: ClassVar[dict[str, bool]] = {
        "是": True,
        "否": False,
        "true": True,
        "false": False,
        "1": True,
        "0": False,
    }

    def __call__(self, value: Any) -> bool | None:
        text = cell_text(value).lower()
        if not text:
            return None
        if text not in self._VALUES:
            raise ValidationError(_("请填写“是”或“否”"))
        return self._VALUES[text]


class Choice(Parser):
    """One of a ``TextChoices``, by its Chinese label or its code."""

    def __init__(self, choices: type[models.TextChoices]) -> None:
        self.choices = choices

    @cached_property
    def labels(self) -> list[str]:
        """The Chinese labels (whatever language is active)."""
        with translation.override(TEMPLATE_LANGUAGE):
            return [str(label) for label in self.choices.labels]

    @cached_property
    def values(self) -> dict[str, str]:
        """Label or code → code."""
        values = dict(zip(self.labels, self.choices.values, strict=True))
        return values | {value: value for value in self.choices.values if value}

    def __call__(self, value: Any) -> str:
        text = cell_text(value)
        if not text:
            return ""
        if text not in self.values:
            raise ValidationError(
                _("“%(value)s”不是可选值；可选：%(allowed)s")
                % {"value": text, "allowed": "、".join(self.labels)}
            )
        return self.values[text]

    def describe(self) -> str:
        return _("可选：%(allowed)s") % {"allowed": "、".join(self.labels)}


class Choices(Choice):
    """Several of a ``TextChoices``, separated by 、 or commas."""

    def __call__(self, value: Any) -> list[str]:  # type: ignore[override]
        one = super().__call__
        return sorted({one(part) for part in _LIST_SEPARATORS.split(cell_text(value)) if part})

    def describe(self) -> str:
        return _("可多选，用“、”分隔：%(allowed)s") % {"allowed": "、".join(self.labels)}


class TextList(Parser):
    """Several texts separated by 、 or commas (e.g. names of bases)."""

    hint = gettext_lazy("可填多个，用“、”分隔")

    def __call__(self, value: Any) -> list[str]:
        return [part for part in _LIST_SEPARATORS.split(cell_text(value)) if part]


text = Text()
number = Number()
integer = Integer()
date = Date()
yes_no = YesNo()


@dataclass(frozen=True)
class Column:
    """A template column: its Chinese header, the field (or lookup key) it fills, its parser,
    whether it is required, what it means and an example value for the template."""

    header_zh: str
    field: str
    parse: Parser = text
    required: bool = False
    help: Any = ""
    example: str = ""


# Importers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UniqueSet:
    """Fields whose values together identify a row, and the message for a duplicate."""

    fields: tuple[str, ...]
    message: str


@dataclass
class Pending:
    """A validated row waiting to be written."""

    row: int
    obj: models.Model
    many: dict[str, list[models.Model]]


class Importer:
    """Declares how rows become objects of ``model``; one instance per import and user.

    Subclasses set ``kind``, ``label``, ``model`` and ``columns``, and override
    :meth:`resolve` to look references up (within the user's scope) and :meth:`validate` for
    rules beyond the model's own.
    """

    kind: ClassVar[str]
    label: ClassVar[Any]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[Column, ...]]
    #: Fields that identify a row besides the model's unique constraints: a second row with the
    #: same values, in the file or in the database, is an error.
    natural_key: ClassVar[tuple[str, ...]] = ()
    #: Templates list importer classes: read their attributes, do not instantiate them.
    do_not_call_in_templates: ClassVar[bool] = True

    def __init__(self, user: Any) -> None:
        self.user = user
        meta = self.model._meta
        self.concrete = {f.name: f for f in meta.concrete_fields}
        self.many = {f.name for f in meta.many_to_many}
        self.relations = [f.name for f in meta.concrete_fields if f.is_relation]
        self.headers = {column.field: column.header_zh for column in self.columns}
        #: Not validated per row: relations (found by lookups, so they exist) and fields no
        #: column fills (left at their defaults).
        self.unchecked = [
            f.name for f in meta.concrete_fields if f.is_relation or f.name not in self.headers
        ]

    def resolve(self, row: dict[str, Any]) -> dict[str, Any]:
        """Field values from a row of parsed cells: references looked up within the user's
        scope. Raises ``ValidationError`` keyed by column field."""
        return row

    def build(self, row: dict[str, Any]) -> tuple[models.Model, dict[str, list[models.Model]]]:
        """An unsaved object for the user, and its many-to-many values. A relation may be
        given as an object or as its id; blank values leave fields with a default to it."""
        values = self.resolve(row)
        fields = {}
        for name, value in values.items():
            field = self.concrete.get(name)
            if field is None or (value in (None, "") and field.has_default()):
                continue
            by_id = field.is_relation and value is not None and not isinstance(value, models.Model)
            fields[field.attname if by_id else name] = value
        many = {name: values[name] for name in self.many if values.get(name)}
        return self.model(**fields), many

    def validate(self, obj: models.Model) -> None:
        """The model's validators and ``clean()`` for the fields the columns fill; uniqueness
        is checked for the whole file at once, so nothing costs a query per row."""
        obj.full_clean(exclude=self.unchecked, validate_unique=False, validate_constraints=False)

    def recheck(self, written: Sequence[Pending]) -> Iterator[tuple[Pending, ValidationError]]:
        """Rules that can only be checked once every row is written (inside the transaction,
        which is rolled back when any is broken)."""
        return iter(())

    def unique_sets(self) -> list[UniqueSet]:
        """The model's unique fields and constraints, and the importer's natural key."""
        meta, sample = self.model._meta, self.model()
        sets = [
            UniqueSet((f.name,), sample.unique_error_message(self.model, (f.name,)).messages[0])
            for f in meta.concrete_fields
            if f.unique and f.editable and not f.primary_key
        ]
        sets += [
            UniqueSet(tuple(c.fields), str(c.get_violation_error_message()))
            for c in meta.constraints
            if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None
        ]
        if self.natural_key:
            sets.append(
                UniqueSet(
                    self.natural_key,
                    _("已有相同的%(model)s") % {"model": meta.verbose_name},
                )
            )
        return sets

    def header_for(self, names: Iterable[str]) -> str:
        """The column an error on these fields is shown under: the first plain field that has
        a column, else the first field that has one."""
        names = list(names)
        plain = [n for n in names if n in self.headers and n not in self.relations]
        chosen = plain or [n for n in names if n in self.headers]
        return self.headers[chosen[0]] if chosen else ""


def resolve_each(row: dict[str, Any], resolvers: dict[str, Callable[[dict], Any]]) -> dict:
    """Replace ``row[name]`` by ``resolver(row)`` for each lookup; every failure is reported,
    keyed by its field."""
    errors: dict[str, list[str]] = {}
    for name, resolver in resolvers.items():
        try:
            row[name] = resolver(row)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return row


def one(candidates: Sequence[Any], value: str, what: Any) -> Any:
    """The only candidate; a reason when there is none or several."""
    if not candidates:
        raise ValidationError(_("未找到%(what)s“%(value)s”") % {"what": what, "value": value})
    if len(candidates) > 1:
        raise ValidationError(
            _("有多个%(what)s为“%(value)s”，请补充区分信息") % {"what": what, "value": value}
        )
    return candidates[0]


_REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    """Class decorator: make an importer available by its ``kind``."""
    _REGISTRY[importer.kind] = importer
    return importer


def importer_classes() -> list[type[Importer]]:
    """Every registered importer, apps' ``importers`` modules loaded first."""
    autodiscover_modules("importers")
    return list(_REGISTRY.values())


def get_importer(kind: str) -> type[Importer]:
    """The importer of ``kind``; ``LookupError`` when there is none."""
    for importer in importer_classes():
        if importer.kind == kind:
            return importer
    raise LookupError(kind)


def importers_for(user: Any) -> list[type[Importer]]:
    """The importers whose model the user's role may add."""
    return [i for i in importer_classes() if scoping.may(user, i.model, "add")]


# Reading ---------------------------------------------------------------------------------------


class Unreadable(Exception):
    """A workbook that cannot be read, by reason (a key of ``UNREADABLE``): raised while
    parsing, possibly in a child process, and turned into :class:`ImportRefused` by
    :func:`read_sheet`."""


UNREADABLE = {
    "not_xlsx": gettext_lazy("不是有效的 Excel（.xlsx）文件，请使用下载的模板填写后上传"),
    "merged": gettext_lazy("表格中有合并单元格，请取消合并后再导入"),
    "corrupt": gettext_lazy("文件已损坏，无法读取"),
}


def check_archive(file: IO[bytes], size: int) -> None:
    """Refuse oversize files, non-xlsx content and zip bombs, reading only the zip directory
    (nothing is decompressed)."""
    limit = settings.AGRITRACE_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(
            _("文件大小 %(size)s，超过上限 %(limit)s")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ImportRefused(UNREADABLE["not_xlsx"]) from None
    finally:
        file.seek(0)
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRefused(UNREADABLE["not_xlsx"])
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED:
        raise ImportRefused(
            _("文件解压后为 %(size)s，超过上限 %(limit)s，已拒绝")
            % {"size": filesizeformat(total), "limit": filesizeformat(MAX_UNCOMPRESSED)}
        )
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ImportRefused(
                _("文件内容“%(name)s”压缩比异常（超过 %(ratio)s:1），疑似压缩炸弹，已拒绝")
                % {"name": member.filename, "ratio": MAX_RATIO}
            )


def scan_sheet(archive: zipfile.ZipFile, path: str) -> int:
    """The number of ``<row>`` elements of a sheet's XML; refuses merged cells (openpyxl's
    read-only mode does not report them). Reads the XML in chunks, tags split across chunk
    boundaries are carried over."""
    rows, tail = 0, b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            cut = data.rfind(b"<", max(0, len(data) - 256))
            head, tail = (data, b"") if cut < 0 else (data[:cut], data[cut:])
            if _MERGED.search(head):
                raise Unreadable("merged")
            rows += len(_ROW.findall(head))
    if _MERGED.search(tail):
        raise Unreadable("merged")
    return rows + len(_ROW.findall(tail))


def sheet_stream(file: IO[bytes], width: int) -> Iterator[Any]:
    """Parse the first worksheet (read-only, cached formula values): yields its number of
    ``<row>`` elements, the header row, then the data rows cut to ``width`` columns.
    Needs no Django (it may run in a child process); raises :class:`Unreadable`."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:
        raise Unreadable("not_xlsx") from None
    try:
        if not workbook.worksheets:
            raise Unreadable("not_xlsx")
        sheet = workbook.worksheets[0]
        # openpyxl keeps the sheet's path inside the archive only privately.
        yield scan_sheet(workbook._archive, sheet._worksheet_path)
        # A stale <dimension> would make openpyxl stop early: read every row there is.
        sheet.reset_dimensions()
        yield next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        yield from sheet.iter_rows(min_row=2, max_col=width, values_only=True)
    except Unreadable:
        raise
    except Exception:  # whatever openpyxl, zipfile or zlib raise on a malformed sheet
        raise Unreadable("corrupt") from None
    finally:
        workbook.close()


def stream_child() -> None:
    """Entry point of the reader child process: the workbook on stdin, :func:`sheet_stream`
    on stdout as pickled batches, then ``None`` (or the :class:`Unreadable` error)."""
    warnings.simplefilter("ignore")
    out = sys.stdout.buffer
    content = sys.stdin.buffer.read()
    batch: list[Any] = []
    try:
        for item in sheet_stream(BytesIO(content), int(sys.argv[1])):
            batch.append(item)
            if len(batch) == CHILD_BATCH:
                pickle.dump(batch, out, pickle.HIGHEST_PROTOCOL)
                batch = []
        pickle.dump(batch, out, pickle.HIGHEST_PROTOCOL)
        pickle.dump(None, out)
    except Unreadable as exc:
        pickle.dump(exc, out)
    out.flush()


def _stream_from_child(file: IO[bytes], width: int) -> Iterator[Any]:
    """:func:`sheet_stream` run by a child process (:func:`stream_child`): openpyxl parses
    on one core while this process validates the rows already read on the other. Only our
    own child's output is unpickled."""
    child = subprocess.Popen(
        [sys.executable, "-c", f"from {__name__} import stream_child; stream_child()", str(width)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        with child.stdin:
            child.stdin.write(file.read())
        while (batch := pickle.load(child.stdout)) is not None:
            if isinstance(batch, Unreadable):
                raise batch
            yield from batch
    except (EOFError, BrokenPipeError, pickle.UnpicklingError):
        raise Unreadable("corrupt") from None
    finally:
        child.kill()
        child.wait()
        child.stdout.close()


def read_sheet(file: IO[bytes], size: int, width: int) -> Iterator[Any]:
    """:func:`sheet_stream` of a checked archive; large files are parsed in a child
    process."""
    if size >= CHILD_READ_BYTES:
        stream = _stream_from_child(file, width)
    else:
        stream = sheet_stream(file, width)
    try:
        yield from stream
    except Unreadable as exc:
        raise ImportRefused(UNREADABLE[str(exc)]) from None


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


# Running ---------------------------------------------------------------------------------------

Progress = Callable[[int, int], None]


@dataclass
class Result:
    """What an import did: data rows read, objects created, errors (nothing is written when
    there is any)."""

    total: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)


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


# Files -----------------------------------------------------------------------------------------


def template_bytes(importer: type[Importer]) -> bytes:
    """The template: the header row, an example row (marked 示例, skipped on import when left
    unchanged) and a 说明 sheet with each column's meaning and allowed values."""
    with translation.override(TEMPLATE_LANGUAGE):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(importer.label)[:31]
        sheet.append([column.header_zh for column in importer.columns])
        sheet.append([column.example for column in importer.columns])
        sheet.freeze_panes = "A2"
        for index, column in enumerate(importer.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, len(column.header_zh) * 2 + 4)
            header = sheet.cell(row=1, column=index)
            header.font = Font(bold=True)
            header.fill = PatternFill("solid", fgColor="DDEBF7" if column.required else "F2F2F2")
            sheet.cell(row=2, column=index).font = Font(italic=True, color="808080")
            if type(column.parse) is Choice:
                options = ",".join(column.parse.labels)
                if len(options) <= 255:
                    validation = DataValidation(type="list", formula1=f'"{options}"')
                    validation.add(f"{letter}2:{letter}1048576")
                    sheet.add_data_validation(validation)
        sheet["A2"].comment = Comment(_("示例行：未修改时导入会自动跳过，可直接删除"), "AgriTrace")
        notes = workbook.create_sheet(_("说明"))
        notes.append([_("列名"), _("必填"), _("说明"), _("填写要求")])
        for column in importer.columns:
            notes.append(
                [
                    column.header_zh,
                    _("必填") if column.required else _("选填"),
                    str(column.help),
                    column.parse.describe(),
                ]
            )
        notes.append([])
        notes.append([_("第 2 行为示例（灰色斜体，标记“示例”），未修改时导入会自动跳过。")])
        notes.append([_("请勿合并单元格，勿修改第 1 行的列名；任何一行出错时整个文件都不导入。")])
        for letter, width in zip("ABCD", (24, 8, 40, 60), strict=True):
            notes.column_dimensions[letter].width = width
        notes["A1"].font = notes["B1"].font = notes["C1"].font = notes["D1"].font = Font(bold=True)
        buffer = BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


def error_report_bytes(errors: Iterable[Sequence[Any]]) -> bytes:
    """The per-row error report as a workbook: row, column, reason."""
    return xlsx_bytes(
        _("错误报告"),
        [(_("行号"), lambda e: e[0]), (_("列"), lambda e: e[1]), (_("原因"), lambda e: e[2])],
        errors,
    )


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
