"""Label rendering: 10,000 labels (preset 40×30, a 51-character trace URL with a 14-character
Crockford base32 code, three Chinese lines) to PDF as a roll (one label per page) and on A4
sheets, and to ZPL and TSPL at 203 and 300 dpi.

Targets (issue 5): PDF ≥ 2,000 labels/s, baseline the same 10,000 QR matrices generated alone by
the chosen encoder (libzint via zint-bindings); ZPL and TSPL ≥ 50,000 labels/s each.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agritrace.settings")
os.environ.setdefault("AGRITRACE_HOME", tempfile.mkdtemp(prefix="agritrace-bench-"))

import django

django.setup()

from agritrace.coding.labels import (  # noqa: E402
    PRESETS,
    SHEETS,
    LabelItem,
    render_pdf,
    render_tspl,
    render_zpl,
)
from agritrace.coding.labels.qr import matrix  # noqa: E402

COUNT = 10_000
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BASE_URL = "https://trace.agritrace.example.cn/t/"
PDF_TARGET = 2_000
PRINTER_TARGET = 50_000


def items(count: int) -> list[LabelItem]:
    """``count`` labels with random codes, the same product lines (one batch)."""
    rng = random.Random(5)
    lines = ("安化黑茶 天尖", "批次 B2026-031", "示例茶业合作社")
    codes = ("".join(rng.choices(CROCKFORD, k=14)) for _ in range(count))
    return [LabelItem(code, BASE_URL + code, lines) for code in codes]


def timed(run: Callable[[], object]) -> tuple[float, object]:
    """Seconds ``run`` took, and what it returned."""
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def main() -> None:
    """Print each output's rate, size and ratio to the encoder-only baseline."""
    labels = items(COUNT)
    layout = PRESETS["40x30"]
    render_pdf(layout, labels[:10])  # font registration and parsing, once per process
    baseline, _ = timed(lambda: [matrix(item.url) for item in labels])
    load = os.getloadavg()[0]
    print(f"{'QR matrices alone (baseline)':34} {COUNT / baseline:9,.0f} /s  {baseline:6.2f} s")
    runs = [
        ("PDF roll (1 label/page)", lambda: render_pdf(layout, labels), PDF_TARGET),
        ("PDF A4 sheets (a4-40x30)", lambda: render_pdf(layout, labels, SHEETS["a4-40x30"]),
         PDF_TARGET),
        ("ZPL 203 dpi", lambda: render_zpl(layout, labels, dpi=203), PRINTER_TARGET),
        ("ZPL 300 dpi", lambda: render_zpl(layout, labels, dpi=300), PRINTER_TARGET),
        ("TSPL 203 dpi", lambda: render_tspl(layout, labels, dpi=203), PRINTER_TARGET),
        ("TSPL 300 dpi", lambda: render_tspl(layout, labels, dpi=300), PRINTER_TARGET),
    ]  # fmt: skip
    for name, run, target in runs:
        seconds, output = timed(run)
        rate = COUNT / seconds
        verdict = "met" if rate >= target else "NOT met"
        print(
            f"{name:34} {rate:9,.0f} /s  {seconds:6.2f} s  {len(output) / 1e6:6.1f} MB  "
            f"ratio to baseline {seconds / baseline:5.2f}  target ≥ {target:,}/s {verdict}"
        )
    load = max(load, os.getloadavg()[0])
    print(f"{COUNT:,} labels, preset 40x30, encoder libzint level Q; load average ≤ {load:.1f}")


if __name__ == "__main__":
    main()
