"""A CSV of clients becomes Manual Invites in Pending, all or none: bad lines are listed by
number next to the upload field, and nothing is imported when any line is bad."""

from __future__ import annotations

import html as entities
import io
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client, make_program
from webapp.extensions import db
from webapp.models import Client, Invitation, Program, User
from webapp.models.outbox import OutboxMessage
from webapp.rules.client_import import MAX_BYTES, MAX_ROWS

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen_clock")


def _upload(coach, pair, content: bytes | str, name: str = "clients.csv"):
    data = content.encode() if isinstance(content, str) else content
    return coach.post(
        f"/programs/{pair.program_id}/clients/import",
        data={"import-file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _pending(app) -> list[tuple[str, str, int, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Client.name, Client.email, Client.program_id, Client.state, Client.method)
            .where(Client.state == "pending")
            .order_by(Client.email)
        )
        return [tuple(row) for row in rows]


def _line_errors(response) -> list[str]:
    html = response.get_data(as_text=True)
    assert 'id="import-file-error"' in html
    assert 'aria-describedby="import-format import-file-error"' in html
    items = re.findall(r'<li data-line="\d+">(.*?)</li>', html)
    return [entities.unescape(re.sub(r"\s+", " ", item)) for item in items]


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_every_line_becomes_a_manual_invite_in_pending(app, pair, coach):
    with app.app_context():
        coach_user = db.session.get(User, pair.coach_id)
        other = make_program(coach_user, name="Group strength")
        other_id = other.id
    csv_text = (
        "name,email,program\r\n"
        "Ana Ruiz,Ana@Example.com,\r\n"
        "Ben Ode, ben@example.com ,group strength\r\n"
        f"Cleo Ma,cleo@example.com,{other_id}\r\n"
        "\r\n"
        "Ana Ruiz,ana@example.com,Group Strength\r\n"
    )
    page = _upload(coach, pair, csv_text)
    assert page.status_code == 303
    assert page.headers["Location"].endswith(f"/programs/{pair.program_id}/pending")
    assert _pending(app) == [
        ("Ana Ruiz", "ana@example.com", pair.program_id, "pending", "manual"),
        ("Ana Ruiz", "ana@example.com", other_id, "pending", "manual"),
        ("Ben Ode", "ben@example.com", other_id, "pending", "manual"),
        ("Cleo Ma", "cleo@example.com", other_id, "pending", "manual"),
    ]
    tab = coach.get(page.headers["Location"]).get_data(as_text=True)
    assert "4 clients are in Pending" in tab and "Ana Ruiz" in tab
    # A Manual Invite sends nothing until the coach sends the invitation.
    assert _count(app, Invitation) == 0 and _count(app, OutboxMessage) == 0


def test_excel_semicolons_a_bom_and_any_column_order_are_read(app, pair, coach):
    content = "\ufeffEmail;Phone;Name\r\nzoe@example.com;+44 1;Zoë Brontë\r\n".encode()
    assert _upload(coach, pair, content).status_code == 303
    assert _pending(app) == [
        ("Zoë Brontë", "zoe@example.com", pair.program_id, "pending", "manual")
    ]


def test_bad_lines_are_listed_by_number_and_nothing_is_imported(app, pair, coach):
    with app.app_context():
        program = db.session.get(Program, pair.program_id)
        make_client(program, name="Already Here", email="here@example.com", state="pending")
        coach_user = db.session.get(User, pair.coach_id)
        make_program(coach_user, name="Twin")
        make_program(coach_user, name="Twin")
        other_coach_program = make_program(
            db.session.scalar(sa.select(User).where(User.role == "client")), name="Not yours"
        ).id
    before = _pending(app)
    csv_text = (
        "name,email,program\n"
        "Good One,good@example.com,\n"  # line 2: fine, but not imported
        ",noname@example.com,\n"  # 3
        "Bad Email,not-an-email,\n"  # 4
        "Lost,lost@example.com,Nowhere\n"  # 5
        "Dup,good@example.com,\n"  # 6
        "Already,here@example.com,\n"  # 7
        '"Two\nLines",two@example.com,\n'  # 8-9
        "Twins,twins@example.com,Twin\n"  # 10
        f"Other,other@example.com,{other_coach_program}\n"  # 11
        f"Me,{pair.coach_email},\n"  # 12
        "Tab\tName,tab@example.com,\n"  # 13
    )
    page = _upload(coach, pair, csv_text)
    assert page.status_code == 422
    assert _line_errors(page) == [
        "Line 3: enter a name.",
        "Line 4: “not-an-email” is not a valid email address.",
        "Line 5: no program of yours is named “Nowhere”.",
        "Line 6: good@example.com is already on line 2 of this file.",
        "Line 7: this person is already pending in this program.",
        "Line 8: a cell runs over more than one line.",
        "Line 10: two of your programs are named “Twin”: write its id instead.",
        f"Line 11: no program of yours is named “{other_coach_program}”.",
        "Line 12: that is your own email address. Invite your client's email instead.",
        "Line 13: remove the tab or control character.",
    ]
    assert "Nothing was imported" in page.get_data(as_text=True)
    assert _pending(app) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,email\r\nZoë,zoe@example.com\r\n".encode("latin-1"), "The file is not UTF-8 text."),
        (b"", "The file is empty."),
        (b"\r\n\r\n", "The file is empty."),
        (b"who,where\r\nA,a@example.com\r\n", "Line 1 must name the columns"),
        (b"name,email\r\n", "the file has no clients under its header line."),
        (
            b"name,email\n"
            + b"".join(b"N%d,n%d@example.com\n" % (n, n) for n in range(MAX_ROWS + 1)),
            f"The file has more than {MAX_ROWS} clients.",
        ),
        (b"name,email\n" + b"x" * MAX_BYTES, "The file is larger than 256 KB."),
        (b"\x00\x01binary", "The file is not a CSV text file."),
    ],
)
def test_a_file_that_cannot_be_read_says_why_next_to_the_field(app, pair, coach, content, message):
    page = _upload(coach, pair, content)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    error = re.search(r'id="import-file-error" role="alert">(.*?)</div>', html, re.S).group(1)
    assert message in error
    assert _pending(app) == []


def test_an_archived_program_takes_no_import(app, pair, coach):
    with app.app_context():
        db.session.get(Program, pair.program_id).status = "archived"
        db.session.commit()
    page = _upload(coach, pair, "name,email\nAna,ana@example.com\n")
    assert page.status_code == 422
    assert "This program is archived" in page.get_data(as_text=True)
    assert _pending(app) == []


def test_one_client_is_counted_in_the_singular(app, pair, coach):
    page = _upload(coach, pair, "name,email\nAna,ana@example.com\n")
    tab = coach.get(page.headers["Location"]).get_data(as_text=True)
    assert "1 client is in Pending, with a calendar ready for training." in tab


def test_a_post_without_a_file_asks_for_one(app, pair, coach):
    page = coach.post(f"/programs/{pair.program_id}/clients/import", data={})
    assert page.status_code == 422
    assert "Choose a CSV file to import." in page.get_data(as_text=True)


def test_the_pending_tab_links_to_the_import_form(app, pair, coach):
    tab = coach.get(f"/programs/{pair.program_id}/pending").get_data(as_text=True)
    assert f'href="/programs/{pair.program_id}/clients/import"' in tab
    form = coach.get(f"/programs/{pair.program_id}/clients/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form
    assert '<label for="import-file">CSV file</label>' in form
    assert 'aria-describedby="import-format"' in form


def test_another_coachs_program_is_not_found(app, pair, coach):
    from tests.support.plusone import make_pair

    other = make_pair(app, n=2)
    page = coach.post(
        f"/programs/{other.program_id}/clients/import",
        data={"import-file": (io.BytesIO(b"name,email\nA,a@example.com\n"), "c.csv")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 404
    assert _pending(app) == []
