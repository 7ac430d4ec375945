from datetime import UTC, datetime, timedelta

import pytest

from webapp.rules.accounts import (
    PasswordError,
    ResetLinkError,
    check_password_policy,
    check_reset_link_usable,
    reset_link_expiry,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_reset_link_lasts_an_hour():
    assert reset_link_expiry(NOW) == NOW + timedelta(hours=1)


@pytest.mark.parametrize(
    ("expires_in", "used", "refusal"),
    [
        (timedelta(minutes=59), False, None),
        (timedelta(seconds=1), False, None),
        (timedelta(0), False, "expired"),
        (-timedelta(minutes=1), False, "expired"),
        (timedelta(minutes=30), True, "already been used"),
        (-timedelta(minutes=30), True, "already been used"),
    ],
)
def test_a_reset_link_works_once_until_it_expires(expires_in, used, refusal):
    used_at = NOW - timedelta(minutes=5) if used else None
    if refusal is None:
        check_reset_link_usable(expires_at=NOW + expires_in, used_at=used_at, now=NOW)
    else:
        with pytest.raises(ResetLinkError, match=refusal):
            check_reset_link_usable(expires_at=NOW + expires_in, used_at=used_at, now=NOW)


@pytest.mark.parametrize(
    ("password", "refusal"),
    [
        ("x" * 11, "at least 12"),
        ("x" * 12, None),
        ("x" * 256, None),
        ("x" * 257, "at most 256"),
        (" Ana@Example.com ", "cannot be your email"),
    ],
)
def test_the_password_policy(password, refusal):
    if refusal is None:
        check_password_policy(password, email="ana@example.com")
    else:
        with pytest.raises(PasswordError, match=refusal):
            check_password_policy(password, email="ana@example.com")
