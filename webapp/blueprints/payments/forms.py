from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Regexp, ValidationError

from webapp.rules.payments import MANUAL_METHODS, KeyRefused, ManualMethod, check_keys
from webapp.web.form_keys import form_key
from webapp.web.forms import OneLine, PriceMixin, choices, currency_field, strip


class StripeKeysForm(FlaskForm):
    # Keys are typed, never shown again: the page says which account is connected instead.
    secret_key = PasswordField(
        "Secret key", filters=[strip], validators=[InputRequired("Paste the secret key.")]
    )
    publishable_key = StringField(
        "Publishable key",
        filters=[strip],
        validators=[InputRequired("Paste the publishable key."), Length(max=255)],
    )
    # Optional at first: Stripe shows it once the webhook URL, shown after saving, is added.
    webhook_secret = PasswordField("Webhook signing secret", filters=[strip])

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        try:
            self.keys = check_keys(
                self.secret_key.data, self.publishable_key.data, self.webhook_secret.data
            )
        except KeyRefused as refused:
            self[refused.field].errors.append(str(refused))
            return False
        return True

    def validate_secret_key(self, field):
        if len(field.data or "") > 255:
            raise ValidationError("That is longer than any Stripe key.")

    def validate_webhook_secret(self, field):
        if len(field.data or "") > 255:
            raise ValidationError("That is longer than any Stripe signing secret.")


class ManualPaymentForm(PriceMixin, FlaskForm):
    price = StringField("Amount received", filters=[strip])
    currency = currency_field()
    method = SelectField(
        "How",
        choices=choices([(m.value, label) for m, label in MANUAL_METHODS.items()]),
        default=ManualMethod.CASH.value,
    )
    note = StringField(
        "Note (optional)",
        filters=[strip],
        validators=[Length(max=300, message="Use at most 300 characters."), OneLine()],
    )
    # One key per form shown: sending the same form twice records the payment once.
    key = HiddenField(default=form_key)

    def validate_price(self, field):
        super().validate_price(field)
        if getattr(self, "money", None) is not None and self.money.minor <= 0:
            raise ValidationError("Enter the amount received, more than zero.")

    def validate_key(self, field):
        _check_key(field)


def _check_key(field):
    if not field.data or len(field.data) > 64:
        raise ValidationError("Reload the page and send the payment again.")


class DuePaidForm(FlaskForm):
    """A booking with payment due, paid outside OnDeck: the amount is the charge that failed."""

    method = SelectField(
        "How",
        choices=choices([(m.value, label) for m, label in MANUAL_METHODS.items()]),
        default=ManualMethod.CASH.value,
    )
    key = HiddenField(default=form_key)

    def validate_key(self, field):
        _check_key(field)


class CardSetupForm(FlaskForm):
    save_card = BooleanField("Save this card for +1")


class CardPaymentForm(CardSetupForm):
    setup_intent = StringField(
        "Card",
        filters=[strip],
        validators=[
            InputRequired("Card payments need JavaScript: turn it on, or pay your coach directly."),
            Regexp(r"^seti_[A-Za-z0-9_]{1,200}$", message="Enter the card again."),
        ],
    )
