"""Command-line tasks: `flask seed-demo`, `flask outbox send`."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from webapp import demo
from webapp.extensions import db
from webapp.models import User

outbox_cli = AppGroup("outbox", help="The email outbox relay.")


@outbox_cli.command("send")
@click.option("--watch", is_flag=True, help="Keep running and send as messages arrive.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
@click.option("--batch", default=50, show_default=True, help="Messages per batch.")
def outbox_send(watch: bool, interval: float, batch: int) -> None:
    """Deliver due outbox messages (with retries and back-off)."""
    from webapp.outbox import send_due

    while True:
        try:
            sent, failed = send_due(batch)
        except sa.exc.OperationalError as error:
            # The database may be restarting; the relay waits instead of dying.
            db.session.rollback()
            current_app.logger.warning("outbox: database unavailable: %s", error)
            sent = failed = 0
        if sent or failed:
            click.echo(f"outbox: sent {sent}, failed {failed}")
        if not watch:
            break
        if not sent:
            time.sleep(interval)
        db.session.remove()


@click.command("seed-demo")
def seed_demo() -> None:
    """Load demo data when the database has no users; print how to log in."""
    login_file = Path(current_app.instance_path) / "demo-login.txt"
    if db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        if login_file.exists():
            click.echo(login_file.read_text().rstrip())
        else:
            click.echo("Database already has data; demo data not loaded.")
        return
    password = secrets.token_urlsafe(12)
    demo.load(password)
    text = (
        "Demo data loaded. Log in at http://127.0.0.1:5000/login as\n"
        f"  coach:  {demo.COACH_EMAIL}  password: {password}\n"
        f"  client: {demo.CLIENT_EMAIL}  password: {password}"
    )
    login_file.write_text(text + "\n")
    login_file.chmod(0o600)
    click.echo(text)


def init_cli(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
    app.cli.add_command(seed_demo)
