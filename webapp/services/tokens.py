"""Secret URL tokens. Only SHA-256 hashes are stored; lookups go by hash.

Two kinds:
- random tokens (invitations): 256 random bits, shown once in the email;
- derived tokens (join links, calendar feeds): HMAC(SECRET_KEY, purpose:salt), so the owner
  can copy the URL again while the database holds only a salt and a hash. Regenerating
  replaces the salt, which kills the old URL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app


def new_random_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)


def derived_token(purpose: str, salt: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"{purpose}:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def looks_like_token(token: str) -> bool:
    """Cheap shape check before touching the database."""
    return 20 <= len(token) <= 100 and all(c.isalnum() or c in "-_" for c in token)


def installation_id() -> str:
    """A short public id of this installation, the same on every host (they share SECRET_KEY);
    one-way, so it gives nothing of the key away."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"installation", hashlib.sha256).hexdigest()[:16]
