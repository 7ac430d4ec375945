"""The deployment guide and example files stay in step with the settings the code reads."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTING = re.compile(r"""(?:os\.environ\.get|_flag)\(\s*["']([A-Z_]+)["']""")


def settings_read_by_the_code() -> set[str]:
    names = set()
    for path in (ROOT / "webapp").rglob("*.py"):
        names |= set(SETTING.findall(path.read_text()))
    return names


def test_every_setting_is_documented_and_in_the_example_env_file():
    names = settings_read_by_the_code()
    assert {"SECRET_KEY", "DATABASE_URL", "OUTBOX_CLAIM_SECONDS"} <= names
    guide = (ROOT / "docs" / "deploy.md").read_text()
    example = (ROOT / "deploy" / "ondeck.env.example").read_text()
    assert not {n for n in names if f"`{n}`" not in guide}, "missing from docs/deploy.md"
    development_only = {"DEV_MAILBOX"}
    missing = {n for n in names - development_only if f"\n{n}=" not in example}
    assert not missing, "missing from the env example"


def test_the_example_env_file_reads_in_a_shell_as_systemd_reads_it():
    example = ROOT / "deploy" / "ondeck.env.example"
    result = subprocess.run(
        ["bash", "-c", f'set -a; . "{example}"; set +a; echo "$MAIL_DEFAULT_SENDER|$ONDECK_ENV"'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "OnDeck <no-reply@example.com>|production"


def test_the_units_run_the_documented_commands():
    web = (ROOT / "deploy" / "ondeck-web.service").read_text()
    relay = (ROOT / "deploy" / "ondeck-relay.service").read_text()
    assert "EnvironmentFile=/etc/ondeck/ondeck.env" in web and "EnvironmentFile" in relay
    assert "'webapp:create_app()'" in web and "--workers" in web
    assert "flask outbox send --watch" in relay


def test_the_proxy_compresses_pages_styles_and_scripts():
    conf = (ROOT / "deploy" / "nginx-ondeck.conf").read_text()
    text = " ".join(line.split("#", 1)[0] for line in conf.splitlines())
    statements = [part.split() for part in re.split(r"[;{}]", text) if part.strip()]
    directives = {words[0]: words[1:] for words in statements}
    assert directives.get("gzip") == ["on"]
    # nginx always compresses text/html once gzip is on; the rest must be listed.
    assert {"text/css", "application/javascript"} <= set(directives.get("gzip_types", []))
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert "gzip" in guide


def test_the_proxy_tells_the_app_who_the_visitor_is():
    conf = (ROOT / "deploy" / "nginx-ondeck.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    example = (ROOT / "deploy" / "ondeck.env.example").read_text()
    assert '\nTRUSTED_PROXIES="1"' in example
