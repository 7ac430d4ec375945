"""An import-linter contract: its modules take nothing from Flask that belongs to one HTTP
request or response. import-linter sees only that `flask` is imported, not which names, so this
contract reads the source; `lint-imports` reports it with the others.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output

# What belongs to one HTTP request or response; services take what they need as arguments.
REQUEST_SIDE = frozenset(
    {
        "request",
        "session",
        "g",
        "flash",
        "redirect",
        "abort",
        "make_response",
        "Response",
        "render_template",
        "render_template_string",
        "stream_template",
    }
)
# Emails are rendered where they are queued, from the templates under emails/.
EMAIL_TEMPLATES = "emails/"


def _template_name_prefix(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return ""


def _renders_only_email(tree: ast.Module) -> bool:
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", "")) == "render_template"
    ]
    return bool(calls) and all(
        call.args and _template_name_prefix(call.args[0]).startswith(EMAIL_TEMPLATES)
        for call in calls
    )


def request_side_uses(source: str) -> set[str]:
    """Names of REQUEST_SIDE this source takes from flask (imported, or as `flask.name`),
    leaving out render_template when it renders only email templates."""
    tree = ast.parse(source)
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask.globals"):
            used |= {alias.name for alias in node.names} & REQUEST_SIDE
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "flask" and node.attr in REQUEST_SIDE:
                used.add(node.attr)
    if "render_template" in used and _renders_only_email(tree):
        used.discard("render_template")
    return used


def _source_of(module: str) -> Path:
    root, _, rest = module.partition(".")
    spec = importlib.util.find_spec(root)  # a top-level package: found without importing it
    assert spec is not None and spec.submodule_search_locations, f"{root} is not a package"
    base = Path(next(iter(spec.submodule_search_locations))).joinpath(
        *rest.split(".") if rest else []
    )
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


class RequestFreeContract(Contract):
    """The source modules (and those inside them) use none of REQUEST_SIDE from flask."""

    type_name = "request_free"

    source_modules = fields.ListField(subfield=fields.ModuleField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        offences = []
        for package in self.source_modules:  # type: ignore[attr-defined]
            names = {package.name} | graph.find_descendants(package.name)
            for module in sorted(names):
                used = request_side_uses(_source_of(module).read_text())
                if used:
                    offences.append((module, sorted(used)))
        return ContractCheck(kept=not offences, metadata={"offences": offences})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for module, names in check.metadata["offences"]:
            output.print_error(f"{module} takes {', '.join(names)} from flask", bold=False)
            output.new_line()
        output.print("Pass what the request knows in as arguments instead.")
