"""Short, unguessable, typo-checked codes (producer identity codes; trace codes reuse this).

Crockford base32 (no I, L, O, U; case-insensitive; I/L read as 1 and O as 0), random payload,
and one Luhn mod 32 check character that catches every single-character error and every swap
of two adjacent characters.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0"})
BASE = len(ALPHABET)


class InvalidCode(ValueError):
    """A code that is malformed or whose check character does not match."""


def check_character(payload: str) -> str:
    """The Luhn mod N check character of a canonical payload."""
    total = 0
    factor = 2
    for char in reversed(payload):
        addend = factor * _VALUE[char]
        total += addend // BASE + addend % BASE
        factor = 1 if factor == 2 else 2
    return ALPHABET[(BASE - total % BASE) % BASE]


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
