from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from webapp.forms import choices, strip
from webapp.rules.money import CURRENCIES, MoneyError, parse_amount
from webapp.rules.programs import BILLING_LABELS


class ProgramForm(FlaskForm):
    name = StringField(
        "Program name",
        filters=[strip],
        validators=[
            InputRequired("Give the program a name."),
            Length(max=120, message="Use at most 120 characters."),
        ],
    )
    price = StringField("Price", filters=[strip], validators=[InputRequired("Enter a price.")])
    currency = SelectField(
        "Currency",
        choices=choices((code, code) for code in CURRENCIES),
        default="GBP",
        validate_choice=False,
    )
    billing_period = SelectField(
        "Billed",
        choices=choices((period.value, label) for period, label in BILLING_LABELS.items()),
        default="month",
    )
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

    def validate_currency(self, field):
        if field.data not in CURRENCIES:
            raise ValidationError("Choose a currency from the list.")

    def validate_price(self, field):
        if self.currency.data not in CURRENCIES:
            return  # the currency field says what is wrong
        try:
            self.price_money = parse_amount(field.data, self.currency.data)
        except MoneyError as error:
            raise ValidationError(str(error)) from None
