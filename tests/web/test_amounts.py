"""Prices as coaches type them and amounts as everyone reads them: grouped, never rescaled."""

from __future__ import annotations

import html as html_lib

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.factories import make_coach
from tests.support.plusone import (
    complete_url,
    logged_in,
    make_package,
    make_pair,
    remaining_ids,
)
from tests.support.queued import outbox
from webapp.extensions import db
from webapp.models import Package, Program
from webapp.rules.money import CURRENCIES, MAX_MINOR, Money, MoneyError
from webapp.services.amounts import format_money, read_price

PROGRAM = {"name": "Strength", "currency": "GBP", "billing_period": "month", "description": ""}


def text_of(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


@pytest.fixture
def coach(app):
    with app.app_context():
        make_coach(email="coach@example.com")
    return logged_in(app, "coach@example.com")


def programs(app) -> list[tuple[str, int]]:
    with app.app_context():
        return [
            tuple(row) for row in db.session.execute(sa.select(Program.name, Program.price_minor))
        ]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12,50", "Write the decimal part with “.”, like 12.50."),
        ("1,2,3.5", "Put “,” only between groups of three digits"),
        ("1e9", "Write the price in full"),
        ("-0", "A price cannot be negative"),
        ("NaN", "Enter the price as a number"),
        ("12.505", "GBP prices have at most 2 decimal places."),
        ("1" * 60, "That price is too large."),
    ],
)
def test_a_price_that_could_be_misread_is_refused_by_the_field_and_nothing_is_saved(
    app, coach, typed, message
):
    response = coach.post("/programs/new", data={**PROGRAM, "price": typed})
    assert response.status_code == 422
    page = text_of(response)
    assert 'id="price-error"' in page or 'class="error"' in page
    assert message in page
    assert programs(app) == []


def test_a_grouped_price_is_stored_exactly_and_shown_grouped(app, coach):
    response = coach.post("/programs/new", data={**PROGRAM, "price": "£1,250.50"})
    assert response.status_code in (302, 303)
    assert programs(app) == [("Strength", 125050)]
    assert "£1,250.50" in text_of(coach.get("/programs/"))


def test_the_edit_form_is_filled_with_a_price_that_reads_back_the_same(app, coach):
    coach.post("/programs/new", data={**PROGRAM, "price": "1250"})
    with app.app_context():
        program_id = db.session.scalar(sa.select(Program.id))
    page = text_of(coach.get(f"/programs/{program_id}/edit"))
    assert 'value="1250.00"' in page


def test_packages_and_their_rates_are_shown_grouped(app, coach):
    response = coach.post(
        "/packages/", data={"sessions_count": "4", "price": "5,000", "currency": "GBP"}
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(sa.select(Package.total_minor)) == 500000
    page = text_of(coach.get("/packages/"))
    assert "4 sessions for £5,000.00" in page
    assert "£1,250.00 per session" in page
    assert "Package added: 4 sessions for £5,000.00 (£1,250.00 per session)." in page


def test_the_plus_one_emails_and_messages_show_the_rate_grouped(app):
    pair = make_pair(app)
    package_id = make_package(app, pair.coach_id, 1, 125000)
    me = logged_in(app, pair.person_email)
    booked = me.post(f"/my/coaches/{pair.coach_id}/packages/{package_id}/book")
    assert "Amount due: £1,250.00 (£1,250.00 per session)" in text_of(me.get(booked.location))
    me.post(f"/my/coaches/{pair.coach_id}/plus-one", data={"action": "enrol"})
    coach = logged_in(app, pair.coach_email)
    [sid] = remaining_ids(app, pair)
    done = coach.hx_post(complete_url(pair, sid), data={"in_list": "1"})
    assert "+1 booked one more session at £1,250.00." in text_of(done)
    sent = outbox(app)
    assert len(sent) == 2
    for message in sent:
        assert message.subject.endswith("booked at £1,250.00")
        assert "current rate of £1,250.00" in message.body
        # The package the rate comes from: 1 session for £1,250.00.
        assert "booked, 1 × £1,250.00)" in message.body
    page = text_of(coach.get(f"/clients/{pair.client_id}/sessions"))
    assert "+1 rate £1,250.00" in page
    assert "books one more session at £1,250.00" in page


@pytest.mark.parametrize(
    ("minor", "currency", "shown"),
    [
        (125000, "GBP", "£1,250.00"),
        (5, "USD", "US$0.05"),
        (123456789, "EUR", "€1,234,567.89"),
        (900000, "JPY", "JP¥900,000"),
        (0, "GBP", "£0.00"),
    ],
)
def test_one_formatter_groups_amounts_with_the_currencys_decimals(app, minor, currency, shown):
    with app.app_context():
        assert format_money(Money(minor, currency)) == shown


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=MAX_MINOR),
    st.sampled_from(sorted(CURRENCIES)),
)
def test_what_the_formatter_shows_reads_back_as_the_same_amount(minor, currency):
    money = Money(minor, currency)
    assert read_price(format_money(money), currency) == money


@pytest.mark.parametrize("locale", ["de_DE", "fr_FR", "en_IN"])
def test_in_another_money_locale_prices_are_read_and_shown_its_way(app, locale):
    app.config["MONEY_LOCALE"] = locale
    with app.app_context():
        money = Money(123456750, "EUR")
        shown = format_money(money)
        assert read_price(shown, "EUR") == money
        if locale != "en_IN":
            with pytest.raises(MoneyError):
                read_price("1,234,567.50", "EUR")


def test_an_unknown_money_locale_stops_the_app_at_start(app_config):
    from webapp import create_app

    with pytest.raises(RuntimeError, match="MONEY_LOCALE"):
        create_app({**app_config, "MONEY_LOCALE": "xx_NOPE"})
