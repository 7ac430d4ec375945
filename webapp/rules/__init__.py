"""Pure domain rules: no Flask, no SQLAlchemy, no clock. Callers pass `today`/`now` in."""


class RuleError(Exception):
    """A step the rules do not allow; the message is fit to show a coach or client."""
