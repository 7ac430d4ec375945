"""Payments: a coach's own Stripe account, the one ledger, saved cards and webhook events."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import UTCDateTime, now_default, stored_enum
from webapp.rules.payments import LedgerKind, LedgerStatus, ManualMethod, SubscriptionStatus


class PaymentAccount(db.Model):
    """A coach's Stripe keys, each encrypted at rest (Fernet, key derived from SECRET_KEY).

    `webhook_key` names the coach's webhook URL; it is random so the URL says nothing about
    who the coach is. Deleting the row disconnects Stripe: everything works as without it.
    """

    __tablename__ = "payment_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    webhook_key: Mapped[str] = mapped_column(sa.String(43), unique=True)
    secret_key_sealed: Mapped[str] = mapped_column(sa.Text)
    publishable_key_sealed: Mapped[str] = mapped_column(sa.Text)
    webhook_secret_sealed: Mapped[str] = mapped_column(sa.Text)
    test_mode: Mapped[bool] = mapped_column(default=True)
    # The last "test connection": when, and what Stripe answered (empty when it worked).
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    check_error: Mapped[str] = mapped_column(sa.String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=now_default, onupdate=now_default
    )


class LedgerEntry(db.Model):
    """One movement of money between a client and a coach: a charge, a refund or a manual
    payment. Amounts are positive minor units; the kind says which way the money went."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        sa.CheckConstraint("amount_minor > 0", name="amount_positive"),
        sa.CheckConstraint("kind IN ('charge', 'refund', 'manual')", name="kind"),
        sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name="status"),
        sa.Index("ix_ledger_entries_coach_client", "coach_id", "client_user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    client_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    kind: Mapped[LedgerKind] = mapped_column(stored_enum(LedgerKind, 10))
    status: Mapped[LedgerStatus] = mapped_column(stored_enum(LedgerStatus, 10))
    amount_minor: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    # The booking paid for (or refunded); a card payment for a package has none until Stripe
    # confirms it, when the booking is made.
    booking_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bookings.id"), index=True)
    package_id: Mapped[int | None] = mapped_column(sa.ForeignKey("packages.id"))
    # Stripe's id (pi_..., re_...): unique, so one PaymentIntent is recorded once.
    provider_id: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    # Derived from what is paid for: the same charge asked twice is one row, one charge.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    method: Mapped[ManualMethod | None] = mapped_column(stored_enum(ManualMethod, 20))
    card_last4: Mapped[str] = mapped_column(sa.String(4), default="")
    save_card: Mapped[bool] = mapped_column(default=False)
    # For a refund: the charge it returns money from, and how many unused sessions it voided.
    refund_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ledger_entries.id"))
    sessions_voided: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    failure: Mapped[str] = mapped_column(sa.String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    # A +1 charge is asked of Stripe after the booking commits; whoever asks claims it first.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SavedCard(db.Model):
    """A client's Stripe customer in a coach's account and the card saved for +1, if any.
    OnDeck keeps Stripe's ids and the last four digits, never a card number."""

    __tablename__ = "saved_cards"
    __table_args__ = (sa.UniqueConstraint("coach_id", "client_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    client_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    customer_id: Mapped[str] = mapped_column(sa.String(255))
    payment_method_id: Mapped[str | None] = mapped_column(sa.String(255))
    card_last4: Mapped[str] = mapped_column(sa.String(4), default="")
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookEvent(db.Model):
    """A Stripe event received on a coach's webhook URL, stored in the same transaction as its
    effect: a replay of the same event id finds its row and changes nothing."""

    __tablename__ = "webhook_events"
    __table_args__ = (sa.UniqueConstraint("coach_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    event_id: Mapped[str] = mapped_column(sa.String(255))
    type: Mapped[str] = mapped_column(sa.String(100))
    outcome: Mapped[str] = mapped_column(sa.String(300), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)


class ProgramSubscription(db.Model):
    """A client's monthly payment for a paid program: a Stripe subscription in the coach's
    account at the program's price, billed from the client's start date."""

    __tablename__ = "program_subscriptions"
    __table_args__ = (
        sa.CheckConstraint("amount_minor > 0", name="amount_positive"),
        sa.CheckConstraint(
            "status IN ('incomplete', 'active', 'past_due', 'canceled')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id"), index=True)
    client_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    program_id: Mapped[int] = mapped_column(sa.ForeignKey("programs.id"))
    provider_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    # Derived from the card setup: the same subscription asked twice is one subscription.
    idempotency_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    amount_minor: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    status: Mapped[SubscriptionStatus] = mapped_column(stored_enum(SubscriptionStatus, 12))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    canceled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
