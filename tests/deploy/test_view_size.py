"""Every view fits on a screen: a view parses, loads, decides and answers, and anything longer
belongs in a page builder or a service."""

from __future__ import annotations

import ast
from pathlib import Path

BLUEPRINTS = Path(__file__).resolve().parents[2] / "webapp" / "blueprints"
ROUTE_METHODS = {"route", "get", "post", "put", "patch", "delete"}
MOST_LINES = 25


def _is_route(decorator: ast.expr) -> bool:
    return (
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr in ROUTE_METHODS
    )


def views() -> list[tuple[str, int]]:
    """(module:function, lines from `def` to its last line) of every routed function."""
    found = []
    for path in sorted(BLUEPRINTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                _is_route(d) for d in node.decorator_list
            ):
                name = f"{path.relative_to(BLUEPRINTS)}:{node.name}"
                found.append((name, node.end_lineno - node.lineno + 1))
    return found


def test_every_blueprint_view_is_found():
    # Guards the check below against passing because it found nothing.
    names = {name for name, _ in views()}
    assert len(names) > 50
    assert "calendar/feed_views.py:feed" in names


def test_no_view_function_is_over_25_lines():
    too_long = [f"{name} ({lines} lines)" for name, lines in views() if lines > MOST_LINES]
    assert too_long == []
