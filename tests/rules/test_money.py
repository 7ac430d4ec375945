import pytest

from webapp.rules.money import Money, MoneyError, parse_amount, per_session_rate


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
    ],
)
def test_parse_amount_reads_exact_minor_units(text, currency, minor):
    assert parse_amount(text, currency) == Money(minor, currency.strip().upper())


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
        ("1e20", "GBP", "too large"),
        ("200", "XXX", "Choose a currency"),
    ],
)
def test_parse_amount_refuses_bad_input_with_a_reason(text, currency, message):
    with pytest.raises(MoneyError, match=message):
        parse_amount(text, currency)


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


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money(20000, "GBP"), "£200.00"),
        (Money(5, "USD"), "$0.05"),
        (Money(900, "JPY"), "¥900"),
        (Money(12345, "CHF"), "123.45 CHF"),
    ],
)
def test_money_displays_with_symbol_and_minor_digits(money, text):
    assert str(money) == text
