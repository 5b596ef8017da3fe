"""Producer identity (and later trace) codes: typo-catching check character."""

from hypothesis import given
from hypothesis import strategies as st

from agritrace.core import codes

payloads = st.text(alphabet=codes.ALPHABET, min_size=4, max_size=20)


@given(payloads)
def test_generated_check_character_validates(payload):
    code = payload + codes.check_character(payload)
    assert codes.validate(code) == code
    assert codes.validate(code.lower()) == code


@given(payloads, st.data())
def test_any_single_character_error_is_caught(payload, data):
    code = payload + codes.check_character(payload)
    index = data.draw(st.integers(0, len(code) - 1))
    wrong = data.draw(st.sampled_from([c for c in codes.ALPHABET if c != code[index]]))
    typo = code[:index] + wrong + code[index + 1 :]
    assert codes.validate_or_none(typo) is None


@given(payloads, st.data())
def test_any_adjacent_swap_is_caught(payload, data):
    code = payload + codes.check_character(payload)
    index = data.draw(st.integers(0, len(code) - 2))
    if code[index] == code[index + 1]:
        return
    swapped = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
    assert codes.validate_or_none(swapped) is None


def test_new_codes_are_unique_and_valid():
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    assert all(codes.validate(code, 14) == code for code in made)


def test_lookalikes_and_separators_are_normalised():
    code = codes.new_code()
    typed = "-".join([code[:4], code[4:8], code[8:]]).lower().replace("1", "l").replace("0", "o")
    assert codes.validate(typed) == code
