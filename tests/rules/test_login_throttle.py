from datetime import UTC, datetime, timedelta

import pytest

from webapp.rules.login_throttle import LIMITS, Scope, refusal
from webapp.rules.ratelimit import Window

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def full(scope: Scope, start=T0) -> Window:
    return Window(start, LIMITS[scope].limit)


def test_nothing_counted_lets_the_attempt_through():
    assert refusal({scope: None for scope in Scope}, T0) is None


@pytest.mark.parametrize("scope", list(Scope))
def test_a_counter_one_short_of_its_limit_lets_the_attempt_through(scope):
    assert refusal({scope: Window(T0, LIMITS[scope].limit - 1)}, T0) is None


@pytest.mark.parametrize(
    ("scope", "says"),
    [
        (Scope.ACCOUNT_FROM_ADDRESS, "for this account from here"),
        (Scope.ADDRESS, "from here"),
        (Scope.ACCOUNT, "reset your password"),
    ],
)
def test_a_full_counter_refuses_until_its_window_ends(scope, says):
    refused = refusal({scope: full(scope)}, T0 + timedelta(minutes=5))
    assert refused.scope is scope
    assert refused.retry_after == LIMITS[scope].period - timedelta(minutes=5)
    assert says in refused.message
    assert refusal({scope: full(scope)}, T0 + LIMITS[scope].period) is None


def test_the_longest_wait_is_the_one_told():
    windows = {
        Scope.ACCOUNT_FROM_ADDRESS: full(Scope.ACCOUNT_FROM_ADDRESS),
        Scope.ACCOUNT: full(Scope.ACCOUNT),
    }
    assert refusal(windows, T0).scope is Scope.ACCOUNT


def test_the_account_wide_threshold_is_well_above_one_address_guessing():
    pair, account = LIMITS[Scope.ACCOUNT_FROM_ADDRESS], LIMITS[Scope.ACCOUNT]
    assert account.limit >= 10 * pair.limit
