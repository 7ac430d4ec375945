from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from webapp.rules.calendar import MAX_SHIFT_DAYS
from webapp.web.forms import OneLine, WholeNumberField, choices, date_field, strip

HORIZONS = choices(
    [
        ("7", "7 days ahead"),
        ("14", "14 days ahead"),
        ("28", "28 days ahead"),
        ("all", "Everything written"),
    ]
)


class EntryForm(FlaskForm):
    title = StringField(
        "Title",
        filters=[strip],
        validators=[
            DataRequired("Give the training a title."),
            Length(max=200, message="Use at most 200 characters."),
            OneLine(),
        ],
    )
    body = TextAreaField(
        "Details", filters=[strip], validators=[Length(max=10_000, message="That is too long.")]
    )
    at_time = TimeField("Time (optional)", validators=[Optional()])


class EditEntryForm(EntryForm):
    on_date = date_field("Date")


class SettingsForm(FlaskForm):
    start_date = date_field("Start date (Week 1 Day 1)")
    horizon = SelectField("Client sees", choices=HORIZONS, validate_choice=True)

    @property
    def horizon_days(self) -> int | None:
        return None if self.horizon.data == "all" else int(self.horizon.data)


class ShiftForm(FlaskForm):
    from_date = date_field("Move everything from")
    days = WholeNumberField(
        "By days",
        validators=[
            InputRequired("Enter a number of days."),
            NumberRange(-MAX_SHIFT_DAYS, MAX_SHIFT_DAYS, "Shift by at most a year either way."),
        ],
    )


class CopyWeekForm(FlaskForm):
    source_week = WholeNumberField(
        "Copy week",
        validators=[InputRequired("Enter a week."), NumberRange(1, 520, "Weeks start at 1.")],
    )
    target_client = SelectField("To client", coerce=int, validate_choice=True)
    target_week = WholeNumberField(
        "As week",
        validators=[InputRequired("Enter a week."), NumberRange(1, 520, "Weeks start at 1.")],
    )


class LogForm(FlaskForm):
    done = BooleanField("Done")
    note = TextAreaField(
        "Note for your coach",
        filters=[strip],
        validators=[Length(max=2000, message="Use at most 2000 characters.")],
    )


class MoveForm(FlaskForm):
    """An entry dropped on another day, or moved there with "Move to…"."""

    on_date = date_field("New date")


class UndoForm(FlaskForm):
    move = WholeNumberField("Move", validators=[Optional()])
    session = FieldList(StringField("Session", validators=[Length(max=120)]), max_entries=200)


class ShiftHereForm(FlaskForm):
    days = WholeNumberField(
        "Shift from here by days",
        validators=[
            InputRequired("Enter a number of days."),
            NumberRange(-MAX_SHIFT_DAYS, MAX_SHIFT_DAYS, "Shift by at most a year either way."),
        ],
    )
    sessions_too = BooleanField("Move placed coaching sessions too")


class PasteWeekForm(FlaskForm):
    """Where a copied week goes: a client's week (the same number unless changed), replacing
    that week's training or added after it."""

    target_client = SelectField("Paste into", coerce=int, validate_choice=True)
    target_week = WholeNumberField(
        "Their week",
        validators=[InputRequired("Enter a week."), NumberRange(1, 520, "Weeks start at 1.")],
    )
    on_page = HiddenField()  # the calendar the coach pastes from, to answer with its panel
    mode = SelectField(
        "Replace or append",
        choices=choices([("replace", "Replace"), ("append", "Append")]),
        validate_choice=True,
    )
