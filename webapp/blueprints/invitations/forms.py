"""Forms of the public accept page for an emailed invitation."""

from webapp.web.accept_forms import WaiverForm
from webapp.web.forms import (
    AccountDetailsMixin,
    name_field,
    new_password_field,
    password_field,
    time_zone_field,
)


class LoginAcceptForm(WaiverForm):
    """The invited address already has an account: its password, then accept."""

    password = password_field("Your password")


class SignupAcceptForm(AccountDetailsMixin, WaiverForm):
    """A new client account for the invited address (the email comes from the invitation)."""

    name = name_field("Your name")
    password = new_password_field("Choose a password")
    time_zone = time_zone_field()
