"""Forms of the public accept and join pages; the waiver box only when there is a waiver."""

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from webapp.web.forms import (
    AccountDetailsMixin,
    email_field,
    name_field,
    new_password_field,
    password_field,
    time_zone_field,
)


class _WaiverForm(FlaskForm):
    waiver = BooleanField(
        "I have read and accept the waiver",
        validators=[DataRequired("Accept the waiver to join.")],
    )

    def __init__(self, *args, waiver_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not waiver_text:
            del self.waiver


class AcceptForm(_WaiverForm):
    """A logged-in client accepts."""


class LoginAcceptForm(_WaiverForm):
    """The invited address already has an account: its password, then accept."""

    password = password_field("Your password")


class SignupAcceptForm(AccountDetailsMixin, _WaiverForm):
    """A new client account for the invited address (the email comes from the invitation)."""

    name = name_field("Your name")
    password = new_password_field("Choose a password")
    time_zone = time_zone_field()


class JoinSignupForm(_WaiverForm):
    """A new client account through a program's join link."""

    name = name_field("Your name")
    email = email_field()
    password = new_password_field("Choose a password")
    time_zone = time_zone_field()
