"""The ceiling: a bare Flask app that renders a static template of each page's size.

It serves the HTML captured from the real page, so the gap between the two is what OnDeck's own
work costs (database, session, forms), with the same gunicorn and the same bytes on the wire.
"""

from __future__ import annotations

import hashlib
import os
import time

from flask import Flask, render_template


def create_app(template_folder: str | None = None) -> Flask:
    app = Flask(__name__, template_folder=template_folder or os.environ["BENCH_CEILING_DIR"])

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


def service_ms(directory: str, name: str, repeats: int = 200) -> float:
    """Mean in-process time of one bare render, to set beside the page's own."""
    client = create_app(directory).test_client()
    client.get(f"/page/{key(name)}")
    started = time.perf_counter()
    for _ in range(repeats):
        client.get(f"/page/{key(name)}")
    return (time.perf_counter() - started) / repeats * 1000
