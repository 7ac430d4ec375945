from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import InputRequired

from webapp.web.forms import password_field


class LeaveForm(FlaskForm):
    """A client deleting their account, or a coach closing theirs: the password again."""

    current_password = password_field("Your password, to confirm")
    understood = BooleanField(
        "I understand this cannot be undone",
        validators=[InputRequired("Tick this to confirm.")],
    )
