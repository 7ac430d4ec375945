import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.rules.money import (
    MAX_MINOR,
    Money,
    MoneyError,
    NumberSymbols,
    parse_amount,
    per_session_rate,
)

BRITISH = NumberSymbols(signs=("£",))
GERMAN = NumberSymbols(decimal=",", group=".", signs=("€", "EUR"))
FRENCH = NumberSymbols(decimal=",", group="\u202f", signs=("€",))
INDIAN = NumberSymbols(decimal=".", group=",", grouping=(3, 2), signs=("₹",))


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("200", "GBP", 20000),
        ("200.00", "GBP", 20000),
        ("200.5", "GBP", 20050),
        ("1,200.99", "USD", 120099),
        ("0", "EUR", 0),
        ("5000", "JPY", 5000),
        (" 12.30 ", "gbp", 1230),
        ("1,250.00", "GBP", 125000),
        ("1,250", "GBP", 125000),
        ("1,234,567.89", "GBP", 123456789),
        ("£1,250.50", "GBP", 125050),
        ("1250.5 GBP", "GBP", 125050),
        (".50", "GBP", 50),
        ("007", "GBP", 700),
        ("1,000", "JPY", 1000),
    ],
)
def test_parse_amount_reads_exact_minor_units(text, currency, minor):
    assert parse_amount(text, currency, BRITISH) == Money(minor, currency.strip().upper())


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("", "GBP", "Enter a price"),
        ("-1", "GBP", "cannot be negative"),
        ("abc", "GBP", "as a number"),
        ("NaN", "GBP", "as a number"),
        ("Infinity", "GBP", "as a number"),
        ("1.005", "GBP", "at most 2 decimal places"),
        ("10.5", "JPY", "no decimal places"),
        ("1e20", "GBP", "in full"),
        ("200", "XXX", "Choose a currency"),
        # A decimal comma read as a thousands separator would store 1,250.00.
        ("12,50", "GBP", r"decimal part with “\.”, like 12\.50"),
        ("1,2,3.5", "GBP", "groups of three"),
        ("1,25,000", "GBP", "groups of three"),
        ("1,,000", "GBP", "groups of three"),
        (",100", "GBP", "groups of three"),
        ("100,", "GBP", "groups of three"),
        ("1.000,50", "GBP", "“,” for thousands and “.” for the decimal part"),
        ("1.2.3", "GBP", "one decimal"),
        ("12.5,0", "GBP", "for thousands"),
        ("1e9", "GBP", "in full"),
        ("1E9", "GBP", "in full"),
        ("-0", "GBP", "cannot be negative"),
        ("+5", "GBP", "without a sign"),
        ("−5", "GBP", "cannot be negative"),
        ("nan", "GBP", "as a number"),
        ("-Infinity", "GBP", "cannot be negative"),
        ("0x10", "GBP", "as a number"),
        ("1_000", "GBP", "as a number"),
        ("١٢", "GBP", "as a number"),  # Arabic-Indic digits: Decimal reads them, people here do not
        ("12.345", "GBP", "at most 2 decimal places"),
        ("10000000001", "GBP", "too large"),
        ("9" * 40, "GBP", "too large"),
        ("1" * 5000, "GBP", "too large"),
        ("$12", "GBP", "as a number"),
        ("£", "GBP", "Enter a price"),
    ],
)
def test_parse_amount_refuses_bad_input_with_a_reason(text, currency, message):
    with pytest.raises(MoneyError, match=message):
        parse_amount(text, currency, BRITISH)


@pytest.mark.parametrize(
    ("text", "symbols", "minor"),
    [
        ("1.250,50", GERMAN, 125050),
        ("12,50 €", GERMAN, 1250),
        ("1\u202f250,50", FRENCH, 125050),
        ("1 250,50", FRENCH, 125050),  # a plain space where the locale uses a narrow one
        ("12,34,567.50", INDIAN, 123456750),
    ],
)
def test_parse_amount_reads_the_locales_own_symbols(text, symbols, minor):
    assert parse_amount(text, "EUR", symbols) == Money(minor, "EUR")


@pytest.mark.parametrize(
    ("text", "symbols", "message"),
    [
        ("1.250.50", GERMAN, "groups of three"),
        ("1,250,50", GERMAN, "one decimal “,”"),
        ("12.50", GERMAN, r"decimal part with “,”, like 12,50"),
        ("1,234,567.50", INDIAN, "groups"),
    ],
)
def test_parse_amount_refuses_what_is_ambiguous_in_the_locale(text, symbols, message):
    with pytest.raises(MoneyError, match=message):
        parse_amount(text, "EUR", symbols)


@given(st.integers(min_value=0, max_value=MAX_MINOR))
def test_an_amount_written_with_or_without_grouping_reads_back_exactly(minor):
    whole, part = divmod(minor, 100)
    grouped = f"{whole:,}.{part:02d}"
    assert parse_amount(grouped, "GBP") == Money(minor, "GBP")
    assert parse_amount(grouped.replace(",", ""), "GBP") == Money(minor, "GBP")


@given(st.text(max_size=30))
def test_any_text_is_read_exactly_or_refused_never_scaled(text):
    try:
        money = parse_amount(text, "GBP")
    except MoneyError:
        return
    digits = [c for c in text if c in "0123456789"]
    assert 0 <= money.minor <= MAX_MINOR
    # Whatever was read keeps the digits typed: nothing is multiplied by 100 on the way.
    assert str(money.minor).lstrip("0") in "".join(digits).lstrip("0") + "00"


@pytest.mark.parametrize(
    ("total", "sessions", "rate"),
    [
        (10000, 3, 3333),  # 33.333.. -> 33.33
        (20000, 3, 6667),  # 66.666.. -> 66.67
        (40000, 5, 8000),
        (70000, 10, 7000),
        (100, 8, 13),  # 12.5 -> 13: half up, not to even
        (300, 8, 38),  # 37.5 -> 38
        (0, 4, 0),
    ],
)
def test_per_session_rate_rounds_half_up(total, sessions, rate):
    assert per_session_rate(Money(total, "GBP"), sessions) == Money(rate, "GBP")


def test_per_session_rate_needs_a_session():
    with pytest.raises(MoneyError):
        per_session_rate(Money(100, "GBP"), 0)


def test_money_refuses_floats_and_unknown_currencies():
    with pytest.raises(MoneyError):
        Money(1.5, "GBP")
    with pytest.raises(MoneyError):
        Money(100, "ABC")
