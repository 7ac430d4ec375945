"""The clients area's own form; the invite forms belong to the program page (`web.invite_forms`)."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

from webapp.web.converters import form_id


class MoveForm(FlaskForm):
    """Which program to move a client to. The page renders the options once for all its rows
    (`clients/_actions.html`), so the form only reads the choice."""

    program_id = StringField("Move to")

    def validate_program_id(self, field):
        self.target_id = form_id(field.data)
        if self.target_id is None:
            raise ValidationError("Choose the program to move them to.")
