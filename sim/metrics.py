"""Headline numbers (KPIs) computed from a run's tables only."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .metrics_markets import market_kpis


def _num(x) -> float | None:
    x = float(x)
    return None if math.isnan(x) else round(x, 4)


def kpis(tables: dict[str, pd.DataFrame]) -> dict:
    """The run's KPIs: lost production, halts, licence waits, exports, prices."""
    daily, agents, ships = tables["daily"], tables["agents"], tables["shipments"]
    start, end = daily["date"].min(), daily["date"].max()
    auto = agents[agents["kind"] == "automaker"]
    lost = float(auto["lost"].sum())
    planned = float(daily["planned_vehicles"].sum())
    first_halt = {}
    for name, g in auto.groupby("agent", sort=True):
        halted = g.loc[g["lost"] > 1e-9, "date"]
        first_halt[name] = halted.min().date().isoformat() if len(halted) else None
    buyers = agents[agents["kind"].isin(["industry", "defense"])]
    lost_t = {k: round(float(v), 3) for k, v in buyers.groupby("agent")["lost"].sum().items()}

    decided = ships[ships["licence"] == "individual"].dropna(subset=["applied_on", "decided_on"])
    wait = (decided["decided_on"] - decided["applied_on"]).dt.days
    window = ships["shipped_on"].between(start, end)
    cn = ships[window & (ships["seller_country"] == "CN")]
    exports = cn.groupby("buyer_country")["tonnes"].sum().sort_index()
    months = max(1.0, (end - start).days / 30.4375)
    prices = {}
    for col in daily.columns:
        if col.startswith("price_") and col.endswith("_ex_cn"):
            s = daily[col].dropna()
            if len(s) and s.iloc[0] > 0:
                prices[col[len("price_"):-len("_ex_cn")]] = round(float(s.max() / s.iloc[0]), 4)
    lic = ships[ships["licence"] != "none"]
    return {
        "lost_vehicles": round(lost, 1),
        "lost_vehicle_share": round(lost / planned, 6) if planned else 0.0,
        "first_halt": first_halt,
        "lost_demand_t": lost_t,
        "licence_applications": int(len(lic)),
        "licence_approval_share": _num(np.mean(lic["decision"] == "approved")
                                       if len(lic.dropna(subset=["decided_on"])) else np.nan),
        "general_licence_t": round(float(cn.loc[cn["licence"] == "general", "tonnes"].sum()), 1),
        "licence_wait_days_p50": _num(wait.quantile(0.5)) if len(wait) else None,
        "licence_wait_days_p90": _num(wait.quantile(0.9)) if len(wait) else None,
        "exports_t": {k: round(float(v), 1) for k, v in exports.items()},
        "exports_t_per_month": round(float(cn["tonnes"].sum()) / months, 1),
        "price_peak_ratio": prices,
        **market_kpis(tables),
    }


def kpi_lines(k: dict) -> list[str]:
    """A short human-readable KPI table."""
    halts = {a: d for a, d in k["first_halt"].items() if d}
    rows = [
        ("lost vehicles", f"{k['lost_vehicles']:,.0f} ({k['lost_vehicle_share']:.2%} of plan)"),
        ("first halts", ", ".join(f"{a} {d}" for a, d in halts.items()) or "none"),
        ("Chinese exports", f"{k['exports_t_per_month']:,.0f} t/month"),
        ("licence wait p50/p90", f"{k['licence_wait_days_p50']} / {k['licence_wait_days_p90']}"
         " days" if k["licence_wait_days_p50"] is not None else "no licences"),
        ("price peak / start", ", ".join(f"{m} {r:.2f}" for m, r in
                                         k["price_peak_ratio"].items())),
        ("mines closed", str(k.get("mines_closed", 0))),
        ("non-CN supply share (end)", f"{k.get('non_china_supply_share_end')}"),
        ("defence min cover / days not ready",
         f"{k.get('defense_min_cover_days')} / {k.get('defense_days_not_ready')}"),
    ]
    w = max(len(r[0]) for r in rows)
    return [f"  {a:<{w}}  {b}" for a, b in rows]
