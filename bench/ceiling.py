"""The ceiling: a bare Flask app that renders a static template of each page's size.

It serves the HTML captured from the real page, so the gap between the two is what OnDeck's own
work costs (database, session, forms), with the same gunicorn and the same bytes on the wire.
"""

from __future__ import annotations

import os

from flask import Flask, render_template


def create_app() -> Flask:
    app = Flask(__name__, template_folder=os.environ["BENCH_CEILING_DIR"])

    @app.route("/page/<int:number>", methods=["GET", "POST"])
    def page(number: int):
        return render_template(f"{number}.html")

    @app.get("/")
    def ready():
        return "ok"

    return app


def write_templates(directory: str, pages: dict[int, str]) -> None:
    """One template per page number, its captured HTML kept verbatim."""
    for number, html in pages.items():
        with open(os.path.join(directory, f"{number}.html"), "w", encoding="utf-8") as out:
            out.write("{% raw %}" + html + "{% endraw %}")
