"""The relay's SMTP connection: a timeout on every step, set up from the MAIL_* settings."""

from __future__ import annotations

import smtplib


class TimedConnection:
    """SMTP with a timeout (a hung server must not hang the relay), set up from MAIL_* settings.

    Whether mail is captured or sent is decided by MAIL_SERVER alone, not by TESTING.
    """

    def __init__(self, config):
        timeout = config.get("MAIL_TIMEOUT_SECONDS", 10)
        smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
        self.host = smtp_class(config["MAIL_SERVER"], config.get("MAIL_PORT", 25), timeout=timeout)
        try:
            if config.get("MAIL_USE_TLS"):
                self.host.starttls()
            if config.get("MAIL_USERNAME") and config.get("MAIL_PASSWORD"):
                self.host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except BaseException:
            self.host.close()  # no half-open connection left behind
            raise


def close(connection):
    if connection is not None:
        try:
            connection.host.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return None
