"""Files: the one atomic write, and text that must be UTF-8."""

from __future__ import annotations

import os
from pathlib import Path

from . import ExecdocError


def write_atomic(target: Path, data: str | bytes, *, durable: bool = False) -> Path:
    """Write ``target`` through a temporary file beside it and a rename: a
    reader sees the old content or the new, whole, never half of it. ``durable``
    also flushes to disk before the rename (records: they are committed)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        with open(temp, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()
    return target


def read_text(path: Path) -> str:
    """A file's text; one that is not UTF-8 is an error naming the file and line."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ExecdocError(f"{Path(path).name}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); "
                           "save the file as UTF-8") from None
