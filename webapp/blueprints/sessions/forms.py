"""The forms on a session row: every button carries where the row is shown; placing also
carries a local date and time."""

from __future__ import annotations

from datetime import time

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from webapp.rules.dates import DateError, read_date
from webapp.web.forms import choices


class RowForm(FlaskForm):
    """Complete and undo: the row's place (the sessions list, a calendar day) and, without
    JavaScript, the page to return to."""

    in_list = HiddenField()
    on_calendar = HiddenField()
    next = HiddenField()

    @property
    def shown_in_list(self) -> bool:
        return bool(self.in_list.data)

    @property
    def shown_on_calendar(self) -> bool:
        return self.on_calendar.data == "1"


class PlaceForm(RowForm):
    on_date = StringField("Date")
    at_time = StringField("Time")

    def validate_on_date(self, field):
        try:
            self.day = read_date(field.data)
        except DateError as refused:
            raise ValidationError(str(refused)) from None

    def validate_at_time(self, field):
        try:
            self.time = time.fromisoformat((field.data or "").strip())
        except ValueError:
            raise ValidationError("Choose a time.") from None

    def first_errors(self) -> dict[str, str]:
        """Each field's first error, by field name, as the row shows them."""
        return {name: errors[0] for name, errors in self.errors.items()}


PAYMENT_CHOICES = choices(
    [
        ("due", "Payment due"),
        ("cash", "Paid in cash"),
        ("bank_transfer", "Paid by bank transfer"),
        ("other", "Paid another way"),
    ]
)


class BookForClientForm(FlaskForm):
    """The coach books a package for the client: which, whether it is paid, and the form's own
    key, so a double click books once."""

    package = SelectField("Package", coerce=int, validate_choice=True)
    payment = SelectField("Payment", choices=PAYMENT_CHOICES, validate_choice=True)
    key = HiddenField(validators=[DataRequired(), Length(max=64)])
