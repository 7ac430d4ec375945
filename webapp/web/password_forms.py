"""The new-password form: chosen on the account page and through an emailed reset link."""

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import EqualTo, InputRequired

from webapp.web.forms import AccountDetailsMixin, new_password_field


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
