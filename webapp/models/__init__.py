"""Typed SQLAlchemy models, one module per area; imported here so metadata is complete."""

from webapp.models.calendar import CalendarEntry, EntryMove
from webapp.models.clients import Client, Invitation
from webapp.models.data_versions import DataVersion
from webapp.models.notices import SessionMove
from webapp.models.outbox import OutboxMessage
from webapp.models.packages import Booking, CoachingSession, Package, PlusOneEnrolment
from webapp.models.payments import (
    LedgerEntry,
    PaymentAccount,
    ProgramSubscription,
    SavedCard,
    WebhookEvent,
)
from webapp.models.programs import Program
from webapp.models.ratelimit import RateLimitWindow
from webapp.models.users import (
    EmailChange,
    PasswordReset,
    SignupRequest,
    User,
)

__all__ = [
    "Booking",
    "CalendarEntry",
    "Client",
    "EmailChange",
    "CoachingSession",
    "DataVersion",
    "EntryMove",
    "Invitation",
    "LedgerEntry",
    "OutboxMessage",
    "Package",
    "PasswordReset",
    "PaymentAccount",
    "PlusOneEnrolment",
    "Program",
    "ProgramSubscription",
    "RateLimitWindow",
    "SavedCard",
    "SessionMove",
    "SignupRequest",
    "User",
    "WebhookEvent",
]
