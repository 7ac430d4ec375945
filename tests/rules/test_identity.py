from datetime import UTC, datetime, timedelta

import pytest

from webapp.rules.credentials import LinkError
from webapp.rules.identity import (
    SIGNUP_LINK_LIFETIME,
    AccountExists,
    SignupMail,
    WrongSignupPassword,
    check_confirmable,
    signup_link_expiry,
    signup_mail,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def confirmable(**changes):
    values = {
        "expires_at": NOW + timedelta(hours=1),
        "used_at": None,
        "account_exists": False,
        "password_matches": True,
        "now": NOW,
        **changes,
    }
    check_confirmable(**values)


def test_a_sign_up_for_a_taken_address_mails_the_owner_instead_of_a_link():
    assert signup_mail(account_exists=True) is SignupMail.ALREADY_REGISTERED
    assert signup_mail(account_exists=False) is SignupMail.CONFIRM


def test_a_sign_up_link_lasts_a_day():
    assert signup_link_expiry(NOW) - NOW == SIGNUP_LINK_LIFETIME == timedelta(hours=24)


def test_a_fresh_link_with_its_own_password_confirms():
    confirmable()


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        ({"account_exists": True}, AccountExists, "already has an account"),
        ({"account_exists": True, "used_at": NOW}, AccountExists, "already has an account"),
        ({"used_at": NOW - timedelta(minutes=1)}, LinkError, "already been used"),
        ({"expires_at": NOW}, LinkError, "expired"),
        ({"password_matches": False}, WrongSignupPassword, "not the password"),
    ],
)
def test_a_link_is_refused_with_a_reason(changes, error, words):
    with pytest.raises(error, match=words):
        confirmable(**changes)


def test_the_account_check_comes_before_the_password_so_a_late_link_says_why():
    with pytest.raises(AccountExists):
        confirmable(account_exists=True, password_matches=False)
