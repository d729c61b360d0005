"""An agent's row of the agents table, declared once per class as data.

Each class names its columns and the attribute that gives each value (``ROW``: column ->
attribute path, ``STOCK`` for the stock columns). A subclass's ``ROW`` adds columns after
its parents' or, for a column a parent has, changes where the value comes from and keeps
the column's place. `Recorded.record` gives the row as a dict; `Recorded.record_values` the
values alone, in the columns' order, through `operator.attrgetter` (the recorder calls it
for every agent every day, so it is one C-level call per part of the row).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from operator import attrgetter

from sim.domain.products import MATERIALS

STOCK = "*stock"
"""The ``ROW`` key that stands for the stock columns (``stock_<material>``, in the order of
``MATERIALS``, as every firm's ``stock`` dict holds them)."""
STOCK_COLUMNS = tuple(f"stock_{m}" for m in MATERIALS)
FIXED = frozenset({"agent", "kind", "country"})
"""Columns whose value an agent keeps for the whole run (its name, kind and country, set
when it is made): the recorder reads them on the first day only (`Recorded.day_spec`)."""


def _getter(paths: tuple[str, ...]) -> Callable:
    if not paths:
        return lambda a: ()
    g = attrgetter(*paths)
    return g if len(paths) > 1 else (lambda a: (g(a),))


class Recorded:
    """Mixin: an agent whose agents-table row is declared by ``ROW`` (see module)."""

    ROW: dict[str, str | None] = {}
    ZERO = 0.0
    NAN = math.nan

    @classmethod
    def _spec(cls) -> dict[str, str | None]:
        spec: dict[str, str | None] = {}
        for k in reversed(cls.__mro__):
            spec.update(k.__dict__.get("ROW", {}))
        return spec

    @staticmethod
    def _split(spec: dict) -> tuple[tuple[str, ...], Callable, bool, Callable]:
        keys = list(spec)
        if STOCK in spec:
            i = keys.index(STOCK)
            head, tail = keys[:i], keys[i + 1:]
            cols = (*head, *STOCK_COLUMNS, *tail)
        else:
            head, tail, cols = keys, [], tuple(keys)
        return (tuple(cols), _getter(tuple(spec[c] for c in head)), STOCK in spec,
                _getter(tuple(spec[c] for c in tail)))

    @classmethod
    def row_spec(cls) -> tuple[tuple[str, ...], Callable, bool, Callable]:
        """(columns, head getter, has stock columns, tail getter), cached per class."""
        got = cls.__dict__.get("_row_spec")
        if got is None:
            got = cls._row_spec = cls._split(cls._spec())
        return got

    @classmethod
    def day_spec(cls) -> tuple[tuple[str, ...], Callable, tuple[str, ...], Callable, bool,
                               Callable]:
        """The row split into the columns an agent keeps all run (`FIXED`) and the rest:
        (fixed columns, their getter, other columns, head getter, has stock columns, tail
        getter), each part in the row's order; cached per class."""
        got = cls.__dict__.get("_day_spec")
        if got is None:
            spec = cls._spec()
            fixed = tuple(c for c in spec if c in FIXED)
            rest = cls._split({c: p for c, p in spec.items() if c not in FIXED})
            got = cls._day_spec = (fixed, _getter(tuple(spec[c] for c in fixed)), *rest)
        return got

    def record_values(self) -> tuple:
        """Today's values of this agent's row, in the order of its columns."""
        _, head, stock, tail = type(self).row_spec()
        if stock:
            return head(self) + tuple(self.stock.values()) + tail(self)
        return head(self)

    def record(self) -> dict:
        """This agent's row of the agents table for today."""
        return dict(zip(type(self).row_spec()[0], self.record_values(), strict=True))
