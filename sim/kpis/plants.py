"""The per-node KPIs: each plant's and buyer's figures (`sim.kpis.nodes`), their totals
and which tier ran out first."""

from __future__ import annotations

import math

import pandas as pd

from sim.kpis.nodes import PLANT_FIELDS, start_prices
from sim.kpis.registry import RunData, kpi


def _clean(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


@kpi("plants", "", "per plant and per buyer: halts (episodes), halt_days, lost_vehicles, "
     "deferred_vehicles, lost_vehicles_net, expedite_cost_usd,"
     " lost_demand_t, lost_revenue_usd, extra_magnet_spend_usd, min_cover_days, "
     "time_to_survive_days, time_to_recover_days, buffer_needed_days with its carrying cost, "
     "days_below_readiness (see sim.kpis.plants)", keys="node.field")
def _plants(r: RunData) -> dict:
    return {row["node"]: {k: _clean(row[k]) for k in PLANT_FIELDS}
            for row in r.plant_rows}


def _total(r: RunData, col: str, kinds: tuple | None = None, nd: int = 0) -> float:
    """A column's total over nodes (of ``kinds``; None: every node)."""
    t = (r.plants if kinds is None else r.plants[r.plants["kind"].isin(kinds)])[col]
    return round(float(pd.to_numeric(t, errors="coerce").fillna(0).sum()), nd)


@kpi("lost_revenue_usd", "USD", "revenue of the vehicles not built, all plants")
def _lost_revenue(r: RunData) -> float:
    return _total(r, "lost_revenue_usd")


@kpi("deferred_vehicles", "vehicles", "vehicles lost in halts and made up later with "
     "overtime, all plants (0 without make-up production)")
def _deferred(r: RunData) -> float:
    return _total(r, "deferred_vehicles", ("automaker", "tier1"), 1)


@kpi("lost_vehicles_net", "vehicles", "vehicles lost and never made up, all plants "
     "(lost_vehicles - deferred_vehicles)")
def _lost_net(r: RunData) -> float:
    a = r.of_kind("automaker", ("lost", "made_up"))
    made = float(a["made_up"].fillna(0.0).sum()) if "made_up" in a else 0.0
    return round(float(a["lost"].sum()) - made, 1)


@kpi("expedite_cost_usd", "USD", "air freight paid by buyers that expedited orders "
     "(tonnes flown x air cost per kg)")
def _expedite(r: RunData) -> float:
    return _total(r, "expedite_cost_usd")


@kpi("extra_magnet_spend_usd", "USD", "extra paid for magnets by every buyer from price "
     "rises (deliveries x price above the first day's)")
def _extra(r: RunData) -> float:
    return _total(r, "extra_magnet_spend_usd")


@kpi("buffer_carrying_cost_usd_per_yr", "USD/yr", "yearly holding cost of the extra stock "
     "the automakers would have needed to lose nothing (sum of plants' buffers)")
def _carry(r: RunData) -> float:
    return _total(r, "buffer_carrying_cost_usd_per_yr", ("automaker", "tier1"))


@kpi("plant_stock_carrying_cost_usd_per_yr", "USD/yr", "yearly holding cost of the stock "
     "the plants hold at their target cover (target cover x daily magnet use x first-day "
     "price outside China x holding-cost rate), all automakers: the cost of the cover held")
def _held(r: RunData) -> float:
    p0, rate = start_prices(r), r.economics.holding_cost_rate
    return round(sum(float(n.get("target_cover_days") or 0.0) * t * 1000.0 * p0.get(m, 0.0)
                     for n in (r.meta.get("nodes") or {}).values() if n["kind"] == "automaker"
                     for m, t in (n.get("need_tpd") or {}).items()) * rate, 0)


@kpi("plants_halted", "plants", "assembly plants with at least one day of lost output")
def _halted(r: RunData) -> int:
    p = r.plants
    return int(((p["kind"] == "automaker") & (p["halt_days"] > 0)).sum())


@kpi("tier_first_out", "", "per halted plant supplied by tier-1s: the magnet it ran out of "
     "(magnet), its first halt (first_halt), the first day each of its tier-1s of that magnet "
     "held less than a day of its need (tier1_out; null: not before the halt) and which tier "
     "ran out first (ran_out_first: a tier-1's name, or plant: its own component stock)",
     keys="plant.field")
def _tier_first_out(r: RunData) -> dict:
    nodes = r.meta.get("nodes") or {}
    a = r.agents
    dates = a["date"].to_numpy()
    out = {}
    for row in r.plant_rows:
        info = nodes.get(row["node"]) or {}
        if not row["first_halt"] or not info.get("tier1s"):
            continue
        first = pd.Timestamp(row["first_halt"])
        at = r.rows_of(row["node"])  # its rows, then the one of its first halt
        g = a.iloc[int(at[dates[at] == first.to_datetime64()][0])]
        need = {m: n for m, n in info["need_tpd"].items() if n > 0 and m in info["tier1s"]}
        if not need:
            continue
        magnet = min(need, key=lambda m: g[f"stock_{m}"] / need[m])
        stock = a[f"stock_{magnet}"].to_numpy()
        tier_out: dict = {}
        for t in info["tier1s"][magnet]:
            n = ((nodes.get(t) or {}).get("need_tpd") or {}).get(magnet, 0.0)
            at = r.rows_of(t)
            at = at[dates[at] <= first.to_datetime64()]
            low = dates[at][stock[at] < n]  # the days it held less than a day's need
            tier_out[t] = pd.Timestamp(low.min()).date().isoformat() if len(low) else None
        dated = sorted((d, t) for t, d in tier_out.items() if d is not None)
        out[row["node"]] = {"magnet": magnet, "first_halt": row["first_halt"],
                            "tier1_out": tier_out,
                            "ran_out_first": dated[0][1] if dated else "plant"}
    return out
