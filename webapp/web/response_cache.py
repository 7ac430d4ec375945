"""Whole responses of the busiest read pages, kept per process and keyed by the data versions
they were rendered at (`services.data_versions`): a write anywhere in what a page may show
moves a version, so its next request renders afresh. No entry expires by time for
correctness; the store only forgets the least recently used when full.

The key is everything the page depends on: the person, the host and the URL with its query, the htmx
headers, what the session holds besides its bookkeeping, the versions, and the minute (pages
say "today" and what is due). A response with a flash message or a status other than 200 is
never kept. The CSRF token is the one per-session secret in a page: it is kept as a
placeholder and each hit gets the session's own. So are the forms' own keys
(`web.form_keys`): each hit gets new ones, so two visits never share one.
`RESPONSE_CACHE = off` turns it all off.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Response, current_app, g, make_response, request, session
from flask_wtf.csrf import generate_csrf

from webapp import clock
from webapp.extensions import db
from webapp.models.database import read_only
from webapp.rules.data_scopes import versions_key
from webapp.web.auth_session import VERSIONS, session_user_row
from webapp.web.form_keys import form_key, keys_rendered
from webapp.web.session_lifetime import LOGGED_IN_AT, SEEN_AT

MODES = ("memory", "off")
_READS_ONLY = "ondeck_reads_only"
_MISSED = "ondeck_cache_missed"  # on g: (key, etag) a rendered response is kept under
_TOKEN = "\x00ondeck-csrf\x00"  # noqa: S105  (a placeholder, not a secret)
# What a session holds only to run itself; anything else (a copied week) can change a page.
_BOOKKEEPING = {"_user_id", "_fresh", "_id", "csrf_token", LOGGED_IN_AT, SEEN_AT}
_KEPT_HEADERS = ("Content-Type", "Vary", "HX-Trigger", "HX-Push-Url", "HX-Reswap", "HX-Retarget")


@dataclass(frozen=True)
class Kept:
    body: str
    headers: tuple[tuple[str, str], ...]
    form_keys: int = 0  # placeholders `_form_key_mark(n)` for n below this


class Store:
    """A bounded least-recently-used map, safe across a process's threads."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[str, Kept] = OrderedDict()
        self._tokens: dict[str, str] = {}  # a session's CSRF secret: its signed token
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> Kept | None:
        with self._lock:
            kept = self._items.get(key)
            if kept is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return kept

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._tokens.clear()

    def signed_token(self, secret: str) -> str | None:
        with self._lock:
            return self._tokens.get(secret)

    def keep_signed_token(self, secret: str, token: str) -> None:
        with self._lock:
            self._tokens[secret] = token
            while len(self._tokens) > self.entries:
                self._tokens.pop(next(iter(self._tokens)))

    def put(self, key: str, kept: Kept) -> None:
        with self._lock:
            self._items[key] = kept
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


def check_setting(config) -> None:
    """Refuse an unknown mode before anything (a database engine) is made."""
    mode = config.setdefault("RESPONSE_CACHE", "memory")
    if mode not in MODES:
        raise RuntimeError(f"RESPONSE_CACHE must be one of {', '.join(MODES)}, not {mode!r}")


def init_response_cache(app) -> None:
    check_setting(app.config)
    entries = int(app.config.setdefault("RESPONSE_CACHE_ENTRIES", 2000))
    app.extensions["ondeck_response_cache"] = Store(entries)

    @app.before_request
    def serve_cached_views():
        view = app.view_functions.get(request.endpoint or "")
        if request.method != "GET" or not getattr(view, _READS_ONLY, False):
            return None
        answered = _lookup()  # the user's row is read on the driver's cursor, no session
        if answered is None:
            # A cached view never writes (a hit would skip the write), so its queries need no
            # transaction, cache on or off.
            read_only(db.session())
        return answered


def store() -> Store | None:
    if current_app.config.get("RESPONSE_CACHE") != "memory":
        return None
    return current_app.extensions.get("ondeck_response_cache")


def cached(view: Callable) -> Callable:
    """Serve a logged-in GET view from the store while nothing it may show has changed.

    The lookup runs before the view's own decorators (the log-in among them): a hit is
    answered from the user's row and versions alone. Only a response rendered for the same
    person is ever served to them, so a page they may not see was never kept for them."""

    @wraps(view)
    def serve(*args, **kwargs):
        missed = g.pop(_MISSED, None)
        response = make_response(view(*args, **kwargs))
        if missed is None:
            return response
        key, etag = missed
        if response.status_code == 200 and "_flashes" not in session and not _sets_cookie(response):
            store().put(key, _keep(response))
            _tag(response, etag)
        return response

    setattr(serve, _READS_ONLY, True)  # functools.wraps carries it to the outer decorators
    return serve


def _lookup() -> Response | None:
    """The kept response, a 304, or None to render (noting the key to keep it under)."""
    kept_in = store()
    if kept_in is None or "_flashes" in session:
        return None
    row = session_user_row()
    if row is None:
        return None  # the view's log-in check answers
    key = _key(row["id"])
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    if request.if_none_match.contains_weak(etag):
        unchanged = Response(status=304)
        unchanged.set_etag(etag, weak=True)
        return unchanged
    kept = kept_in.get(key)
    if kept is not None:
        return _answer(kept, etag, kept_in)
    g.setdefault(_MISSED, (key, etag))
    return None


def _key(user_id: int) -> str:
    state = sorted((k, repr(v)) for k, v in session.items() if k not in _BOOKKEEPING)
    htmx = sorted((k, v) for k, v in request.environ.items() if k.startswith("HTTP_HX_"))
    minute = clock.now().replace(second=0, microsecond=0).isoformat()
    versions = versions_key(g.get(VERSIONS) or {})  # read with the user
    where = (request.host, request.full_path)  # absolute links follow the host asked for
    return repr((user_id, where, htmx, state, versions, minute))


def _sets_cookie(response: Response) -> bool:
    """A view that set a cookie of its own did something a copy would not do again."""
    return bool(response.headers.getlist("Set-Cookie"))


def _keep(response: Response) -> Kept:
    body = response.get_data(as_text=True)
    token = g.get("csrf_token")
    if token:
        body = body.replace(token, _TOKEN)
    made = keys_rendered()
    for n, key in enumerate(made):
        body = body.replace(key, _form_key_mark(n))
    headers = tuple((k, v) for k in _KEPT_HEADERS for v in response.headers.getlist(k))
    return Kept(body, headers, len(made))


def _form_key_mark(n: int) -> str:
    return f"\x00ondeck-form-key-{n}\x00"


def _answer(kept: Kept, etag: str, kept_in: Store) -> Response:
    body = kept.body
    if _TOKEN in body:
        body = body.replace(_TOKEN, _session_token(kept_in))
    for n in range(kept.form_keys):
        body = body.replace(_form_key_mark(n), form_key())  # each copy's forms are new ones
    response = Response(body)
    for name, value in kept.headers:
        if name == "Content-Type":
            response.headers[name] = value
        else:
            response.headers.add(name, value)
    _tag(response, etag)
    return response


def _session_token(kept_in: Store) -> str:
    """The session's CSRF token. Signing it costs as much as the rest of a hit, and a token
    signed once stays good for its session while tokens have no time limit (the default)."""
    secret = session.get("csrf_token")
    if not secret or current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return generate_csrf()
    token = kept_in.signed_token(secret)
    if token is None:
        token = generate_csrf()
        kept_in.keep_signed_token(secret, token)
    g.csrf_token = token  # where Flask-WTF keeps it for the rest of the request
    return token


def _tag(response: Response, etag: str) -> None:
    response.set_etag(etag, weak=True)
    if request.headers.get("HX-Request"):
        # A fragment may be stored by the browser and asked for again with its ETag.
        response.headers["Cache-Control"] = "private, no-cache"
