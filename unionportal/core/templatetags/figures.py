"""{{ value|rate }}: a rate in percent with one decimal everywhere (ux.md: "rates as 96.4%").

`value` is a percentage (Decimal, int or float: 90 → "90.0%", 96.35 → "96.4%", rounded half
up) or anything with a `percent` attribute (members.kpis.Rate). None, an empty string or a rate
whose denominator is 0 (its percent is None) cannot be known: "暂无数据", never 0 or 100%.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

register = template.Library()

ONE_DECIMAL = Decimal("0.1")


def rate_text(value) -> str:
    if value is not None and not isinstance(value, (int, float, Decimal, str)):
        value = getattr(value, "percent", None)
    if value is None or value == "":
        return _("No data")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return _("No data")
    if not number.is_finite():
        return _("No data")
    return f"{number.quantize(ONE_DECIMAL, ROUND_HALF_UP)}%"


@register.filter
def rate(value) -> str:
    return rate_text(value)
