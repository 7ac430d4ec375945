"""A client's pages for one coach: packages to book, sessions, and +1 preferences."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from webapp import clock
from webapp.blueprints.my_coaches import bp
from webapp.blueprints.my_coaches.forms import ACTIONS, PlusOneForm
from webapp.extensions import db
from webapp.rules import RuleError
from webapp.rules.dates import today_in
from webapp.rules.money import Money
from webapp.services.amounts import format_money
from webapp.services.bookings import book_package, set_enrolment
from webapp.services.coaching_sessions import account, offered_packages
from webapp.services.payments import card_payments_on, statement
from webapp.web.auth_session import client_required
from webapp.web.htmx import render
from webapp.web.loaders import get_my_coach, get_my_coach_standing, get_offered_package
from webapp.web.response_cache import cached


@bp.get("/<int:coach_id>")
@client_required
@cached
def detail(coach_id: int):
    coach, enrolment, takes_cards = get_my_coach_standing(coach_id)
    today = today_in(clock.now(), current_user.time_zone)
    standing = account(coach.id, current_user.id, today, enrolment=enrolment)
    paid = statement(coach.id, current_user.id, bookings_with_void=standing.bookings_with_void())
    return render(
        "my_coaches/detail.html",
        coach=coach,
        packages=offered_packages(coach.id, current_user.id),
        account=standing,
        statement=paid,
        card_payments=takes_cards,
        tz=current_user.time_zone,
    )


@bp.post("/<int:coach_id>/packages/<int:package_id>/book")
@client_required
def book(coach_id: int, package_id: int):
    coach = get_my_coach(coach_id)
    package = get_offered_package(coach, package_id)
    if card_payments_on(coach.id):
        # The coach takes cards: the booking is made when Stripe confirms the payment.
        return redirect(url_for("payments.checkout", coach_id=coach.id, package_id=package.id), 303)
    booking = book_package(package, current_user, clock.now())
    db.session.commit()
    total = format_money(Money(booking.total_minor, booking.currency))
    rate = format_money(Money(booking.rate_minor, booking.currency))
    flash(
        f"Booked {booking.sessions_count} sessions with {coach.name}. Amount due: {total} "
        f"({rate} per session). Payment is settled with your coach outside OnDeck for now.",
        "success",
    )
    return redirect(url_for("my_coaches.detail", coach_id=coach.id), 303)


@bp.get("/<int:coach_id>/plus-one")
@client_required
def plus_one(coach_id: int):
    return _preferences(get_my_coach(coach_id))


@bp.post("/<int:coach_id>/plus-one")
@client_required
def update_plus_one(coach_id: int):
    coach = get_my_coach(coach_id)
    form = PlusOneForm()
    if not form.validate_on_submit():
        return _preferences(coach, form=form, status=422)
    action = form.action.data
    try:
        row = _set_enrolment(coach, action, form.until)
    except RuleError as refused:
        db.session.rollback()
        return _preferences(coach, form=form, refused=refused, status=422)
    message = ACTIONS[action]
    if action == "pause":
        message = f"+1 is paused. It resumes on {row.paused_until.day} {row.paused_until:%b %Y}."
    flash(message, "success")
    return redirect(url_for("my_coaches.plus_one", coach_id=coach.id), 303)


def _set_enrolment(coach, action: str, until):
    today = today_in(clock.now(), current_user.time_zone)
    try:
        row = set_enrolment(coach.id, current_user.id, action, until=until, today=today)
        db.session.commit()
    except IntegrityError:
        # Another tab created the enrolment row a moment ago: apply the change to that row.
        db.session.rollback()
        row = set_enrolment(coach.id, current_user.id, action, until=until, today=today)
        db.session.commit()
    return row


def _preferences(coach, *, form=None, refused: RuleError | None = None, status: int = 200):
    form = PlusOneForm(formdata=None) if form is None else form
    error = next(iter(form.action.errors), None)
    if refused is not None and form.action.data == "pause":
        form.paused_until.errors.append(str(refused))  # shown by the date it refuses
    elif refused is not None:
        error = str(refused)
    today = today_in(clock.now(), current_user.time_zone)
    return render(
        "my_coaches/plus_one.html",
        coach=coach,
        account=account(coach.id, current_user.id, today),
        today=today,
        form=form,
        error=error,
        tz=current_user.time_zone,
        status=status,
    )
