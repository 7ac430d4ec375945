"""The benchmark's CPU split reads the kernel's accounting: a process that burns CPU shows up
in the bucket it belongs to, and the budget left to the app follows from the figures."""

import os
import subprocess
import sys

import pytest

from bench import cpu, cpu_report
from bench.load import Result
from bench.pages import PAGES
from bench.report import Measurement

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"


def test_a_server_worker_that_burns_cpu_is_counted_for_the_server():
    # This test process plays the gunicorn master: its child is the worker.
    worker = subprocess.Popen(
        [sys.executable, "-c", BURN + "print('done', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        with cpu.taken(server_master=os.getpid(), postmaster=None) as taken:
            assert worker.stdout.readline().strip() == "done"
        server, postgres, waited = taken.seconds
    finally:
        worker.kill()
        worker.communicate()
    assert 0.25 <= server < 5
    assert postgres == 0.0
    assert waited < 0.1  # the worker was still running, so it is not among the waited-for


def test_a_finished_child_such_as_wrk_is_counted_as_the_load_generator():
    with cpu.taken(server_master=None, postmaster=None) as taken:
        subprocess.run([sys.executable, "-c", BURN], check=True)
    server, _postgres, waited = taken.seconds
    assert server == 0.0
    assert 0.25 <= waited < 5
    split = taken.per_request(100)
    assert split.wrk_ms == pytest.approx(waited * 10)
    assert taken.per_request(0) is None


def test_the_workers_budget_is_what_the_busy_cores_leave_after_postgres_and_wrk():
    page = next(p for p in PAGES if p.method != "GET")
    m = Measurement(page=page, scale="full")
    m.result = Result(500, 1.0, 30, 40, 50, 0, 0)  # 500 req/s
    m.ceiling = Result(4000, 1.0, 3, 4, 5, 0, 0)  # 4000 req/s: 25% is 1000 req/s
    m.cpu = cpu.Split(server_ms=3.0, postgres_ms=0.6, wrk_ms=0.4)  # 4 ms × 500 = 2 cores
    # At 1000 req/s two cores give 2 ms a request: 1 ms after PostgreSQL and wrk.
    assert cpu_report.workers_budget_ms(m, 0.25) == pytest.approx(1.0)
    note = cpu_report.short_of_target(m, 0.25)
    assert "1000 req/s" in note and "leaves the workers 1.00 ms: 3.0× less than now" in note
    m.cpu = cpu.Split(server_ms=3.0, postgres_ms=1.8, wrk_ms=0.2)  # 5 ms × 500 = 2.5 cores
    assert cpu_report.workers_budget_ms(m, 0.25) == pytest.approx(0.5)
    m.cpu = cpu.Split(server_ms=1.0, postgres_ms=3.5, wrk_ms=0.5)  # 5 ms × 500 = 2.5 cores
    assert cpu_report.workers_budget_ms(m, 0.25) < 0
    assert "no change to the app's own work" in cpu_report.short_of_target(m, 0.25)
    table = "\n".join(cpu_report.section([m], 0.25))
    assert f"| {page.name} | full | 1.00 | 3.50 | 0.50 | 2.50 | – | -1.50 |" in table


def test_the_postmaster_pid_is_read_from_the_data_directory(tmp_path):
    (tmp_path / "postmaster.pid").write_text("4242\n/data\n")
    assert cpu.postmaster_pid(str(tmp_path)) == 4242
    assert cpu.postmaster_pid(str(tmp_path / "missing")) is None
