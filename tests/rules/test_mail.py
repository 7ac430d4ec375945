import email.header
import smtplib
from datetime import UTC, datetime, timedelta

import pytest

from webapp.rules.mail import (
    MESSAGE_ATTEMPTS,
    Delivery,
    OutboxCounts,
    after_failure,
    age_text,
    clean_header,
    encoded_words,
    mailbox,
    message_id,
    status_line,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "clean"),
    [
        ("Plain subject", "Plain subject"),
        ("Two\r\nlines", "Two lines"),
        ("Tab\tand\x00nul\x07bell\x7fdel", "Tab and nul bell del"),
        ("  spaced \n\n out  ", "spaced out"),
        ("Zoë pays £40.00\u2028now", "Zoë pays £40.00 now"),
    ],
)
def test_clean_header_keeps_text_and_drops_line_breaks_and_control_characters(value, clean):
    assert clean_header(value) == clean


def test_clean_header_cuts_to_the_limit():
    assert clean_header("a" * 300, limit=200) == "a" * 200


def test_a_mailbox_quotes_the_name_and_keeps_it_on_one_line():
    assert mailbox("Casey\r\nCoach", "casey@example.com") == "Casey Coach <casey@example.com>"
    assert mailbox("O'Neil, Pat", "pat@example.com") == '"O\'Neil, Pat" <pat@example.com>'
    assert mailbox("", "pat@example.com") == "pat@example.com"


@pytest.mark.parametrize(
    ("public_url", "domain"),
    [
        ("https://coach.example.com", "coach.example.com"),
        ("http://127.0.0.1:5000/", "127.0.0.1"),
        ("https://Coach.Example.com:8443/app", "coach.example.com"),
        ("", "ondeck.invalid"),
    ],
)
def test_a_message_id_is_the_unique_part_at_the_public_domain(public_url, domain):
    assert message_id("abc-123", public_url) == f"<abc-123@{domain}>"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (42, "42s"), (60, "1m"), (95 * 60, "1h 35m"), (3 * 86400 + 7200, "3d 2h")],
)
def test_age_text_is_short(seconds, text):
    assert age_text(seconds) == text


def test_the_status_line_counts_and_ages_the_oldest_waiting_message():
    counts = OutboxCounts(waiting=2, sent=3, failed=1, oldest_waiting_at=NOW - timedelta(hours=2))
    assert status_line(counts, NOW) == "outbox: waiting 2, sent 3, failed 1, oldest waiting 2h 0m"
    empty = OutboxCounts(waiting=0, sent=0, failed=0, oldest_waiting_at=None)
    assert status_line(empty, NOW).endswith("oldest waiting none")


def refused(code: int) -> smtplib.SMTPRecipientsRefused:
    return smtplib.SMTPRecipientsRefused({"a@example.com": (code, b"no")})


@pytest.mark.parametrize(
    ("error", "attempts", "delivery"),
    [
        (ConnectionRefusedError(), 1, Delivery.SERVER_DOWN),
        (TimeoutError(), 99, Delivery.SERVER_DOWN),
        (smtplib.SMTPServerDisconnected(), 1, Delivery.SERVER_DOWN),
        (smtplib.SMTPAuthenticationError(535, b"bad"), 1, Delivery.SERVER_DOWN),
        (smtplib.SMTPSenderRefused(451, b"later", "x@example.com"), 1, Delivery.SERVER_DOWN),
        (refused(450), 1, Delivery.RETRY),
        (refused(450), MESSAGE_ATTEMPTS, Delivery.FAILED),
        (refused(550), 1, Delivery.FAILED),
        (smtplib.SMTPDataError(452, b"later"), 1, Delivery.RETRY),
        (smtplib.SMTPDataError(554, b"spam"), 1, Delivery.FAILED),
        (smtplib.SMTPNotSupportedError("SMTPUTF8 not supported"), 1, Delivery.FAILED),
        (ValueError("Header values may not contain linefeed"), 1, Delivery.FAILED),
        (RuntimeError("anything"), 1, Delivery.FAILED),
    ],
)
def test_after_a_failure_the_server_is_waited_for_and_a_bad_message_is_failed(
    error, attempts, delivery
):
    assert after_failure(error, attempts) == delivery


@pytest.mark.parametrize(
    "text",
    ["£40.00", "Zoë Ångström-Łukasiewicz booked at £40.00 " * 4, "李小龍 😀" * 20, ""],
)
def test_encoded_words_decode_back_to_the_text_and_stay_short(text):
    words = encoded_words(text)
    decoded = email.header.make_header(email.header.decode_header(" ".join(words)))
    assert str(decoded) == text
    assert all(len(word) <= 75 for word in words)
