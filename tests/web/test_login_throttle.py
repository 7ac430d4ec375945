"""Failed log-ins are counted per account and address, per address, and per account, so
an attacker can neither guess one password fast, nor spray many accounts, nor lock the
owner out by failing on purpose."""

import pytest

from tests.support.factories import PASSWORD, make_coach
from webapp.rules.login_throttle import LIMITS, Scope

ATTACKER = "198.51.100.66"
OWNER = "203.0.113.7"
PER_PAIR = LIMITS[Scope.ACCOUNT_FROM_ADDRESS].limit
PER_ADDRESS = LIMITS[Scope.ADDRESS].limit
PER_ACCOUNT = LIMITS[Scope.ACCOUNT].limit


@pytest.fixture
def coach(app):
    with app.app_context():
        return make_coach(email="coach@example.com")


def log_in(app, address: str, email="coach@example.com", password=PASSWORD):
    """A fresh browser at `address`: the log-in page's answer (a redirect when logged in)."""
    browser = app.test_client()
    return browser.post(
        "/login",
        data={"email": email, "password": password},
        environ_overrides={"REMOTE_ADDR": address},
    )


def fail(app, address: str, email="coach@example.com"):
    return log_in(app, address, email, "not the password").get_data(as_text=True)


def test_an_attackers_failures_do_not_lock_out_the_owner_at_another_address(app, coach):
    for _ in range(PER_PAIR + 2):
        fail(app, ATTACKER)
    assert "Too many failed log-ins" in fail(app, ATTACKER)
    response = log_in(app, OWNER)
    assert response.headers["Location"] == "/programs/"


def test_the_right_password_from_the_attackers_address_waits_like_a_wrong_one(app, coach):
    for _ in range(PER_PAIR):
        assert "do not match" in fail(app, ATTACKER)
    refused = log_in(app, ATTACKER)
    assert refused.status_code == 422
    assert "Too many failed log-ins for this account from here" in refused.get_data(as_text=True)


def test_one_address_trying_many_accounts_is_stopped_for_every_account(app, coach):
    for n in range(PER_ADDRESS):
        assert "do not match" in fail(app, ATTACKER, email=f"victim{n}@example.com")
    html = log_in(app, ATTACKER).get_data(as_text=True)
    assert "Too many failed log-ins from here" in html
    assert "Too many failed log-ins from here" in fail(app, ATTACKER, email="new@example.com")
    # Nobody else is slowed by it.
    assert log_in(app, OWNER).headers["Location"] == "/programs/"


def test_failures_from_many_addresses_lock_the_account_until_its_password_is_reset(app, coach):
    addresses = [f"192.0.2.{n // PER_PAIR}" for n in range(PER_ACCOUNT)]
    for address in addresses:
        fail(app, address)
    refused = log_in(app, OWNER).get_data(as_text=True)
    assert "Too many failed log-ins for this account" in refused
    assert "reset your password" in refused
