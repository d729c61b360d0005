"""Closed orders kept as columns, and the shipments table built from them.

An order that is delivered, refused, cancelled or revoked never moves again. The order
book hands its closed orders here now and then (`ClosedOrders.add`): each field becomes a
compact column (text as codes into the values seen, dates as day numbers), and the
objects are let go. A year of 10,000 firms closes millions of orders; as objects they
held about 350 bytes each, as columns under 100.

`shipments_frame` builds the shipments table from closed columns and open objects alike:
the same table, to the last bit and dtype, as one built from every order's object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from operator import attrgetter

import numpy as np
import pandas as pd

from sim.engine.memory import trim_heap
from sim.trade.shipments import CLOSED, Decision, Licence, Shipment, Status

FIELDS = tuple(f.name for f in fields(Shipment))
TABLE_COLUMNS = tuple(c for c in FIELDS if c not in ("reserved", "ship_on"))
"""The shipments table's columns: every field but the two that only steer the run."""
DATES = ("ordered_on", "applied_on", "accepted_on", "decided_on", "shipped_on",
         "cleared_on", "due_on", "delivered_on", "ship_on")
ENUMS = {"licence": Licence, "decision": Decision, "status": Status}
NUMBERS = {"id": np.int64, "tonnes": np.float64, "held_days": np.int64, "rfi": np.bool_,
           "reserved": np.bool_, "expedited": np.bool_, "component": np.bool_}
TEXT = tuple(c for c in FIELDS if c not in DATES and c not in NUMBERS)
"""Fields kept as codes into the values seen (names, countries, end uses, enums, reasons)."""

_ALL_FIELDS = attrgetter(*FIELDS)
NAT = np.iinfo(np.int64).min  # numpy's NaT as int64
_EPOCH = dt.date(1970, 1, 1).toordinal()
_NO_DAY = np.iinfo(np.int32).min  # no date: a day number no date has


class ClosedOrders:
    """The closed orders of a run as columns, in chunks (one per `add`)."""

    def __init__(self) -> None:
        self.chunks: list[dict[str, np.ndarray]] = []
        self.values: dict[str, list] = {c: [] for c in TEXT}  # code -> value, per field
        self._codes: dict[str, dict] = {c: {} for c in TEXT}  # value -> code, per field
        self.count = 0
        self.released = False  # the columns went into the run's last table

    def add(self, orders: list[Shipment]) -> np.ndarray:
        """Keep ``orders`` (closed: none holds tonnes) as a chunk of columns; their ids.
        Each object is read once (a year of 10,000 firms archives millions)."""
        if not orders:
            return np.empty(0, dtype=np.int64)
        chunk: dict[str, np.ndarray] = {}
        # every field of each order in one pass (each object read once), then by field
        for c, values in zip(FIELDS, zip(*map(_ALL_FIELDS, orders), strict=True),
                             strict=True):
            if c in NUMBERS:
                chunk[c] = np.array(values, dtype=NUMBERS[c])
            elif c in DATES:
                chunk[c] = _day_numbers(values)
            else:
                chunk[c] = self._encode(c, values)
        status = self.values["status"]
        if chunk["reserved"].any() or any(status[k] not in CLOSED
                                          for k in np.unique(chunk["status"])):
            raise RuntimeError("only closed orders that hold no tonnes are kept as columns")
        self.chunks.append(chunk)
        self.count += len(orders)
        return chunk["id"]

    def _encode(self, field: str, values) -> np.ndarray:
        """``values`` as codes into the values seen in ``field`` (a new value gets the
        next code, in order of first appearance). The values are numbered by
        `pandas.factorize` and only its few distinct ones looked up."""
        codes, seen = self._codes[field], self.values[field]
        if not len(values):
            return np.empty(0, dtype=np.int32)
        local, distinct = pd.factorize(np.asarray(values, dtype=object),
                                       use_na_sentinel=False)
        to_code = np.empty(len(distinct), dtype=np.int32)
        for i, v in enumerate(distinct):
            k = codes.get(v)
            if k is None:
                k = codes[v] = len(seen)
                seen.append(v)
            to_code[i] = k
        return to_code[local]

    def orders(self) -> list[Shipment]:
        """The closed orders as objects again (copies: for inspection, not the run)."""
        out = []
        for ch in self.chunks:
            cols = []
            for c in FIELDS:
                a = ch[c]
                if c in DATES:
                    cols.append([None if d == _NO_DAY else dt.date.fromordinal(int(d) + _EPOCH)
                                 for d in a])
                elif c in NUMBERS:
                    cols.append(a.tolist())
                else:
                    seen = self.values[c]
                    cols.append([seen[k] for k in a])
            out += [Shipment(**dict(zip(FIELDS, row, strict=True)))
                    for row in zip(*cols, strict=True)]
        return out

    def column(self, field: str, n: int, open_orders: list[Shipment],
               release: bool = False, live_ids: np.ndarray | None = None) -> pd.Series:
        """Field ``field`` of all ``n`` orders (ids 0..n-1), closed and ``open_orders``
        (their ids ``live_ids``, found here when not given), as the shipments table holds
        it; ``release``: the closed orders' columns of it are let go (the ids last)."""
        ids = [ch["id"] for ch in self.chunks]
        parts = [ch.pop(field) if release and field != "id" else ch[field]
                 for ch in self.chunks]
        if live_ids is None:
            live_ids = _ids(open_orders)
        live = list(map(attrgetter(field), open_orders))
        if field in NUMBERS:
            arr = np.empty(n, dtype=NUMBERS[field])
            for i, p in zip(ids, parts, strict=True):
                arr[i] = p
            arr[live_ids] = np.array(live, dtype=NUMBERS[field])
            return pd.Series(arr)
        if field in DATES:
            days = np.empty(n, dtype=np.int32)
            for i, p in zip(ids, parts, strict=True):
                days[i] = p
            days[live_ids] = _day_numbers(live)
            if (days == _NO_DAY).all():  # no date at all: as pandas infers it
                return pd.to_datetime(pd.Series([None] * n, dtype=object))
            secs = days.astype(np.int64) * 86400
            secs[days == _NO_DAY] = NAT
            return pd.Series(secs.view("datetime64[s]"))
        codes = np.empty(n, dtype=np.int32)
        for i, p in zip(ids, parts, strict=True):
            codes[i] = p
        codes[live_ids] = self._encode(field, live)
        seen = [str(v) for v in self.values[field]] if field in ENUMS else self.values[field]
        fast = _text_by_codes(seen, codes)
        if fast is not None:
            return fast
        values = np.empty(len(self.values[field]), dtype=object)
        values[:] = self.values[field]
        if field in ENUMS:
            return pd.Series(values[codes], dtype=object).astype(str)
        return pd.Series(values[codes])


def _text_by_codes(values: list, codes: np.ndarray) -> pd.Series | None:
    """A text column from its distinct ``values`` and each row's code, built in Arrow:
    the column pandas infers from the row's texts (same dtype, same values), without a
    Python object per row (a large run's column has millions). None where pandas would
    not infer Arrow text (a value not text, or no rows): the caller's way then."""
    if not len(codes) or not all(type(v) is str for v in values):
        return None
    dtype = pd.Series(np.array(values[:1], dtype=object)).dtype  # as pandas infers it
    if getattr(dtype, "storage", None) != "pyarrow":
        return None
    return pd.Series(pd.array(values, dtype=dtype).take(codes))  # Arrow's take


def _ids(orders: list[Shipment]) -> np.ndarray:
    return np.fromiter(map(attrgetter("id"), orders), np.int64, len(orders))


def _day_numbers(values: list) -> np.ndarray:
    """Dates as days since 1970-01-01 (int32); no date as `_NO_DAY`."""
    cache: dict = {None: _NO_DAY}  # orders share a few hundred dates
    return np.fromiter((cache[d] if d in cache else cache.setdefault(d, d.toordinal() - _EPOCH)
                        for d in values), np.int32, len(values))


def shipments_frame(open_orders: list[Shipment], closed: ClosedOrders | None = None,
                    n: int | None = None, release: bool = False) -> pd.DataFrame:
    """The shipments table: one row per order in id order (ids 0..n-1), from the ``closed``
    orders' columns and the ``open_orders``' objects (all of them when ``closed`` is None:
    then ``open_orders`` are every order, in id order). Text as text, enums as their
    text, dates as datetimes. ``release``: the closed orders' columns are let go as the
    table takes them (`ClosedOrders.released` after: no table can be built again)."""
    if closed is not None and closed.released:
        raise RuntimeError("the closed orders went into the run's last table already")
    if closed is None or not closed.chunks:
        return pd.DataFrame({c: _object_column(open_orders, c) for c in TABLE_COLUMNS},
                            columns=list(TABLE_COLUMNS), copy=False)
    n = closed.count + len(open_orders) if n is None else n
    cols = {}
    live_ids = _ids(open_orders)
    for c in (*(c for c in TABLE_COLUMNS if c != "id"), "id"):
        cols[c] = closed.column(c, n, open_orders, release, live_ids)
        if release:
            trim_heap(n)  # a large run: the released columns' memory back
    if release:
        closed.chunks.clear()
        closed.released = True
    return pd.DataFrame(cols, columns=list(TABLE_COLUMNS), copy=False)


def _object_column(shipments: list[Shipment], col: str) -> pd.Series:
    """One column of the shipments table from the orders' objects, built alone (a run of
    millions of orders holds one column's Python values at a time)."""
    values = list(map(attrgetter(col), shipments))
    if col in ENUMS:
        return pd.Series(values, dtype=object).astype(str) if values else \
            pd.Series(values, dtype=object)
    if col in DATES:
        if not any(d is not None for d in values):  # no date at all: as pandas infers it
            return pd.to_datetime(pd.Series(values, dtype=object))
        days = _day_numbers(values).astype(np.int64)
        secs = days * 86400
        secs[days == _NO_DAY] = NAT
        return pd.Series(secs.view("datetime64[s]"))
    return pd.Series(values) if values else pd.Series(values, dtype=object)
