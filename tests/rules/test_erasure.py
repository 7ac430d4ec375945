"""What an erasure keeps and for how long, who may close, and how a name is struck out."""

from datetime import UTC, date, datetime

import pytest

from webapp.rules.erasure import (
    ErasureRefused,
    account_goes,
    check_may_close,
    erased_email,
    erased_name,
    is_erased_email,
    mentions,
    redact,
    retention_ends,
)

SECRETS = ["Dana O'Neil", "dana@example.com"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dana O'Neil booked", "X booked"),
        ("dana o'neil booked", "X booked"),
        ("<p>Dana O&#x27;Neil booked</p>", "<p>X booked</p>"),
        ("<p>Dana O&#39;Neil booked</p>", "<p>X booked</p>"),
        ("To: DANA@example.com", "To: X"),
        ("Dana alone stays", "Dana alone stays"),
        ("", ""),
        (None, None),
    ],
)
def test_redact_strikes_out_every_form_of_a_secret(text, expected):
    assert redact(text, SECRETS, "X") == expected


def test_a_blank_secret_strikes_out_nothing():
    assert redact("some text", ["", "  "], "X") == "some text"


def test_mentions_finds_a_secret_as_html_writes_it():
    assert mentions("<b>Dana O&#39;Neil</b>", SECRETS)
    assert not mentions("Olive", SECRETS)


@pytest.mark.parametrize(
    ("now", "years", "ends"),
    [
        (datetime(2026, 12, 2, 9, tzinfo=UTC), 10, date(2036, 12, 2)),
        (datetime(2028, 2, 29, 9, tzinfo=UTC), 1, date(2029, 2, 28)),
        (datetime(2026, 12, 2, 9, tzinfo=UTC), 0, date(2026, 12, 2)),
    ],
)
def test_records_are_kept_for_the_retention_period(now, years, ends):
    assert retention_ends(now, years) == ends


def test_a_negative_retention_period_is_refused():
    with pytest.raises(ValueError):
        retention_ends(datetime(2026, 1, 1, tzinfo=UTC), -1)


@pytest.mark.parametrize(
    ("active", "message"),
    [(1, "One client is still active."), (3, "3 clients are still active.")],
)
def test_a_coach_with_active_clients_cannot_close(active, message):
    with pytest.raises(ErasureRefused, match=message):
        check_may_close(active)


def test_a_coach_with_no_active_client_may_close():
    check_may_close(0)


def test_the_login_goes_only_when_no_other_coach_has_them():
    assert account_goes(0) and not account_goes(1)


def test_placeholders_name_no_one_and_never_receive_mail():
    assert erased_name(7) == "Erased client #7"
    assert erased_name(7, coach=True) == "Closed account #7"
    assert erased_email("user", 7) == "user-7@erased.invalid"
    assert is_erased_email("USER-7@erased.invalid") and not is_erased_email("a@example.com")
