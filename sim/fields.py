"""The field helper shared by the config schemas: a dataclass field with unit and help."""

from dataclasses import field
from typing import Any


def p(default: Any = None, *, unit: str = "", help: str = "", factory: Any = None) -> Any:
    """A dataclass field with unit and help text in its metadata."""
    meta = {"unit": unit, "help": help}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)
