"""What one-line text (a name, a title, an email address) may hold."""

from __future__ import annotations

import unicodedata

# Line and paragraph separators are not control characters to Unicode, but break lines.
_BREAKS = {"\u2028", "\u2029"}


def is_one_line(text: str) -> bool:
    """No line breaks, tabs or other control characters: such text ends up in email headers,
    list rows and calendar titles, where a break would split or forge a line."""
    return not any(ch in _BREAKS or unicodedata.category(ch) == "Cc" for ch in text)
