"""A corpus of bad input against every form: a 4xx with a message or a clean save, never a 500,
and a refused submission leaves the database exactly as it was."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.security.forms import CORPUS, FORMS, QUERY_PARAMETERS, URL_CORPUS
from tests.security.matrix import MATRIX
from tests.security.world import build_world
from tests.support.factories import PASSWORD
from webapp.extensions import db


def snapshot(app) -> dict[str, list]:
    """Every row of every table (rate-limit counters aside: failed logins count by design)."""
    with app.app_context():
        return {
            table.name: [
                tuple(row)
                for row in db.session.execute(
                    sa.select(table).order_by(*table.primary_key.columns)
                ).all()
            ]
            for table in db.metadata.sorted_tables
            if table.name != "rate_limit_windows"
        }


@pytest.mark.parametrize("form_name", sorted(FORMS))
def test_bad_input_never_errors_and_refusals_write_nothing(app, form_name):
    spec = FORMS[form_name]
    world = build_world(app)
    client = app.test_client()
    if spec["role"] != "anonymous":
        client.login(world.emails[spec["role"]], PASSWORD)
    url = spec["url"].format(**world.ids, **world.tokens)
    valid = {key: value.format(**world.ids, **world.tokens) for key, value in spec["valid"].items()}
    problems = []
    must_refuse = spec.get("refuse", {})
    for field in spec["fields"]:
        for kind, value in CORPUS.items():
            before = snapshot(app)
            response = client.post(url, data={**valid, field: value})
            html = response.get_data(as_text=True)
            where = f"{form_name}.{field} <- {kind}: {response.status_code}"
            if response.status_code >= 500:
                problems.append(f"{where} server error")
            elif kind in must_refuse.get(field, ()) and not _refused(response, client):
                problems.append(f"{where} accepted")
            elif 400 <= response.status_code < 500:
                if (
                    'class="error"' not in html
                    and "flash-error" not in html
                    and 'id="error"' not in html
                ):
                    problems.append(f"{where} refused without a message")
                if snapshot(app) != before:
                    problems.append(f"{where} refused but the database changed")
            elif '<script>alert("x")' in html or "<img src=x" in html:
                problems.append(f"{where} echoed markup unescaped")
    assert problems == []


def _refused(response, client) -> bool:
    """A 4xx, or a redirect back with an error flashed (a form posted without JavaScript)."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code in (302, 303):
        return "flash-error" in client.get(response.headers["Location"]).get_data(as_text=True)
    return False


@pytest.mark.parametrize("form_name", sorted(FORMS))
def test_a_ten_megabyte_submission_to_any_form_is_refused_as_too_large(app, form_name):
    spec = FORMS[form_name]
    world = build_world(app)
    client = app.test_client()
    if spec["role"] != "anonymous":
        client.login(world.emails[spec["role"]], PASSWORD)
    url = spec["url"].format(**world.ids, **world.tokens)
    valid = {key: value.format(**world.ids, **world.tokens) for key, value in spec["valid"].items()}
    before = snapshot(app)
    response = client.post(url, data={**valid, spec["fields"][0]: "x" * (10 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)
    assert snapshot(app) == before


def _get_routes() -> list[tuple[str, str]]:
    """(url template, a role that may see it) for every page."""
    routes = []
    for (endpoint, method), (template, expected) in sorted(MATRIX.items()):
        if method != "GET":
            continue
        role = next((r for r in ("coach_x", "client_a", "anonymous") if expected[r] == "ok"), None)
        if role is not None:
            routes.append(pytest.param(template, role, id=endpoint))
    return routes


@pytest.mark.parametrize(("template", "role"), _get_routes())
def test_bad_query_parameters_and_path_dates_never_error_on_any_page(app, template, role):
    world = build_world(app)
    client = app.test_client()
    if role != "anonymous":
        client.login(world.emails[role], PASSWORD)
    problems = []
    path = template.format(**world.ids, **world.tokens)
    for kind, value in URL_CORPUS.items():
        for view in ("week", "month"):
            query = {name: value for name in QUERY_PARAMETERS if name != "view"}
            for get in (client.get, client.hx_get):
                response = get(path, query_string={**query, "view": view})
                response.close()  # a streamed download holds its request until closed
                if response.status_code >= 500:
                    problems.append(f"{path} {view} <- {kind}: {response.status_code}")
        if "{day}" in template:
            bad_day = template.format(**{**world.ids, **world.tokens, "day": value})
            if client.get(bad_day).status_code != 404:
                problems.append(f"{bad_day} <- {kind}: a date no calendar holds was found")
    assert problems == []
