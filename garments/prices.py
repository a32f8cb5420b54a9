"""Prices and currencies of catalog garments: whole cents, three-letter ISO 4217 codes."""

from __future__ import annotations

import re

# Prices are kept in whole cents; a currency is an ISO 4217 alphabetic code (three letters, stored uppercase).
PRICE_DECIMALS = 2
_CURRENCY_RE = re.compile(r"^[A-Za-z]{3}$")


def parse_price(value, *, exact: bool = True) -> float:
    """A price as a float of whole cents.

    Parameters
    ----------
    value : str, int or float (floats are read through their shortest repr, so 12.345 is 12.345)
    exact : True (an import) refuses more than two decimals; False (a stored entry) rounds half-up to
        cents, as orders do.

    Raises ``ValueError`` with a message naming the problem and the fix.
    """
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    text = repr(value) if isinstance(value, float) else str(value).strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"price '{value}' is not a number; give an amount such as 29.95") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"price '{value}' is not a valid amount; give a number >= 0 such as 29.95")
    cents = amount.quantize(Decimal(1).scaleb(-PRICE_DECIMALS), rounding=ROUND_HALF_UP)
    if exact and cents != amount:
        raise ValueError(f"price '{value}' has more than {PRICE_DECIMALS} decimals; give whole cents such as "
                         f"{cents}")
    return float(cents)


def parse_currency(code) -> str:
    """An ISO 4217-shaped currency code (three letters), uppercase; ``ValueError`` otherwise."""
    text = str(code).strip()
    if not _CURRENCY_RE.fullmatch(text):
        raise ValueError(f"currency '{code}' is not a three-letter ISO 4217 code; give one such as EUR or USD")
    return text.upper()

