from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Length, ValidationError

from webapp.rules.reminders import ReminderError, parse_offsets
from webapp.web.forms import (
    OneLine,
    email_field,
    name_field,
    password_field,
    strip,
    time_zone_field,
)
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


class CoachRemindersForm(FlaskForm):
    offsets = StringField("Reminder times, in hours before each session")
    location = StringField(
        "Where your sessions take place",
        filters=[strip],
        validators=[Length(max=200, message="Use at most 200 characters."), OneLine()],
    )
    agenda = BooleanField("Email me each morning's agenda: today's sessions, who needs attention")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "reminders")
        super().__init__(*args, **kwargs)

    def validate_offsets(self, field):
        try:
            self.minutes = parse_offsets(field.data)
        except ReminderError as refused:
            raise ValidationError(str(refused)) from None


class ClientRemindersForm(FlaskForm):
    reminders = BooleanField("Email me a reminder before each coaching session")
    digest = BooleanField("Email me, at most once a day, when new training is written for me")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "reminders")
        super().__init__(*args, **kwargs)
