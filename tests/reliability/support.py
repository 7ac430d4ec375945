"""Outages on demand: a relay process, a gated SMTP server, a database taken down."""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from tests.support import postgres
from tests.support.smtp import Mailbox
from webapp.extensions import db
from webapp.models import OutboxMessage

ROOT = Path(__file__).resolve().parents[2]


class Relay:
    """`flask outbox send --watch` as its own process, as in production."""

    def __init__(self, app, smtp_port: int, log: Path, claim_seconds: float = 2):
        self.log = log
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/tmp"),
            "FLASK_APP": "webapp",
            "ONDECK_INSTANCE_PATH": str(log.parent / "relay-instance"),
            "SECRET_KEY": "relay-test-secret",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_port),
            "MAIL_TIMEOUT_SECONDS": "2",
            "OUTBOX_CLAIM_SECONDS": str(claim_seconds),
            "PYTHONUNBUFFERED": "1",
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> Relay:
        flask = Path(sys.executable).parent / "flask"
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [str(flask), "outbox", "send", "--watch", "--interval", "0.1"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return self

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> int:
        """SIGTERM, as systemd sends: the relay finishes the message in flight and exits."""
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout=15)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text()


@dataclass
class GatedMailbox(Mailbox):
    """An SMTP receiver that is slow per message and can hold the Nth recipient command.

    Holding RCPT means the message is never accepted: a relay killed there has not sent it.
    """

    hold_at: int = 0
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    recipients_seen: int = 0

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        self.recipients_seen += 1
        if self.recipients_seen == self.hold_at:
            self.held.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        await asyncio.sleep(0.03)  # a slow server: the relay is mid-batch most of the time
        return await super().handle_DATA(server, session, envelope)


def outbox_rows(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def wait_until(condition, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.05)


@contextmanager
def postgres_down(data_dir: str):
    """Stop the cluster for the duration of the block, then start it with the same options."""
    recorded = shlex.split(Path(data_dir, "postmaster.opts").read_text())
    options = [a for a in recorded[1:] if a not in ("-D", data_dir)]
    log = os.path.join(os.path.dirname(data_dir), "log")
    run = postgres._as_postgres
    subprocess.run(
        run(["pg_ctl", "-D", data_dir, "-m", "fast", "-w", "stop"]), check=True, capture_output=True
    )
    try:
        yield
    finally:
        subprocess.run(
            run(["pg_ctl", "-D", data_dir, "-o", shlex.join(options), "-l", log, "-w", "start"]),
            check=True,
            capture_output=True,
            start_new_session=True,
        )


@contextmanager
def sqlite_locked(url: str):
    """Another process's exclusive lock on the SQLite file: nobody else can begin a write."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()
