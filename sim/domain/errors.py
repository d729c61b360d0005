"""Errors a user can cause and fix: the CLI prints them as one line, without a traceback.

The line reads ``error: <where>: <what>, got <value>``; `suggest` adds a "did you mean"
from the names that exist. ``SIM_DEBUG=1`` (or ``HYDRA_FULL_ERROR=1``) prints the traceback
as well (see `sim.entry.cli`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class ConfigError(ValueError):
    """A scenario or override names an unknown key or holds a bad value."""


def suggest(name: object, options: Iterable[object], listing: bool = False) -> str:
    """``" (did you mean 'x'?)"`` for the closest of ``options`` (with ``listing``, also
    the options: ``" (did you mean 'x'?; known: a, b)"``), or ``""``."""
    opts = sorted({str(o) for o in options})
    close = difflib.get_close_matches(str(name), opts, n=2, cutoff=0.6)
    parts = [f"did you mean {' or '.join(map(repr, close))}?"] if close else []
    if listing and opts:
        more = len(opts) - KNOWN_SHOWN
        parts.append(f"known: {', '.join(opts[:KNOWN_SHOWN])}"
                     + (f", ... and {more:,} more" if more > 0 else ""))
    return f" ({'; '.join(parts)})" if parts else ""


KNOWN_SHOWN = 40
"""Names an error message lists at most (a synthetic world has thousands of firms)."""


def known_list(names: Iterable[object]) -> str:
    """``names`` as a message lists them (a Python list), cut to `KNOWN_SHOWN` with how
    many more there are: one readable line even for a world of 10,000 firms."""
    names = list(names)
    if len(names) <= KNOWN_SHOWN:
        return repr(names)
    return f"{repr(names[:KNOWN_SHOWN])[:-1]}, ... and {len(names) - KNOWN_SHOWN:,} more]"


def error(where: str, what: str, got: object = None) -> ConfigError:
    """A ConfigError reading ``<where>: <what>, got <got>`` (``got`` omitted when None)."""
    tail = "" if got is None else f", got {got}"
    return ConfigError(f"{where}: {what}{tail}")


def show(value: object) -> str:
    """A value as a message quotes it: ``null``, a text in quotes, else as printed."""
    return "null" if value is None else repr(value) if isinstance(value, str) else str(value)
