"""Readability proof (issue 5, point 5): label PDFs rasterised by pdftoppm and every QR decoded
back with zxing-cpp — "追溯标志可有效读取"."""

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from agritrace.coding.labels import PRESETS, SHEETS, LabelItem, render_pdf

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
