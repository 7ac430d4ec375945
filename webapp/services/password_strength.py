"""How easy a password is to guess, estimated offline by zxcvbn (its dictionaries of common
and breached passwords, names and words ship inside the package). The verdict is
webapp.rules.credentials.check_password_strength."""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

from webapp.rules.credentials import PasswordEstimate

# zxcvbn refuses longer input; the first 72 characters alone are at least as strong.
_ESTIMATED_LENGTH = 72
# Words anyone attacking an OnDeck account would try first.
_SITE_WORDS = ("ondeck", "on deck", "coach", "coaching", "client", "training")


def estimate(password: str, *, user_inputs: tuple[str, ...] = ()) -> PasswordEstimate:
    """Score (0-4) and zxcvbn's advice, with the account's own name and email as words an
    attacker would try."""
    words = [*_SITE_WORDS, *_words_of(user_inputs)]
    result = zxcvbn(password[:_ESTIMATED_LENGTH], user_inputs=words)
    feedback = result["feedback"]
    return PasswordEstimate(
        score=result["score"],
        warning=feedback["warning"],
        suggestions=tuple(feedback["suggestions"]),
        uses_own_details=any(
            match.get("dictionary_name") == "user_inputs" for match in result["sequence"]
        ),
    )


def _words_of(inputs: tuple[str, ...]) -> list[str]:
    """Each input whole and in its parts: "Ana Lima", "ana.lima@example.com" give ana, lima."""
    words = []
    for value in inputs:
        value = (value or "").strip().lower()
        if value:
            words += [value, *(part for part in re.split(r"[\s.@_+-]+", value) if part)]
    return words
