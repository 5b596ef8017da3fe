"""Result rules as data and small functions (not if-chains in views).

- Enzyme inhibition (GB/T 5009.199-2003, spectrophotometric): inhibition rate ≥ 50 % is positive;
  at or above the screening threshold (``AGRITRACE_ENZYME_SCREENING_PERCENT``, default 40 %) it
  is suspect and must be retested.
- Colloidal gold strips for veterinary drugs (competitive format): no control line means the
  strip is invalid; a test line absent or weaker than the control line is positive.
- ELISA: a measured value at or above the kit's cut-off is positive.
- Quantitative lab tests: a value above the maximum residue limit is unqualified.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agritrace.testing.choices import Result, TLine

ENZYME_POSITIVE_PERCENT = Decimal(50)
#: Colloidal gold: test line reading → result (control line present).
GOLD_RESULTS = {
    TLine.ABSENT: Result.POSITIVE,
    TLine.WEAKER: Result.POSITIVE,
    TLine.EQUAL_OR_STRONGER: Result.NEGATIVE,
}


def screening_percent() -> Decimal:
    """The suspect threshold for enzyme inhibition (setting, default 40 %)."""
    return Decimal(getattr(settings, "AGRITRACE_ENZYME_SCREENING_PERCENT", 40))


def judge_enzyme(rate: Decimal | None) -> Result:
    """Positive ≥ 50 %, suspect ≥ the screening threshold, else negative."""
    if rate is None:
        raise ValidationError({"inhibition_rate": _("须填写抑制率")})
    if not Decimal(0) <= rate <= Decimal(100):
        raise ValidationError({"inhibition_rate": _("抑制率须在 0–100% 之间")})
    if rate >= ENZYME_POSITIVE_PERCENT:
        return Result.POSITIVE
    if rate >= screening_percent():
        return Result.SUSPECT
    return Result.NEGATIVE


def judge_gold(control_line: bool | None, t_line: str | None) -> Result:
    """Invalid without a control line; otherwise by the test line (competitive format)."""
    if control_line is None:
        raise ValidationError({"control_line": _("须填写质控线（C 线）是否显色")})
    if not control_line:
        return Result.INVALID
    if t_line not in GOLD_RESULTS:
        raise ValidationError({"t_line": _("须填写检测线（T 线）读数")})
    return GOLD_RESULTS[TLine(t_line)]


def judge_threshold(value: Decimal | None, limit: Decimal | None, *, lab: bool) -> Result:
    """ELISA against its cut-off (≥ is positive); lab value against its limit (> fails)."""
    if value is None or value < 0:
        raise ValidationError({"value": _("须填写不小于 0 的检测值")})
    if limit is None or limit <= 0:
        raise ValidationError({"limit": _("须填写限量值/判定值")})
    if lab:
        return Result.UNQUALIFIED if value > limit else Result.QUALIFIED
    return Result.POSITIVE if value >= limit else Result.NEGATIVE
