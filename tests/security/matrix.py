"""Who gets what: one row per route, one expectation per role.

Expectations:
- "ok": served (2xx, a redirect that is not to the login page, or 422 for a form that the
  matrix's empty submission does not satisfy)
- "login": redirected to log in
- "404": not found (someone else's data, or a page this role does not have)
- "403": refused, with a page saying why (e.g. log out first)

A new route without a row here fails test_every_route_is_in_the_matrix.
"""

from __future__ import annotations

ANY_LOGGED_IN = {"client_a": "ok", "client_b": "ok", "coach_x": "ok", "coach_y": "ok"}
PUBLIC = {"anonymous": "ok", **ANY_LOGGED_IN}
COACH_X_ONLY = {
    "anonymous": "login",
    "client_a": "404",
    "client_b": "404",
    "coach_x": "ok",
    "coach_y": "404",
}
ANY_COACH = {
    "anonymous": "login",
    "client_a": "404",
    "client_b": "404",
    "coach_x": "ok",
    "coach_y": "ok",
}
ANY_CLIENT = {
    "anonymous": "login",
    "client_a": "ok",
    "client_b": "ok",
    "coach_x": "404",
    "coach_y": "404",
}
CLIENT_A_ONLY = {
    "anonymous": "login",
    "client_a": "ok",
    "client_b": "404",
    "coach_x": "404",
    "coach_y": "404",
}

# An invitation belongs to one email: anyone logged in as someone else is asked to log out.
INVITATION = {
    "anonymous": "ok",
    "client_a": "403",
    "client_b": "403",
    "coach_x": "403",
    "coach_y": "403",
}
# A join link is for anyone with a client account; coach accounts cannot join as clients.
JOINER = {"anonymous": "ok", "client_a": "ok", "client_b": "ok", "coach_x": "403", "coach_y": "403"}

# POSTs a mail client makes on its own (RFC 8058 one-click unsubscribe): the secret token in
# the URL is the proof, and no CSRF token can come with them. Stripe's webhook is authenticated
# by its signature instead (tests/web/test_webhooks.py refuses unsigned and wrongly signed
# ones). Nothing else is exempt.
CSRF_EXEMPT = {("reminders.unsubscribe_post", "POST"), ("payments.webhook", "POST")}

# (endpoint, method): (url template filled from World.ids/tokens, expectations)
MATRIX: dict[tuple[str, str], tuple[str, dict[str, str]]] = {
    ("main.index", "GET"): ("/", PUBLIC),
    ("main.client_home", "GET"): ("/me", ANY_CLIENT),
    ("auth.signup", "GET"): ("/signup", PUBLIC),
    ("auth.signup_post", "POST"): ("/signup", PUBLIC),
    # A sign-up link makes a new account: whoever is logged in is asked to log out first.
    ("auth.confirm_signup", "GET"): ("/signup/confirm/{signup_token}", INVITATION),
    ("auth.confirm_signup_post", "POST"): ("/signup/confirm/{signup_token}", INVITATION),
    ("auth.login", "GET"): ("/login", PUBLIC),
    ("auth.login_post", "POST"): ("/login", PUBLIC),
    # Logging out (or being logged out already) lands everyone on the login page.
    ("auth.logout", "POST"): (
        "/logout",
        {"anonymous": "login", **{r: "login" for r in ANY_LOGGED_IN}},
    ),
    # A forgotten password: anyone may ask; the emailed link works for whoever holds it.
    ("auth.forgot_password", "GET"): ("/password/forgot", PUBLIC),
    ("auth.forgot_password_post", "POST"): ("/password/forgot", PUBLIC),
    ("auth.reset_password", "GET"): ("/password/reset/{reset_token}", PUBLIC),
    ("auth.reset_password_post", "POST"): ("/password/reset/{reset_token}", PUBLIC),
    # Your own account: anyone logged in.
    ("account.index", "GET"): ("/account", {"anonymous": "login", **ANY_LOGGED_IN}),
    ("account.update", "POST"): ("/account", {"anonymous": "login", **ANY_LOGGED_IN}),
    ("account.password", "POST"): ("/account/password", {"anonymous": "login", **ANY_LOGGED_IN}),
    ("account.change_email", "POST"): ("/account/email", {"anonymous": "login", **ANY_LOGGED_IN}),
    ("account.cancel_email_change", "POST"): (
        "/account/email/cancel",
        {"anonymous": "login", **ANY_LOGGED_IN},
    ),
    # A new-address link works for whoever holds it; logged out, you are sent to log in.
    ("account.confirm_email", "GET"): ("/account/email/confirm/{email_token}", PUBLIC),
    ("account.confirm_email_post", "POST"): (
        "/account/email/confirm/{email_token}",
        {"anonymous": "login", **ANY_LOGGED_IN},
    ),
    # Leaving: a client deletes their account, a coach closes theirs (password again).
    ("account.delete_page", "GET"): ("/account/delete", ANY_CLIENT),
    ("account.delete", "POST"): ("/account/delete", ANY_CLIENT),
    ("account.close_page", "GET"): ("/account/close", ANY_COACH),
    ("account.close", "POST"): ("/account/close", ANY_COACH),
    ("programs.index", "GET"): ("/programs/", ANY_COACH),
    ("programs.new", "GET"): ("/programs/new", ANY_COACH),
    ("programs.create", "POST"): ("/programs/new", ANY_COACH),
    ("programs.detail", "GET"): ("/programs/{program_id}", COACH_X_ONLY),
    ("programs.edit", "GET"): ("/programs/{program_id}/edit", COACH_X_ONLY),
    ("programs.update", "POST"): ("/programs/{program_id}/edit", COACH_X_ONLY),
    ("programs.publish", "POST"): ("/programs/{program_id}/publish", COACH_X_ONLY),
    ("programs.archive", "POST"): ("/programs/{program_id}/archive", COACH_X_ONLY),
    ("devmail.index", "GET"): ("/dev/mail/", ANY_COACH),
    # Packages, sessions and +1
    ("packages.index", "GET"): ("/packages/", ANY_COACH),
    ("packages.create", "POST"): ("/packages/", ANY_COACH),
    ("packages.archive", "POST"): ("/packages/{package_id}/archive", COACH_X_ONLY),
    ("sessions.index", "GET"): ("/clients/{client_id}/sessions", COACH_X_ONLY),
    ("sessions.complete", "POST"): (
        "/clients/{client_id}/sessions/{session_id}/complete",
        COACH_X_ONLY,
    ),
    ("sessions.book_for", "POST"): ("/clients/{client_id}/sessions/book", COACH_X_ONLY),
    ("sessions.complete_next", "POST"): (
        "/clients/{client_id}/sessions/{session_id}/complete-next",
        COACH_X_ONLY,
    ),
    ("sessions.undo", "POST"): ("/clients/{client_id}/sessions/{session_id}/undo", COACH_X_ONLY),
    ("sessions.place", "POST"): ("/clients/{client_id}/sessions/{session_id}/place", COACH_X_ONLY),
    ("sessions.unplace", "POST"): (
        "/clients/{client_id}/sessions/{session_id}/unplace",
        COACH_X_ONLY,
    ),
    # Your own data as a zip: a coach's business or a client's records; no id to guess.
    ("account.export", "GET"): ("/account/export.zip", {"anonymous": "login", **ANY_LOGGED_IN}),
    # Reminder times (coach) or reminders on/off (client) on one's own account page.
    ("account.reminders", "POST"): ("/account/reminders", {"anonymous": "login", **ANY_LOGGED_IN}),
    # A reminder's one-click unsubscribe link works for whoever holds it, logged in or not.
    ("reminders.unsubscribe", "GET"): ("/reminders/unsubscribe/{unsubscribe_token}", PUBLIC),
    ("reminders.unsubscribe_post", "POST"): (
        "/reminders/unsubscribe/{unsubscribe_token}",
        PUBLIC,
    ),
    ("my_coaches.detail", "GET"): ("/my/coaches/{coach_id}", CLIENT_A_ONLY),
    ("my_coaches.book", "POST"): (
        "/my/coaches/{coach_id}/packages/{package_id}/book",
        CLIENT_A_ONLY,
    ),
    ("my_coaches.plus_one", "GET"): ("/my/coaches/{coach_id}/plus-one", CLIENT_A_ONLY),
    ("my_coaches.update_plus_one", "POST"): ("/my/coaches/{coach_id}/plus-one", CLIENT_A_ONLY),
    # Clients of a program: the coach's tabs, invites and moves.
    ("clients.tab", "GET"): ("/programs/{program_id}/active", COACH_X_ONLY),
    ("clients.manual_invite", "POST"): ("/programs/{program_id}/clients/manual", COACH_X_ONLY),
    ("clients.email_invite", "POST"): ("/programs/{program_id}/clients/email", COACH_X_ONLY),
    ("clients.import_form", "GET"): ("/programs/{program_id}/clients/import", COACH_X_ONLY),
    ("clients.import_csv", "POST"): ("/programs/{program_id}/clients/import", COACH_X_ONLY),
    ("clients.send_invite", "POST"): ("/clients/{pending_client_id}/invite", COACH_X_ONLY),
    # The top bar's client switcher: each coach finds only their own clients.
    ("clients.go", "GET"): ("/clients/go", ANY_COACH),
    ("clients.switch_names", "GET"): ("/clients/names", ANY_COACH),
    ("clients.actions", "GET"): ("/clients/{client_id}/actions", COACH_X_ONLY),
    ("clients.move", "POST"): ("/clients/{client_id}/move", COACH_X_ONLY),
    ("clients.remove", "POST"): ("/clients/{pending_client_id}/remove", COACH_X_ONLY),
    # Erasing a client: what goes and what stays, then a confirmed POST.
    ("clients.erase_page", "GET"): ("/clients/{client_id}/erase", COACH_X_ONLY),
    ("clients.erase", "POST"): ("/clients/{client_id}/erase", COACH_X_ONLY),
    ("clients.resend", "POST"): (
        "/programs/{program_id}/invitations/{invitation_id}/resend",
        COACH_X_ONLY,
    ),
    ("clients.revoke", "POST"): (
        "/programs/{program_id}/invitations/{invitation_id}/revoke",
        COACH_X_ONLY,
    ),
    # Accepting an invitation: public by token; coaches are asked to log out first.
    ("invitations.show", "GET"): ("/invitation/{invite_token}", INVITATION),
    ("invitations.accept", "POST"): ("/invitation/{invite_token}", INVITATION),
    ("invitations.welcome", "GET"): ("/my/welcome/{client_id}", CLIENT_A_ONLY),
    # Join link and widget: public by token.
    ("join.show", "GET"): ("/join/{join_token}", JOINER),
    ("join.join", "POST"): ("/join/{join_token}", JOINER),
    ("join.widget", "GET"): ("/join/{join_token}/widget", PUBLIC),
    ("join.regenerate_link", "POST"): ("/programs/{program_id}/join-link/regenerate", COACH_X_ONLY),
    ("join.switch_link", "POST"): ("/programs/{program_id}/join-link/off", COACH_X_ONLY),
    # Calendars: the coach writes and moves; the client reads up to their horizon and logs.
    ("calendar.coach_calendar", "GET"): ("/clients/{client_id}/calendar", COACH_X_ONLY),
    ("calendar.coach_day", "GET"): ("/clients/{client_id}/calendar/days/{day}", COACH_X_ONLY),
    ("calendar.edit_day", "GET"): ("/clients/{client_id}/calendar/days/{day}/edit", COACH_X_ONLY),
    ("calendar.add", "POST"): ("/clients/{client_id}/calendar/days/{day}/entries", COACH_X_ONLY),
    ("calendar.show_entry", "GET"): (
        "/clients/{client_id}/calendar/entries/{entry_id}",
        COACH_X_ONLY,
    ),
    ("calendar.update", "POST"): ("/clients/{client_id}/calendar/entries/{entry_id}", COACH_X_ONLY),
    ("calendar.delete", "POST"): (
        "/clients/{client_id}/calendar/entries/{entry_id}/delete",
        COACH_X_ONLY,
    ),
    ("calendar.order", "POST"): (
        "/clients/{client_id}/calendar/entries/{entry_id}/up",
        COACH_X_ONLY,
    ),
    ("calendar.settings", "POST"): ("/clients/{client_id}/calendar/settings", COACH_X_ONLY),
    ("calendar.shift", "POST"): ("/clients/{client_id}/calendar/shift", COACH_X_ONLY),
    ("calendar.copy", "POST"): ("/clients/{client_id}/calendar/copy", COACH_X_ONLY),
    # Moving from where the coach is: a dropped entry, Shift from here, Undo.
    ("calendar.move", "POST"): (
        "/clients/{client_id}/calendar/entries/{entry_id}/move",
        COACH_X_ONLY,
    ),
    ("calendar.shift_here", "POST"): (
        "/clients/{client_id}/calendar/days/{day}/shift",
        COACH_X_ONLY,
    ),
    ("calendar.undo", "POST"): ("/clients/{client_id}/calendar/undo", COACH_X_ONLY),
    ("calendar.paste", "POST"): ("/clients/{client_id}/calendar/weeks/1/copy", COACH_X_ONLY),
    ("calendar.clip", "POST"): ("/clients/{client_id}/calendar/weeks/1/clip", COACH_X_ONLY),
    # Each coach's own Needs attention page; the old Needs training address redirects to it.
    ("calendar.needs_training", "GET"): ("/calendar/needs-training", ANY_COACH),
    ("attention.index", "GET"): ("/needs-attention", ANY_COACH),
    # Each coach's own reports and CSVs: sums over their own rows only.
    ("reports.index", "GET"): ("/reports", ANY_COACH),
    ("reports.months_csv", "GET"): ("/reports/months.csv", ANY_COACH),
    ("reports.liability_csv", "GET"): ("/reports/liability.csv", ANY_COACH),
    ("reports.ledger_csv", "GET"): ("/reports/ledger.csv", ANY_COACH),
    # The rows behind each figure: only the coach's own (a filter naming another's is a 404).
    ("reports.ledger", "GET"): ("/reports/ledger", ANY_COACH),
    ("reports.delivered", "GET"): ("/reports/sessions", ANY_COACH),
    ("reports.plus_ones", "GET"): ("/reports/plus-ones", ANY_COACH),
    ("reports.active_clients", "GET"): ("/reports/active-clients", ANY_COACH),
    ("reports.remaining", "GET"): ("/reports/remaining", ANY_COACH),
    ("calendar.my_calendar", "GET"): ("/my/calendar/{client_id}", CLIENT_A_ONLY),
    ("calendar.my_entry", "GET"): ("/my/calendar/{client_id}/entries/{entry_id}", CLIENT_A_ONLY),
    ("calendar.log_form", "GET"): (
        "/my/calendar/{client_id}/entries/{entry_id}/log",
        CLIENT_A_ONLY,
    ),
    ("calendar.log", "POST"): ("/my/calendar/{client_id}/entries/{entry_id}/log", CLIENT_A_ONLY),
    ("calendar.regenerate", "POST"): ("/my/calendar/{client_id}/feed", CLIENT_A_ONLY),
    # Payments: the coach's own Stripe settings, a client's ledger, manual payments.
    ("payments.settings", "GET"): ("/payments/settings", ANY_COACH),
    ("payments.save_settings", "POST"): ("/payments/settings", ANY_COACH),
    ("payments.check_settings", "POST"): ("/payments/settings/test", ANY_COACH),
    ("payments.disconnect_settings", "POST"): ("/payments/settings/disconnect", ANY_COACH),
    ("payments.client_payments", "GET"): ("/clients/{client_id}/payments", COACH_X_ONLY),
    ("payments.record_payment", "POST"): ("/clients/{client_id}/payments/manual", COACH_X_ONLY),
    ("payments.record_due_paid", "POST"): (
        "/clients/{client_id}/payments/due/{booking_id}",
        COACH_X_ONLY,
    ),
    # A refund needs the coach's Stripe (the matrix's coach has none): not found for everyone.
    ("payments.refund", "POST"): (
        "/clients/{client_id}/payments/{ledger_id}/refund",
        {**COACH_X_ONLY, "coach_x": "404"},
    ),
    # Card payments: only for a coach who connected Stripe (the matrix's coach has not).
    ("payments.checkout", "GET"): (
        "/my/coaches/{coach_id}/packages/{package_id}/pay",
        {**CLIENT_A_ONLY, "client_a": "404"},
    ),
    ("payments.setup", "POST"): (
        "/my/coaches/{coach_id}/packages/{package_id}/pay/setup",
        {**CLIENT_A_ONLY, "client_a": "404"},
    ),
    ("payments.pay", "POST"): (
        "/my/coaches/{coach_id}/packages/{package_id}/pay",
        {**CLIENT_A_ONLY, "client_a": "404"},
    ),
    # A booking with nothing due has no pay page.
    ("payments.checkout_due", "GET"): (
        "/my/coaches/{coach_id}/bookings/{booking_id}/pay",
        {**CLIENT_A_ONLY, "client_a": "404"},
    ),
    ("payments.setup_due", "POST"): (
        "/my/coaches/{coach_id}/bookings/{booking_id}/pay/setup",
        {**CLIENT_A_ONLY, "client_a": "404"},
    ),
    ("payments.pay_due", "POST"): (
        "/my/coaches/{coach_id}/bookings/{booking_id}/pay",
        {**CLIENT_A_ONLY, "client_a": "404"},
    ),
    # A program's card payments: the matrix's program has no Stripe, so nothing to pay there.
    ("payments.subscribe_page", "GET"): (
        "/my/programs/{client_id}/subscribe",
        {**CLIENT_A_ONLY, "client_a": "404"},
    ),
    ("payments.subscribe_setup", "POST"): (
        "/my/programs/{client_id}/subscribe/setup",
        {**CLIENT_A_ONLY, "client_a": "404"},
    ),
    ("payments.subscribe", "POST"): (
        "/my/programs/{client_id}/subscribe",
        {**CLIENT_A_ONLY, "client_a": "404"},
    ),
    ("payments.my_payment", "GET"): ("/my/coaches/{coach_id}/payments/{ledger_id}", CLIENT_A_ONLY),
    # A webhook URL names a connected coach's account; any other is not found.
    ("payments.webhook", "POST"): (
        "/payments/webhooks/nobody",
        {"anonymous": "404", **{r: "404" for r in ANY_LOGGED_IN}},
    ),
    # The feed is public by its secret URL.
    ("calendar.feed", "GET"): ("/feeds/{feed_token}.ics", PUBLIC),
}

# Checked last in a role's run: they change what the other URLs point at.
DESTRUCTIVE = {
    ("account.close", "POST"),
    ("account.delete", "POST"),
    ("clients.erase", "POST"),
    ("calendar.delete", "POST"),
    ("calendar.regenerate", "POST"),
    ("calendar.shift", "POST"),
    ("calendar.shift_here", "POST"),
    ("clients.remove", "POST"),
    ("clients.revoke", "POST"),
    ("clients.move", "POST"),
    ("clients.resend", "POST"),
    ("join.regenerate_link", "POST"),
    ("join.switch_link", "POST"),
    ("payments.disconnect_settings", "POST"),
}
