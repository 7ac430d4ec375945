import re
from datetime import UTC, datetime, timedelta

import pytest

from webapp.rules.credentials import (
    EmailChangeError,
    LinkError,
    PasswordError,
    PasswordEstimate,
    check_link_usable,
    check_new_email,
    check_password_policy,
    check_password_strength,
    email_change_link_expiry,
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
        check_link_usable(expires_at=NOW + expires_in, used_at=used_at, now=NOW)
    else:
        with pytest.raises(LinkError, match=refusal):
            check_link_usable(expires_at=NOW + expires_in, used_at=used_at, now=NOW)


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


def test_a_new_email_link_lasts_a_day():
    assert email_change_link_expiry(NOW) == NOW + timedelta(hours=24)


@pytest.mark.parametrize(
    ("new", "current", "refused"),
    [
        ("ana@example.com", "ana@example.com", True),
        (" Ana@Example.com ", "ana@example.com", True),
        ("ana.lima@example.com", "ana@example.com", False),
        ("ana@example.org", "ana@example.com", False),
    ],
)
def test_the_new_email_must_differ_from_the_current_one(new, current, refused):
    if refused:
        with pytest.raises(EmailChangeError, match="already your email"):
            check_new_email(new, current)
    else:
        check_new_email(new, current)


@pytest.mark.parametrize("score", [3, 4])
def test_a_password_hard_enough_to_guess_passes(score):
    check_password_strength(PasswordEstimate(score=score, warning="ignored"))


@pytest.mark.parametrize(
    ("estimate", "says"),
    [
        (
            PasswordEstimate(0, "This is a top-10 common password.", ("Add another word.",)),
            "This is a top-10 common password. Add another word.",
        ),
        (PasswordEstimate(2), "This password would be easy to guess. Add another word or two."),
        (
            PasswordEstimate(1, "", ("Add another word or two.",), uses_own_details=True),
            "built from your name or email address",
        ),
    ],
)
def test_a_guessable_password_is_refused_saying_why_and_how_to_fix_it(estimate, says):
    with pytest.raises(PasswordError, match=re.escape(says)) as refused:
        check_password_strength(estimate)
    assert "A few unrelated words together" in str(refused.value)
