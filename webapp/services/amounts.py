"""Amounts as people read and write them, in the app's money locale (CLDR data, via Babel).

The one place money becomes text: pages, flashes, emails and the calendar feed all call
`format_money` (templates through the `money` filter). Reading a typed price is the money
rules' pure parser, given this locale's symbols as plain data.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    format_currency,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    parse_pattern,
)
from flask import current_app, has_app_context

from webapp.rules.money import CURRENCIES, Money, NumberSymbols, parse_amount

DEFAULT_LOCALE = "en_GB"


def check_locale(name: str) -> str:
    """The locale name, or a startup error naming the setting (rather than odd amounts later)."""
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError):
        raise RuntimeError(f"MONEY_LOCALE={name!r} is not a locale Babel knows") from None
    return name


def money_locale() -> str:
    if has_app_context():
        return current_app.config.get("MONEY_LOCALE") or DEFAULT_LOCALE
    return DEFAULT_LOCALE


@lru_cache(maxsize=64)
def _symbols(locale: str, currency: str) -> NumberSymbols:
    grouping = parse_pattern(Locale.parse(locale).decimal_formats[None]).grouping
    signs = {sign for sign in (get_currency_symbol(currency, locale), currency) if sign}
    return NumberSymbols(
        decimal=get_decimal_symbol(locale),
        group=get_group_symbol(locale),
        grouping=(grouping[0], grouping[1]),
        signs=tuple(sorted(signs)),
    )


def number_symbols(currency: str) -> NumberSymbols:
    return _symbols(money_locale(), currency if currency in CURRENCIES else "GBP")


def read_price(text: str | None, currency: str) -> Money:
    """What a coach typed into a price field, as exact Money (MoneyError says what is wrong)."""
    return parse_amount(text or "", currency, number_symbols(currency))


def price_input(money: Money) -> str:
    """The plain number a price field is filled with, which `read_price` reads back."""
    return money.amount_text(decimal=number_symbols(money.currency).decimal)


def format_money(money: Money) -> str:
    """£1,250.00: grouped, with the currency's symbol and its number of decimals."""
    return _formatted(money.minor, money.exponent, money.currency, money_locale())


@lru_cache(maxsize=4096)
def _formatted(minor: int, exponent: int, currency: str, locale: str) -> str:
    """Babel reads its pattern afresh on every call, and a page shows the same few prices
    many times over."""
    return format_currency(Decimal(minor).scaleb(-exponent), currency, locale=locale)


def money(minor: int, currency: str) -> str:
    """The template filter: `{{ price_minor | money(currency) }}`."""
    return format_money(Money(int(minor), currency))
