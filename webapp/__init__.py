"""OnDeck: a coaching calendar for 1-2-1 programs and +1 auto-rebooking."""

from __future__ import annotations

import os

from flask import Flask

from webapp import config
from webapp.extensions import csrf, db, login_manager, mail, migrate

# The factory imports the layers inside its functions: importing any webapp submodule (a pure
# rule, say) runs this file first, and must not load every layer of the app with it.


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("ONDECK_INSTANCE_PATH") or None)
    os.makedirs(app.instance_path, exist_ok=True)
    overrides = test_config or {}
    app.config.from_mapping(
        config.from_environment(app.instance_path, secret_given="SECRET_KEY" in overrides)
    )
    app.config.update(overrides)
    app.config["PASSWORD_HASH_METHOD"] = config.hashing_method(app.config)
    from webapp.services.amounts import check_locale

    check_locale(app.config["MONEY_LOCALE"])
    from webapp.web.response_cache import check_setting

    check_setting(app.config)

    from webapp.web.converters import IdConverter

    # Before any route is added: every `<int:...>` in the app is bounded.
    app.url_map.converters["int"] = IdConverter
    _init_extensions(app)
    _register_blueprints(app)

    from webapp import cli
    from webapp.services import zones
    from webapp.web import (
        errors,
        input_guard,
        proxies,
        response_cache,
        security,
        session_cookie,
        session_lifetime,
        templating,
    )

    session_cookie.init_session_cookies(app)
    proxies.init_proxies(app)
    input_guard.init_input_guard(app)
    session_lifetime.init_session_lifetime(app)
    security.init_security_headers(app)
    errors.init_error_pages(app)
    templating.init_templating(app)
    response_cache.init_response_cache(app)
    zones.init_zones(app)
    cli.init_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from webapp import models  # noqa: F401  (complete metadata before migrations look at it)
    from webapp.models.database import init_database
    from webapp.web.htmx import htmx

    db.init_app(app)
    from webapp.services.data_versions import init_data_versions

    init_data_versions()
    init_database(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    mail.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from webapp.web.auth_session import load_user, send_to_login

    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(send_to_login)


def _register_blueprints(app: Flask) -> None:
    from webapp.blueprints.account import bp as account_bp
    from webapp.blueprints.attention import bp as attention_bp
    from webapp.blueprints.auth import bp as auth_bp
    from webapp.blueprints.calendar import bp as calendar_bp
    from webapp.blueprints.clients import bp as clients_bp
    from webapp.blueprints.devmail import bp as devmail_bp
    from webapp.blueprints.invitations import bp as invitations_bp
    from webapp.blueprints.join import bp as join_bp
    from webapp.blueprints.main import bp as main_bp
    from webapp.blueprints.my_coaches import bp as my_coaches_bp
    from webapp.blueprints.packages import bp as packages_bp
    from webapp.blueprints.payments import bp as payments_bp
    from webapp.blueprints.programs import bp as programs_bp
    from webapp.blueprints.reminders import bp as reminders_bp
    from webapp.blueprints.reports import bp as reports_bp
    from webapp.blueprints.sessions import bp as sessions_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(programs_bp)
    app.register_blueprint(devmail_bp)
    app.register_blueprint(clients_bp)
    app.register_blueprint(invitations_bp)
    app.register_blueprint(join_bp)
    app.register_blueprint(packages_bp)
    app.register_blueprint(sessions_bp)
    app.register_blueprint(my_coaches_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(attention_bp)
    app.register_blueprint(payments_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(reports_bp)
