"""Accepting a place in a program, by invitation or join link: the waiver box only when the
program has a waiver."""

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired


class WaiverForm(FlaskForm):
    waiver = BooleanField(
        "I have read and accept the waiver",
        validators=[DataRequired("Accept the waiver to join.")],
    )

    def __init__(self, *args, waiver_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not waiver_text:
            del self.waiver


class AcceptForm(WaiverForm):
    """A logged-in client accepts."""
