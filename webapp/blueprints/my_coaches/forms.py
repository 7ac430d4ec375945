"""The +1 preferences form: one action (its button's hidden value), and a date for a pause."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import DateInput

from webapp.rules.dates import parse_date

# What each action did, said to the client afterwards.
ACTIONS = {
    "enrol": "You are enrolled in +1: you will always have one session on deck.",
    "unenrol": "You left +1. No more sessions will be booked automatically.",
    "pause": "+1 is paused.",
    "resume": "+1 is running again.",
}


class PlusOneForm(FlaskForm):
    action = HiddenField()
    paused_until = StringField("Pause until", widget=DateInput())

    until = None

    def validate_action(self, field):
        if field.data not in ACTIONS:
            raise ValidationError("Choose what to change.")

    def validate_paused_until(self, field):
        if self.action.data != "pause":
            return
        self.until = parse_date(field.data)
        if self.until is None:
            raise ValidationError("Choose the date +1 should resume.")
