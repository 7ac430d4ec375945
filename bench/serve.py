"""Run a WSGI app under gunicorn (sync workers) on loopback for the length of a block."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from contextlib import contextmanager

from tests.support.postgres import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# One per core: with wrk and PostgreSQL on the same cores, more (docs/deploy.md's 2 × cores + 1)
# measured slower. The ceiling runs under the same number.
WORKERS = 2
# The gunicorn master behind each port, so its workers' memory can be read after a run.
MASTERS: dict[int, int] = {}


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str], ready_path: str = "/login"):
    """Yield the port gunicorn listens on; stop it afterwards."""
    port = free_port()
    command = [
        os.path.join(os.path.dirname(sys.executable), "gunicorn"),
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        app_spec,
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        _wait_ready(port, ready_path, process)
        MASTERS[port] = process.pid
        yield port
    finally:
        MASTERS.pop(port, None)
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(port: int, path: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def peak_rss_mib(port: int) -> list[float]:
    """Each worker's peak resident memory (VmHWM from /proc), in MiB, largest first."""
    master = MASTERS.get(port)
    if master is None:
        return []
    peaks = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue  # the process ended meanwhile
        if fields.get("PPid", "").strip() == str(master) and "VmHWM" in fields:
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    return sorted(peaks, reverse=True)
