"""QR symbols for labels: zxing-cpp's writer, error correction level Q, 4-module quiet zone.

Encoder choice (issue 5 benchmark), per 51-character trace URL on this 2-core machine:

- segno 1.6, default settings (evaluates all 8 masks in Python): about 5.4 ms;
- segno with a fixed ``mask`` and ``version``: about 1.5 ms;
- fast-qr-py 0.1 (Rust; a new binding): about 0.19 ms with the matrix as Python lists;
- zxing-cpp 3.1 (C++, ``create_barcode`` then the symbol as a 1-byte-per-module image):
  about 0.30 ms — chosen: a mature, maintained library that the readability tests need anyway
  to decode, so one dependency encodes and proves.

Level Q (25 % of the codewords restorable) rather than M because labels get scratched and
rubbed in the field; the quiet zone of 4 modules is the QR standard's (ISO/IEC 18004).
Printers (ZPL, TSPL) encode the symbol themselves; for them only the symbol's size matters,
bounded by ``modules_for`` (byte mode, the largest any encoder picks for the same text).
"""

from __future__ import annotations

from functools import lru_cache

import zxingcpp

ERROR_CORRECTION = "Q"
QUIET_ZONE = 4
_QR = zxingcpp.BarcodeFormat.QRCode


def matrix(text: str) -> tuple[int, bytes]:
    """The symbol of ``text`` without quiet zone: (modules per side, one byte per module row by
    row, 0 for a dark module and 255 for a light one)."""
    image = zxingcpp.create_barcode(text, _QR, ec_level=ERROR_CORRECTION).to_image(
        scale=1, add_quiet_zones=False
    )
    view = memoryview(image)
    return view.shape[0], view.tobytes()


@lru_cache(maxsize=512)
def modules_for(length: int) -> int:
    """Modules per side of the largest symbol holding ``length`` bytes of text at level Q."""
    return matrix("a" * length)[0]
