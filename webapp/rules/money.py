"""Money as integer minor units with a currency code; no floats anywhere."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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

    def amount_text(self, decimal: str = ".") -> str:
        """`200.00` for GBP 20000 minor units: the plain number a price field is filled with.

        Shown amounts go through the app's one formatter instead, which adds grouping and the
        currency's symbol.
        """
        if self.exponent == 0:
            return str(self.minor)
        sign = "-" if self.minor < 0 else ""
        whole, part = divmod(abs(self.minor), 10**self.exponent)
        return f"{sign}{whole}{decimal}{part:0{self.exponent}d}"


def check_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if code not in CURRENCIES:
        raise MoneyError("Choose a currency from the list.")
    return code


@dataclass(frozen=True)
class NumberSymbols:
    """How a locale writes numbers, as plain data the caller looks up (from CLDR, via Babel)."""

    decimal: str = "."
    group: str = ","
    grouping: tuple[int, int] = (3, 3)  # the last group, then each one before it (India: 3, 2)
    signs: tuple[str, ...] = ()  # currency symbols or codes a person may type beside the number


# Longer than any price anyone types; refused before any further look.
_MAX_TEXT = 40
_SPACES = {" ", "\u00a0", "\u202f"}
_DIGITS = set("0123456789")


def _name(symbol: str) -> str:
    return f"“{symbol}”" if symbol not in _SPACES else "a space"


def _without_sign(text: str, signs: tuple[str, ...]) -> str:
    for sign in sorted(signs, key=len, reverse=True):
        if text[: len(sign)].upper() == sign.upper():
            return text[len(sign) :].strip()
        if text[-len(sign) :].upper() == sign.upper():
            return text[: -len(sign)].strip()
    return text


def _whole_digits(whole: str, symbols: NumberSymbols, fraction: str | None) -> str:
    """The integer part without its group separators, which must sit between full groups."""
    group = symbols.group
    if group in _SPACES:
        for space in _SPACES:
            whole = whole.replace(space, group)
    if group not in whole:
        return whole
    groups = whole.split(group)
    last, before = symbols.grouping
    if fraction is None and len(groups) == 2 and 1 <= len(groups[1]) < last and groups[0]:
        # "12,50" where the comma groups thousands: surely meant as 12.50, never read as 1250.
        raise MoneyError(
            f"Write the decimal part with {_name(symbols.decimal)}, like "
            f"{groups[0]}{symbols.decimal}{groups[1].ljust(2, '0')}."
        )
    well_placed = (
        1 <= len(groups[0]) <= before
        and len(groups[-1]) == last
        and all(len(middle) == before for middle in groups[1:-1])
    )
    if not well_placed:
        size = "three" if (last, before) == (3, 3) else f"{before} (the last of {last})"
        raise MoneyError(
            f"Put {_name(group)} only between groups of {size} digits, like "
            f"{'1' + group + '250'}{symbols.decimal}00, or leave it out."
        )
    return "".join(groups)


def parse_amount(text: str, currency: str, symbols: NumberSymbols | None = None) -> Money:
    """Read a price as a person writes it in their locale ("1,250.50", "£12") as minor units.

    Anything that could be read two ways is refused with what to write instead: a decimal
    comma where commas group thousands, separators out of place, exponents, signs, more
    decimals than the currency has. Nothing is ever silently scaled.
    """
    currency = check_currency(currency)
    symbols = symbols or NumberSymbols()
    number = "Enter the price as a number, like 1,250.00."
    cleaned = (text or "").strip()
    if len(cleaned) > _MAX_TEXT:
        raise MoneyError("That price is too large.")
    cleaned = _without_sign(cleaned, (*symbols.signs, currency))
    if not cleaned:
        raise MoneyError("Enter a price.")
    if cleaned[0] in "-−":
        raise MoneyError("A price cannot be negative: enter it without a minus sign.")
    if cleaned[0] == "+":
        raise MoneyError("Enter the price without a sign, like 1,250.00.")
    if "e" in cleaned.lower() and all(c in _DIGITS or c in ".,eE+-" for c in cleaned):
        raise MoneyError("Write the price in full, like 1000000, not as 1e6.")
    allowed = _DIGITS | {symbols.decimal, symbols.group}
    if symbols.group in _SPACES:
        allowed |= _SPACES
    if not set(cleaned) <= allowed:
        raise MoneyError(number)
    if cleaned.count(symbols.decimal) > 1:
        raise MoneyError(f"Use one decimal {_name(symbols.decimal)} at most.")
    fraction: str | None
    whole, point, fraction = cleaned.partition(symbols.decimal)
    if not point:
        fraction = None
    elif set(fraction) - _DIGITS:
        # A group separator after the decimal symbol: "12.5,0", or the two swapped: "1.000,50".
        raise MoneyError(
            f"Use {_name(symbols.group)} for thousands and {_name(symbols.decimal)} for the "
            f"decimal part, like 1{symbols.group}250{symbols.decimal}50."
        )
    digits = _whole_digits(whole, symbols, fraction)
    if not digits and not fraction:
        raise MoneyError(number)
    exponent = CURRENCIES[currency]
    fraction = fraction or ""
    if len(fraction) > exponent:
        places = "no decimal places" if exponent == 0 else f"at most {exponent} decimal places"
        raise MoneyError(f"{currency} prices have {places}.")
    if len(digits.lstrip("0")) > len(str(MAX_MINOR)):
        raise MoneyError("That price is too large.")
    minor = int(digits or "0") * 10**exponent + int(fraction.ljust(exponent, "0") or "0")
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
