from flask_wtf import FlaskForm
from wtforms import HiddenField

from webapp.web.forms import (
    email_field,
    name_field,
    new_password_field,
    password_field,
    time_zone_field,
)


class SignupForm(FlaskForm):
    name = name_field("Your name")
    email = email_field()
    password = new_password_field()
    time_zone = time_zone_field()


class LoginForm(FlaskForm):
    email = email_field()
    password = password_field()
    next = HiddenField()  # the page asked for before logging in (checked by `safe_next`)


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ConfirmSignupForm(FlaskForm):
    """Confirming a sign-up asks again for the password chosen in it."""

    password = password_field("The password you chose")
