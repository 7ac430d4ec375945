from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import EqualTo, InputRequired

from webapp.web.forms import (
    AccountDetailsMixin,
    email_field,
    name_field,
    new_password_field,
    password_field,
    time_zone_field,
)


class DetailsForm(FlaskForm):
    name = name_field("Your name")
    time_zone = time_zone_field()


class NewPasswordForm(AccountDetailsMixin, FlaskForm):
    """A new password typed twice; the account's email and name let the policy refuse
    passwords made of them."""

    password = new_password_field("New password")
    confirm = PasswordField(
        "Type it again",
        validators=[
            InputRequired("Type the new password again."),
            EqualTo("password", message="The two passwords are not the same."),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = password_field("Current password")


class EmailChangeForm(FlaskForm):
    email = email_field("New email address")
    current_password = password_field("Current password")

    def __init__(self, *args, **kwargs):
        # The password form on the same page has a current_password too: keep ids unique.
        kwargs.setdefault("prefix", "change")
        super().__init__(*args, **kwargs)
