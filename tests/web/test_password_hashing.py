"""Passwords are stored as scrypt hashes; only a TESTING app may use a cheaper method."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD
from webapp import create_app
from webapp.extensions import db
from webapp.models import User
from webapp.services.users import create_user


def stored_hash(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(User.password_hash).where(User.email == email))


def make_account(app, email: str) -> None:
    with app.app_context():
        create_user(name="Casey", email=email, password=PASSWORD, role="coach", time_zone="UTC")
        db.session.commit()


@pytest.mark.production_hashing
def test_an_account_made_with_scrypt_logs_in_and_a_wrong_password_does_not(app, client):
    make_account(app, "casey@example.com")
    assert stored_hash(app, "casey@example.com").startswith("scrypt:")
    refused = client.post("/login", data={"email": "casey@example.com", "password": "wrong" * 3})
    assert "do not match an account" in refused.get_data(as_text=True)
    client.login("casey@example.com", PASSWORD)
    assert "Log out" in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_the_test_suite_hashes_with_its_cheaper_method(app):
    make_account(app, "casey@example.com")
    assert stored_hash(app, "casey@example.com").startswith("pbkdf2:sha256:1$")


def test_an_app_that_is_not_testing_hashes_with_scrypt_whatever_its_settings_say(app, app_config):
    production = {**app_config, "TESTING": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"}
    app = create_app(production)  # on the test's database, whose tables `app` made
    make_account(app, "casey@example.com")
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
    assert stored_hash(app, "casey@example.com").startswith("scrypt:")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
