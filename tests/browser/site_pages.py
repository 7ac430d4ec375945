"""Every page of the site, by who sees it, and the open editors and menus on them.

A GET route of the security matrix that renders a page must be visited here, or be listed in
NOT_PAGES with the reason (test_every_page_route_is_visited)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import expect


@dataclass(frozen=True)
class Visit:
    name: str
    role: str
    path: str
    endpoint: str
    opens: Callable | None = None  # what is opened once the page has loaded

    def __str__(self) -> str:
        return self.name


def open_first_day(tab) -> None:
    day = tab.locator(".cal-day").nth(9 if tab.locator(".cal-month").count() else 2)
    day_id = day.get_attribute("id")
    day.locator(".cal-day-head").click()
    # htmx settles the swapped day with its old classes for a moment: wait for the new ones.
    expect(tab.locator(f"#{day_id}")).to_have_class(re.compile(r"\bediting\b"))
    expect(tab.locator(f"#{day_id} form.cal-add")).to_be_visible()


def upload_bad_csv(tab) -> None:
    csv_file = {"name": "c.csv", "mimeType": "text/csv", "buffer": b"name,email\n,x@example.com\n"}
    tab.locator("#import-file").set_input_files(files=[csv_file])
    tab.get_by_role("button", name="Import into Pending").click()
    expect(tab.locator("#import-line-errors")).to_be_visible()


def open_copy_week(tab) -> None:
    tab.locator("#copy-week > summary").click()
    expect(tab.get_by_role("button", name="Replace their week")).to_be_visible()


def open_move_to(tab) -> None:
    day = tab.locator(".cal-day:not(.outside):has(.cal-entry)").first
    day_id = day.get_attribute("id")
    day.locator(".cal-day-head").click()
    expect(tab.locator(f"#{day_id}")).to_have_class(re.compile(r"\bediting\b"))
    tab.locator(f"#{day_id} .move-to > summary").first.click()
    expect(tab.locator(f"#{day_id} .move-to form").first).to_be_visible()


def open_attention_menu(tab) -> None:
    expect(tab.locator("#attention-count")).not_to_be_empty()
    tab.locator("#attention-menu > summary").click()
    expect(tab.get_by_role("link", name="Open Needs attention")).to_be_visible()


def open_row_menu(tab) -> None:
    tab.locator("#active-clients .row-menu > summary").first.click()
    expect(tab.locator("#active-clients .row-menu-body form").first).to_be_visible()


def submit_empty_invites(tab) -> None:
    tab.locator("#manual-invite").get_by_role("button", name="Add to Pending").click()
    expect(tab.locator("#manual-invite .error").first).to_be_visible()


def open_log_form(tab) -> None:
    tab.get_by_role("link", name="Mark done / add a note").first.click()
    expect(tab.locator(".my-entry form").first).to_be_visible()


CAL = "/clients/{client_id}/calendar"
PROGRAM = "/programs/{program_id}"
MY_COACH = "/my/coaches/{coach_id}"
MY_CAL = "/my/calendar/{client_id}"
MONTH = CAL + "?view=month"

VISITS = [
    # The coach
    Visit("programs", "coach_x", "/programs/", "programs.index"),
    Visit("attention-menu", "coach_x", "/programs/", "programs.index", open_attention_menu),
    Visit("new-program", "coach_x", "/programs/new", "programs.new"),
    Visit("edit-program", "coach_x", PROGRAM + "/edit", "programs.edit"),
    Visit("program", "coach_x", PROGRAM, "programs.detail"),
    Visit("program-invites-refused", "coach_x", PROGRAM, "programs.detail", submit_empty_invites),
    Visit("active-tab", "coach_x", PROGRAM + "/active", "clients.tab"),
    Visit("active-tab-row-menu", "coach_x", PROGRAM + "/active", "clients.tab", open_row_menu),
    Visit("pending-tab", "coach_x", PROGRAM + "/pending", "clients.tab"),
    Visit("invitations-tab", "coach_x", PROGRAM + "/invitations", "clients.tab"),
    Visit("go-to-client", "coach_x", "/clients/go?q=e", "clients.go"),
    Visit("move-or-remove", "coach_x", "/clients/{client_id}/actions", "clients.actions"),
    Visit("week", "coach_x", CAL, "calendar.coach_calendar"),
    Visit("week-day-open", "coach_x", CAL, "calendar.coach_calendar", open_first_day),
    Visit("week-copy-open", "coach_x", CAL, "calendar.coach_calendar", open_copy_week),
    Visit("week-move-to-open", "coach_x", CAL, "calendar.coach_calendar", open_move_to),
    Visit("month", "coach_x", MONTH, "calendar.coach_calendar"),
    Visit("month-move-to-open", "coach_x", MONTH, "calendar.coach_calendar", open_move_to),
    Visit("month-day-open", "coach_x", MONTH, "calendar.coach_calendar", open_first_day),
    Visit("day", "coach_x", CAL + "/days/{day}", "calendar.coach_day"),
    Visit("day-editor", "coach_x", CAL + "/days/{day}/edit", "calendar.edit_day"),
    Visit("sessions", "coach_x", "/clients/{client_id}/sessions", "sessions.index"),
    Visit("packages", "coach_x", "/packages/", "packages.index"),
    Visit("attention", "coach_x", "/needs-attention", "attention.index"),
    Visit("coach-account", "coach_x", "/account", "account.index"),
    Visit("close-account", "coach_x", "/account/close", "account.close_page"),
    Visit("erase-client", "coach_x", "/clients/{client_id}/erase", "clients.erase_page"),
    Visit("captured-mail", "coach_x", "/dev/mail/", "devmail.index"),
    Visit("payment-settings", "coach_x", "/payments/settings", "payments.settings"),
    Visit("reports", "coach_x", "/reports", "reports.index"),
    Visit("report-ledger", "coach_x", "/reports/ledger?from=2020-01&to=2029-12", "reports.ledger"),
    Visit("report-sessions", "coach_x", "/reports/sessions", "reports.delivered"),
    Visit("report-plus-ones", "coach_x", "/reports/plus-ones", "reports.plus_ones"),
    Visit("report-active", "coach_x", "/reports/active-clients", "reports.active_clients"),
    Visit("report-remaining", "coach_x", "/reports/remaining", "reports.remaining"),
    Visit(
        "client-import", "coach_x", "/programs/{program_id}/clients/import", "clients.import_form"
    ),
    Visit(
        "client-import-errors",
        "coach_x",
        "/programs/{program_id}/clients/import",
        "clients.import_form",
        upload_bad_csv,
    ),
    Visit(
        "client-payments", "coach_x", "/clients/{client_id}/payments", "payments.client_payments"
    ),
    # The client
    Visit("client-home", "client_a", "/me", "main.client_home"),
    Visit("my-calendar", "client_a", MY_CAL, "calendar.my_calendar"),
    Visit("my-calendar-log-open", "client_a", MY_CAL, "calendar.my_calendar", open_log_form),
    Visit("my-entry", "client_a", MY_CAL + "/entries/{entry_id}", "calendar.my_entry"),
    Visit("my-entry-log", "client_a", MY_CAL + "/entries/{entry_id}/log", "calendar.log_form"),
    Visit("my-coach-packages", "client_a", MY_COACH, "my_coaches.detail"),
    Visit("plus-one", "client_a", MY_COACH + "/plus-one", "my_coaches.plus_one"),
    Visit("my-payment", "client_a", MY_COACH + "/payments/{ledger_id}", "payments.my_payment"),
    Visit("welcome", "client_a", "/my/welcome/{client_id}", "invitations.welcome"),
    Visit("client-account", "client_a", "/account", "account.index"),
    Visit("delete-account", "client_a", "/account/delete", "account.delete_page"),
    # Anyone
    Visit("home", "anonymous", "/", "main.index"),
    Visit("login", "anonymous", "/login", "auth.login"),
    Visit("signup", "anonymous", "/signup", "auth.signup"),
    Visit("forgot-password", "anonymous", "/password/forgot", "auth.forgot_password"),
    Visit("reset-password", "anonymous", "/password/reset/{reset_token}", "auth.reset_password"),
    Visit(
        "confirm-email",
        "anonymous",
        "/account/email/confirm/{email_token}",
        "account.confirm_email",
    ),
    Visit("confirm-signup", "anonymous", "/signup/confirm/{signup_token}", "auth.confirm_signup"),
    Visit("join", "anonymous", "/join/{join_token}", "join.show"),
    Visit("widget", "anonymous", "/join/{join_token}/widget", "join.widget"),
    Visit("invitation", "anonymous", "/invitation/{invite_token}", "invitations.show"),
    Visit(
        "unsubscribe",
        "anonymous",
        "/reminders/unsubscribe/{unsubscribe_token}",
        "reminders.unsubscribe",
    ),
    Visit("invitation-refused", "coach_x", "/invitation/{invite_token}", "invitations.show"),
    Visit("not-found", "anonymous", "/no-such-page", "404"),
]

NOT_PAGES = {
    "reports.months_csv": "a CSV download (tests/web/test_reports_csv.py)",
    "reports.liability_csv": "a CSV download (tests/web/test_reports_csv.py)",
    "reports.ledger_csv": "a CSV download (tests/web/test_reports_csv.py)",
    "account.export": "a zip download (tests/web/test_data_export.py)",
    "clients.switch_names": "the switcher's datalist options, a fragment",
    # Card pages need a coach connected to Stripe, which this site's world has not: they are
    # checked at 1280 and 390 px with the fake Stripe's card Element in test_card_payments.py.
    "payments.checkout": "card page: tests/browser/test_card_payments.py",
    "payments.checkout_due": "the card page of payments.checkout, for a booking with payment due",
    "payments.subscribe_page": "card page: tests/browser/test_card_payments.py",
    "calendar.feed": "an iCalendar file, not a page",
    "calendar.needs_training": "redirects to Needs attention",
    "calendar.show_entry": "one entry of the open day editor, a fragment; without htmx it "
    "redirects to the day editor (tests/web/test_entry_saved_in_place.py)",
}
