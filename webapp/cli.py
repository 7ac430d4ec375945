"""Command-line tasks: `flask seed-demo`, `flask outbox send`, `flask outbox status`,
`flask payments charge-pending`, `flask ondeck import`."""

from __future__ import annotations

import secrets
import signal
import threading
import time
from datetime import timedelta
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from webapp import clock
from webapp.extensions import db
from webapp.models import User
from webapp.rules.mail import status_line
from webapp.services import (
    agenda,
    data_import,
    demo,
    outbox,
    plus_one_charges,
    retention,
    spent_rows,
)  # module attributes, so tests can stand in for the relay

outbox_cli = AppGroup("outbox", help="The email outbox relay.")
# The relay also deletes rows that are long spent; they pile up slowly, so hourly is plenty.
HOUSEKEEPING_EVERY = timedelta(hours=1)


@outbox_cli.command("send")
@click.option("--watch", is_flag=True, help="Keep running and send as messages arrive.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
@click.option("--batch", default=50, show_default=True, help="Messages per batch.")
def outbox_send(watch: bool, interval: float, batch: int) -> None:
    """Deliver due outbox messages (with retries and back-off)."""
    stopping = _stop_on_sigterm()
    housekeeping_at = clock.now()
    while not stopping():
        try:
            now = clock.now()
            agenda.plan_agendas(now)  # tomorrow's agendas exist before they are due
            if now >= housekeeping_at:
                housekeeping_at = now + HOUSEKEEPING_EVERY
                spent_rows.delete_spent_rows(now)
                retention.purge_expired(now)
            db.session.commit()
            sent, failed = outbox.send_due(batch, should_stop=stopping)
            if sent or failed:
                click.echo(f"outbox: sent {sent}, failed {failed}")
                click.echo(_status_line())
        except sa.exc.SQLAlchemyError as error:
            # The database may be restarting: the relay waits and retries instead of dying.
            _discard_session()
            current_app.logger.warning("outbox: database unavailable: %s", error)
            sent = 0
        except Exception:
            # Whatever went wrong, mail must not stop: log it, wait a round, carry on.
            _discard_session()
            current_app.logger.exception("outbox: unexpected error; retrying")
            sent = 0
        if not watch:
            break
        _end_session()
        if not sent:
            _sleep_unless(stopping, interval)


@outbox_cli.command("status")
def outbox_status() -> None:
    """Print how many messages are waiting, sent and failed, and the oldest waiting age."""
    click.echo(_status_line())


def _status_line() -> str:
    return status_line(outbox.counts(), clock.now())


def _stop_on_sigterm():
    """SIGTERM (systemd stop, docker stop) finishes the message in flight, then exits."""
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    return stop.is_set


def _sleep_unless(stopping, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not stopping() and time.monotonic() < deadline:
        time.sleep(min(0.2, seconds))


def _discard_session() -> None:
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        pass
    _end_session()


def _end_session() -> None:
    """Closing rolls back the round's last read, which fails if the server has just ended the
    connection; the pool has already thrown that connection away, so the next round reconnects."""
    try:
        db.session.remove()
    except sa.exc.SQLAlchemyError as error:
        db.session.registry.clear()
        current_app.logger.warning("outbox: database unavailable: %s", error)


@outbox_cli.command("test-email")
@click.argument("address")
def outbox_test_email(address: str) -> None:
    """Queue a test email to ADDRESS; the relay delivers it (checks the SMTP settings)."""
    message = outbox.queue_rendered(address, "OnDeck test email", "test_email")
    db.session.commit()
    click.echo(f"Queued test email {message.id} to {address}; the relay will send it.")


@click.command("seed-demo")
def seed_demo() -> None:
    """Load demo data when the database has no users; print how to log in."""
    # The file keeps only the accounts: the address to log in at follows PUBLIC_URL on every start.
    login_file = Path(current_app.instance_path) / "demo-login.txt"
    login_at = f"Log in at {current_app.config['PUBLIC_URL']}/login as"
    if db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        if login_file.exists():
            click.echo(f"Demo data already loaded. {login_at}\n{login_file.read_text().rstrip()}")
        else:
            click.echo("Database already has data; demo data not loaded.")
        return
    password = secrets.token_urlsafe(12)
    demo.load(password, clock.now())
    accounts = (
        f"  coach:  {demo.COACH_EMAIL}  password: {password}\n"
        f"  client: {demo.CLIENT_EMAIL}  password: {password}"
    )
    login_file.write_text(accounts + "\n")
    login_file.chmod(0o600)
    click.echo(f"Demo data loaded. {login_at}\n{accounts}")


payments_cli = AppGroup("payments", help="Card payments through each coach's Stripe.")


@payments_cli.command("charge-pending")
def payments_charge_pending() -> None:
    """Charge +1 bookings whose charge was left pending (the request died before Stripe)."""
    # The emails' links are built with url_for, which needs a request: they start from
    # PUBLIC_URL whatever this one says.
    with current_app.test_request_context():
        count = plus_one_charges.charge_all_pending(clock.now())
    click.echo(f"payments: {count} pending +1 charge(s) tried")


ondeck_cli = AppGroup("ondeck", help="Moving a coach's business between installations.")


@ondeck_cli.command("import")
@click.argument("zip_path", metavar="ZIP", type=click.Path(dir_okay=False))
def ondeck_import(zip_path: str) -> None:
    """Load a coach's export ZIP (Account -> Download your data) into this empty OnDeck."""
    try:
        imported = data_import.import_export(zip_path, clock.now())
    except data_import.ImportRefused as refused:
        raise click.ClickException(f"{refused} Nothing was imported.") from refused
    counts = ", ".join(f"{name} {count}" for name, count in imported.counts.items() if count)
    click.echo(f"Imported the business of {imported.coach_email}: {counts}.")
    click.echo(
        "Nobody has a password yet: each person (the coach first) sets one with "
        "'Forgot your password?' on the login page. Connect Stripe again under Payments."
    )


def init_cli(app: Flask) -> None:
    app.cli.add_command(ondeck_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(payments_cli)
    app.cli.add_command(seed_demo)
