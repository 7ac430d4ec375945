"""A coach's minutes, counted in the browser: the interactions a task takes (clicks, field
fills, choices, drags and key presses other than typed text) and the full page loads it costs.

A full load is the main frame's `load` event: a new document. htmx swaps, boosted links and
their pushState are not loads. Each task is a row of the table the module prints at its end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

# Installed in every document before its own scripts: after each htmx swap asked for while the
# person was on the page (or by a boosted link), note where the focus was left if on <body>.
FOCUS_WATCH = """
window.__focusLost = [];
document.addEventListener("htmx:beforeRequest", function (e) {
  var a = document.activeElement;
  e.detail.xhr.__fromFocus = Boolean(e.detail.boosted) || Boolean(a && a !== document.body);
}, true);
document.addEventListener("htmx:afterSettle", function (e) {
  var xhr = e.detail.xhr;
  setTimeout(function () {
    var a = document.activeElement;
    if (xhr && xhr.__fromFocus && (!a || a === document.body)) {
      window.__focusLost.push((e.detail.pathInfo && e.detail.pathInfo.requestPath) || "?");
    }
  }, 0);
});
"""


@dataclass
class Row:
    task: str
    interactions: int = 0
    keys: int = 0  # of the interactions, key presses (Tab, Enter, Escape, shortcuts)
    loads: int = 0
    steps: list[str] = field(default_factory=list)


class Stopwatch:
    """Drive a page as a person would, counting. `start` begins a task on the page as it is."""

    def __init__(self, page, table: list[Row]):
        self.page = page
        self.table = table
        self.row: Row | None = None
        page.on("load", self._loaded)
        page.add_init_script(FOCUS_WATCH)

    def _loaded(self, _page) -> None:
        if self.row is not None:
            self.row.loads += 1

    def _count(self, step: str, *, key: bool = False) -> None:
        assert self.row is not None, "start a task first"
        self.row.interactions += 1
        self.row.keys += int(key)
        self.row.steps.append(step)

    def start(self, task: str) -> Row:
        self.page.wait_for_load_state()
        self.page.evaluate("window.__focusLost = []")
        self.row = Row(task)
        self.table.append(self.row)
        return self.row

    def click(self, locator, step: str = "click") -> None:
        self._count(step)
        locator.click()

    def fill(self, locator, text: str, step: str = "fill") -> None:
        self._count(step)
        locator.fill(text)

    def choose(self, locator, value: str | None = None, step: str = "choose", **by) -> None:
        self._count(step)
        locator.select_option(value, **by)

    def drag(self, source, target, step: str = "drag") -> None:
        self._count(step)
        source.drag_to(target)

    def confirm_next(self) -> None:
        """Answer the next confirmation the page asks with OK: one interaction."""
        self._count("confirm")
        self.page.once("dialog", lambda dialog: dialog.accept())

    def press(self, key: str) -> None:
        self._count(key, key=True)
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        """Typed text is the task's content, not a cost: not counted."""
        self.page.keyboard.type(text)

    def focus_lost(self) -> list[str]:
        """The swaps after which the focus was left on <body>."""
        return self.page.evaluate("window.__focusLost")


def table(rows: list[Row]) -> str:
    lines = [
        "| task | interactions | of them keys | full loads | steps |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.task} | {r.interactions} | {r.keys} | {r.loads} | {', '.join(r.steps)} |"
        for r in rows
    ]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def minutes_table(request):
    """The rows of a module's tasks; printed as a table once the module is done."""
    rows: list[Row] = []
    yield rows
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture and rows:
        with capture.global_and_fixture_disabled():  # printed, not captured with the test
            reporter.write_line(f"\nA coach's minutes ({request.module.__name__}):")
            reporter.write_line(table(rows))
