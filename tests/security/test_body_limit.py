"""A request body over the limit is refused with 413 before anything reads it into memory."""

from __future__ import annotations

import io

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.security.test_bad_input import snapshot
from tests.security.world import build_world
from tests.support.factories import PASSWORD
from webapp import config

TEN_MB = 10 * 1024 * 1024


def _coach(app):
    world = build_world(app)
    client = app.test_client()
    client.login(world.emails["coach_x"], PASSWORD)
    return client, world


def _program_form(client) -> dict:
    return {
        "csrf_token": client.csrf_token(),
        "name": "Huge",
        "price": "10.00",
        "currency": "GBP",
        "billing_period": "month",
        "description": "x" * TEN_MB,
    }


def test_a_ten_megabyte_form_is_refused_with_a_page_saying_it_is_too_large(app):
    client, _world = _coach(app)
    before = snapshot(app)
    response = client.post("/programs/new", data=_program_form(client), csrf=False)
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "<html" in html and "Too large" in html
    assert "at most 1 MB" in html
    assert snapshot(app) == before


def test_a_ten_megabyte_upload_sent_as_multipart_is_refused(app):
    client, _world = _coach(app)
    before = snapshot(app)
    fields = {
        **_program_form(client),
        "description": "",
        "file": FileStorage(io.BytesIO(b"x" * TEN_MB), "a.bin"),
    }
    # Encoded in memory: the test client would spool a body this size to an unclosed file.
    boundary, body = encode_multipart(fields)
    response = client.post(
        "/programs/new",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        csrf=False,
    )
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_an_htmx_request_over_the_limit_gets_a_short_message_not_a_page(app):
    client, world = _coach(app)
    before = snapshot(app)
    response = client.hx_post(
        "/clients/{client_id}/calendar/days/{day}/entries".format(**world.ids),
        data={"title": "Big", "body": "x" * TEN_MB},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "<html" not in html
    assert "at most 1 MB" in html
    assert snapshot(app) == before


def test_an_anonymous_ten_megabyte_login_is_refused_before_the_form_is_read(app):
    client = app.test_client()
    response = client.post(
        "/login", data={"email": "x@example.com", "password": "p" * TEN_MB}, csrf=False
    )
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)


def test_the_limit_is_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MAX_CONTENT_LENGTH", "65536")
    assert config.from_environment(str(tmp_path), secret_given=True)["MAX_CONTENT_LENGTH"] == 65536


def test_a_smaller_limit_is_applied_and_named(app):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    client, _world = _coach(app)
    data = {**_program_form(client), "description": "x" * (100 * 1024)}
    response = client.post("/programs/new", data=data, csrf=False)
    assert response.status_code == 413
    assert "at most 64 KB" in response.get_data(as_text=True)
