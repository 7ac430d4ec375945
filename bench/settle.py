"""`python -m bench.settle`: wait until the machine is quiet again, at most five minutes.

`make bench-before-after` starts its second run straight after the first, and the 1-minute load
average still holds the first run's load for a minute or two: the second run would start on a
machine the report calls busy, though nothing else competes for it. Quiet is what the report
means by it: a load average at most half the cores.
"""

from __future__ import annotations

import os
import time

LONGEST_WAIT_SECONDS = 300


def quiet_load() -> float:
    return (os.cpu_count() or 1) / 2


def main() -> None:
    deadline = time.monotonic() + LONGEST_WAIT_SECONDS
    load = os.getloadavg()[0]
    while load > quiet_load() and time.monotonic() < deadline:
        print(f"waiting for the machine to settle: load average {load:.2f}", flush=True)
        time.sleep(min(10, max(0.0, deadline - time.monotonic())))
        load = os.getloadavg()[0]
    print(f"load average {load:.2f}: starting the next run", flush=True)


if __name__ == "__main__":
    main()
