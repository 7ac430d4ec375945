"""Clear pages for an invitation or join link that cannot be used."""

from webapp.web.htmx import render


def refusal(
    title: str,
    message: str,
    status: int,
    *,
    offer_logout: bool = False,
    ask_again: str | None = None,
    next_step: tuple[str, str] | None = None,
):
    """A page that says why a link or form was refused; `ask_again` is where to get a new link,
    `next_step` a (label, url) of where to go instead."""
    return render(
        "invitations/refused.html",
        status=status,
        title=title,
        message=message,
        offer_logout=offer_logout,
        ask_again=ask_again,
        next_step=next_step,
    )


def too_many_attempts():
    return refusal(
        "Too many attempts",
        "There have been too many attempts from here. Wait ten minutes and try again.",
        429,
    )
