"""A program's public join link: derived from SECRET_KEY and the program's salt.

The coach can copy the link again at any time while the database keeps only the salt and
the hash; a new salt (regenerate) kills the old link.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from markupsafe import escape

from webapp.models import Program
from webapp.services.tokens import derived_token, hash_token, new_salt

PURPOSE = "join"


@dataclass(frozen=True)
class JoinLink:
    url: str
    widget_url: str
    enabled: bool
    program_name: str

    @property
    def link_snippet(self) -> str:
        name = escape(self.program_name)
        return f'<a href="{self.url}" target="_blank" rel="noopener">Join {name}</a>'

    @property
    def widget_snippet(self) -> str:
        return (
            f'<iframe src="{self.widget_url}" title="Join {escape(self.program_name)}" '
            'width="340" height="190" loading="lazy"></iframe>'
        )


def regenerate(program: Program) -> None:
    program.join_salt = new_salt()
    program.join_token_hash = hash_token(derived_token(PURPOSE, program.join_salt))


def join_link(program: Program) -> JoinLink | None:
    if not program.join_salt:
        return None
    token = derived_token(PURPOSE, program.join_salt)
    base = current_app.config["PUBLIC_URL"]
    return JoinLink(
        url=base + url_for("join.show", token=token),
        widget_url=base + url_for("join.widget", token=token),
        enabled=program.join_enabled,
        program_name=program.name,
    )
