"""The CJK font embedded (as a subset) in label PDFs: WenQuanYi Zen Hei, Debian's
``fonts-wqy-zenhei``, which ``make`` installs (``scripts/system-deps.sh``)."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "WenQuanYiZenHei"
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
