"""QR symbols for labels: libzint's encoder, error correction level Q, 4-module quiet zone.

Encoder choice (issue 5 benchmark), per 51-character trace URL on this loaded 2-core machine
(min / median of 5 × 3,000 codes):

- segno 1.6, default settings (evaluates all 8 masks in Python): about 5.4 ms;
- zxing-cpp 3.1.1 (C++, ``create_barcode`` then the symbol as an image): 0.66 / 0.77 ms;
- fast-qr-py 0.1.2 (MIT, Rust ``fast_qr``; bindings self-described as "vibe-coded", Python
  ≥ 3.13 only, the matrix as Python lists of bools): 0.19 / 0.26 ms;
- zint-bindings 1.2.2 (Apache-2.0 bindings, January 2026, "Production/Stable", of libzint
  2.15.0, BSD-3-Clause, maintained since 2008): 0.37 / 0.50 ms by default; with
  ``InputMode.FAST`` 0.18 / 0.21 ms — chosen. ``FAST`` skips libzint's optimal segmentation
  (moot for a URL, which is all byte mode) and shortens its mask evaluation, so about one symbol
  in ten gets another (equally valid) mask than zxing-cpp's; the symbol is a standard QR of the
  same version at level Q, and zxing-cpp, kept for decoding, reads all of them back (tests).

Level Q (25 % of the codewords restorable) rather than M because labels get scratched and
rubbed in the field; the quiet zone of 4 modules is the QR standard's (ISO/IEC 18004) and is
drawn by the renderers. Printers (ZPL, TSPL) encode the symbol themselves; for them only the
symbol's size matters, bounded by ``modules_for`` (byte mode, the largest any encoder picks for
the same text).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import zint

ERROR_CORRECTION = 3  # libzint's option_1 for QR: 1 L, 2 M, 3 Q, 4 H
QUIET_ZONE = 4


def matrix(text: str) -> np.ndarray:
    """The symbol of ``text`` without quiet zone: a square uint8 array, 1 for a dark module."""
    symbol = zint.Symbol()
    symbol.symbology = zint.Symbology.QRCODE
    symbol.option_1 = ERROR_CORRECTION
    symbol.input_mode = zint.InputMode.FAST
    symbol.encode(text)
    n = symbol.rows
    rows = np.asarray(symbol.encoded_data)[:n]  # bit-packed, first module in the lowest bit
    return np.unpackbits(rows, axis=1, count=n, bitorder="little")


@lru_cache(maxsize=512)
def modules_for(length: int) -> int:
    """Modules per side of the largest symbol holding ``length`` bytes of text at level Q."""
    return len(matrix("a" * length))
