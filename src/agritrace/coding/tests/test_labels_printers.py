"""ZPL and TSPL output checked against the command syntax (issue 5, point 5): every label framed,
fields closed, QR magnification/cell whole dots ≥ 2 with the symbol and its quiet zone inside the
label, escaped data. Issue 11, point 3: no font a stock printer lacks; every text field and
bitmap inside its box and the label, measured by the commands' widths; the whole code and the
whole batch number on the label with the longest values the models allow."""

import io
import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from agritrace.coding.labels import PRESETS, LabelItem, Layout, render_tspl, render_zpl
from agritrace.coding.labels.fit import ASCENT, ELLIPSIS, LEADING
from agritrace.coding.labels.fonts import raster_font, widest_char
from agritrace.coding.labels.layout import (
    BATCH_NUMBER_LENGTH,
    CODE_LENGTH,
    TextElement,
    dots,
    fit_element,
    printer,
)
from agritrace.coding.labels.qr import QUIET_ZONE, modules_for
from agritrace.coding.labels.tspl import FONTS

LINES = ("安化黑茶 天尖", "批次 20261201-001", "示例茶业合作社")
ITEMS = [
    LabelItem(c, f"https://trace.agritrace.example.cn/t/{c}", LINES)
    for c in ("7K3M9QX2TB4HNV", "0000000000000A", "ZZZZZZZZZZZZZZ")
]
DPIS = [203, 300]
#: The longest values the models allow (issue 11): 14-character codes, 40-character batch
#: numbers, 100-character product and producer names, in wide and narrow characters.
LONGEST = [
    LabelItem("M" * CODE_LENGTH, "https://trace.agritrace.example.cn/t/" + "M" * CODE_LENGTH,
              ("国" * 100, "批次 " + widest_char() * BATCH_NUMBER_LENGTH, "国" * 100)),
    LabelItem("W" * CODE_LENGTH, "https://trace.agritrace.example.cn/t/" + "W" * CODE_LENGTH,
              ("W" * 100, "Batch " + "W" * BATCH_NUMBER_LENGTH, "Example Cooperative " * 5)),
    LabelItem("7K3M9QX2TB4HNV", "https://trace.agritrace.example.cn/t/7K3M9QX2TB4HNV",
              ("安化黑茶 天尖", "批次 20261201-001-" + "9" * 27, "示例茶业合作社")),
    ITEMS[0],
]  # fmt: skip

ZPL_DOWNLOAD = re.compile(r"~DG(R:ATL[0-9A-Z]{5}\.GRF),(\d+),(\d+),([0-9A-F]*)\n")
ZPL_FIELD = re.compile(
    r"\^FO(\d+),(\d+)(?:(\^BQN,2,(\d+),Q|\^A0N,(\d+),(\d+))\^FH\^FD([^^~]*)\^FS"
    r"|\^XG(R:ATL[0-9A-Z]{5}\.GRF),1,1\^FS)"
)
ZPL_LABEL = re.compile(r"\^XA\^CI28\^PW(\d+)\^LL(\d+)\^LH0,0((?:\^FO[^\n]*?\^FS)*)\^XZ\n")
ZPL_CLEANUP = "^XA^IDR:ATL*.GRF^FS^XZ\n"
TSPL_STRING = r'"((?:[^"\\]|\\\["\])*)"'
TSPL_LINE = {
    "SIZE": re.compile(r"SIZE (\d+(?:\.\d+)?) mm,(\d+(?:\.\d+)?) mm"),
    "GAP": re.compile(r"GAP 2 mm,0 mm"),
    "DIRECTION": re.compile(r"DIRECTION 1,0"),
    "REFERENCE": re.compile(r"REFERENCE 0,0"),
    "CLS": re.compile(r"CLS"),
    "QRCODE": re.compile(rf"QRCODE (\d+),(\d+),Q,(\d+),A,0,{TSPL_STRING}"),
    "TEXT": re.compile(rf'TEXT (\d+),(\d+),"([1-5])",0,(\d+),(\d+),{TSPL_STRING}'),
    "PRINT": re.compile(r"PRINT 1,1"),
}
TSPL_BITMAP = re.compile(rb"BITMAP (\d+),(\d+),(\d+),(\d+),0,")
FONT_SIZES = {name: (width, height) for name, width, height in FONTS}


def unhex(data):
    """^FH field data back to text (``_XX`` hex bytes, UTF-8 under ^CI28)."""
    return re.sub(rb"_([0-9A-F]{2})", lambda m: bytes([int(m[1], 16)]), data.encode()).decode()


def ink(row_bytes, rows, bits):
    """A bitmap (1 = black) as a boolean array, rows × dots."""
    packed = np.frombuffer(bits, np.uint8).reshape(rows, row_bytes)
    return np.unpackbits(packed, axis=1).astype(bool)


def extent(image):
    """(left, top, right, bottom) of the black dots of ``image`` (exclusive right/bottom)."""
    rows, cols = np.nonzero(image)
    return cols.min(), rows.min(), cols.max() + 1, rows.max() + 1


def zpl_job(output):
    """(graphics by name as arrays, labels as (width, height, fields)); the whole output parsed."""
    text = output.decode()
    graphics, pos = {}, 0
    while match := ZPL_DOWNLOAD.match(text, pos):
        name, total, row_bytes, data = match.groups()
        assert len(data) == 2 * int(total) and int(total) % int(row_bytes) == 0
        graphics[name] = ink(int(row_bytes), int(total) // int(row_bytes), bytes.fromhex(data))
        pos = match.end()
    end = len(text) - len(ZPL_CLEANUP) if graphics else len(text)
    assert text[end:] == (ZPL_CLEANUP if graphics else "")
    labels = ZPL_LABEL.findall(text, pos, end)
    assert "".join(f"^XA^CI28^PW{w}^LL{h}^LH0,0{f}^XZ\n" for w, h, f in labels) == text[pos:end]
    parsed = []
    for w, h, body in labels:
        fields = ZPL_FIELD.findall(body)
        assert "".join(
            f"^FO{x},{y}{cmd}^FH^FD{data}^FS" if cmd else f"^FO{x},{y}^XG{g},1,1^FS"
            for x, y, cmd, _m, _h, _w, data, g in fields
        ) == body  # fmt: skip
        assert all(g in graphics for *_rest, g in fields if g)
        parsed.append((int(w), int(h), fields))
    return graphics, parsed


def tspl_job(output):
    """The commands of a TSPL job as (command, groups), ``BITMAP`` data as an array."""
    commands, pos = [], 0
    while pos < len(output):
        if bitmap := TSPL_BITMAP.match(output, pos):
            x, y, row_bytes, rows = (int(g) for g in bitmap.groups())
            end = bitmap.end() + row_bytes * rows
            data = bytes(255 - b for b in output[bitmap.end() : end])  # TSPL: 0 is black
            commands.append(("BITMAP", (x, y, ink(row_bytes, rows, data))))
            assert output[end : end + 2] == b"\r\n"
            pos = end + 2
            continue
        end = output.index(b"\r\n", pos)
        line = output[pos:end].decode("ascii")
        command = line.split(" ", 1)[0]
        match = TSPL_LINE[command].fullmatch(line)
        assert match, line
        commands.append((command, match.groups()))
        pos = end + 2
    return commands


def boxes(layout, dpi):
    """Each text element's box in dots (left, top, right, bottom), with its element; widened by
    two dots for rounding and, vertically, by a tenth of an em: glyphs reach a little past the
    em box (accents, "|"), as in any typesetting."""
    out = []
    for e in layout.elements:
        if isinstance(e, TextElement):
            per_mm = dpi / 25.4
            over = 0.1 * e.size_mm * per_mm + 1
            out.append(((e.x_mm * per_mm - 2, e.y_mm * per_mm - over,
                         (e.x_mm + e.width_mm) * per_mm + 2, (e.y_mm + e.height) * per_mm + over),
                        e))  # fmt: skip
    return out


def inside(rect, box):
    left, top, right, bottom = rect
    return box[0] <= left and box[1] <= top and right <= box[2] and bottom <= box[3]


def owner(rect, layout, dpi):
    """The text element whose box holds ``rect`` (dots), failing if none does."""
    found = [e for box, e in boxes(layout, dpi) if inside(rect, box)]
    assert found, f"{rect} is outside every text box"
    return found[0]


def expected_bitmap(n, element, text, dpi):
    """``text`` as element ``n`` must show it at ``dpi``: fitted by the one rule, then drawn by
    Pillow straight from the font, cropped to its ink."""
    fitted = fit_element(printer(dpi), n, element, text)
    size = int(fitted.size)
    image = Image.new("1", (4000, 1000), 0)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(fitted.lines):
        draw.text((50, 50 + ASCENT * size + i * LEADING * size), line, font=raster_font(size),
                  fill=1, anchor="ls")  # fmt: skip
    return fitted, np.asarray(image.crop(image.getbbox()), dtype=bool)


def check_zpl(layout, items, dpi):
    """Parse and check a ZPL job of ``items``; the texts shown per label, by element source."""
    graphics, labels = zpl_job(render_zpl(layout, items, dpi=dpi))
    assert len(labels) == len(items)
    shown = []
    for (width, height, fields), item in zip(labels, items, strict=True):
        assert (width, height) == (dots(layout.width_mm, dpi), dots(layout.height_mm, dpi))
        qr = [f for f in fields if f[3]]
        assert len(qr) == 1
        x, y, _cmd, magnification, _h, _w, data, _g = qr[0]
        assert unhex(data) == f"QA,{item.url}"
        mag, n = int(magnification), modules_for(len(item.url))
        assert 2 <= mag <= 10
        quiet = QUIET_ZONE * mag
        assert int(x) - quiet >= 0 and int(y) - quiet >= 0
        assert int(x) + n * mag + quiet <= width and int(y) + n * mag + quiet <= height
        texts: dict[str, list] = {}
        for x, y, cmd, _m, h, w, data, graphic in fields:
            x, y = int(x), int(y)
            if graphic:
                left, top, right, bottom = extent(graphics[graphic])
                rect = (x + left, y + top, x + right, y + bottom)
                assert rect[0] >= 0 and rect[2] <= width and rect[1] >= 0 and rect[3] <= height
                texts.setdefault(owner(rect, layout, dpi).source, []).append(graphics[graphic])
            elif cmd.startswith("^A0N"):
                text, h, w = unhex(data), int(h), int(w)
                assert h == w and h >= 10  # font 0: at least 10 dots
                rect = (x, y, x + len(text) * w, y + h)  # no glyph of font 0 is wider than w
                assert rect[2] <= width and rect[3] <= height
                texts.setdefault(owner(rect, layout, dpi).source, []).append(text)
        shown.append(texts)
    return shown


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("preset", list(PRESETS))
def test_zpl_syntax_and_qr_fits(preset, dpi):
    shown = check_zpl(PRESETS[preset], ITEMS, dpi)
    assert [texts["code"] for texts in shown] == [[i.code] for i in ITEMS]


@pytest.mark.parametrize("dpi", [203, 300, 600])
@pytest.mark.parametrize("preset", list(PRESETS))
def test_zpl_prints_the_whole_code_and_batch_with_the_longest_values(preset, dpi):
    """Issue 11: "20261201-001" was printed "2026120". The code is font 0 text and must be whole;
    the batch line is a graphic that must be exactly the whole line as fitted, drawn from the
    font; names are whole or end with the ellipsis."""
    layout = PRESETS[preset]
    shown = check_zpl(layout, LONGEST, dpi)
    n, batch = next((n, e) for n, e in enumerate(layout.elements, start=1)
                    if isinstance(e, TextElement) and e.source == "line:1")  # fmt: skip
    for texts, item in zip(shown, LONGEST, strict=True):
        assert "".join(texts["code"]) == item.code
        fitted, expected = expected_bitmap(n, batch, item.lines[1], dpi)
        assert "".join(fitted.lines).replace(" ", "") == item.lines[1].replace(" ", "")
        (graphic,) = texts["line:1"]
        left, top, right, bottom = extent(graphic)
        graphic = graphic[top:bottom, left:right]  # rows are padded to whole bytes
        assert graphic.shape == expected.shape and (graphic == expected).all()


def test_zpl_uses_no_font_a_stock_printer_lacks():
    """Issue 11: the ZPL expected a font file E:SIMSUN.TTF. Only font 0 and downloaded graphics."""
    output = render_zpl(PRESETS["50x30"], LONGEST).decode()
    assert "^A@" not in output and ".TTF" not in output.upper() and "E:" not in output
    assert set(re.findall(r"\^A(.)", output)) == {"0"}
    downloaded = set(re.findall(r"~DG(R:\w+\.GRF)", output))
    assert set(re.findall(r"\^XG(R:\w+\.GRF)", output)) == downloaded


def test_zpl_graphics_are_downloaded_once_per_distinct_text_and_logo():
    layout = Layout.from_dict({
        **PRESETS["60x40"].to_dict(),
        "elements": [
            *PRESETS["60x40"].to_dict()["elements"],
            {"type": "logo", "x_mm": 40, "y_mm": 35.5, "width_mm": 15, "height_mm": 4},
        ],
    })  # fmt: skip
    png = io.BytesIO()
    Image.new("RGB", (60, 30), "black").save(png, "PNG")
    output = render_zpl(layout, ITEMS * 10, logo=png.getvalue())
    graphics, labels = zpl_job(output)
    assert len(labels) == 30 and len(graphics) == 4  # three lines and the logo
    assert output.count(b"~DG") == 4
    assert all(body.count("^XG") == 4 for _w, _h, body in ZPL_LABEL.findall(output.decode()))


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize("items", [ITEMS, LONGEST], ids=["usual", "longest"])
def test_tspl_syntax_and_every_field_inside_its_box(preset, dpi, items):
    layout = PRESETS[preset]
    commands = tspl_job(render_tspl(layout, items, dpi=dpi))
    assert [c for c, _ in commands[:4]] == ["SIZE", "GAP", "DIRECTION", "REFERENCE"]
    assert commands[0][1] == (f"{layout.width_mm:g}", f"{layout.height_mm:g}")
    width, height = dots(layout.width_mm, dpi), dots(layout.height_mm, dpi)
    names = [c for c, _ in commands[4:]]
    assert names.count("CLS") == names.count("PRINT") == len(items)
    codes = []
    for command, groups in commands[4:]:
        if command == "CLS":
            codes.append("")
        elif command == "QRCODE":
            x, y, cell, url = int(groups[0]), int(groups[1]), int(groups[2]), groups[3]
            n, quiet = modules_for(len(url)), QUIET_ZONE * int(groups[2])
            assert 2 <= cell <= 10
            assert x - quiet >= 0 and y - quiet >= 0
            assert x + n * cell + quiet <= width and y + n * cell + quiet <= height
        elif command == "TEXT":
            x, y, font, m, m_y, text = groups
            assert m == m_y
            w, h = (d * int(m) for d in FONT_SIZES[font])
            rect = (int(x), int(y), int(x) + len(text) * w, int(y) + h)
            assert owner(rect, layout, dpi).source == "code"
            codes[-1] += text
        elif command == "BITMAP":
            x, y, image = groups
            left, top, right, bottom = extent(image)
            owner((x + left, y + top, x + right, y + bottom), layout, dpi)
    assert codes == [i.code for i in items]


def test_tspl_uses_no_font_a_printer_may_lack():
    output = render_tspl(PRESETS["40x30"], LONGEST)
    assert b"TSS24" not in output and b".TTF" not in output.upper()
    texts = [groups for command, groups in tspl_job(output) if command == "TEXT"]
    assert {font for _x, _y, font, *_rest in texts} <= set(FONT_SIZES)


nasty = st.text(alphabet=st.sampled_from('^~"\\_,安A1 \n\t') | st.characters(), max_size=20)


@settings(max_examples=100, deadline=None)
@given(code=nasty, line=nasty)
def test_zpl_field_data_round_trips(code, line):
    item = LabelItem(code, "https://trace.agritrace.example.cn/t/A_B~C", (line,))
    layout = Layout.from_dict(
        {"width_mm": 100, "height_mm": 40, "elements": [
            {"type": "qr", "x_mm": 0, "y_mm": 0, "size_mm": 30},
            {"type": "text", "x_mm": 31, "y_mm": 1, "size_mm": 3, "width_mm": 69, "source": "code",
             "height_mm": 10},
            {"type": "text", "x_mm": 31, "y_mm": 12, "size_mm": 3, "width_mm": 69,
             "source": "line:0", "height_mm": 10},
        ]}
    )  # fmt: skip
    graphics, ((_w, _h, fields),) = zpl_job(render_zpl(layout, [item]))
    assert unhex(fields[0][6]) == f"QA,{item.url}"
    texts = "".join(unhex(f[6]) for f in fields[1:] if not f[7])
    cleaned = re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", re.sub(r"[\ud800-\udfff]", "?", code))
    if cleaned.isascii() and cleaned.isprintable() and cleaned.strip(" "):
        assert texts.replace(" ", "") == cleaned.replace(" ", "")
    assert len(graphics) <= 2


@settings(max_examples=100, deadline=None)
@given(code=nasty, line=nasty)
@example(code="A\u2029B", line="示例\u2029名称\u2028")  # separators the shaper refuses
def test_tspl_strings_stay_quoted(code, line):
    output = render_tspl(PRESETS["60x40"], [LabelItem(code, ITEMS[0].url, (line,))])
    commands = tspl_job(output)
    assert [c for c, _ in commands].count("PRINT") == 1


def test_free_text_is_shortened_with_a_mark_never_silently():
    """A 100-character product name on a 40×30 label: as many lines as its box holds at the
    minimum size, the last ending with "…" (the bug: cut mid-word with no mark)."""
    layout = PRESETS["40x30"]
    n, product = 3, layout.elements[2]
    assert product.source == "line:0"
    for dpi in DPIS:
        fitted = fit_element(printer(dpi), n, product, "国" * 100)
        assert fitted.cut and fitted.lines[-1].endswith(ELLIPSIS)
        assert fitted.size == printer(dpi).minimum
