"""One page of a long list, and what a client list was asked for (a page and a search)."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

MAX_SEARCH_LENGTH = 100
MAX_PAGE = 100_000


def page_count(total: int, size: int) -> int:
    """Pages needed for `total` rows; an empty list still has its one (empty) page."""
    return max(1, -(-total // size))


@dataclass(frozen=True)
class Pager:
    page: int
    total: int
    size: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.size)

    @property
    def first(self) -> int:
        """1-based position of the page's first row (0 on an empty list)."""
        return min(self.total, (self.page - 1) * self.size + 1)

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.size)


@dataclass(frozen=True)
class ListRequest:
    """The page asked for (1 when missing or not a positive number) and the search text."""

    page: int = 1
    search: str = ""

    @classmethod
    def from_args(cls, args: MultiDict) -> ListRequest:
        page = args.get("page", type=int) or 1
        search = " ".join(args.get("q", "").split())[:MAX_SEARCH_LENGTH]
        # Past any real list, and within what a database offset can hold.
        return cls(page=min(max(1, page), MAX_PAGE), search=search)

    def like_pattern(self) -> str:
        """The search as a LIKE pattern matched anywhere, its wildcards taken literally."""
        escaped = self.search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%"
