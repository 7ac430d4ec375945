"""A zip file written as it is sent: each file's bytes go through a small buffer that is
drained after every write, so the archive never sits whole in memory.

The standard library's zipfile writes to a stream it cannot seek in by putting each file's
sizes after its data (a data descriptor), which every unzip tool reads.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime

# Text is gathered into pieces of about this size before it is compressed.
PIECE = 64 * 1024


class _Drain:
    """A write-only file whose contents are taken away as they come."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self._chunks)
        self._chunks.clear()
        return out


def pieces(parts: Iterable[str]) -> Iterator[bytes]:
    """UTF-8 bytes of many small strings, joined into pieces of about PIECE bytes."""
    held: list[str] = []
    size = 0
    for part in parts:
        held.append(part)
        size += len(part)
        if size >= PIECE:
            yield "".join(held).encode()
            held, size = [], 0
    if held:
        yield "".join(held).encode()


def zip_stream(files: Iterable[tuple[str, Iterable[bytes]]], when: datetime) -> Iterator[bytes]:
    """The bytes of a zip holding each (name, chunks) in turn, yielded as they are made."""
    drain = _Drain()
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(drain, "w") as archive:
        for name, chunks in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            with archive.open(info, "w") as entry:
                for chunk in chunks:
                    entry.write(chunk)
                    if out := drain.take():
                        yield out
            if out := drain.take():
                yield out
    if out := drain.take():
        yield out
