"""Secrets kept at rest (a coach's Stripe keys): Fernet, with its key derived from SECRET_KEY.

The database alone reveals no key. Rotating SECRET_KEY makes the sealed keys unreadable: the
coach pastes them again on the Payments settings page (docs/deploy.md says so).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


class Unreadable(Exception):
    """Sealed with another SECRET_KEY, or not sealed by OnDeck at all."""


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"].encode()
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=hashlib.sha256(b"ondeck-sealed").digest(),
        info=b"ondeck payments keys v1",
    ).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        raise Unreadable("The stored key cannot be read with this SECRET_KEY.") from None
