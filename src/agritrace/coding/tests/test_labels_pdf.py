"""Readability proof (issue 5, point 5): label PDFs rasterised by pdftoppm and every QR decoded
back with zxing-cpp — "追溯标志可有效读取". Issue 11, point 3: the text read back from the PDF
(pdftotext) holds the whole code and batch number, and names whole or marked with "…"."""

import html
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from agritrace.coding.labels import PRESETS, SHEETS, LabelItem, Layout, render_pdf
from agritrace.coding.labels.fit import ELLIPSIS
from agritrace.coding.labels.fonts import widest_char
from agritrace.coding.labels.layout import PT, TextElement

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LINES = ("安化黑茶 天尖", "批次 B2026-031", "示例茶业合作社")

pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils")


def make_items(count, seed=1):
    rng = random.Random(seed)
    codes = ("".join(rng.choices(CROCKFORD, k=14)) for _ in range(count))
    return [LabelItem(c, f"https://trace.agritrace.example.cn/t/{c}", LINES) for c in codes]


def decoded(pdf, tmp_path, dpi=300):
    """Every QR text found on every page of ``pdf`` rendered at ``dpi`` in grey."""
    path = Path(tmp_path) / "labels.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", path, tmp_path / "page"],
                   check=True)  # fmt: skip
    texts = []
    for page in sorted(tmp_path.glob("page-*.png")):
        with Image.open(page) as image:
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        texts += [b.text for b in found]
    return texts


def test_a4_sheets_of_1000_labels_decode_1000_of_1000(tmp_path):
    items = make_items(1000)
    texts = decoded(render_pdf(PRESETS["40x30"], items, SHEETS["a4-40x30"]), tmp_path)
    assert len(texts) == 1000
    assert set(texts) == {i.url for i in items}


@pytest.mark.parametrize(("seed", "preset"), list(enumerate(["40x30", "50x30", "60x40"])))
def test_roll_labels_decode_at_the_printers_resolution(tmp_path, seed, preset):
    items = make_items(20, seed=seed)
    texts = decoded(render_pdf(PRESETS[preset], items), tmp_path, dpi=203)
    assert sorted(texts) == sorted(i.url for i in items)


def test_roll_pdf_has_one_page_per_label_at_the_label_size():
    pdf = render_pdf(PRESETS["50x30"], make_items(7))
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") == 7
    assert b"/MediaBox [ 0 0 141.7323 85.03937 ]" in pdf


def test_cjk_font_is_embedded_as_a_subset():
    pdf = render_pdf(PRESETS["40x30"], make_items(3))
    assert b"/FontFile2" in pdf
    assert b"WenQuanYiZenHei" in pdf


def test_sheet_pages(tmp_path):
    sheet = SHEETS["a4-60x40"]
    pdf = render_pdf(PRESETS["60x40"], make_items(sheet.per_page + 1), sheet)
    path = tmp_path / "s.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.M)
    assert "595.276 x 841.89 pts (A4)" in info


def test_logo_is_drawn_once_per_document_and_reused():
    from io import BytesIO

    from agritrace.coding.labels import Layout

    layout = Layout.from_dict(
        {
            **PRESETS["60x40"].to_dict(),
            "elements": [
                *PRESETS["60x40"].to_dict()["elements"],
                {"type": "logo", "x_mm": 40, "y_mm": 30, "width_mm": 15, "height_mm": 8},
            ],
        }
    )
    png = BytesIO()
    Image.new("RGB", (60, 30), "green").save(png, "PNG")
    pdf = render_pdf(layout, make_items(5), logo=png.getvalue())
    assert pdf.count(b"/Subtype /Image") == 1


WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
URL = "https://trace.agritrace.example.cn/t/"
#: The longest values the models allow: codes of 14, batch numbers of 40, names of 100.
LONGEST = [
    LabelItem("M" * 14, URL + "M" * 14, ("国" * 100, "批次 " + widest_char() * 40, "国" * 100)),
    LabelItem("W" * 14, URL + "W" * 14,
              ("W" * 100, "Batch " + "W" * 40, "Example Tea Farmers Cooperative " * 3)),
    LabelItem("7K3M9QX2TB4HNV", URL + "7K3M9QX2TB4HNV",
              ("安化黑茶 天尖", "批次 20261201-001-" + "9" * 27, "示例茶业合作社")),
    LabelItem("7K3M9QX2TB4HNV", URL + "7K3M9QX2TB4HNV", ("安化黑茶 天尖", "批次 20261201-001",
                                                           "湖南省安化县示例黑茶农民专业合作社")),
]  # fmt: skip


def pages_words(pdf, tmp_path):
    """Per page, the words pdftotext reads with their boxes (points from the top left)."""
    path = tmp_path / "labels.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", path, "-"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return [
        [(*(float(v) for v in m.groups()[:4]), html.unescape(m[5])) for m in WORD.finditer(page)]
        for page in out.split("<page ")[1:]
    ]


def read(words, element, left, top):
    """The text read in ``element``'s box (label at ``left``, ``top`` mm on the page), spaces
    removed: pdftotext splits words at spaces and joins hyphenated line ends its own way."""
    x0, y0 = (left + element.x_mm) * PT, (top + element.y_mm) * PT
    x1, y1 = x0 + element.width_mm * PT, y0 + element.height * PT
    return "".join(
        text for wx0, wy0, wx1, wy1, text in words
        if x0 - 1 <= (wx0 + wx1) / 2 <= x1 + 1 and y0 - 1 <= (wy0 + wy1) / 2 <= y1 + 1
    ).replace(" ", "")  # fmt: skip


def check_whole(words, layout, item, left=0.0, top=0.0):
    """Code and batch whole in their boxes; names whole, or a beginning marked with "…"."""
    for element in layout.elements:
        if not isinstance(element, TextElement):
            continue
        value = element.value(item).replace(" ", "")
        shown = read(words, element, left, top)
        if element.identity:
            assert shown == value, (element.source, shown)
        elif shown != value:
            assert shown.endswith(ELLIPSIS), (element.source, shown)
            assert value.startswith(shown.removesuffix(ELLIPSIS)), (element.source, shown)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_roll_pdf_shows_the_whole_code_and_batch_number(preset, tmp_path):
    """Issue 11: the batch 20261201-001 showed as "批次 2026120"; names were cut with no mark."""
    layout = PRESETS[preset]
    pages = pages_words(render_pdf(layout, LONGEST), tmp_path)
    assert len(pages) == len(LONGEST)
    for words, item in zip(pages, LONGEST, strict=True):
        check_whole(words, layout, item)


def test_sheet_pdf_shows_the_whole_code_and_batch_number(tmp_path):
    sheet = SHEETS["a4-50x30"]
    items = LONGEST * 7
    (words, *_rest) = pages_words(render_pdf(PRESETS["50x30"], items, sheet), tmp_path)
    for slot, item in enumerate(items[: sheet.per_page]):
        check_whole(words, PRESETS["50x30"], item, *sheet.origin(slot))


def test_custom_layout_with_fixed_text_prints_it_whole(tmp_path):
    layout = Layout.from_dict({"width_mm": 60, "height_mm": 40, "elements": [
        {"type": "qr", "x_mm": 1, "y_mm": 1, "size_mm": 25},
        {"type": "text", "x_mm": 27, "y_mm": 1, "size_mm": 4, "width_mm": 32, "height_mm": 9,
         "source": "text", "text": "湖南省农产品质量安全追溯"},
        {"type": "text", "x_mm": 27, "y_mm": 11, "size_mm": 3, "width_mm": 32, "height_mm": 20,
         "source": "line:1"},
        {"type": "text", "x_mm": 2, "y_mm": 27, "size_mm": 3, "width_mm": 56, "source": "code"},
    ]})  # fmt: skip
    (words,) = pages_words(render_pdf(layout, LONGEST[2:3]), tmp_path)
    check_whole(words, layout, LONGEST[2])
