"""Records each day of a run and turns the records into tables (no file I/O here)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import fields

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
        self.agent_rows: list[dict] = []
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
        for mat in MAGNETS:
            need = sum(b.need.get(mat, 0.0) for b in m.of("buyer"))
            stock = sum(b.stock[mat] for b in (*m.of("buyer"), *m.of("tier1")))  # with tier-1s'
            row[f"buyer_stock_{mat}_t"] = stock
            row[f"buyer_cover_{mat}_days"] = stock / need if need else math.nan
        for mat in MATERIALS:
            row[f"exports_{mat}_t"] = book.exports_today.get(mat, 0.0)
            row[f"licence_queue_{mat}_t"] = queue.get(mat, 0.0)
            row[f"price_{mat}_cn"] = m.market.price_cn.get(mat, math.nan)
            row[f"price_{mat}_ex_cn"] = m.market.price.get(mat, math.nan)
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
        for a in self._order:
            r = a.record()
            r["date"] = m.date
            self.agent_rows.append(r)

    def tables(self, shipments, events) -> dict[str, pd.DataFrame]:
        """The run's tables: daily, agents, shipments, events."""
        daily = pd.DataFrame(self.daily)
        agents = pd.DataFrame(self.agent_rows)
        agents = agents[["date", *[c for c in agents.columns if c != "date"]]]
        ships = pd.DataFrame([s.as_row() for s in shipments],
                             columns=[f.name for f in fields(Shipment)
                                      if f.name not in ("reserved", "ship_on")])
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
