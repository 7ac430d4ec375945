"""One store of compiled templates for every app the suite makes.

Each test makes its own app, whose Jinja environment would otherwise parse and compile every
template it renders again. The store is keyed by template name and checked against the
source, so an edited template is compiled anew.
"""

from __future__ import annotations

from jinja2 import BytecodeCache


class _SharedBytecode(BytecodeCache):
    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


_SHARED = _SharedBytecode()


def share_compiled_templates(app) -> None:
    app.jinja_env.bytecode_cache = _SHARED
