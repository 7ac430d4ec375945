"""The public join page's sign-up form."""

from webapp.web.accept_forms import WaiverForm
from webapp.web.forms import email_field, name_field, new_password_field, time_zone_field


class JoinSignupForm(WaiverForm):
    """A new client account through a program's join link."""

    name = name_field("Your name")
    email = email_field()
    password = new_password_field("Choose a password")
    time_zone = time_zone_field()
