"""Settings read from the environment; tests pass a dict that overrides them."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _instance_secret_key(instance_path: str) -> str:
    """Development key generated once into instance/, so restarts keep sessions valid."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "ondeck.sqlite3")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_environment(instance_path: str, *, secret_given: bool = False) -> dict:
    production = os.environ.get("ONDECK_ENV", "development") == "production"
    secret = os.environ.get("SECRET_KEY")
    if not secret and not secret_given:
        if production:
            raise RuntimeError("SECRET_KEY must be set when ONDECK_ENV=production")
        secret = _instance_secret_key(instance_path)
    return {
        "ONDECK_ENV": "production" if production else "development",
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # The public origin used in emailed links and embed snippets.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        # A browser logs in again after this long unused (a working day's gaps fit, a
        # night does not), and after this many days however much it is used.
        "SESSION_IDLE_MINUTES": float(os.environ.get("SESSION_IDLE_MINUTES", "720")),
        "SESSION_MAX_DAYS": float(os.environ.get("SESSION_MAX_DAYS", "30")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "OnDeck <no-reply@localhost>"),
        "MAIL_TIMEOUT_SECONDS": float(os.environ.get("MAIL_TIMEOUT_SECONDS", "10")),
        # How long a relay owns a message it is sending before another relay may retry it.
        "OUTBOX_CLAIM_SECONDS": float(os.environ.get("OUTBOX_CLAIM_SECONDS", "120")),
        # Captured-mail page: a development aid, never on in production.
        "DEV_MAILBOX": _flag("DEV_MAILBOX", not production),
        "INVITATION_DAYS": int(os.environ.get("INVITATION_DAYS", "14")),
        # The largest request body accepted, in bytes; Werkzeug refuses larger ones with 413
        # before reading them. Flask defines this key as None, so it is assigned, not defaulted.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024))),
        # How prices are typed and amounts shown (decimal and group symbols), e.g. de_DE.
        "MONEY_LOCALE": os.environ.get("MONEY_LOCALE", "en_GB"),
        # Stripe: each coach connects their own account on the Payments settings page. These
        # point OnDeck elsewhere than Stripe itself (a local fake Stripe in tests and demos).
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE", ""),
        "STRIPE_JS_URL": os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/"),
        # Years the financial records of an erased client or a closed account (bookings,
        # sessions, ledger rows) are kept, anonymised, for the tax and accounting authorities.
        "FINANCIAL_RETENTION_YEARS": int(os.environ.get("FINANCIAL_RETENTION_YEARS", "10")),
        # Busy read pages kept per process, keyed by the data versions they show (memory), or
        # every page rendered afresh (off); see docs/caching.md.
        "RESPONSE_CACHE": os.environ.get("RESPONSE_CACHE", "memory"),
        "RESPONSE_CACHE_ENTRIES": int(os.environ.get("RESPONSE_CACHE_ENTRIES", "2000")),
        # How passwords are hashed. Only a TESTING app may lower it (see hashing_method).
        "PASSWORD_HASH_METHOD": PRODUCTION_HASH_METHOD,
    }


PRODUCTION_HASH_METHOD = "scrypt"


def hashing_method(settings) -> str:
    """The password hash method in force: a cheaper one set for tests counts only under
    TESTING, so no deployed app stores weak hashes whatever its settings say."""
    if settings.get("TESTING"):
        return settings.get("PASSWORD_HASH_METHOD") or PRODUCTION_HASH_METHOD
    return PRODUCTION_HASH_METHOD
