"""The one reader of files a user gives (world tables, scenario and experiment files,
observed data): regular files only, size and encoding checked before the text is parsed,
and every refusal one line naming the file.

Limits are generous for real inputs and small enough that a mistaken or hostile file is
refused in bounded time and memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sim.domain.errors import ConfigError

MAX_FILE_BYTES = 20_000_000
"""Largest file read (20 MB): a world table or a scenario is a few kB."""
MAX_CELL_CHARS = 10_000
"""Longest value in one table cell or YAML scalar."""


def read_text(path: str | Path, what: str = "file", max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text of ``path`` (UTF-8, an Excel byte-order mark allowed).

    Raises ConfigError (``<path>: <why>, got <value>``) for a missing path, a folder, a
    FIFO, socket or device, a file over ``max_bytes``, UTF-16 or other non-UTF-8 text and
    NUL bytes. A FIFO is refused without opening it, so nothing blocks."""
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such {what}") from None
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the {what} ({e.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise ConfigError(f"{p}: a folder, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(f"{p}: not a regular file (a pipe, socket or device), so it is not "
                          f"read as a {what}")
    if st.st_size > max_bytes:
        raise ConfigError(f"{p}: the {what} is {st.st_size:,} bytes, more than the "
                          f"{max_bytes:,} read, got {st.st_size:,}")
    try:
        with open(p, "rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the {what} ({e.strerror})") from None
    return decode(raw, str(p), what)


def decode(raw: bytes, label: str, what: str = "file") -> str:
    """Bytes of a user's file as text, or one line saying why not (see `read_text`)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ConfigError(f"{label}: UTF-16 text; save the {what} as UTF-8 (CSV UTF-8 in a "
                          "spreadsheet), got a UTF-16 byte-order mark")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise ConfigError(f"{label}:{line}: not UTF-8 text; save the {what} as UTF-8, got "
                          f"{raw[e.start:e.start + 4]!r}") from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise ConfigError(f"{label}:{line}: a NUL byte; the {what} is not text, got '\\x00'")
    return text
