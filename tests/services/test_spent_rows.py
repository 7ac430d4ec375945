"""The relay deletes what no longer does anything but still names someone: links spent more
than a week ago (so a recent one still says why it fails) and rate-limit windows long over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client_user
from webapp.extensions import db
from webapp.models import EmailChange, PasswordReset, RateLimitWindow, SignupRequest
from webapp.rules.credentials import EMAIL_CHANGE_PERIOD, RESET_EMAIL_PERIOD, SPENT_LINK_KEPT
from webapp.rules.identity import SIGNUP_EMAIL_PERIOD
from webapp.rules.invites import PUBLIC_POST_PERIOD
from webapp.rules.login_throttle import LIMITS
from webapp.rules.ratelimit import LONGEST_PERIOD

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
DAY = timedelta(days=1)

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _signup(n: int, expires_at: datetime, used_at: datetime | None = None) -> SignupRequest:
    return SignupRequest(
        email=f"signup{n}@example.com",
        name=f"Signer {n}",
        password_hash="x",
        role="client",
        time_zone="UTC",
        token_hash=f"{n:064d}",
        created_at=expires_at - DAY,
        expires_at=expires_at,
        used_at=used_at,
    )


@pytest.fixture
def rows(app):
    """One row of each kind just inside the week kept, and one just outside it."""
    gone, kept = NOW - SPENT_LINK_KEPT - timedelta(minutes=1), NOW - SPENT_LINK_KEPT + DAY
    with app.app_context():
        user = make_client_user(email="person@example.com")
        db.session.add_all(
            [
                _signup(1, expires_at=gone),
                _signup(2, expires_at=kept),
                _signup(3, expires_at=NOW + DAY, used_at=gone),  # used long ago
                _signup(4, expires_at=NOW + DAY),  # still waiting
                PasswordReset(user_id=user.id, token_hash="a" * 64, expires_at=gone),
                PasswordReset(user_id=user.id, token_hash="b" * 64, expires_at=kept),
                EmailChange(
                    user_id=user.id,
                    new_email="old@example.com",
                    token_hash="c" * 64,
                    expires_at=NOW + DAY,
                    used_at=gone,
                ),
                EmailChange(
                    user_id=user.id,
                    new_email="new@example.com",
                    token_hash="d" * 64,
                    expires_at=NOW + DAY,
                ),
                RateLimitWindow(key="signup:old@example.com", window_start=NOW - 2 * DAY, count=3),
                RateLimitWindow(key="signup:now@example.com", window_start=NOW, count=1),
            ]
        )
        db.session.commit()


def _left(app):
    with app.app_context():
        return {
            "signups": set(db.session.scalars(sa.select(SignupRequest.name))),
            "resets": set(db.session.scalars(sa.select(PasswordReset.token_hash))),
            "changes": set(db.session.scalars(sa.select(EmailChange.new_email))),
            "windows": set(db.session.scalars(sa.select(RateLimitWindow.key))),
        }


def test_a_relay_round_deletes_rows_spent_over_a_week_ago_and_keeps_the_rest(app, runner, rows):
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert _left(app) == {
        "signups": {"Signer 2", "Signer 4"},
        "resets": {"b" * 64},
        "changes": {"new@example.com"},
        "windows": {"signup:now@example.com"},
    }


def test_no_limit_counts_over_a_longer_period_than_the_windows_kept():
    periods = [limit.period for limit in LIMITS.values()]
    periods += [SIGNUP_EMAIL_PERIOD, RESET_EMAIL_PERIOD, EMAIL_CHANGE_PERIOD, PUBLIC_POST_PERIOD]
    assert max(periods) <= LONGEST_PERIOD
