"""One-line text (names, titles, emails) refuses line breaks and other control characters, with
a message by the field and nothing written: a name like that would end up in an email header."""

from __future__ import annotations

import pytest

from tests.security.forms import FORMS
from tests.security.test_bad_input import snapshot
from tests.security.world import build_world
from tests.support.factories import PASSWORD

# form: its one-line text fields
SINGLE_LINE = {
    "signup": ["name", "email"],
    "login": ["email"],
    "forgot_password": ["email"],
    "account_details": ["name"],
    "account_email": ["change-email"],
    "program_create": ["name"],
    "program_edit": ["name"],
    "package_create": ["name"],
    "manual_invite": ["manual-name", "manual-email"],
    "email_invite": ["invite-name", "invite-email"],
    "accept_invitation": ["name"],
    "join_program": ["name", "email"],
    "calendar_add_entry": ["title"],
    "calendar_edit_entry": ["title"],
}

BREAKS = {
    "CR LF": "Casey\r\nBcc: everyone@example.com",
    "LF": "Casey\nCoach",
    "CR": "Casey\rCoach",
    "tab": "Casey\tCoach",
    "next line (U+0085)": "Casey\x85Coach",
    "line separator (U+2028)": "Casey\u2028Coach",
    "escape": "Casey\x1b[31mCoach",
}


def _cases():
    for form_name, fields in sorted(SINGLE_LINE.items()):
        for field in fields:
            yield pytest.param(form_name, field, id=f"{form_name}.{field}")


@pytest.mark.parametrize(("form_name", "field"), list(_cases()))
def test_a_line_break_in_one_line_text_is_refused_by_the_field(app, form_name, field):
    spec = FORMS[form_name]
    world = build_world(app)
    client = app.test_client()
    if spec["role"] != "anonymous":
        client.login(world.emails[spec["role"]], PASSWORD)
    url = spec["url"].format(**world.ids, **world.tokens)
    valid = {key: value.format(**world.ids, **world.tokens) for key, value in spec["valid"].items()}
    problems = []
    for kind, value in BREAKS.items():
        if "email" in field:
            value = value.replace("Casey", "casey@example.com", 1)
        before = snapshot(app)
        response = client.post(url, data={**valid, field: value})
        html = response.get_data(as_text=True)
        where = f"{kind}: {response.status_code}"
        if response.status_code != 422 and not (
            response.status_code == 400 and "control characters" in html
        ):
            problems.append(f"{where} not refused")
        elif response.status_code == 422 and 'class="error"' not in html:
            problems.append(f"{where} refused without a message by the field")
        if snapshot(app) != before:
            problems.append(f"{where} the database changed")
    assert problems == []


def test_multi_line_text_keeps_its_line_breaks(app):
    world = build_world(app)
    client = app.test_client()
    client.login(world.emails["coach_x"], PASSWORD)
    url = "/clients/{client_id}/calendar/days/{day}/entries".format(**world.ids)
    response = client.post(url, data={"title": "Intervals", "body": "6 x 400m\r\njog 200m"})
    assert response.status_code in (302, 303)
    day = client.get(url.rsplit("/", 1)[0]).get_data(as_text=True)
    assert "6 x 400m" in day and "jog 200m" in day


def test_an_email_subject_built_from_an_older_name_with_a_line_break_stays_one_line(app):
    from webapp.services.outbox import queue_email

    with app.app_context():
        message = queue_email("a@example.com", "+1: one more session with Casey\r\nBcc: x", "Hi")
        assert message.subject == "+1: one more session with Casey Bcc: x"
