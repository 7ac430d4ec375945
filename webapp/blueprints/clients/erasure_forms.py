from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import InputRequired


class EraseForm(FlaskForm):
    understood = BooleanField(
        "I understand this erases them for good",
        validators=[InputRequired("Tick this to confirm.")],
    )
