"""Refusing unsafe files and reading the first sheet: the zip directory is checked before
anything is decompressed, merged cells are refused, large files are parsed in a child process."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

#: Zip bomb limits, checked on the archive's directory before anything is decompressed.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
#: Members smaller than this cannot be bombs whatever their ratio.
RATIO_FLOOR = 1024 * 1024
#: Files from this size on are parsed in a child process (starting one costs about a second).
CHILD_READ_BYTES = 1024 * 1024
#: Rows per message from that child.
CHILD_BATCH = 1000

_MERGED = re.compile(rb"<(?:\w+:)?mergeCell[\s/>]")
_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")


class ImportRefused(Exception):
    """The whole file is refused (too large, not an xlsx, merged cells, no permission…)."""


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
