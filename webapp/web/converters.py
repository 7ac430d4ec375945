"""URL converters: ids that no database column can hold are simply not found."""

from werkzeug.routing import IntegerConverter

# The largest value of a 32-bit signed integer column, the smallest id column in the schema.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` limited to what an id column holds, so a huge id is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def form_id(value: str | None) -> int | None:
    """An id chosen in a form (a select of rows), or None when it cannot be one."""
    if value is None or not value.strip().isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
