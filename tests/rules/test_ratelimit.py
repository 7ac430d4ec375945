from datetime import UTC, datetime, timedelta

from webapp.rules.ratelimit import hit, is_blocked

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PERIOD = timedelta(minutes=15)


def test_the_attempt_after_the_limit_is_refused_until_the_window_ends():
    window = None
    for _ in range(10):
        decision = hit(window, T0, limit=10, period=PERIOD)
        assert decision.allowed
        window = decision.window
    eleventh = hit(window, T0 + timedelta(minutes=1), limit=10, period=PERIOD)
    assert not eleventh.allowed
    assert eleventh.retry_after == timedelta(minutes=14)
    assert is_blocked(window, T0 + timedelta(minutes=14), limit=10, period=PERIOD)
    assert not is_blocked(window, T0 + PERIOD, limit=10, period=PERIOD)
    assert hit(window, T0 + PERIOD, limit=10, period=PERIOD).window.count == 1
