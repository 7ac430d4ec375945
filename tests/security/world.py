"""Two coaches, each with a program and an active client, for route-by-role checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from tests.support.factories import (
    make_client,
    make_client_user,
    make_coach,
    make_program,
    saved,
)
from webapp import clock
from webapp.extensions import db
from webapp.models import (
    Booking,
    CalendarEntry,
    CoachingSession,
    EmailChange,
    Invitation,
    LedgerEntry,
    Package,
    PasswordReset,
    SignupRequest,
    User,
)
from webapp.services.calendar_edits import regenerate_feed
from webapp.services.join_links import PURPOSE, regenerate
from webapp.services.reminder_mail import unsubscribe_token
from webapp.services.tokens import derived_token, hash_token, new_random_token

ROLES = ("anonymous", "client_a", "client_b", "coach_x", "coach_y")


@dataclass
class World:
    """Ids of coach X's objects (the ones every URL points at) and who can log in."""

    emails: dict[str, str]
    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)


def build_world(app) -> World:
    with app.app_context():
        coach_x = make_coach(email="x@example.com", name="Coach X")
        coach_y = make_coach(email="y@example.com", name="Coach Y")
        user_a = make_client_user(email="a@example.com", name="Client A")
        user_b = make_client_user(email="b@example.com", name="Client B")
        program_x = make_program(coach_x, name="X Program")
        program_y = make_program(coach_y, name="Y Program")
        client_a = make_client(program_x, user=user_a)
        make_client(program_y, user=user_b)
        package_x, session_a = _package_and_session(coach_x, user_a)
        entry_a = saved(
            CalendarEntry(client_id=client_a.id, on_date=client_a.start_date, title="Squats")
        )
        feed_token = regenerate_feed(client_a)
        unsubscribe = unsubscribe_token(db.session.get(User, user_a.id))
        db.session.commit()
        pending = make_client(program_x, state="pending", email="p@example.com", name="Pending P")
        regenerate(program_x)
        saved(program_x)
        invite_token = new_random_token()
        invitation = saved(
            Invitation(
                program_id=program_x.id,
                client_id=None,
                email="e@example.com",
                name="Emailed E",
                kind="email",
                token_hash=hash_token(invite_token),
                invited_by_id=coach_x.id,
                sent_at=clock.now(),
                expires_at=clock.now() + timedelta(days=14),
            )
        )
        reset_token = new_random_token()
        saved(
            PasswordReset(
                user_id=coach_x.id,
                token_hash=hash_token(reset_token),
                expires_at=clock.now() + timedelta(hours=1),
            )
        )
        # Someone outside the roles, so confirming their change logs no role out.
        changer = make_client_user(email="changer@example.com", name="Changer")
        email_token = new_random_token()
        saved(
            EmailChange(
                user_id=changer.id,
                new_email="changed@example.com",
                token_hash=hash_token(email_token),
                expires_at=clock.now() + timedelta(hours=24),
            )
        )
        # A join-link sign-up waiting for its address to be confirmed.
        signup_token = new_random_token()
        saved(
            SignupRequest(
                email="newcomer@example.com",
                name="Newcomer",
                password_hash=coach_x.password_hash,
                role="client",
                time_zone="UTC",
                program_id=program_x.id,
                token_hash=hash_token(signup_token),
                expires_at=clock.now() + timedelta(hours=24),
            )
        )
        # Client A paid coach X 20.00 in cash: a row of their ledger.
        ledger = saved(
            LedgerEntry(
                coach_id=coach_x.id,
                client_user_id=user_a.id,
                kind="manual",
                status="succeeded",
                amount_minor=2000,
                currency="GBP",
                method="cash",
            )
        )
        world = World(
            emails={
                "client_a": user_a.email,
                "client_b": user_b.email,
                "coach_x": coach_x.email,
                "coach_y": coach_y.email,
            },
            ids={
                "program_id": program_x.id,
                "other_program_id": program_y.id,
                "client_id": client_a.id,
                "coach_id": coach_x.id,
                "package_id": package_x.id,
                "session_id": session_a.id,
                "booking_id": session_a.booking_id,
                "entry_id": entry_a.id,
                "day": client_a.start_date.isoformat(),
                "pending_client_id": pending.id,
                "invitation_id": invitation.id,
                "ledger_id": ledger.id,
            },
            tokens={
                "join_token": derived_token(PURPOSE, program_x.join_salt),
                "invite_token": invite_token,
                "feed_token": feed_token,
                "reset_token": reset_token,
                "email_token": email_token,
                "signup_token": signup_token,
                "unsubscribe_token": unsubscribe,
            },
        )
        db.session.remove()
    return world


def _package_and_session(coach, person):
    """Coach X's package of 5 for 400.00, booked once by client A: one of its sessions."""
    package = Package(coach_id=coach.id, sessions_count=5, total_minor=40000, currency="GBP")
    db.session.add(package)
    db.session.flush()
    booking = Booking(
        coach_id=coach.id,
        client_user_id=person.id,
        package_id=package.id,
        kind="package",
        sessions_count=5,
        total_minor=40000,
        rate_minor=8000,
        currency="GBP",
    )
    db.session.add(booking)
    db.session.flush()
    session = CoachingSession(booking_id=booking.id, coach_id=coach.id, client_user_id=person.id)
    db.session.add(session)
    db.session.commit()
    return package, session
