from flask_wtf import FlaskForm

from webapp.web.forms import email_field, name_field, password_field, time_zone_field
from webapp.web.password_forms import NewPasswordForm


class DetailsForm(FlaskForm):
    name = name_field("Your name")
    time_zone = time_zone_field()


class ChangePasswordForm(NewPasswordForm):
    current_password = password_field("Current password")


class EmailChangeForm(FlaskForm):
    email = email_field("New email address")
    current_password = password_field("Current password")

    def __init__(self, *args, **kwargs):
        # The password form on the same page has a current_password too: keep ids unique.
        kwargs.setdefault("prefix", "change")
        super().__init__(*args, **kwargs)
