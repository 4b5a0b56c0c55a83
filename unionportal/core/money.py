"""Exact money aggregates on PostgreSQL and SQLite.

SQLite has no decimal type: it stores 1218.42 as a float, and `Sum()` over a DecimalField adds
floats, so 846 payments of ¥1,218.42 came to ¥1,030,783.32000002 (issue 13 item 1). Summing
whole fen as integers is exact on both databases; the total in yuan is the fen sum divided by
100.0 (numeric on PostgreSQL; on SQLite the nearest float, which the output field rounds back
to the exact fen).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import BigIntegerField, DecimalField, F, Func, Q, Sum
from django.db.models.functions import Cast, Round

FEN = Decimal("0.01")


class MoneyField(DecimalField):
    """The output field of a money aggregate: a Decimal quantized to the fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return Decimal(str(value)).quantize(FEN)


class _Yuan(Func):
    """Fen to yuan. The literal 100.0 keeps the division in numeric on PostgreSQL and in
    floating point on SQLite (a parameter would be bound as an integer or a double)."""

    template = "(%(expressions)s / 100.0)"
    output_field = MoneyField()


def money_sum(field: str, filter: Q | None = None) -> _Yuan:  # noqa: A002 (Sum's own name)
    """SUM over a money field, exact: each amount is rounded to whole fen and summed as an
    integer. Works in .aggregate() and .annotate(), and its SQL composes into raw statements
    (the statistics rollup). No rows gives None, like Sum."""
    fen = Cast(Round(F(field) * 100), BigIntegerField())
    return _Yuan(Sum(fen, filter=filter))
