"""The ceiling: a bare Flask app that renders a static template of each page's size.

It serves the HTML captured from the real page, so the gap between the two is what OnDeck's own
work costs (database, session, forms), with the same gunicorn and the same bytes on the wire.
"""

from __future__ import annotations

import hashlib
import os

from flask import Flask, render_template


def create_app() -> Flask:
    app = Flask(__name__, template_folder=os.environ["BENCH_CEILING_DIR"])

    @app.route("/page/<key>", methods=["GET", "POST"])
    def page(key: str):
        return render_template(f"{key}.html")

    @app.get("/")
    def ready():
        return "ok"

    return app


def key(name: str) -> str:
    """A URL- and file-safe key for a page name."""
    return hashlib.sha256(name.encode()).hexdigest()[:16]


def write_templates(directory: str, pages: dict[str, str]) -> None:
    """One template per page name, its captured HTML kept verbatim."""
    for name, html in pages.items():
        with open(os.path.join(directory, f"{key(name)}.html"), "w", encoding="utf-8") as out:
            out.write("{% raw %}" + html + "{% endraw %}")
