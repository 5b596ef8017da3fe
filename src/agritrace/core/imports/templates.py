"""The files an import offers: the template to fill in and the per-row error report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from agritrace.core.exports import xlsx_bytes
from agritrace.core.imports.columns import TEMPLATE_LANGUAGE, Choice
from agritrace.core.imports.importer import Importer


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
