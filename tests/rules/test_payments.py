"""Payments rules: the keys a coach pastes, webhook signatures, and the balance."""

from datetime import UTC, datetime

import pytest

from webapp.rules.money import Money
from webapp.rules.payments import (
    KeyRefused,
    LedgerKind,
    LedgerLine,
    LedgerStatus,
    PaymentError,
    WebhookRefused,
    balance,
    check_keys,
    is_program_payment,
    program_payment_key,
    signature_header,
    verify_signature,
)

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
STAMP = int(NOW.timestamp())
SECRET = "whsec_test_secret"


class TestKeys:
    def test_test_mode_keys_are_trimmed_and_accepted(self):
        keys = check_keys(" sk_test_abc123 ", "pk_test_abc123\n", " whsec_abcdef1")
        assert keys.secret_key == "sk_test_abc123"
        assert keys.publishable_key == "pk_test_abc123"
        assert keys.webhook_secret == "whsec_abcdef1"

    @pytest.mark.parametrize(
        ("secret", "publishable", "webhook", "field"),
        [
            ("pk_test_abc123", "pk_test_abc123", "whsec_abcdef1", "secret_key"),
            ("sk_test_abc123", "sk_test_abc123", "whsec_abcdef1", "publishable_key"),
            ("sk_test_abc123", "pk_test_abc123", "abcdefabcdef", "webhook_secret"),
            ("sk_live_abc123", "pk_test_abc123", "whsec_abcdef1", "publishable_key"),
        ],
    )
    def test_a_key_that_cannot_be_right_is_named(self, secret, publishable, webhook, field):
        with pytest.raises(KeyRefused) as refused:
            check_keys(secret, publishable, webhook)
        assert refused.value.field == field


class TestSignatures:
    def test_stripes_signature_is_accepted(self):
        body = b'{"id": "evt_1"}'
        verify_signature(body, signature_header(body, SECRET, STAMP), SECRET, NOW)

    def test_one_matching_signature_among_several_is_enough(self):
        body = b'{"id": "evt_1"}'
        good = signature_header(body, SECRET, STAMP)
        header = f"t={STAMP},v1={'0' * 64},{good.split(',')[1]}"
        verify_signature(body, header, SECRET, NOW)

    @pytest.mark.parametrize(
        "header",
        [None, "", "t=abc,v1=00", f"t={STAMP}", "v1=00", f"t={STAMP},v1={'0' * 64}"],
    )
    def test_unsigned_or_wrongly_signed_is_refused(self, header):
        with pytest.raises(WebhookRefused):
            verify_signature(b"{}", header, SECRET, NOW)

    def test_a_changed_body_is_refused(self):
        header = signature_header(b'{"amount": 100}', SECRET, STAMP)
        with pytest.raises(WebhookRefused, match="does not match"):
            verify_signature(b'{"amount": 900}', header, SECRET, NOW)

    def test_another_secret_is_refused(self):
        header = signature_header(b"{}", "whsec_other", STAMP)
        with pytest.raises(WebhookRefused):
            verify_signature(b"{}", header, SECRET, NOW)

    @pytest.mark.parametrize(("age", "ok"), [(0, True), (300, True), (301, False), (-301, False)])
    def test_stale_deliveries_are_refused(self, age, ok):
        header = signature_header(b"{}", SECRET, STAMP - age)
        if ok:
            verify_signature(b"{}", header, SECRET, NOW)
        else:
            with pytest.raises(WebhookRefused, match="too old"):
                verify_signature(b"{}", header, SECRET, NOW)


def line(kind, minor, status=LedgerStatus.SUCCEEDED, currency="GBP"):
    return LedgerLine(LedgerKind(kind), status, Money(minor, currency))


class TestBalance:
    def test_paid_refunded_and_due(self):
        lines = [line("charge", 10000), line("manual", 2000), line("refund", 4000)]
        result = balance(lines, Money(10000, "GBP"))
        assert (result.paid, result.refunded, result.due) == (
            Money(12000, "GBP"),
            Money(4000, "GBP"),
            Money(2000, "GBP"),
        )
        assert result.net == Money(8000, "GBP")

    def test_failed_and_pending_rows_count_for_nothing(self):
        lines = [
            line("charge", 5000, LedgerStatus.FAILED),
            line("charge", 5000, LedgerStatus.PENDING),
        ]
        result = balance(lines, Money(5000, "GBP"))
        assert result.paid == Money(0, "GBP") and result.due == Money(5000, "GBP")

    def test_overpaid_is_nothing_due(self):
        assert balance([line("manual", 9000)], Money(5000, "GBP")).due == Money(0, "GBP")

    def test_program_payments_pay_for_no_booking(self):
        program = [
            LedgerLine(
                LedgerKind.CHARGE, LedgerStatus.SUCCEEDED, Money(20000, "GBP"), program=True
            ),
            LedgerLine(
                LedgerKind.CHARGE, LedgerStatus.SUCCEEDED, Money(20000, "GBP"), program=True
            ),
            LedgerLine(LedgerKind.REFUND, LedgerStatus.SUCCEEDED, Money(5000, "GBP"), program=True),
            LedgerLine(LedgerKind.CHARGE, LedgerStatus.FAILED, Money(20000, "GBP"), program=True),
        ]
        result = balance([*program, line("manual", 10000)], Money(40000, "GBP"))
        assert (result.paid, result.refunded, result.due) == (
            Money(10000, "GBP"),
            Money(0, "GBP"),
            Money(30000, "GBP"),
        )
        assert result.program_paid == Money(35000, "GBP")
        assert balance([line("manual", 10000)], Money(0, "GBP")).program_paid is None

    def test_only_a_subscription_invoices_key_marks_a_program_payment(self):
        assert is_program_payment(program_payment_key("in_123"))
        assert not is_program_payment("refund:4:0") and not is_program_payment(None)

    def test_mixed_currencies_are_refused(self):
        with pytest.raises(PaymentError):
            balance([line("manual", 100, currency="EUR")], Money(100, "GBP"))
