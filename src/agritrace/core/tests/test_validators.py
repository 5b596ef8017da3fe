"""USCC, phone and coordinate validation."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from agritrace.core.validators import (
    mask_phone,
    normalise_phone,
    validate_latitude,
    validate_longitude,
    validate_uscc,
)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
bodies = st.tuples(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
).map("".join)


@given(bodies)
def test_uscc_with_its_check_character_is_accepted(body):
    validate_uscc(body + uscc.calc_check_digit(body))


@given(bodies, st.data())
def test_uscc_with_any_other_check_character_is_refused(body, data):
    right = uscc.calc_check_digit(body)
    wrong = data.draw(st.sampled_from([c for c in USCC_ALPHABET if c != right]))
    with pytest.raises(ValidationError) as error:
        validate_uscc(body + wrong)
    assert error.value.code == "invalid_uscc"


@pytest.mark.parametrize("value", ["", "12345", "91110000600037341", "I1110000600037341L"])
def test_malformed_uscc_is_refused(value):
    with pytest.raises(ValidationError):
        validate_uscc(value)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("0731-88886666", "073188886666"),
    ],
)
def test_phone_is_normalised(raw, normal):
    assert normalise_phone(raw) == normal


@pytest.mark.parametrize("raw", ["12345", "1380013800", "+1 415 555 0100", "abc"])
def test_bad_phone_is_refused(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


def test_phone_mask():
    assert mask_phone("13800138000") == "138****8000"


@pytest.mark.parametrize(("lat", "lng"), [("51.5", "-0.1"), ("28.2", "140.0"), ("2.0", "112.0")])
def test_coordinates_outside_china_are_refused(lat, lng):
    with pytest.raises(ValidationError):
        validate_latitude(Decimal(lat))
        validate_longitude(Decimal(lng))
