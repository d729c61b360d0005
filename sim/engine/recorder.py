"""Records each day of a run and turns the records into tables (no file I/O here)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.agents.row import FIXED, Recorded
from sim.domain.products import (
    MAGNETS,
    MATERIALS,
    RAW,
    reo,
)
from sim.engine.memory import trim_heap
from sim.engine.plan import RECORD_ROLES
from sim.policy.border import QUOTA_GROUPS
from sim.trade.closed import shipments_frame

_MAGNET_COLS = tuple((m, f"buyer_stock_{m}_t", f"buyer_cover_{m}_days") for m in MAGNETS)
_MATERIAL_COLS = tuple((m, f"exports_{m}_t", f"licence_queue_{m}_t", f"price_{m}_cn",
                        f"price_{m}_ex_cn") for m in MATERIALS)
EVENT_COLUMNS = ["date", "end", "kind", "label", "materials", "destinations", "source",
                 "fired", "scope", "detail", "lift"]
SCOPE_KEYS = ("end_use", "firms", "customers", "sectors")
"""Keys that narrow an event to part of its destinations' trade (``scope``: a partial shock)."""
DETAIL_KEYS = ("rate", "tonnes", "tonnes_per_year", "group", "importers", "origins", "prob",
               "level", "delay_days", "delay_min_days", "delay_max_days", "usd_per_kg")
"""Keys that give an event's size (``detail``)."""


def _text(e, keys) -> str:
    out = []
    for k in keys:
        v = getattr(e, k, None)
        if v is None or v == () or (k == "origins" and tuple(v) == ("CN",)):
            continue
        if k == "rate":
            v = f"{v:.0%}"
        elif isinstance(v, (tuple, list)):
            v = ",".join(map(str, v))
        elif isinstance(v, float):
            v = f"{v:,.0f}" if abs(v) >= 100 else f"{v:g}"
        out.append(f"{k.replace('_', ' ')} {v}")
    return "; ".join(out)


class Recorder:
    """Collects the model-level row (``daily``) and one row per agent (``agents``) each day.

    Args:
        supply_window_days: days of the running mean behind ``non_china_supply_share``.
    """

    def __init__(self, supply_window_days: float = 30.0) -> None:
        self.window = supply_window_days
        self.daily: list[dict] = []
        self.dates: list = []
        self._groups: list[_Group] | None = None  # agents sharing columns, in record order
        self._k = 0  # agents recorded a day
        self._built: tuple[int, pd.DataFrame] | None = None  # (days, agents table) once built
        self._ema = {"cn": 0.0, "ex": 0.0}

    def record(self, m) -> None:
        """Phase 10: the day's rows."""
        row: dict = {"date": m.date}
        book = m.orders
        # the licence queue's tonnes and files: kept as they come and go (`OrderBook.queue`)
        queue, pending = book.queued.totals(), book.queued.count
        lost_v = planned_v = 0.0
        for b in m.of_kind("automaker"):
            lost_v += b.lost_today
            planned_v += b.vehicles_per_day
        holders = (*m.of("buyer"), *m.of("tier1"))  # with tier-1s'
        for mat, c_stock, c_cover in _MAGNET_COLS:
            # the buyers whose needs name it: the others' zeros leave a sum as it was
            need = sum([b.need[mat] for b in book.users_of(mat)])  # lists: faster, same sums
            stock = sum([b.stock[mat] for b in holders])
            row[c_stock] = stock
            row[c_cover] = stock / need if need else math.nan
        exports, price_cn, price = book.exports_today, m.market.price_cn, m.market.price
        for mat, c_exp, c_queue, c_cn, c_ex in _MATERIAL_COLS:
            row[c_exp] = exports.get(mat, 0.0)
            row[c_queue] = queue.get(mat, 0.0)
            row[c_cn] = price_cn.get(mat, math.nan)
            row[c_ex] = price.get(mat, math.nan)
        row["exports_t"] = sum(book.exports_today.get(x, 0.0) for x in MAGNETS)
        row["raw_exports_reo_t"] = sum(book.exports_today.get(x, 0.0) * reo(x) for x in RAW)
        row["smuggled_t"] = m.border.smuggled_today
        row["held_at_customs_t"] = book.held_tonnes()
        row["components_from_cn_t"] = book.components_cn_today
        row["spot_t"] = m.spot.traded_today
        row["trader_stock_reo_t"] = sum(m.trader.stock[x] * reo(x) for x in RAW)
        china = m.border.china
        for e in china.elements:
            row[f"china_stock_{e}_t"] = china.stock[e]
            row[f"china_reserve_{e}_t"] = china.reserve[e]
        for g in QUOTA_GROUPS:  # this year's aggregate quota batches and their use (t REO)
            row[f"reo_quota_released_{g}_t"] = m.border.batches.get((m.date.year, g), 0.0)
            row[f"reo_quota_used_{g}_t"] = m.border.used.get((m.date.year, g), 0.0)
        ema = self._ema  # running mean of daily shipments over the window
        k = 1.0 / min(self.window, m.day + 1.0)  # plain mean until the window has passed
        ema["cn"] += k * (row["exports_t"] - ema["cn"])
        ema["ex"] += k * (book.non_cn_today - ema["ex"])
        tot = ema["cn"] + ema["ex"]
        row["non_china_supply_share"] = ema["ex"] / tot if tot > 0 else math.nan
        row["substitution_share"] = m.substitution.substitution_share
        row["china_flooding"] = m.market.flood > 0
        prime = [b.cover_days for b in m.of_kind("defense")]
        row["defense_cover_days"] = min(prime) if prime else math.nan
        row["defense_ready"] = not prime or min(prime) >= m.cfg.government.readiness_cover_days
        row["mines_active_tpy"] = sum(x.conf.capacity_tpy * (x.utilisation > 0)
                                      for x in m.of("mine"))
        row["licence_applications_pending"] = pending
        row["lost_vehicles"] = lost_v
        row["planned_vehicles"] = planned_v
        row["embargoed"] = ",".join(sorted(m.ministry.embargoes))
        row["general_licences_active"] = sum(
            1 for g in m.ministry.rules.general
            if not g.suspended and g.start <= m.date and (g.end is None or m.date < g.end))
        self.daily.append(row)
        if self._built is not None:  # recording goes on after the table was built
            self._unbuild()
        if self._groups is None:
            self._groups = _groups(record_order(m))
            self._k = sum(len(g.ranks) for g in self._groups)
        self.dates.append(m.date)
        for g in self._groups:
            g.add_day()

    def _agents_table(self) -> pd.DataFrame:
        """One row per agent per day, day by day in record order, ``date`` first.

        Each group of agents (those sharing columns) fills its rows of each column in
        place (row ``day x agents + rank``), one column at a time, its chunks freed as they
        are used: the table is built once, not concatenated and sorted. A column some
        groups lack is missing (NaN) there, with the dtype `pandas.concat` would give."""
        if self._built is not None and self._built[0] == len(self.dates):
            return self._built[1].copy(deep=False)  # asked again (copy-on-write: safe)
        groups = self._groups or []
        if not groups:
            return pd.DataFrame(columns=["date"])
        n, k = len(self.dates), self._k
        for g in groups:
            g.flush()
        # the columns in order of first appearance and their dtypes: as pandas.concat
        heads = [g.first_row() for g in groups]
        dtypes = pd.concat(heads, ignore_index=True, sort=False).dtypes if n else None
        cols = list(dict.fromkeys(c for g in groups for c in g.cols))
        out: dict = {"date": np.repeat(pd.to_datetime(pd.Series(self.dates)).to_numpy(), k)}
        for c in cols:
            have = [g for g in groups if c in g.cols]
            dtype = dtypes[c] if n else np.dtype(float)
            kind = getattr(dtype, "kind", "O")
            full = len(have) == len(groups)
            arr = (np.empty(n * k, dtype=dtype) if kind in "biuf" and full else
                   np.full(n * k, np.nan, dtype=dtype if kind == "f" else object))
            for g in have:
                arr[g.positions(n, k)] = g.take(c)
            trim_heap(n * k)  # a large run: the chunks' freed memory back
            out[c] = arr if isinstance(dtype, np.dtype) and kind != "O" else \
                pd.array(arr, dtype=dtype)
        table = pd.DataFrame(out, columns=["date", *cols], copy=False)
        self._built = (n, table)
        return table.copy(deep=False)

    def _unbuild(self) -> None:
        """Each group's rows back from the built table (its chunks went into the table)."""
        n, table = self._built
        for g in self._groups or ():
            pos = g.positions(n, self._k)
            g.chunks = [[table[c].to_numpy()[pos] for c in g.vcols]] if n else []
        self._built = None

    def tables(self, shipments, events) -> dict[str, pd.DataFrame]:
        """The run's tables: daily, agents, shipments (given as the table, or as every
        order's object in id order), events."""
        daily = pd.DataFrame(self.daily)
        agents = self._agents_table()
        ships = shipments if isinstance(shipments, pd.DataFrame) else \
            shipments_frame(list(shipments))
        daily["date"] = pd.to_datetime(daily["date"])
        ev = pd.DataFrame([{
            "date": e.date, "end": e.end, "kind": e.kind, "label": e.label,
            "materials": ",".join(e.materials),
            "destinations": ",".join(e.destinations) if e.destinations else "all",
            "source": e.source, "fired": e.fired, "scope": _text(e, SCOPE_KEYS),
            "detail": _text(e, DETAIL_KEYS), "lift": e.lift} for e in events],
            columns=EVENT_COLUMNS)
        ev["date"] = pd.to_datetime(ev["date"])
        ev["end"] = pd.to_datetime(ev["end"])
        return {"daily": daily, "agents": agents, "shipments": ships, "events": ev}


class _Group:
    """Agents (by rank in record order) whose rows share columns, kept day-major and turned
    into one array per column every `CHUNK_DAYS` days or `CHUNK_ROWS` rows (a world of
    thousands of firms holds arrays, not millions of tuples). Members are held by class: a
    class that declares its row (`sim.agents.row.Recorded`) gives each member's values
    with its getters in one comprehension; any other agent's come from its ``record()``.
    When every member declares its row, the columns an agent keeps all run (name, kind,
    country) are read once and repeated for each day in the table."""

    CHUNK_DAYS = 32
    CHUNK_ROWS = 1 << 15
    """Rows kept as tuples at most before they are turned into arrays sooner than every
    `CHUNK_DAYS` days: 32 days of 10,000 firms' rows as tuples of numbers are ten million
    small objects, which grow Python's heap for good."""

    def __init__(self, cols: tuple, agents: list, ranks: list[int]) -> None:
        self.cols = cols
        by_class: dict[type, list] = {}
        for a, rank in zip(agents, ranks, strict=True):
            by_class.setdefault(type(a), []).append((a, rank))
        declared = {cls: issubclass(cls, Recorded) and cls.record is Recorded.record
                    for cls in by_class}
        # columns an agent keeps all run (`sim.agents.row.FIXED`): read once, here
        self.fixed_cols = tuple(c for c in cols if c in FIXED) if all(declared.values()) \
            else ()
        self.vcols = tuple(c for c in cols if c not in self.fixed_cols)  # read each day
        self.parts, self.ranks = [], []  # members in the order of the parts
        fixed_rows: list[tuple] = []
        for cls, members in by_class.items():
            ags = [a for a, _ in members]
            if not declared[cls]:
                head, stock, tail = None, False, None
            elif self.fixed_cols:
                _, fixed, _, head, stock, tail = cls.day_spec()
                fixed_rows += [fixed(a) for a in ags]
            else:
                _, head, stock, tail = cls.row_spec()
            self.parts.append((head, stock, tail, ags))
            self.ranks += [r for _, r in members]
        self.fixed = {c: _column(v) for c, v in
                      zip(self.fixed_cols, zip(*fixed_rows, strict=True), strict=True)}
        self.rows: list[tuple] = []  # pending: day-major, member by member
        self.days = 0
        self.chunks: list[list[np.ndarray]] = []  # arrays of the columns in `vcols`

    def add_day(self) -> None:
        rows = self.rows
        for head, stock, tail, agents in self.parts:
            if head is None:
                rows.extend([tuple(a.record().values()) for a in agents])
            elif stock:
                rows.extend([head(a) + tuple(a.stock.values()) + tail(a) for a in agents])
            else:
                rows.extend([head(a) for a in agents])
        self.days += 1
        if self.days % self.CHUNK_DAYS == 0 or len(rows) >= self.CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.chunks.append([_column(c) for c in zip(*self.rows, strict=True)])
            self.rows = []

    def positions(self, days: int, k: int) -> np.ndarray:
        """Each of this group's rows' place in the agents table (day-major)."""
        return (np.arange(days)[:, None] * k + np.asarray(self.ranks)[None, :]).ravel()

    def take(self, col: str) -> np.ndarray:
        """Column ``col`` over the run; its chunks are released."""
        if col in self.fixed:
            return np.tile(self.fixed[col], self.days)
        i = self.vcols.index(col)
        parts = [ch[i] for ch in self.chunks]
        for ch in self.chunks:
            ch[i] = None
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def first_row(self) -> pd.DataFrame:
        """The group's first row as a frame (its columns' dtypes, for the table's)."""
        self.flush()
        if not self.chunks:
            return pd.DataFrame(columns=list(self.cols))
        first = {**{c: v[:1] for c, v in self.fixed.items()},
                 **{c: self.chunks[0][i][:1] for i, c in enumerate(self.vcols)}}
        return pd.DataFrame({c: first[c] for c in self.cols}, columns=list(self.cols))


def _column(values: tuple) -> np.ndarray:
    """One chunk of a column: numbers as numpy infers them, anything else as objects."""
    if any(isinstance(v, str) for v in values[:1]):
        return np.array(values, dtype=object)
    a = np.array(values)
    return a if a.dtype.kind in "biuf" else np.array(values, dtype=object)


def _groups(order: list) -> list[_Group]:
    by_cols: dict[tuple, tuple[list, list]] = {}
    for rank, a in enumerate(order):
        cols = tuple(a.record())
        agents, ranks = by_cols.setdefault(cols, ([], []))
        agents.append(a)
        ranks.append(rank)
    return [_Group(cols, agents, ranks) for cols, (agents, ranks) in by_cols.items()]


def record_order(m) -> list:
    """The agents in the order of the agents table's rows (`sim.engine.plan.RECORD_ROLES`)."""
    rank = {r: i for i, r in enumerate(RECORD_ROLES)}
    agents = list(m.agents)
    key = [min((rank[r] for r in a.roles if r in rank), default=len(rank)) for a in agents]
    return [a for _, _, a in sorted(zip(key, range(len(agents)), agents, strict=True),
                                    key=lambda x: x[:2])]
