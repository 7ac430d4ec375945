"""Every form of the app, with a valid submission, for the bad-input corpus.

Each entry: role that may submit it, URL template (filled from World.ids), a valid payload,
and the fields to attack. A form added to the app gets a row here.
"""

from __future__ import annotations

from tests.support.factories import PASSWORD

PROGRAM = {
    "valid": {
        "name": "P",
        "price": "10.00",
        "currency": "GBP",
        "billing_period": "month",
        "description": "",
        "welcome_message": "",
        "waiver": "",
    },
    "fields": [
        "name",
        "price",
        "currency",
        "billing_period",
        "description",
        "welcome_message",
        "waiver",
    ],
}

SIGNUP_ACCEPT = {
    "name": "New Client",
    "password": "a long enough password",
    "time_zone": "Europe/London",
    "waiver": "y",
}

FORMS: dict[str, dict] = {
    "signup": {
        "role": "anonymous",
        "url": "/signup",
        "valid": {
            "name": "New Coach",
            "email": "new@example.com",
            "password": "a long enough password",
            "time_zone": "Europe/London",
        },
        "fields": ["name", "email", "password", "time_zone"],
    },
    "confirm_signup": {
        "role": "anonymous",
        "url": "/signup/confirm/{signup_token}",
        "valid": {"password": "not the one chosen at sign-up"},
        "fields": ["password"],
    },
    "login": {
        "role": "anonymous",
        "url": "/login",
        "valid": {"email": "x@example.com", "password": "wrong but long enough"},
        "fields": ["email", "password"],
    },
    "forgot_password": {
        "role": "anonymous",
        "url": "/password/forgot",
        "valid": {"email": "x@example.com"},
        "fields": ["email"],
    },
    "reset_password": {
        "role": "anonymous",
        "url": "/password/reset/{reset_token}",
        "valid": {"password": "a brand new passphrase", "confirm": "a brand new passphrase"},
        "fields": ["password", "confirm"],
    },
    "account_details": {
        "role": "client_a",
        "url": "/account",
        "valid": {"name": "Client A", "time_zone": "Europe/Paris"},
        "fields": ["name", "time_zone"],
    },
    "account_password": {
        "role": "coach_x",
        "url": "/account/password",
        "valid": {
            "current_password": PASSWORD,
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
        "fields": ["current_password", "password", "confirm"],
    },
    "account_email": {
        "role": "coach_x",
        "url": "/account/email",
        "valid": {"change-email": "x.new@example.com", "change-current_password": PASSWORD},
        "fields": ["change-email", "change-current_password"],
    },
    "program_create": {"role": "coach_x", "url": "/programs/new", **PROGRAM},
    "program_edit": {"role": "coach_x", "url": "/programs/{program_id}/edit", **PROGRAM},
    "package_create": {
        "role": "coach_x",
        "url": "/packages/",
        "valid": {"sessions_count": "5", "price": "400.00", "currency": "GBP", "name": ""},
        "fields": ["sessions_count", "price", "currency", "name", "offered_to", "no_auto_renewal"],
    },
    "session_place": {
        "role": "coach_x",
        "url": "/clients/{client_id}/sessions/{session_id}/place",
        "valid": {"on_date": "2026-07-07", "at_time": "09:30"},
        "fields": ["on_date", "at_time"],
    },
    "plus_one_preferences": {
        "role": "client_a",
        "url": "/my/coaches/{coach_id}/plus-one",
        "valid": {"action": "enrol"},
        "fields": ["action", "paused_until"],
    },
    "manual_invite": {
        "role": "coach_x",
        "url": "/programs/{program_id}/clients/manual",
        "valid": {"manual-name": "Ana", "manual-email": "ana@example.com"},
        "fields": ["manual-name", "manual-email"],
    },
    "email_invite": {
        "role": "coach_x",
        "url": "/programs/{program_id}/clients/email",
        "valid": {"invite-name": "Ben", "invite-email": "ben@example.com"},
        "fields": ["invite-name", "invite-email"],
    },
    "move_client": {
        "role": "coach_x",
        "url": "/clients/{client_id}/move",
        "valid": {"program_id": "{program_id}"},
        "fields": ["program_id"],
    },
    "accept_invitation": {
        "role": "anonymous",
        "url": "/invitation/{invite_token}",
        "valid": SIGNUP_ACCEPT,
        "fields": ["name", "password", "time_zone", "waiver"],
    },
    "join_program": {
        "role": "anonymous",
        "url": "/join/{join_token}",
        "valid": {**SIGNUP_ACCEPT, "email": "joiner@example.com"},
        "fields": ["name", "email", "password", "time_zone", "waiver"],
    },
    "calendar_add_entry": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/days/{day}/entries",
        "valid": {"title": "Intervals", "body": "6 x 400m", "at_time": "07:30"},
        "fields": ["title", "body", "at_time"],
    },
    "calendar_edit_entry": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/entries/{entry_id}",
        "valid": {"title": "Intervals", "body": "", "at_time": "", "on_date": "{day}"},
        "fields": ["title", "body", "at_time", "on_date"],
    },
    "calendar_settings": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/settings",
        "valid": {"start_date": "{day}", "horizon": "14"},
        "fields": ["start_date", "horizon"],
    },
    "calendar_shift": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/shift",
        "valid": {"from_date": "{day}", "days": "7"},
        "fields": ["from_date", "days"],
    },
    "calendar_copy_week": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/copy",
        "valid": {"source_week": "1", "target_client": "{client_id}", "target_week": "2"},
        "fields": ["source_week", "target_client", "target_week"],
    },
    "calendar_log": {
        "role": "client_a",
        "url": "/my/calendar/{client_id}/entries/{entry_id}/log",
        "valid": {"done": "y", "note": "Felt strong"},
        "fields": ["done", "note"],
    },
}

# Inputs a person or an attacker might send to any field.
CORPUS = {
    "empty": "",
    "oversize": "x" * 100_000,
    "wrong type": "not-a-number-or-choice",
    "negative": "-1",
    "huge number": "9" * 40,
    "script": '<script>alert("x")</script>',
    "markup": '"><img src=x onerror=alert(1)>',
    "unicode": "Zoë — 名前 🏋️ ‮",
    "nul": "abc\x00def",
    "sql": "'; DROP TABLE users; --",
    "whitespace": "   \t\n  ",
}
