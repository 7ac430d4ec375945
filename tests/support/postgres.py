"""A throwaway PostgreSQL cluster for one test run, made with initdb and pg_ctl."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager

import psycopg


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    # The server refuses to run as root; CI runs as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@contextmanager
def cluster():
    """Yield a SQLAlchemy URL of a fresh cluster; stop and delete it afterwards."""
    root = tempfile.mkdtemp(prefix="ondeck-pg-")
    data = os.path.join(root, "data")
    os.makedirs(data)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()
    try:
        subprocess.run(
            _as_postgres(["initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8"]),
            check=True,
            capture_output=True,
        )
        options = (
            f"-k {root} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            _as_postgres(
                [
                    "pg_ctl",
                    "-D",
                    data,
                    "-o",
                    options,
                    "-l",
                    os.path.join(root, "log"),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        _wait_ready(port)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", data
    finally:
        subprocess.run(
            _as_postgres(["pg_ctl", "-D", data, "-m", "immediate", "stop"]), capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)


def _wait_ready(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres").close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def restart(data_dir: str) -> None:
    """Restart the server in place (for outage tests)."""
    subprocess.run(
        _as_postgres(["pg_ctl", "-D", data_dir, "-m", "fast", "-w", "restart"]),
        check=True,
        capture_output=True,
    )
