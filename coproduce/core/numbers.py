"""Sums of hours and money, to two decimal places whatever the database.

SQLite returns a sum of DECIMAL columns without their scale (2 rather than 2.00); PostgreSQL
keeps it. Rounding every such sum here makes pages, downloads and the API agree on both.
"""

from decimal import Decimal

HUNDREDTH = Decimal("0.01")


def hundredths(value: Decimal | int | None) -> Decimal:
    return Decimal(value or 0).quantize(HUNDREDTH)
