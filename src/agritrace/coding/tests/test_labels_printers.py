"""ZPL and TSPL output checked against the command syntax (issue 5, point 5): every label framed,
fields closed, QR magnification/cell whole dots ≥ 2 with the symbol and its quiet zone inside the
label, escaped data, GB18030 for TSPL."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agritrace.coding.labels import PRESETS, LabelItem, Layout, render_tspl, render_zpl
from agritrace.coding.labels.layout import dots
from agritrace.coding.labels.qr import QUIET_ZONE, modules_for

LINES = ("安化黑茶 天尖", "批次 B2026-031", "示例茶业合作社")
ITEMS = [
    LabelItem(c, f"https://trace.agritrace.example.cn/t/{c}", LINES)
    for c in ("7K3M9QX2TB4HNV", "0000000000000A", "ZZZZZZZZZZZZZZ")
]
DPIS = [203, 300]

ZPL_FIELD = re.compile(
    r"\^FO(\d+),(\d+)(\^BQN,2,(\d+),Q|\^A0N,\d+|\^A@N,\d+,\d+,[^,^]+)\^FH\^FD([^^~]*)\^FS"
)
ZPL_LABEL = re.compile(r"\^XA\^CI28\^PW(\d+)\^LL(\d+)\^LH0,0((?:\^FO[^\n]*?\^FS)*)\^XZ\n")
TSPL_STRING = r'"((?:[^"\\]|\\\["\])*)"'
TSPL_LINE = {
    "SIZE": re.compile(r"SIZE (\d+(?:\.\d+)?) mm,(\d+(?:\.\d+)?) mm"),
    "GAP": re.compile(r"GAP 2 mm,0 mm"),
    "DIRECTION": re.compile(r"DIRECTION 1,0"),
    "REFERENCE": re.compile(r"REFERENCE 0,0"),
    "CLS": re.compile(r"CLS"),
    "QRCODE": re.compile(rf"QRCODE (\d+),(\d+),Q,(\d+),A,0,{TSPL_STRING}"),
    "TEXT": re.compile(rf"TEXT (\d+),(\d+),{TSPL_STRING},0,(\d+),(\d+),{TSPL_STRING}"),
    "PRINT": re.compile(r"PRINT 1,1"),
}


def unhex(data):
    """^FH field data back to text (``_XX`` hex bytes, UTF-8 under ^CI28)."""
    return re.sub(rb"_([0-9A-F]{2})", lambda m: bytes([int(m[1], 16)]), data.encode()).decode()


def zpl_labels(output):
    text = output.decode()
    labels = ZPL_LABEL.findall(text)
    assert "".join(f"^XA^CI28^PW{w}^LL{h}^LH0,0{f}^XZ\n" for w, h, f in labels) == text
    return [(int(w), int(h), body) for w, h, body in labels]


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("preset", list(PRESETS))
def test_zpl_syntax_and_qr_fits(preset, dpi):
    layout = PRESETS[preset]
    labels = zpl_labels(render_zpl(layout, ITEMS, dpi=dpi))
    assert len(labels) == len(ITEMS)
    for (width, height, body), item in zip(labels, ITEMS, strict=True):
        assert (width, height) == (dots(layout.width_mm, dpi), dots(layout.height_mm, dpi))
        fields = ZPL_FIELD.findall(body)
        assert "".join(f"^FO{x},{y}{cmd}^FH^FD{data}^FS" for x, y, cmd, _m, data in fields) == body
        qr = [f for f in fields if f[3]]
        assert len(qr) == 1
        x, y, _cmd, magnification, data = qr[0]
        assert unhex(data) == f"QA,{item.url}"
        mag, n = int(magnification), modules_for(len(item.url))
        assert 2 <= mag <= 10
        quiet = QUIET_ZONE * mag
        assert int(x) - quiet >= 0 and int(y) - quiet >= 0
        assert int(x) + n * mag + quiet <= width and int(y) + n * mag + quiet <= height
        texts = [unhex(d) for *_rest, m, d in fields if not m]
        assert item.code in texts


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("preset", list(PRESETS))
def test_tspl_syntax_and_qr_fits(preset, dpi):
    layout = PRESETS[preset]
    lines = render_tspl(layout, ITEMS, dpi=dpi).decode("gb18030").split("\r\n")
    assert lines.pop() == ""
    parsed = []
    for line in lines:
        command = line.split(" ", 1)[0]
        match = TSPL_LINE[command].fullmatch(line)
        assert match, line
        parsed.append((command, match.groups()))
    assert [c for c, _ in parsed[:4]] == ["SIZE", "GAP", "DIRECTION", "REFERENCE"]
    assert parsed[0][1] == (f"{layout.width_mm:g}", f"{layout.height_mm:g}")
    width, height = dots(layout.width_mm, dpi), dots(layout.height_mm, dpi)
    commands = [c for c, _ in parsed[4:]]
    assert commands.count("CLS") == commands.count("PRINT") == len(ITEMS)
    for command, groups in parsed[4:]:
        if command == "QRCODE":
            x, y, cell, url = int(groups[0]), int(groups[1]), int(groups[2]), groups[3]
            n, quiet = modules_for(len(url)), QUIET_ZONE * int(groups[2])
            assert 2 <= cell <= 10
            assert x - quiet >= 0 and y - quiet >= 0
            assert x + n * cell + quiet <= width and y + n * cell + quiet <= height
        elif command == "TEXT":
            x, y, scale = int(groups[0]), int(groups[1]), int(groups[3])
            assert groups[2] == "TSS24.BF2"
            assert 0 <= x < width and y >= 0 and y + 24 * scale <= height


def test_tspl_is_gb18030():
    output = render_tspl(PRESETS["40x30"], ITEMS)
    assert "安化黑茶".encode("gb18030") in output
    assert "安化黑茶".encode() not in output


nasty = st.text(alphabet=st.sampled_from('^~"\\_,安A1 \n\t') | st.characters(), max_size=20)


@given(code=nasty, line=nasty)
def test_zpl_field_data_round_trips(code, line):
    item = LabelItem(code, "https://trace.agritrace.example.cn/t/A_B~C", (line,))
    layout = Layout.from_dict(
        {"width_mm": 100, "height_mm": 40, "elements": [
            {"type": "qr", "x_mm": 0, "y_mm": 0, "size_mm": 30},
            {"type": "text", "x_mm": 31, "y_mm": 1, "size_mm": 3, "width_mm": 69, "source": "code"},
            {"type": "text", "x_mm": 31, "y_mm": 6, "size_mm": 3, "width_mm": 69,
             "source": "line:0"},
        ]}
    )  # fmt: skip
    ((_w, _h, body),) = zpl_labels(render_zpl(layout, [item]))
    fields = ZPL_FIELD.findall(body)
    assert unhex(fields[0][4]) == f"QA,{item.url}"
    texts = [unhex(f[4]) for f in fields[1:]]
    expected = [t for t in (code, line) if t]
    cleaned = [re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", re.sub(r"[\ud800-\udfff]", "?", t))
               for t in expected]  # fmt: skip
    assert all(c.startswith(t) for c, t in zip(cleaned, texts, strict=True))


@given(line=nasty)
def test_tspl_strings_stay_quoted(line):
    output = render_tspl(PRESETS["60x40"], [LabelItem("7K3M9QX2TB4HNV", ITEMS[0].url, (line,))])
    for text_line in output.decode("gb18030").split("\r\n")[:-1]:
        command = text_line.split(" ", 1)[0]
        assert TSPL_LINE[command].fullmatch(text_line), text_line
