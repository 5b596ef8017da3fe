"""Field validators shared by models, forms and serializers: identity numbers, coordinates, and
the bounds of every number and date (issue 11)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import ValidationError as StdnumError

#: Mainland China's extent (WGS-84), generous by a few hundredths of a degree.
CHINA_LATITUDE = (Decimal("3.80"), Decimal("53.60"))
CHINA_LONGITUDE = (Decimal("73.40"), Decimal("135.10"))


#: python-stdnum's reasons (English only) in the platform's languages, most specific first.
STDNUM_REASONS = [
    (InvalidLength, _("长度应为 18 位")),
    (InvalidFormat, _("含有不允许的字符或格式不对")),
    (InvalidChecksum, _("校验码不正确")),
    (InvalidComponent, _("其中某一部分无效")),
    (StdnumError, _("格式不对")),
]


def validate_uscc(value: str) -> None:
    """Unified social credit code: 18 characters with the GB 32100-2015 check character."""
    try:
        uscc.validate(value)
    except StdnumError as exc:
        reason = next(text for kind, text in STDNUM_REASONS if isinstance(exc, kind))
        raise ValidationError(
            _("统一社会信用代码无效：%(reason)s"),
            code="invalid_uscc",
            params={"reason": reason},
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


def between(low: Any, high: Any) -> list[Any]:
    """The bounds of a numeric field (issue 11: every number has bounds that fit its column and
    its meaning). Django's own validators, so that forms, DRF serializers and the OpenAPI
    schema (minimum/maximum) take the same bounds from the model field."""
    return [validate_finite, MinValueValidator(low), MaxValueValidator(high)]


#: No production event, test, certificate or registration before this day is plausible on the
#: platform (the national traceability system dates from the 2010s; 1990 leaves room for old
#: certificates and equipment).
EARLIEST_DAY = dt.date(1990, 1, 1)
#: The latest day any date may name (validity ends, deadlines).
LATEST_DAY = dt.date(2099, 12, 31)
#: Clock skew allowed for a moment "not in the future" (devices, phones).
CLOCK_SKEW = dt.timedelta(minutes=5)


@deconstructible
class DateRange:
    """A date or moment between :data:`EARLIEST_DAY` and either today (``past=True``: events
    that have happened — production records, harvests, purchases, tests) or
    :data:`LATEST_DAY` (validity ends, deadlines)."""

    def __init__(self, *, past: bool) -> None:
        self.past = past

    def __call__(self, value: dt.date | dt.datetime) -> None:
        if isinstance(value, dt.datetime):
            moment = value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)
            if moment < dt.datetime.combine(EARLIEST_DAY, dt.time(), dt.UTC):
                raise self.too_early()
            if self.past and moment > timezone.now() + CLOCK_SKEW:
                raise ValidationError(_("时间不能晚于当前时间"), code="future")
            day = moment.date()
        else:
            day = value
            if day < EARLIEST_DAY:
                raise self.too_early()
            if self.past and day > timezone.localdate():
                raise ValidationError(_("日期不能晚于今天"), code="future")
        if day > LATEST_DAY:
            raise ValidationError(
                _("日期不能晚于 %(latest)s"), code="too_late", params={"latest": LATEST_DAY}
            )

    @staticmethod
    def too_early() -> ValidationError:
        return ValidationError(
            _("日期不能早于 %(earliest)s"), code="too_early", params={"earliest": EARLIEST_DAY}
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRange) and other.past == self.past

    def __hash__(self) -> int:
        return hash(self.past)


#: Validators of a date that has happened, and of one that may lie ahead.
PAST = [DateRange(past=True)]
ANY_DAY = [DateRange(past=False)]
