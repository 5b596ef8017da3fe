"""Field validators shared by models, forms and serializers."""

from __future__ import annotations

import math
from decimal import Decimal

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

#: Mainland China's extent (WGS-84), generous by a few hundredths of a degree.
CHINA_LATITUDE = (Decimal("3.80"), Decimal("53.60"))
CHINA_LONGITUDE = (Decimal("73.40"), Decimal("135.10"))


def validate_uscc(value: str) -> None:
    """Unified social credit code: 18 characters with the GB 32100-2015 check character."""
    try:
        uscc.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("统一社会信用代码无效：%(reason)s"),
            code="invalid_uscc",
            params={"reason": exc.message},
        ) from None


def normalise_uscc(value: str) -> str:
    """Upper case, separators removed."""
    return uscc.compact(value)


def normalise_phone(value: str) -> str:
    """A Chinese mobile or fixed-line number in national digits (13812345678, 073188886666)."""
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("电话号码格式不正确"), code="invalid_phone") from None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("不是有效的中国大陆电话号码"), code="invalid_phone")
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(char for char in national if char.isdigit())


def validate_phone(value: str) -> None:
    """Refuses anything :func:`normalise_phone` cannot read."""
    normalise_phone(value)


def mask_phone(value: str) -> str:
    """138****1234: keep the first three and last four digits."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def validate_latitude(value: Decimal) -> None:
    """Latitude inside mainland China."""
    low, high = CHINA_LATITUDE
    if not low <= value <= high:
        raise ValidationError(
            _("纬度 %(value)s 不在中国境内（%(low)s–%(high)s）"),
            code="outside_china",
            params={"value": value, "low": low, "high": high},
        )


def validate_longitude(value: Decimal) -> None:
    """Longitude inside mainland China."""
    low, high = CHINA_LONGITUDE
    if not low <= value <= high:
        raise ValidationError(
            _("经度 %(value)s 不在中国境内（%(low)s–%(high)s）"),
            code="outside_china",
            params={"value": value, "low": low, "high": high},
        )


def validate_finite(value: float | Decimal) -> None:
    """A number is finite: NaN and ±infinity are refused everywhere (issue 11, "non-finite
    numbers are refused"). Range validators alone let NaN through (every comparison with it is
    false)."""
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if not finite:
        raise ValidationError(_("请输入有限的数值。"), code="not_finite")
