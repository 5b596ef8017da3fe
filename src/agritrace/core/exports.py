"""xlsx exports: one function that every list page and API export goes through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Characters that make a spreadsheet read a cell as a formula (CSV/formula injection, OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell value that cannot run as a formula: risky strings get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    if isinstance(value, (str, int, float, Decimal, dt.date, bool)) or value is None:
        return value
    return str(value)


Column = tuple[str, Callable[[Any], Any]]


Sheet = tuple[str, Sequence[Column], Iterable[Any]]


def xlsx_workbook(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one sheet per (title, columns, rows): a header row of column titles,
    then one row per object, every cell neutralised."""
    workbook = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for index, (header, _getter) in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) * 2 + 2)
        sheet.append([header for header, _getter in columns])
        for row in rows:
            sheet.append([neutralise(getter(row)) for _header, getter in columns])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(title: str, columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    """A one-sheet workbook."""
    return xlsx_workbook([(title, columns, rows)])


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    """An attachment download."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}.xlsx"
    return response
