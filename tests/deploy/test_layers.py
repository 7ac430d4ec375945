"""The layers hold: who may import whom (import-linter, as `make lint` runs it), services never
touch the request, and no module grows past 300 lines.

The contracts live in pyproject.toml ([tool.importlinter]). The tests break a copy of the
package on purpose and check that `lint-imports` refuses it, naming the broken contract.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lint.request_free import request_side_uses

ROOT = Path(__file__).resolve().parents[2]
WEBAPP = ROOT / "webapp"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

LAYERS = "Layers: cli > blueprints > web > services > models > rules"
INDEPENDENT = "Blueprints import no other blueprint"
PURE_RULES = "Rules are pure: the standard library and other rules only"
SERVICES_OFF_HTTP = "Services stay off the HTTP side: no web, no blueprints, no logged-in user"
REQUEST_FREE = "Services take nothing from the HTTP request"
BASE_MODULES = "Base modules (clock, config, extensions) import no layer"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` with the project's contracts over the `webapp` package found in `root`."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the package's Python modules and of the contracts, safe to break."""
    shutil.copytree(
        WEBAPP, tmp_path / "webapp", ignore=shutil.ignore_patterns("templates", "static", "*.pyc")
    )
    shutil.copytree(ROOT / "lint", tmp_path / "lint", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_import(root: Path, module: str, statement: str) -> None:
    path = root / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{statement}  # noqa\n")


def kept(output: str, contract: str) -> bool:
    return f"{contract} KEPT" in output


def broken(output: str, contract: str) -> bool:
    return f"{contract} BROKEN" in output


CONTRACTS = (LAYERS, INDEPENDENT, PURE_RULES, SERVICES_OFF_HTTP, REQUEST_FREE, BASE_MODULES)


def assert_every_contract_kept(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in CONTRACTS:
        assert kept(result.stdout, contract), result.stdout
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


def test_the_project_keeps_every_contract():
    assert_every_contract_kept(lint_imports(ROOT))


def test_the_unbroken_copy_keeps_every_contract(tree):
    assert_every_contract_kept(lint_imports(tree))


def test_a_blueprint_importing_another_blueprint_fails(tree):
    add_import(tree, "webapp.blueprints.main.views", "from webapp.blueprints.auth import forms")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert broken(result.stdout, INDEPENDENT), result.stdout
    assert "webapp.blueprints.main is not allowed to import webapp.blueprints.auth" in (
        result.stdout
    )
    assert kept(result.stdout, LAYERS), result.stdout


def test_a_blueprint_importing_another_inside_a_function_fails(tree):
    """An import hidden in a function to dodge a cycle is an import all the same."""
    add_import(
        tree,
        "webapp.blueprints.programs.views",
        "def _page():\n    from webapp.blueprints.clients import views",
    )
    result = lint_imports(tree)
    assert result.returncode != 0
    assert broken(result.stdout, INDEPENDENT), result.stdout


def test_a_service_importing_a_blueprint_fails(tree):
    add_import(tree, "webapp.services.clients", "from webapp.blueprints.clients import views")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert broken(result.stdout, LAYERS), result.stdout
    assert broken(result.stdout, SERVICES_OFF_HTTP), result.stdout
    assert "webapp.services.clients -> webapp.blueprints.clients.views" in result.stdout


def test_a_service_importing_the_web_layer_fails(tree):
    add_import(tree, "webapp.services.programs", "from webapp.web import htmx")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert broken(result.stdout, LAYERS), result.stdout
    assert broken(result.stdout, SERVICES_OFF_HTTP), result.stdout


def test_a_service_reading_the_logged_in_user_fails(tree):
    add_import(tree, "webapp.services.programs", "from flask_login import current_user")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert broken(result.stdout, SERVICES_OFF_HTTP), result.stdout


@pytest.mark.parametrize(
    "statement", ["from flask import request", "import sqlalchemy", "from webapp import clock"]
)
def test_a_rule_importing_the_framework_the_database_or_the_clock_fails(tree, statement):
    add_import(tree, "webapp.rules.money", statement)
    result = lint_imports(tree)
    assert result.returncode != 0
    assert broken(result.stdout, PURE_RULES), result.stdout


def test_a_model_importing_a_service_fails(tree):
    add_import(tree, "webapp.models.programs", "from webapp.services import programs")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert broken(result.stdout, LAYERS), result.stdout


# --- services never touch the request ------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    ["from flask import request", "from flask import g, session", "import flask\nflask.flash('x')"],
)
def test_a_service_taking_the_request_from_flask_fails(tree, statement):
    add_import(tree, "webapp.services.users", statement)
    result = lint_imports(tree)
    assert result.returncode != 0
    assert broken(result.stdout, REQUEST_FREE), result.stdout
    assert "webapp.services.users takes" in result.stdout
    assert kept(result.stdout, LAYERS), result.stdout


def test_the_request_check_lets_a_service_render_an_email_but_not_a_page():
    page = (
        "import flask\nfrom flask import render_template, session\n"
        "def address():\n    return flask.request.remote_addr\n"
        "def page():\n    return render_template('programs/index.html')\n"
    )
    assert request_side_uses(page) == {"request", "session", "render_template"}
    email = (
        "from flask import render_template\n"
        "def mail(name):\n    return render_template(f'emails/{name}.txt')\n"
    )
    assert request_side_uses(email) == set()


# --- module size ---------------------------------------------------------------------------

MAX_LINES = 300


def test_no_module_is_over_300_lines():
    sizes = {
        path.relative_to(ROOT).as_posix(): len(path.read_text().splitlines())
        for path in WEBAPP.rglob("*.py")
    }
    assert len(sizes) > 50  # the whole package was read
    too_long = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"


# --- the README's layout is the real one ---------------------------------------------------


def _readme_layout() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Layout", 1)[1]
    return section.split("```", 2)[1]


def test_the_readme_layout_names_every_part_of_the_package_and_nothing_else():
    layout = _readme_layout()
    named = {line.split()[0] for line in layout.splitlines() if line.startswith("webapp/")}
    real = {
        f"webapp/{path.name}/" if path.is_dir() else f"webapp/{path.name}"
        for path in WEBAPP.iterdir()
        if path.name != "__pycache__"
    }
    assert named == real


def test_the_readme_layout_lists_every_blueprint():
    layout = " ".join(_readme_layout().split())
    blueprints = sorted(
        path.name for path in (WEBAPP / "blueprints").iterdir() if (path / "__init__.py").exists()
    )
    assert f"({', '.join(blueprints)})" in layout
