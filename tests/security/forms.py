"""Every form of the app, with a valid submission, for the bad-input corpus.

Each entry: role that may submit it, URL template (filled from World.ids), a valid payload,
the fields to attack, and what some fields must refuse. A form added to the app gets a row here.
"""

from __future__ import annotations

from tests.support.factories import PASSWORD

# Kinds of input a field must refuse (4xx with a message), by the field's meaning.
DATES = ("date year 1", "date year 1900", "date year 9999", "malformed date")
AMOUNTS = ("decimal comma", "stray groups", "exponent", "minus zero", "not a number", "long digits")
ONE_LINE = ("line break",)

PROGRAM = {
    "refuse": {"price": AMOUNTS, "name": ONE_LINE},
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
        "paid_outside",
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
        "refuse": {"name": ONE_LINE, "email": ONE_LINE},
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
        "refuse": {"name": ONE_LINE},
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
    "account_reminders_coach": {
        "role": "coach_x",
        "url": "/account/reminders",
        "valid": {
            "reminders-offsets": "48, 1",
            "reminders-location": "Studio 4",
            "reminders-agenda": "y",
        },
        "refuse": {"reminders-offsets": ONE_LINE, "reminders-location": ONE_LINE},
        "fields": ["reminders-offsets", "reminders-location", "reminders-agenda"],
    },
    "account_reminders_client": {
        "role": "client_a",
        "url": "/account/reminders",
        "valid": {"reminders-reminders": "y", "reminders-digest": "y"},
        "fields": ["reminders-reminders", "reminders-digest"],
    },
    "account_delete": {
        "role": "client_a",
        "url": "/account/delete",
        "valid": {"current_password": PASSWORD, "understood": "y"},
        "fields": ["current_password", "understood"],
    },
    "account_close": {
        "role": "coach_x",
        "url": "/account/close",
        "valid": {"current_password": PASSWORD, "understood": "y"},
        "fields": ["current_password", "understood"],
    },
    "client_erase": {
        "role": "coach_x",
        "url": "/clients/{client_id}/erase",
        "valid": {"understood": "y"},
        "fields": ["understood"],
    },
    "program_create": {"role": "coach_x", "url": "/programs/new", **PROGRAM},
    "program_edit": {"role": "coach_x", "url": "/programs/{program_id}/edit", **PROGRAM},
    "package_create": {
        "role": "coach_x",
        "url": "/packages/",
        "valid": {"sessions_count": "5", "price": "400.00", "currency": "GBP", "name": ""},
        "refuse": {"price": AMOUNTS, "name": ONE_LINE},
        "fields": ["sessions_count", "price", "currency", "name", "offered_to", "no_auto_renewal"],
    },
    "stripe_keys": {
        "role": "coach_x",
        "url": "/payments/settings",
        "valid": {
            "secret_key": "sk_test_corpus",
            "publishable_key": "pk_test_corpus",
            "webhook_secret": "whsec_corpus_secret",
        },
        "refuse": {},
        "fields": ["secret_key", "publishable_key", "webhook_secret"],
    },
    "manual_payment": {
        "role": "coach_x",
        "url": "/clients/{client_id}/payments/manual",
        "valid": {"price": "20.00", "currency": "GBP", "method": "cash", "note": "", "key": "k1"},
        "refuse": {"price": AMOUNTS, "note": ONE_LINE},
        "fields": ["price", "currency", "method", "note", "key"],
    },
    "session_place": {
        "role": "coach_x",
        "url": "/clients/{client_id}/sessions/{session_id}/place",
        "valid": {"on_date": "2026-07-07", "at_time": "09:30"},
        "refuse": {"on_date": DATES},
        "fields": ["on_date", "at_time"],
    },
    "plus_one_preferences": {
        "role": "client_a",
        "url": "/my/coaches/{coach_id}/plus-one",
        "valid": {"action": "enrol"},
        "fields": ["action", "paused_until"],
    },
    "plus_one_pause": {
        "role": "client_a",
        "url": "/my/coaches/{coach_id}/plus-one",
        "valid": {"action": "pause", "paused_until": "2099-01-01"},
        "refuse": {"paused_until": DATES},
        "fields": ["paused_until"],
    },
    "client_import": {
        "role": "coach_x",
        "url": "/programs/{program_id}/clients/import",
        "valid": {},
        "fields": ["import-file"],
    },
    "manual_invite": {
        "role": "coach_x",
        "url": "/programs/{program_id}/clients/manual",
        "valid": {"manual-name": "Ana", "manual-email": "ana@example.com"},
        "refuse": {"manual-name": ONE_LINE, "manual-email": ONE_LINE},
        "fields": ["manual-name", "manual-email"],
    },
    "quick_invite": {
        "role": "coach_x",
        "url": "/programs/{program_id}/clients/manual?quick=1",
        "valid": {"manual-name": "Quinn", "manual-email": "quinn@example.com"},
        "refuse": {"manual-name": ONE_LINE, "manual-email": ONE_LINE},
        "fields": ["manual-name", "manual-email"],
    },
    "email_invite": {
        "role": "coach_x",
        "url": "/programs/{program_id}/clients/email",
        "valid": {"invite-name": "Ben", "invite-email": "ben@example.com"},
        "refuse": {"invite-name": ONE_LINE, "invite-email": ONE_LINE},
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
        "refuse": {"name": ONE_LINE},
        "fields": ["name", "password", "time_zone", "waiver"],
    },
    "join_program": {
        "role": "anonymous",
        "url": "/join/{join_token}",
        "valid": {**SIGNUP_ACCEPT, "email": "joiner@example.com"},
        "refuse": {"name": ONE_LINE, "email": ONE_LINE},
        "fields": ["name", "email", "password", "time_zone", "waiver"],
    },
    "calendar_add_entry": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/days/{day}/entries",
        "valid": {"title": "Intervals", "body": "6 x 400m", "at_time": "07:30"},
        "refuse": {"title": ONE_LINE},
        "fields": ["title", "body", "at_time"],
    },
    "calendar_edit_entry": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/entries/{entry_id}",
        "valid": {"title": "Intervals", "body": "", "at_time": "", "on_date": "{day}"},
        "refuse": {"title": ONE_LINE, "on_date": DATES},
        "fields": ["title", "body", "at_time", "on_date"],
    },
    "calendar_settings": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/settings",
        "valid": {"start_date": "{day}", "horizon": "14"},
        "refuse": {"start_date": DATES},
        "fields": ["start_date", "horizon"],
    },
    "calendar_shift": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/shift",
        "valid": {"from_date": "{day}", "days": "7"},
        "refuse": {"from_date": DATES},
        "fields": ["from_date", "days"],
    },
    "calendar_copy_week": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/copy",
        "valid": {"source_week": "1", "target_client": "{client_id}", "target_week": "2"},
        "fields": ["source_week", "target_client", "target_week"],
    },
    "coach_books_for_client": {
        "role": "coach_x",
        "url": "/clients/{client_id}/sessions/book",
        "valid": {"package": "{package_id}", "payment": "due", "key": "corpus-key"},
        "fields": ["package", "payment", "key"],
    },
    "calendar_move_entry": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/entries/{entry_id}/move",
        "valid": {"on_date": "{day}"},
        "refuse": {"on_date": DATES},
        "fields": ["on_date"],
    },
    "calendar_shift_here": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/days/{day}/shift",
        "valid": {"days": "0", "sessions_too": "y"},
        "fields": ["days", "sessions_too"],
    },
    "calendar_paste_week": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/weeks/1/copy",
        "valid": {"target_client": "{client_id}", "target_week": "2", "mode": "append"},
        "fields": ["target_client", "target_week", "mode"],
    },
    "calendar_undo": {
        "role": "coach_x",
        "url": "/clients/{client_id}/calendar/undo",
        "valid": {"move": "", "session-0": "1@2026-01-01T09:00:00+00:00@2026-01-08T09:00:00+00:00"},
        "fields": ["move", "session-0"],
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
    # Dates no calendar holds, and ones that are not dates at all.
    "date year 1": "0001-01-01",
    "date year 1900": "1900-01-01",
    "date year 9999": "9999-12-31",
    "malformed date": "2026-02-30",
    # Amounts that would be misread: a decimal comma, stray groups, exponents, signs.
    "decimal comma": "12,50",
    "stray groups": "1,2,3.5",
    "exponent": "1e9",
    "minus zero": "-0",
    "not a number": "NaN",
    "long digits": "9" * 400,
    # A line break where one line is expected would reach an email header.
    "line break": "Casey\r\nBcc: everyone@example.com",
}

# Values for every query parameter any page reads, and for a date in a path.
URL_CORPUS = {
    **{kind: CORPUS[kind] for kind in DATES + AMOUNTS},
    "huge number": "9" * 40,
    "month year 9999": "9999-12",
    "month year 1": "0001-01",
    "month 13": "2026-13",
    "negative": "-1",
    "oversize": "x" * 5000,
    "markup": '"><img src=x onerror=alert(1)>',
}
QUERY_PARAMETERS = (
    "week",
    "month",
    "view",
    "from",
    "entry",
    "page",
    "q",
    "compact",
    "next",
    "to",
    "currency",
    "client",
    "program",
)
