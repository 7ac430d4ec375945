"""Money as integer minor units with a currency code; no floats anywhere."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from webapp.rules import RuleError

# ISO 4217 codes offered, with their number of minor-unit digits.
CURRENCIES: dict[str, int] = {
    "GBP": 2,
    "EUR": 2,
    "USD": 2,
    "CAD": 2,
    "AUD": 2,
    "NZD": 2,
    "CHF": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "ZAR": 2,
    "INR": 2,
    "JPY": 0,
}
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥"}

# Large enough for any coaching price, small enough for a 64-bit column.
MAX_MINOR = 10**12


class MoneyError(RuleError):
    pass


@dataclass(frozen=True)
class Money:
    minor: int
    currency: str

    def __post_init__(self):
        if self.currency not in CURRENCIES:
            raise MoneyError(f"Unknown currency {self.currency!r}.")
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise MoneyError("Money is counted in whole minor units.")

    @property
    def exponent(self) -> int:
        return CURRENCIES[self.currency]

    def amount_text(self) -> str:
        """`200.00` for GBP 20000 minor units."""
        if self.exponent == 0:
            return str(self.minor)
        sign = "-" if self.minor < 0 else ""
        whole, part = divmod(abs(self.minor), 10**self.exponent)
        return f"{sign}{whole}.{part:0{self.exponent}d}"

    def __str__(self) -> str:
        symbol = SYMBOLS.get(self.currency)
        if symbol:
            return f"{symbol}{self.amount_text()}"
        return f"{self.amount_text()} {self.currency}"


def check_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if code not in CURRENCIES:
        raise MoneyError("Choose a currency from the list.")
    return code


def parse_amount(text: str, currency: str) -> Money:
    """Read what a person typed ("200", "200.00", "1,200.5") as exact minor units."""
    currency = check_currency(currency)
    cleaned = (text or "").strip().replace(",", "")
    if not cleaned:
        raise MoneyError("Enter a price.")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError("Enter the price as a number, like 200.00.") from None
    if not amount.is_finite():
        raise MoneyError("Enter the price as a number, like 200.00.")
    if amount < 0:
        raise MoneyError("The price cannot be negative.")
    exponent = CURRENCIES[currency]
    scaled = amount.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        places = "no decimal places" if exponent == 0 else f"at most {exponent} decimal places"
        raise MoneyError(f"{currency} prices have {places}.")
    minor = int(scaled)
    if minor > MAX_MINOR:
        raise MoneyError("That price is too large.")
    return Money(minor, currency)


def per_session_rate(total: Money, sessions: int) -> Money:
    """Total / sessions, rounded half up to the minor unit (3 for 100.00 -> 33.33)."""
    if sessions <= 0:
        raise MoneyError("A package needs at least one session.")
    if total.minor < 0:
        raise MoneyError("The price cannot be negative.")
    rate = (Decimal(total.minor) / Decimal(sessions)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Money(int(rate), total.currency)
