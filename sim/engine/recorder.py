"""Records each day of a run and turns the records into tables (no file I/O here)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import fields

import numpy as np
import pandas as pd

from sim.domain.products import (
    MAGNETS,
    MATERIALS,
    RAW,
    reo,
)
from sim.engine.plan import RECORD_ROLES
from sim.policy.border import QUOTA_GROUPS
from sim.trade.shipments import Shipment, Status

SHIPMENT_DATES = ("ordered_on", "applied_on", "accepted_on", "decided_on", "shipped_on",
                  "cleared_on", "due_on", "delivered_on")
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
        self.agent_cols: list[tuple] = []  # per agent (in record order): its columns
        self.agent_rows: list[list[tuple]] = []  # per agent: one tuple of values a day
        self._ema = {"cn": 0.0, "ex": 0.0}
        self._order: list | None = None

    def record(self, m) -> None:
        """Phase 10: the day's rows."""
        row: dict = {"date": m.date}
        book = m.orders
        queue = defaultdict(float)
        for _, _, s in m.ministry.queue:
            if s.status == Status.QUEUED:
                queue[s.material] += s.tonnes
        lost_v = planned_v = 0.0
        for b in m.of("buyer"):
            if b.kind == "automaker":
                lost_v += b.lost_today
                planned_v += b.vehicles_per_day
        buyers, holders = m.of("buyer"), (*m.of("buyer"), *m.of("tier1"))  # with tier-1s'
        for mat, c_stock, c_cover in _MAGNET_COLS:
            need = sum(b.need.get(mat, 0.0) for b in buyers)
            stock = sum(b.stock[mat] for b in holders)
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
        prime = [b.cover_days for b in m.of("buyer") if b.kind == "defense"]
        row["defense_cover_days"] = min(prime) if prime else math.nan
        row["defense_ready"] = not prime or min(prime) >= m.cfg.government.readiness_cover_days
        row["mines_active_tpy"] = sum(x.conf.capacity_tpy * (x.utilisation > 0)
                                      for x in m.of("mine"))
        row["licence_applications_pending"] = sum(
            1 for _, _, s in m.ministry.queue if s.status == Status.QUEUED)
        row["lost_vehicles"] = lost_v
        row["planned_vehicles"] = planned_v
        row["embargoed"] = ",".join(sorted(m.ministry.embargoes))
        row["general_licences_active"] = sum(
            1 for g in m.ministry.rules.general
            if not g.suspended and g.start <= m.date and (g.end is None or m.date < g.end))
        self.daily.append(row)
        if self._order is None:
            self._order = record_order(m)
        self.dates.append(m.date)
        for i, a in enumerate(self._order):
            r = a.record()
            if i == len(self.agent_cols):
                self.agent_cols.append(tuple(r))
                self.agent_rows.append([])
            self.agent_rows[i].append(tuple(r.values()))

    def _agents_table(self) -> pd.DataFrame:
        """One row per agent per day, day by day in record order (built one frame per set
        of columns: agents of a kind share theirs, so a world of thousands of firms makes
        a handful of frames, not one each)."""
        n, k = len(self.dates), len(self.agent_cols)
        groups: dict[tuple, list[int]] = {}
        for rank, cols in enumerate(self.agent_cols):
            groups.setdefault(cols, []).append(rank)
        parts = []
        for cols, ranks in groups.items():  # in order of first appearance: the columns' order
            rows = [r for rank in ranks for r in self.agent_rows[rank]]
            df = pd.DataFrame.from_records(rows, columns=cols)
            df.insert(0, "date", self.dates * len(ranks))
            df["_row"] = np.concatenate([np.arange(n) * k + rank for rank in ranks]) \
                if ranks else np.zeros(0, dtype=int)
            parts.append(df)
        if not parts:
            return pd.DataFrame(columns=["date"])
        out = pd.concat(parts, ignore_index=True, sort=False)
        out = out.sort_values("_row", kind="stable").drop(columns="_row")
        return out.reset_index(drop=True)

    def tables(self, shipments, events) -> dict[str, pd.DataFrame]:
        """The run's tables: daily, agents, shipments, events."""
        daily = pd.DataFrame(self.daily)
        agents = self._agents_table()
        agents = agents[["date", *[c for c in agents.columns if c != "date"]]]
        cols = [f.name for f in fields(Shipment) if f.name not in ("reserved", "ship_on")]
        ships = pd.DataFrame({c: [getattr(s, c) for s in shipments] for c in cols},
                             columns=cols)
        for c in ("licence", "decision", "status"):  # enums as their text
            ships[c] = ships[c].astype(str) if len(ships) else ships[c].astype(object)
        for c in SHIPMENT_DATES:
            ships[c] = pd.to_datetime(ships[c])
        for t in (daily, agents):
            t["date"] = pd.to_datetime(t["date"])
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


def record_order(m) -> list:
    """The agents in the order of the agents table's rows (`sim.engine.plan.RECORD_ROLES`)."""
    rank = {r: i for i, r in enumerate(RECORD_ROLES)}
    agents = list(m.agents)
    key = [min((rank[r] for r in a.roles if r in rank), default=len(rank)) for a in agents]
    return [a for _, _, a in sorted(zip(key, range(len(agents)), agents, strict=True),
                                    key=lambda x: x[:2])]
