"""CPU time per request by who spent it: the server's workers, PostgreSQL and wrk.

The kernel's own accounting (/proc and getrusage), read before and after a measurement. On a
machine where all three share the cores, it shows how much of a request the app could still
cut, and how much PostgreSQL and the load generator take whatever the app does.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Split:
    """Mean CPU milliseconds per request."""

    server_ms: float
    postgres_ms: float
    wrk_ms: float

    @property
    def total_ms(self) -> float:
        return self.server_ms + self.postgres_ms + self.wrk_ms


@dataclass
class Taken:
    """Filled in when the measured block ends."""

    seconds: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def per_request(self, requests: int) -> Split | None:
        if not requests:
            return None
        server, postgres, wrk = (s * 1000 / requests for s in self.seconds)
        return Split(server_ms=server, postgres_ms=postgres, wrk_ms=wrk)


@contextmanager
def taken(server_master: int | None, postmaster: int | None) -> Iterator[Taken]:
    """CPU seconds of the server's workers, PostgreSQL's processes and the children this
    process waited for (wrk) over the block."""
    before = _now(server_master, postmaster)
    result = Taken()
    yield result
    after = _now(server_master, postmaster)
    result.seconds = tuple(b - a for a, b in zip(before, after, strict=True))


def postmaster_pid(data_directory: str) -> int | None:
    """The cluster's server process, from the first line of its postmaster.pid."""
    try:
        with open(os.path.join(data_directory, "postmaster.pid")) as pid_file:
            return int(pid_file.readline())
    except (OSError, ValueError):
        return None


def _now(server_master: int | None, postmaster: int | None) -> tuple[float, float, float]:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (
        _tree_seconds(server_master, include_root=False),
        _tree_seconds(postmaster, include_root=True),
        children.ru_utime + children.ru_stime,
    )


def _tree_seconds(root: int | None, include_root: bool) -> float:
    """User and system CPU of `root`'s children (and of `root` itself if asked), which are
    gunicorn's workers or PostgreSQL's backends, so the process tree is one level deep."""
    if root is None:
        return 0.0
    ticks = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                # The command name may hold spaces: the fields after it are split from its ")".
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        # fields[0] is the state, [1] the parent, [11] and [12] user and system ticks.
        if int(fields[1]) == root or (include_root and int(entry) == root):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / TICKS
