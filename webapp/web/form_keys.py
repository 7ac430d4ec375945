"""Keys made afresh for each form shown, so that sending one form twice (a double click, a
retry) records its payment or booking once. The response cache needs to know them: a kept
page holds a placeholder for each, and every copy served gets new ones."""

from __future__ import annotations

import secrets

from flask import g, has_request_context

_RENDERED = "ondeck_form_keys"


def form_key() -> str:
    key = secrets.token_urlsafe(16)
    if has_request_context():
        g.setdefault(_RENDERED, []).append(key)
    return key


def keys_rendered() -> list[str]:
    """The keys this request has made, in order."""
    return g.get(_RENDERED, [])
