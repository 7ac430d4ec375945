"""After a change a view answers once: htmx gets one block of a template and the events it
announces; a browser without JavaScript is told the notice on the page it is sent back to."""

import json

from flask import get_flashed_messages

from webapp.web.htmx import answer
from webapp.web.refusals import Refused

NOTICE = ("clients/_notice.html", "notice")


def _answer(app, *, htmx: bool, **given):
    headers = {"HX-Request": "true"} if htmx else {}
    with app.test_request_context("/", method="POST", headers=headers):
        response = answer(*NOTICE, **given)
        return response, get_flashed_messages(with_categories=True)


class TestAnswer:
    def test_htmx_gets_the_block_with_its_status_and_events(self, app):
        response, flashed = _answer(
            app,
            htmx=True,
            context={"message": "Saved it", "category": "error"},
            back="/elsewhere",
            notice="Saved it",
            events=("clients-changed",),
            status=422,
        )
        body = response.get_data(as_text=True)
        assert response.status_code == 422
        assert body == '<p class="flash flash-error">Saved it</p>'
        assert json.loads(response.headers["HX-Trigger"]) == {"clients-changed": {"target": "body"}}
        assert flashed == []

    def test_a_browser_is_sent_back_with_the_notice_flashed(self, app):
        response, flashed = _answer(
            app,
            htmx=False,
            context={"message": "Saved it", "category": "success"},
            back="/elsewhere",
            notice="Saved it",
            category="info",
        )
        assert response.status_code == 303
        assert response.headers["Location"] == "/elsewhere"
        assert "HX-Trigger" not in response.headers
        assert flashed == [("info", "Saved it")]

    def test_a_context_to_build_is_built_only_for_htmx(self, app):
        built = []

        def context():
            built.append(True)
            return {"message": "Built", "category": "success"}

        _answer(app, htmx=False, context=context, back="/elsewhere")
        assert built == []
        response, _ = _answer(app, htmx=True, context=context, back="/elsewhere")
        assert built == [True] and "Built" in response.get_data(as_text=True)


def test_a_refusal_raised_in_a_view_is_the_refusal_page_with_its_status(app):
    @app.get("/refused-for-test")
    def refused_for_test():
        raise Refused("Link gone", "Ask for a new one.", 410, ask_again="/again")

    response = app.test_client().get("/refused-for-test")
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "Link gone" in page and "Ask for a new one." in page and 'href="/again"' in page
