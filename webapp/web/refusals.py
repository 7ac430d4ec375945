"""Clear pages for an invitation or join link that cannot be used.

A loader that finds the link dead raises `Refused`; the error handler (`web.errors`) renders
the refusal page, so views read as the happy path.
"""

from __future__ import annotations

from dataclasses import dataclass

from webapp.web.htmx import render


@dataclass(eq=False)
class Refused(Exception):
    """Why a link or form was refused: `ask_again` is where to get a new link, `next_step` a
    (label, url) of where to go instead."""

    title: str
    message: str
    status: int
    offer_logout: bool = False
    ask_again: str | None = None
    next_step: tuple[str, str] | None = None

    def page(self):
        return render(
            "invitations/refused.html",
            status=self.status,
            title=self.title,
            message=self.message,
            offer_logout=self.offer_logout,
            ask_again=self.ask_again,
            next_step=self.next_step,
        )


def refusal(title: str, message: str, status: int, **details):
    """The refusal page as a response, for a view that answers with it directly."""
    return Refused(title, message, status, **details).page()


def too_many_attempts():
    return refusal(
        "Too many attempts",
        "There have been too many attempts from here. Wait ten minutes and try again.",
        429,
    )
