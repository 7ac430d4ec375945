from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from webapp.rules.programs import BILLING_LABELS
from webapp.web.forms import OneLine, PriceMixin, choices, currency_field, strip


class ProgramForm(PriceMixin, FlaskForm):
    name = StringField(
        "Program name",
        filters=[strip],
        validators=[
            InputRequired("Give the program a name."),
            Length(max=120, message="Use at most 120 characters."),
            OneLine(),
        ],
    )
    price = StringField("Price", filters=[strip], validators=[InputRequired("Enter a price.")])
    currency = currency_field()
    billing_period = SelectField(
        "Billed",
        choices=choices((period.value, label) for period, label in BILLING_LABELS.items()),
        default="month",
    )
    paid_outside = BooleanField("Paid outside OnDeck")
    description = TextAreaField(
        "Description",
        filters=[strip],
        validators=[Length(max=4000, message="Use at most 4,000 characters.")],
    )
    welcome_message = TextAreaField(
        "Welcome message",
        filters=[strip],
        validators=[Length(max=4000, message="Use at most 4,000 characters.")],
    )
    waiver = TextAreaField(
        "Waiver",
        filters=[strip],
        validators=[Length(max=8000, message="Use at most 8,000 characters.")],
    )
