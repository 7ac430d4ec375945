"""The two invite forms of the program page."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from webapp.web.forms import OneLine, email_field, name_field, strip


class ManualInviteForm(FlaskForm):
    """Name + email: the client is pending at once, with their calendar."""

    name = name_field("Client name")
    email = email_field("Client email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="manual", **kwargs)


class EmailInviteForm(FlaskForm):
    """An invitation by email; the person is a client only once they accept."""

    name = StringField(
        "Name (optional)",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=120, message="Use at most 120 characters."),
            OneLine(),
        ],
    )
    email = email_field("Email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="invite", **kwargs)
