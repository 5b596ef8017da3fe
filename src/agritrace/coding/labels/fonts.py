"""The label font: WenQuanYi Zen Hei, Debian's ``fonts-wqy-zenhei``, which ``make`` installs
(``scripts/system-deps.sh``). Embedded (as a subset) in label PDFs and rasterised at the
printer's resolution for ZPL and TSPL (``bitmap.text_bitmap``), so the text is measured with one
set of advance widths (``em``) whatever the output."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache, lru_cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "WenQuanYiZenHei"
#: The pixel size advance widths are read at (26.6 fixed point: 1/131,072 em).
_EM_PIXELS = 2048
KNOWN_PATHS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)


def font_path() -> Path:
    """Where ``wqy-zenhei.ttc`` is: a known path, else what fontconfig's ``fc-match`` finds."""
    for path in KNOWN_PATHS:
        if path.is_file():
            return path
    if fc_match := shutil.which("fc-match"):
        found = subprocess.run(
            [fc_match, "-f", "%{file}", "WenQuanYi Zen Hei"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if found.endswith("wqy-zenhei.ttc") and Path(found).is_file():
            return Path(found)
    raise ImproperlyConfigured(
        "标签 PDF 需要中文字体 wqy-zenhei.ttc（Debian 软件包 fonts-wqy-zenhei），"
        "请运行 make install 或 scripts/system-deps.sh 安装"
    )


@cache
def cjk_font() -> str:
    """Register the font with reportlab once (subfont 0 of the collection); its name."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path()), subfontIndex=0))
    return FONT_NAME


@lru_cache(maxsize=64)
def raster_font(pixels: int) -> ImageFont.FreeTypeFont:
    """The font at ``pixels`` per em for Pillow (subfont 0, as in the PDF)."""
    return ImageFont.truetype(str(font_path()), pixels, index=0)


class _Widths(dict[str, float]):
    """Advance widths in ems, read from the font once per character."""

    def __missing__(self, char: str) -> float:
        width = self[char] = raster_font(_EM_PIXELS).getlength(char) / _EM_PIXELS
        return width


_WIDTHS = _Widths()


def em(text: str) -> float:
    """The advance width of ``text`` in ems of the label font (the sum of its characters': the
    font has no kerning); characters it lacks are set as its missing-glyph box."""
    return sum(map(_WIDTHS.__getitem__, text))


@cache
def widest_char() -> str:
    """The character with the largest advance in the font (the worst case a layout is checked
    with for text that may hold any character, e.g. batch numbers)."""
    face = pdfmetrics.getFont(cjk_font()).face
    return chr(max(face.charWidths, key=face.charWidths.__getitem__))
