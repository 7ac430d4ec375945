from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length, ValidationError

from webapp.rules import RuleError
from webapp.rules.plusone import check_package
from webapp.web.forms import OneLine, PriceMixin, choices, currency_field, strip


class PackageForm(PriceMixin, FlaskForm):
    name = StringField(
        "Name (optional)",
        filters=[strip],
        validators=[Length(max=120, message="Use at most 120 characters."), OneLine()],
    )
    sessions_count = StringField("Sessions", filters=[strip])
    price = StringField("Total price", filters=[strip])
    currency = currency_field()
    offered_to = SelectField("Offered to", validate_choice=False)
    no_auto_renewal = BooleanField("Do not offer auto-renewal on this package")

    def __init__(self, clients, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The coach's own active clients with an account; anyone else is not a choice.
        self.client_ids = {str(user.id) for user in clients}
        self.offered_to.choices = choices(
            [("", "Everyone (public package)")] + [(str(u.id), u.name) for u in clients]
        )

    def validate_sessions_count(self, field):
        try:
            self.count = int(field.data or "")
        except ValueError:
            raise ValidationError(
                "Enter the number of sessions as a whole number, like 5."
            ) from None
        if self.count < 1:
            raise ValidationError("A package needs at least one session.")

    def validate_offered_to(self, field):
        if field.data and field.data not in self.client_ids:
            raise ValidationError("Choose one of your active clients, or Everyone.")

    def validate_no_auto_renewal(self, field):
        if field.data and not self.offered_to.data:
            raise ValidationError(
                "Only a custom package (offered to one client) can turn off auto-renewal."
            )

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        try:
            self.rate = check_package(self.count, self.money)
        except RuleError as error:
            self.sessions_count.errors.append(str(error))
            return False
        return True
