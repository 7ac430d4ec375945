from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import EqualTo, InputRequired

from webapp.forms import (
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


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class NewPasswordForm(FlaskForm):
    password = new_password_field("New password")
    confirm = PasswordField(
        "Type it again",
        validators=[
            InputRequired("Type the new password again."),
            EqualTo("password", message="The two passwords are not the same."),
        ],
    )

    def __init__(self, *args, account_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email
