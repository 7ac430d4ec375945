"""A fake Stripe API (localstripe, GPL-3.0) run as its own process on a free port.

localstripe is a test-time tool only: it runs beside the tests as a separate program and the app
reaches it over HTTP, as it reaches Stripe, through `STRIPE_API_BASE` and `STRIPE_JS_URL`.
It keeps its objects in memory; its own habit of pickling them to a fixed file is turned off, so
two runs on one machine never share or clobber a store.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass

from tests.support.postgres import free_port

# Run by the child interpreter: localstripe's server without the store's file.
_LAUNCH = """
import sys
from localstripe import resources
resources.Store.dump_to_disk = lambda self: None
resources.Store.try_load_from_disk = lambda self: None
from localstripe.server import start
sys.argv = ["localstripe", "--port", sys.argv[1], "--from-scratch"]
start()
"""


def have_localstripe() -> bool:
    return importlib.util.find_spec("localstripe") is not None


@dataclass(frozen=True)
class FakeStripe:
    url: str

    @property
    def js_url(self) -> str:
        return f"{self.url}/js.stripe.com/v3/"

    def register_webhook(self, name: str, url: str, secret: str) -> None:
        """Deliver every event, signed with `secret`, to `url` (localstripe's own route)."""
        body = urllib.parse.urlencode({"url": url, "secret": secret}).encode()
        request = urllib.request.Request(f"{self.url}/_config/webhooks/{name}", data=body)
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()


@contextmanager
def running():
    """Yield a FakeStripe on a free port; stop its process afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", _LAUNCH, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(url, process)
        yield FakeStripe(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"localstripe exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/js.stripe.com/v3/", timeout=2) as answer:
                answer.read()
            return
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
