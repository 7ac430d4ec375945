"""Drive a server from a separate process: log in over HTTP, then run wrk for a bounded time."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

USER_AGENT = "ondeck-bench"
WRK_THREADS = 2
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass(frozen=True)
class Login:
    cookie: str
    csrf_token: str


@dataclass(frozen=True)
class Target:
    path: str
    cookie: str = ""
    csrf_token: str = ""


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    # Responses with another status than expected, and socket errors or timeouts.
    bad_status: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def log_in_all(port: int, emails: set[str], password: str) -> dict[str, Login]:
    """One session per user, logged in through the real form (two at a time, one per worker)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        logins = pool.map(lambda email: (email, log_in(port, email, password)), sorted(emails))
        return dict(logins)


def log_in(port: int, email: str, password: str) -> Login:
    status, headers, html = _request(port, "GET", "/login")
    token = CSRF_FIELD.search(html)
    if status != 200 or token is None:
        raise RuntimeError(f"login page answered {status} without a CSRF token")
    form = urlencode({"email": email, "password": password, "csrf_token": token.group(1)})
    status, headers, _ = _request(
        port,
        "POST",
        "/login",
        body=form,
        headers={
            "Cookie": _session_cookie(headers),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    if status != 302:
        raise RuntimeError(f"logging in as {email} answered {status}")
    # Logging in gives the session a new CSRF secret: read the token from a page after it.
    cookie = _session_cookie(headers)
    status, headers, html = _request(port, "GET", "/account", headers={"Cookie": cookie})
    token = CSRF_FIELD.search(html)
    if status != 200 or token is None:
        raise RuntimeError(f"the account page answered {status} without a CSRF token")
    return Login(cookie=_session_cookie(headers), csrf_token=token.group(1))


def status_of(port: int, method: str, target: Target, fragment: bool, body: str | None) -> int:
    headers = _headers(target, fragment, body)
    return _request(port, method, target.path, body=body, headers=headers)[0]


def run_wrk(
    port: int,
    targets: list[Target],
    *,
    method: str,
    fragment: bool,
    body: str | None,
    ok_status: int = 200,
    seconds: int,
    connections: int,
) -> Result:
    """wrk cycles over the targets, each wrk thread over its own share of them."""
    threads = min(WRK_THREADS, connections)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua_script(targets, method, fragment, body, ok_status, threads))
    try:
        completed = subprocess.run(
            [
                *("wrk", "--threads", str(threads), "--connections", str(connections)),
                *("--duration", f"{seconds}s", "--timeout", "10s", "--script", script.name),
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    finally:
        os.unlink(script.name)
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed: {completed.stderr or completed.stdout}")
    line = next(x for x in completed.stdout.splitlines() if x.startswith("BENCH-RESULT "))
    data = json.loads(line.removeprefix("BENCH-RESULT "))
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        bad_status=data["bad_status"],
        socket_errors=data["socket_errors"],
    )


def _lua_script(
    targets: list[Target],
    method: str,
    fragment: bool,
    body: str | None,
    ok_status: int,
    threads: int,
) -> str:
    rows = ",\n".join(
        f"  {{{json.dumps(t.path)}, {json.dumps(t.cookie)}, {json.dumps(t.csrf_token)}}}"
        for t in targets
    )
    return f"""
local targets = {{
{rows}
}}
local method = {json.dumps(method)}
local body = {json.dumps(body) if body is not None else "nil"}
local fragment = {"true" if fragment else "false"}
local stride = {threads}
local threads = {{}}
local started = 0

function setup(thread)
  thread:set("tid", started)
  started = started + 1
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  bad = 0
end

function request()
  local t = targets[((tid + sent * stride) % #targets) + 1]
  sent = sent + 1
  local headers = {{["User-Agent"] = "{USER_AGENT}"}}
  if t[2] ~= "" then headers["Cookie"] = t[2] end
  if fragment then headers["HX-Request"] = "true" end
  local sent_body = nil
  if body then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["X-CSRFToken"] = t[3]
    -- A number of this request's own (see Page.body); unique across the threads.
    sent_body = (body:gsub("{{n}}", tostring(tid + sent * stride)))
  end
  return wrk.format(method, t[1], headers, sent_body)
end

function response(status, headers, body)
  if status ~= {ok_status} then bad = bad + 1 end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do bad_total = bad_total + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'BENCH-RESULT {{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "bad_status": %d, "socket_errors": %d}}\\n',
    summary.requests, summary.duration, math.floor(latency:percentile(50)),
    math.floor(latency:percentile(95)), math.floor(latency:percentile(99)),
    bad_total, e.connect + e.read + e.write + e.timeout))
end
"""


def _headers(target: Target, fragment: bool, body: str | None) -> dict[str, str]:
    headers = {}
    if target.cookie:
        headers["Cookie"] = target.cookie
    if fragment:
        headers["HX-Request"] = "true"
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["X-CSRFToken"] = target.csrf_token
    return headers


def _request(
    port: int, method: str, path: str, body: str | None = None, headers: dict | None = None
) -> tuple[int, http.client.HTTPMessage, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"User-Agent": USER_AGENT, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _session_cookie(headers: http.client.HTTPMessage) -> str:
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith("session="):
            return value.split(";", 1)[0]
    raise RuntimeError("the server set no session cookie")
