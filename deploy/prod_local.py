"""Run the production stack on this machine, following docs/deploy.md step by step.

    make run-prod-local            (or: .venv/bin/python deploy/prod_local.py)

It starts, each as its own process and all with ONDECK_ENV=production:
- a throwaway PostgreSQL 15 cluster with an `ondeck` role and database (password auth over TCP),
- `flask db upgrade`,
- gunicorn with 2 workers on 127.0.0.1,
- the outbox relay `flask outbox send --watch`,
- a local SMTP server that prints every email it receives (and keeps it as a .eml file).
The settings go into an env file in the run folder, as systemd's EnvironmentFile would read
them. Ctrl-C (or SIGTERM) stops everything and deletes the cluster.
"""

# ruff: noqa: S603, S103  (fixed commands of its own; the cluster folder must be reachable)
from __future__ import annotations

import argparse
import email
import email.policy
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
READY = "ONDECK PROD-LOCAL READY"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(args: list[str]) -> list[str]:
    # The PostgreSQL server refuses to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class Stack:
    def __init__(self, run_dir: Path, port: int, smtp_port: int, workers: int):
        self.run_dir = run_dir
        self.port = port
        self.smtp_port = smtp_port
        self.workers = workers
        self.pg_root = run_dir / "pg"
        self.pg_data = self.pg_root / "data"
        self.pg_port = free_port()
        self.mail_dir = run_dir / "mail"
        self.env_file = run_dir / "ondeck.env"
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.pg_started = False

    # -- PostgreSQL (docs/deploy.md, "PostgreSQL") ------------------------------------------
    def start_postgres(self) -> str:
        self.pg_data.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.pg_root, "postgres")
            shutil.chown(self.pg_data, "postgres")
        step("initdb: a PostgreSQL cluster (local socket trusted, TCP needs a password)")
        run(
            as_postgres(
                ["initdb", "-D", str(self.pg_data), "-U", "postgres", "-E", "UTF8"]
                + ["--auth-local=trust", "--auth-host=scram-sha-256"]
            )
        )
        options = f"-k {self.pg_root} -p {self.pg_port} -c listen_addresses=127.0.0.1"
        log = self.pg_root / "log"
        run(
            as_postgres(["pg_ctl", "-D", str(self.pg_data), "-o", options, "-l", str(log)])
            + ["-w", "start"],
            new_session=True,
        )
        self.pg_started = True
        password = secrets.token_urlsafe(18)
        step("role and database: ondeck owns its database, nobody else may connect")
        self.psql(
            f"CREATE ROLE ondeck LOGIN PASSWORD '{password}'",
            "CREATE DATABASE ondeck OWNER ondeck ENCODING 'UTF8'",
            "REVOKE ALL ON DATABASE ondeck FROM PUBLIC",
            "GRANT CONNECT, TEMPORARY ON DATABASE ondeck TO ondeck",
        )
        self.psql(
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            "ALTER SCHEMA public OWNER TO ondeck",
            database="ondeck",
        )
        return f"postgresql://ondeck:{password}@127.0.0.1:{self.pg_port}/ondeck"

    def psql(self, *statements: str, database: str = "postgres") -> None:
        command = [
            "psql",
            "-v",
            "ON_ERROR_STOP=1",
            "-q",
            "-h",
            str(self.pg_root),
            "-p",
            str(self.pg_port),
            "-U",
            "postgres",
            "-d",
            database,
        ]
        for statement in statements:
            command += ["-c", statement]
        run(as_postgres(command))

    def stop_postgres(self) -> None:
        if self.pg_started:
            subprocess.run(
                as_postgres(["pg_ctl", "-D", str(self.pg_data), "-m", "fast", "-w", "stop"]),
                capture_output=True,
            )
            self.pg_started = False

    # -- the app --------------------------------------------------------------------------
    def write_env(self, database_url: str) -> dict:
        settings = {
            "ONDECK_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url,
            "PUBLIC_URL": f"http://127.0.0.1:{self.port}",
            # Plain http on loopback only; behind TLS leave this unset (secure by default).
            "SESSION_COOKIE_SECURE": "false",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(self.smtp_port),
            "MAIL_DEFAULT_SENDER": "OnDeck <no-reply@ondeck.localhost>",
            "MAIL_TIMEOUT_SECONDS": "10",
            "ONDECK_INSTANCE_PATH": str(self.run_dir / "instance"),
            "FLASK_APP": "webapp",
        }
        # KEY="value" reads the same in systemd's EnvironmentFile and in `set -a; . FILE`.
        self.env_file.write_text("".join(f'{k}="{v}"\n' for k, v in settings.items()))
        self.env_file.chmod(0o600)
        return {**clean_environ(), **settings, "PYTHONUNBUFFERED": "1"}

    def start(self) -> None:
        self.mail_dir.mkdir(parents=True)
        self.spawn(
            "smtp",
            [
                sys.executable,
                __file__,
                "smtp",
                "--port",
                str(self.smtp_port),
                "--dir",
                str(self.mail_dir),
            ],
            clean_environ(),
        )
        env = self.write_env(self.start_postgres())
        step("flask db upgrade: the schema, from migrations")
        run([str(BIN / "flask"), "db", "upgrade"], env=env)
        step(f"gunicorn: {self.workers} workers on 127.0.0.1:{self.port}")
        self.spawn(
            "web",
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "10",
                "--no-control-socket",
                "webapp:create_app()",
            ],
            env,
        )
        step("relay: flask outbox send --watch")
        self.spawn("relay", [str(BIN / "flask"), "outbox", "send", "--watch"], env)
        self.wait_until_serving()

    def spawn(self, name: str, command: list[str], env: dict) -> None:
        # Own sessions: Ctrl-C reaches this script only, which stops them in order.
        process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        self.processes.append((name, process))

    def wait_until_serving(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not answer in time")

    def check_alive(self) -> None:
        for name, process in self.processes:
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with status {process.returncode}")

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for _name, process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        self.stop_postgres()


def clean_environ() -> dict:
    # Only what the stack sets: nothing from the caller's shell may change the settings.
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")
    return {key: os.environ[key] for key in keep if key in os.environ}


def run(command: list[str], env: dict | None = None, new_session: bool = False) -> None:
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, start_new_session=new_session
    )
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stdout}{result.stderr}")


def step(text: str) -> None:
    print(f"==> {text}", flush=True)


def _interrupt(*_):
    raise KeyboardInterrupt


def serve(args) -> None:
    """Run the stack until Ctrl-C or SIGTERM."""
    run_dir = Path(tempfile.mkdtemp(prefix="ondeck-prod-local-"))
    os.chmod(run_dir, 0o711)  # the postgres user must reach the cluster folder inside
    stack = Stack(run_dir, args.port or free_port(), args.smtp_port or free_port(), args.workers)
    signal.signal(signal.SIGTERM, _interrupt)
    # Started as a script's background job, SIGINT arrives ignored: Ctrl-C must still stop all.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        stack.start()
        print(
            f"\nOnDeck (production settings) at http://127.0.0.1:{stack.port}\n"
            f"  env file:    {stack.env_file}\n"
            f"  SMTP server: 127.0.0.1:{stack.smtp_port}, emails printed here and kept in "
            f"{stack.mail_dir}\n"
            f"  send a test: set -a; . {stack.env_file}; set +a; "
            f"{BIN / 'flask'} outbox test-email you@example.com\n"
            f"Press Ctrl-C to stop and delete everything.\n{READY}",
            flush=True,
        )
        while True:
            stack.check_alive()
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        step("stopping")
        stack.stop()
        shutil.rmtree(run_dir, ignore_errors=True)


def smtp(args) -> None:
    """A local SMTP server: prints each email and keeps it as NNNN.eml in --dir."""
    from aiosmtpd.controller import Controller

    folder = Path(args.dir)

    class Printer:
        count = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            Printer.count += 1
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",))
            print(
                f"---- email to {', '.join(envelope.rcpt_tos)}: {message['Subject']}\n"
                f"Message-ID: {message['Message-ID']}\n"
                f"{body.get_content().rstrip() if body else ''}\n----",
                flush=True,
            )
            # Kept only once printed, and whole: whoever waits for the file sees both.
            kept = folder / f"{Printer.count:04d}.eml"
            kept.with_suffix(".part").write_bytes(envelope.content)
            kept.with_suffix(".part").replace(kept)
            return "250 OK"

    controller = Controller(Printer(), hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        while not stop:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    serve_parser = commands.add_parser("serve", help="the whole stack (default)")
    for p in (parser, serve_parser):
        p.add_argument("--port", type=int, default=0, help="gunicorn port (default: free)")
        p.add_argument("--smtp-port", type=int, default=0, help="SMTP port (default: free)")
        p.add_argument("--workers", type=int, default=2)
    smtp_parser = commands.add_parser("smtp", help="only the local SMTP server")
    smtp_parser.add_argument("--port", type=int, required=True)
    smtp_parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    smtp(args) if args.command == "smtp" else serve(args)


if __name__ == "__main__":
    main()
