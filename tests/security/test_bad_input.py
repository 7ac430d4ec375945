"""A corpus of bad input against every form: a 4xx with a message or a clean save, never a 500,
and a refused submission leaves the database exactly as it was."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.security.forms import CORPUS, FORMS
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
    for field in spec["fields"]:
        for kind, value in CORPUS.items():
            before = snapshot(app)
            response = client.post(url, data={**valid, field: value})
            html = response.get_data(as_text=True)
            where = f"{form_name}.{field} <- {kind}: {response.status_code}"
            if response.status_code >= 500:
                problems.append(f"{where} server error")
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
