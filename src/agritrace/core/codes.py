"""Short, unguessable, typo-checked codes (producer identity codes; trace codes reuse this).

Crockford base32 (no I, L, O, U; case-insensitive; I/L read as 1 and O as 0), random payload,
and one check character, a weighted sum in GF(32), that catches every single-character error and
every swap of two adjacent characters.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0"})


class InvalidCode(ValueError):
    """A code that is malformed or whose check character does not match."""


def _gf_tables() -> tuple[list[int], list[int]]:
    """Powers and logarithms of α in GF(32) built on the primitive polynomial x⁵ + x² + 1."""
    exp, log = [0] * 62, [0] * 32
    value = 1
    for power in range(31):
        exp[power] = exp[power + 31] = value
        log[value] = power
        value <<= 1
        if value & 0b100000:
            value ^= 0b100101
    return exp, log


_EXP, _LOG = _gf_tables()


def _mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


def check_character(payload: str) -> str:
    """The character ``c`` that makes Σ αⁱ·xᵢ = 0 in GF(32) over ``payload + c``.

    Any single wrong character adds e·αⁱ ≠ 0, and swapping neighbours a, b adds
    (a+b)·αⁱ·(1+α) ≠ 0, so every such typo is caught (codes up to 31 characters).
    """
    total = 0
    for position, char in enumerate(payload):
        total ^= _mul(_EXP[position % 31], _VALUE[char])
    return ALPHABET[_mul(total, _EXP[(31 - len(payload) % 31) % 31])]


def new_code(payload_length: int = 13) -> str:
    """A random code: ``payload_length`` characters (5 bits each) plus the check character."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(payload_length))
    return payload + check_character(payload)


def normalise(text: str) -> str:
    """Canonical form of a typed or scanned code: upper case, hyphens and spaces removed,
    Crockford's look-alikes mapped."""
    return text.strip().upper().replace("-", "").replace(" ", "").translate(_ALIASES)


def validate(text: str, length: int | None = None) -> str:
    """The canonical code, or :class:`InvalidCode` saying what is wrong."""
    code = normalise(text)
    if length is not None and len(code) != length:
        raise InvalidCode(f"length {len(code)}, expected {length}")
    if len(code) < 2:
        raise InvalidCode("too short")
    bad = sorted({char for char in code if char not in _VALUE})
    if bad:
        raise InvalidCode(f"invalid characters: {''.join(bad)}")
    if check_character(code[:-1]) != code[-1]:
        raise InvalidCode("check character does not match")
    return code


def validate_or_none(text: str, length: int | None = None) -> str | None:
    """The canonical code, or ``None`` when it is not a valid code."""
    try:
        return validate(text, length)
    except InvalidCode:
        return None
