"""Payments: the ledger's kinds and states, what a coach's Stripe keys look like, webhook
signatures, and what a client has paid and owes. Pure: `now` is passed in."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from webapp.rules import RuleError
from webapp.rules.money import Money

# Stripe's own default: a signed webhook older than this is refused as a replay.
WEBHOOK_TOLERANCE_SECONDS = 300


class LedgerKind(StrEnum):
    CHARGE = "charge"  # money in through Stripe
    REFUND = "refund"  # money back through Stripe
    MANUAL = "manual"  # money in outside OnDeck, recorded by the coach


class LedgerStatus(StrEnum):
    PENDING = "pending"  # asked of Stripe, no answer yet
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # declined, or needs the client to authenticate


class SubscriptionStatus(StrEnum):
    """A program subscription as OnDeck keeps Stripe's status."""

    INCOMPLETE = "incomplete"  # set up, first payment not through yet
    ACTIVE = "active"  # paid, or waiting for the client's start date
    PAST_DUE = "past_due"  # a renewal failed; Stripe retries the card
    CANCELED = "canceled"


LIVE_SUBSCRIPTION = (
    SubscriptionStatus.INCOMPLETE,
    SubscriptionStatus.ACTIVE,
    SubscriptionStatus.PAST_DUE,
)


LEDGER_STATUS = {
    LedgerStatus.PENDING: "Waiting for Stripe",
    LedgerStatus.SUCCEEDED: "Paid",
    LedgerStatus.FAILED: "Failed",
}


class ManualMethod(StrEnum):
    CASH = "cash"
    BANK_TRANSFER = "bank_transfer"
    OTHER = "other"


MANUAL_METHODS = {
    ManualMethod.CASH: "Cash",
    ManualMethod.BANK_TRANSFER: "Bank transfer",
    ManualMethod.OTHER: "Another terminal or method",
}


class PaymentError(RuleError):
    pass


class KeyRefused(PaymentError):
    """A pasted key that cannot be right; `field` names which of the three."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class WebhookRefused(PaymentError):
    """A webhook that is unsigned, wrongly signed or stale: answered 400, nothing changes."""


@dataclass(frozen=True)
class StripeKeys:
    secret_key: str
    publishable_key: str
    webhook_secret: str


def check_keys(secret_key: str, publishable_key: str, webhook_secret: str) -> StripeKeys:
    """The three keys a coach pastes from their Stripe dashboard, trimmed, or PaymentError
    naming the one that cannot be right (KeyRefused). Restricted secret keys (rk_) work too."""
    keys = StripeKeys(secret_key.strip(), publishable_key.strip(), webhook_secret.strip())
    if not keys.secret_key.startswith(("sk_", "rk_")) or len(keys.secret_key) < 8:
        raise KeyRefused(
            "secret_key", "The secret key starts with sk_ (or rk_ for a restricted key)."
        )
    if not keys.publishable_key.startswith("pk_") or len(keys.publishable_key) < 8:
        raise KeyRefused("publishable_key", "The publishable key starts with pk_.")
    # Empty until the coach has added the webhook URL in Stripe, which then shows the secret.
    if keys.webhook_secret and (
        not keys.webhook_secret.startswith("whsec_") or len(keys.webhook_secret) < 10
    ):
        raise KeyRefused("webhook_secret", "The webhook signing secret starts with whsec_.")
    if keys.secret_key.startswith(("sk_test_", "rk_test_")) != keys.publishable_key.startswith(
        "pk_test_"
    ):
        raise KeyRefused("publishable_key", "Both keys must come from the same mode: test or live.")
    return keys


def is_test_mode(secret_key: str) -> bool:
    return secret_key.startswith(("sk_test_", "rk_test_"))


def signature_header(payload: bytes, secret: str, timestamp: int) -> str:
    """The Stripe-Signature header Stripe sends for this payload at this time."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(
    payload: bytes,
    header: str | None,
    secret: str,
    now: datetime,
    tolerance: int = WEBHOOK_TOLERANCE_SECONDS,
) -> None:
    """Accept the payload only if one v1 signature matches and its time is within tolerance
    of `now` (either side); raise WebhookRefused otherwise."""
    if not header:
        raise WebhookRefused("No Stripe-Signature header.")
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise WebhookRefused("The Stripe-Signature header has no time or no v1 signature.")
    expected = signature_header(payload, secret, timestamp).rsplit("v1=", 1)[1]
    if not any(hmac.compare_digest(expected, given) for given in signatures):
        raise WebhookRefused("The signature does not match the webhook signing secret.")
    if abs(now.timestamp() - timestamp) > tolerance:
        raise WebhookRefused("The webhook is too old (or from the future) to trust.")


# A paid subscription invoice's ledger row is keyed by the invoice: money for the program's
# price per period, not for any booking.
PROGRAM_PAYMENT_KEY = "invoice:"


def program_payment_key(invoice_id: str) -> str:
    return PROGRAM_PAYMENT_KEY + invoice_id


def is_program_payment(idempotency_key: str | None) -> bool:
    return bool(idempotency_key) and str(idempotency_key).startswith(PROGRAM_PAYMENT_KEY)


@dataclass(frozen=True)
class LedgerLine:
    kind: LedgerKind
    status: LedgerStatus
    amount: Money
    program: bool = False  # a program payment (or its refund), which pays for no booking


@dataclass(frozen=True)
class Balance:
    """What was paid and refunded against the bookings, what they still owe, and apart from
    them, what the program's price per period brought in (less its refunds)."""

    paid: Money
    refunded: Money
    due: Money
    program_paid: Money | None = None

    @property
    def net(self) -> Money:
        return Money(self.paid.minor - self.refunded.minor, self.paid.currency)


def balance(lines: Iterable[LedgerLine], owed: Money) -> Balance:
    """Paid (charges and manual payments that succeeded), refunded, and what is still due of
    `owed` (the value of the bookings that stand). Amounts in another currency are refused."""
    paid = refunded = program = 0
    for line in lines:
        if line.amount.currency != owed.currency:
            raise PaymentError("A client's ledger with one coach is in one currency.")
        if line.status != LedgerStatus.SUCCEEDED:
            continue
        if line.program:
            program += -line.amount.minor if line.kind == LedgerKind.REFUND else line.amount.minor
        elif line.kind == LedgerKind.REFUND:
            refunded += line.amount.minor
        else:
            paid += line.amount.minor
    due = max(owed.minor - (paid - refunded), 0)
    return Balance(
        paid=Money(paid, owed.currency),
        refunded=Money(refunded, owed.currency),
        due=Money(due, owed.currency),
        program_paid=Money(program, owed.currency) if program else None,
    )
