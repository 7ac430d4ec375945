"""Form pieces shared by several blueprints."""

from __future__ import annotations

from zoneinfo import available_timezones

from wtforms import DateField, EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, ValidationError

from webapp.rules.credentials import (
    MAX_PASSWORD_LENGTH,
    PasswordError,
    check_password_policy,
    check_password_strength,
)
from webapp.rules.dates import EARLIEST, LATEST, in_range, out_of_range_message
from webapp.rules.money import CURRENCIES, MoneyError
from webapp.rules.text import is_one_line
from webapp.services.amounts import read_price
from webapp.services.password_strength import estimate

EARLIEST_TEXT, LATEST_TEXT = EARLIEST.isoformat(), LATEST.isoformat()
TIME_ZONES = sorted(available_timezones() - {"localtime", "Factory"})


class PriceMixin:
    """A `price` and a `currency` field read together as exact Money into `self.money`."""

    def validate_currency(self, field):
        if field.data not in CURRENCIES:
            raise ValidationError("Choose a currency from the list.")

    def validate_price(self, field):
        if self.currency.data not in CURRENCIES:
            return  # the currency field says what is wrong
        try:
            self.money = read_price(field.data, self.currency.data)
        except MoneyError as error:
            raise ValidationError(str(error)) from None


class WholeNumberField(IntegerField):
    """An integer of at most nine digits: no count in the app is larger, and WTForms' range
    check fails on an integer too large for a float instead of refusing it."""

    def process_formdata(self, valuelist):
        if valuelist and len((valuelist[0] or "").strip().lstrip("+-")) > 9:
            self.data = None
            raise ValueError("Enter a smaller number.")
        super().process_formdata(valuelist)


class OneLine:
    """Refuses line breaks and control characters in text meant for one line."""

    def __call__(self, form, field):
        if isinstance(field.data, str) and not is_one_line(field.data):
            raise ValidationError("Keep this to one line, without line breaks or tabs.")


class InCalendarRange:
    """The date rules' range as a WTForms validator."""

    def __call__(self, form, field):
        if field.data is not None and not in_range(field.data):
            raise ValidationError(out_of_range_message())


def date_field(label: str) -> DateField:
    """A required date inside the range every calendar date keeps to."""
    return DateField(
        label,
        validators=[InputRequired("Choose a date."), InCalendarRange()],
        render_kw={"min": EARLIEST_TEXT, "max": LATEST_TEXT},
    )


def currency_field() -> SelectField:
    return SelectField(
        "Currency",
        choices=choices((code, code) for code in CURRENCIES),
        default="GBP",
        validate_choice=False,
    )


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    return value.strip() if isinstance(value, str) else value


def lower_strip(value):
    return value.strip().lower() if isinstance(value, str) else value


def name_field(label: str = "Name") -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[
            InputRequired("Enter a name."),
            Length(max=120, message="Use at most 120 characters."),
            OneLine(),
        ],
    )


def email_field(label: str = "Email") -> EmailField:
    return EmailField(
        label,
        filters=[lower_strip],
        validators=[
            InputRequired("Enter an email address."),
            Length(max=254, message="That email address is too long."),
            OneLine(),
            Email(
                "Enter a valid email address, like name@example.com.", check_deliverability=False
            ),
        ],
    )


def time_zone_field(label: str = "Time zone") -> SelectField:
    return SelectField(
        label,
        choices=choices((tz, tz.replace("_", " ")) for tz in TIME_ZONES),
        default="Europe/London",
        validate_choice=True,
    )


class AccountDetailsMixin:
    """For a form choosing a password without asking the name or email (they are known
    already: a reset, an invitation): the account's, for the password policy to check."""

    def __init__(self, *args, account_email: str = "", account_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email, self.account_name = account_email, account_name


def _account_detail(form, field: str) -> str:
    if field in form:
        return form[field].data or ""
    return getattr(form, f"account_{field}", "") or ""


class PasswordPolicy:
    """The account rules' password policy as a WTForms validator: length, not the email,
    and not easy to guess (common, breached, or made of the person's name or email)."""

    def __call__(self, form, field):
        password = field.data or ""
        email, name = _account_detail(form, "email"), _account_detail(form, "name")
        try:
            check_password_policy(password, email=email)
            check_password_strength(estimate(password, user_inputs=(name, email)))
        except PasswordError as error:
            raise ValidationError(str(error)) from None


def new_password_field(label: str = "Password") -> PasswordField:
    return PasswordField(label, validators=[InputRequired("Choose a password."), PasswordPolicy()])


def password_field(label: str = "Password") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired("Enter your password."),
            Length(max=MAX_PASSWORD_LENGTH, message="That password is too long."),
        ],
    )
