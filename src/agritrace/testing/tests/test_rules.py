"""Result rules (GB/T 5009.199 enzyme inhibition, colloidal gold, ELISA, lab limits)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agritrace.testing import rules
from agritrace.testing.choices import Result


@pytest.mark.parametrize(
    ("rate", "result"),
    [
        ("0", Result.NEGATIVE),
        ("39.99", Result.NEGATIVE),
        ("40", Result.SUSPECT),
        ("49.99", Result.SUSPECT),
        ("50", Result.POSITIVE),
        ("100", Result.POSITIVE),
    ],
)
def test_enzyme_inhibition(rate, result):
    assert rules.judge_enzyme(Decimal(rate)) == result


@pytest.mark.parametrize("rate", ["-0.1", "100.01", "130"])
def test_impossible_inhibition_rates_are_refused(rate):
    with pytest.raises(ValidationError) as error:
        rules.judge_enzyme(Decimal(rate))
    assert "inhibition_rate" in error.value.message_dict


def test_screening_threshold_is_a_setting(settings):
    settings.AGRITRACE_ENZYME_SCREENING_PERCENT = 30
    assert rules.judge_enzyme(Decimal(35)) == Result.SUSPECT


@pytest.mark.parametrize(
    ("control", "t_line", "result"),
    [
        (False, "equal_or_stronger", Result.INVALID),
        (False, "absent", Result.INVALID),
        (True, "absent", Result.POSITIVE),
        (True, "weaker", Result.POSITIVE),
        (True, "equal_or_stronger", Result.NEGATIVE),
    ],
)
def test_colloidal_gold(control, t_line, result):
    assert rules.judge_gold(control, t_line) == result


@pytest.mark.parametrize(
    ("value", "limit", "lab", "result"),
    [
        ("0.5", "0.5", False, Result.POSITIVE),
        ("0.49", "0.5", False, Result.NEGATIVE),
        ("0.5", "0.5", True, Result.QUALIFIED),
        ("0.51", "0.5", True, Result.UNQUALIFIED),
    ],
)
def test_thresholds(value, limit, lab, result):
    assert rules.judge_threshold(Decimal(value), Decimal(limit), lab=lab) == result
