"""The one filter set every page formats its figures with (ux.md "Words and formats").

{{ value|rate }}     a rate with one decimal: 90 → "90.0%", 96.35 → "96.4%" (rounded half up).
                     Also takes anything with a `percent` attribute (members.kpis.Rate).
{{ value|money }}    money with thousands separators and two decimals: ¥1,000.00, -¥305.56.
{{ value|count }}    a count with thousands separators: 19,972.
{{ value|percent }}  a weight or threshold, whole where whole: 40 → "40%", 12.50 → "12.5%".
{{ value|number }}   a plain figure with separators, its decimals as they are (12,345.5).

A value the portal cannot know (None, an empty string, a rate whose denominator is 0) shows
"暂无数据", never 0, 100% or ¥0.00: ¥0.00 means the value is known and zero.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

register = template.Library()

ONE_DECIMAL = Decimal("0.1")
FEN = Decimal("0.01")


def _number(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def rate_text(value) -> str:
    if value is not None and not isinstance(value, (int, float, Decimal, str)):
        value = getattr(value, "percent", None)
    number = _number(value)
    if number is None:
        return _("No data")
    return f"{number.quantize(ONE_DECIMAL, ROUND_HALF_UP)}%"


def money_digits(value) -> str:
    """The figure of a money amount without the ¥, for messages whose text carries the sign
    ("¥%(cap)s"): 1000 → "1,000.00"."""
    number = _number(value)
    if number is None:
        return _("No data")
    return f"{number.quantize(FEN, ROUND_HALF_UP):,.2f}"


def money_text(value) -> str:
    number = _number(value)
    if number is None:
        return _("No data")
    number = number.quantize(FEN, ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    return f"{sign}¥{abs(number):,.2f}"


def count_text(value) -> str:
    number = _number(value)
    if number is None:
        return _("No data")
    return f"{int(number.to_integral_value(ROUND_HALF_UP)):,}"


def _trimmed(number: Decimal) -> str:
    """12.50 → "12.5", 40.00 → "40", with thousands separators in the whole part."""
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def percent_text(value) -> str:
    number = _number(value)
    if number is None:
        return _("No data")
    return f"{_trimmed(number)}%"


def number_text(value) -> str:
    number = _number(value)
    if number is None:
        return _("No data")
    return _trimmed(number)


@register.filter
def rate(value) -> str:
    return rate_text(value)


@register.filter
def money(value) -> str:
    return money_text(value)


@register.filter
def count(value) -> str:
    return count_text(value)


@register.filter
def percent(value) -> str:
    return percent_text(value)


@register.filter
def number(value) -> str:
    return number_text(value)
