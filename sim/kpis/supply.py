"""KPIs of output, licences, exports and prices outside China, from a run's tables only."""

from __future__ import annotations

import math

import numpy as np

from sim.domain.products import MAGNETS, RAW
from sim.kpis.registry import RunData, kpi


def num(x) -> float | None:
    """A float rounded to 4 decimals, None for NaN."""
    x = float(x)
    return None if math.isnan(x) else round(x, 4)


def _auto(r: RunData):
    return r.agents[r.agents["kind"] == "automaker"]


@kpi("lost_vehicles", "vehicles", "vehicles not built because a magnet was missing, all "
     "plants")
def _lost_vehicles(r: RunData) -> float:
    return round(float(_auto(r)["lost"].sum()), 1)


@kpi("lost_vehicle_share", "0-1", "lost vehicles / planned vehicles")
def _lost_share(r: RunData) -> float:
    lost, planned = float(_auto(r)["lost"].sum()), float(r.daily["planned_vehicles"].sum())
    return round(lost / planned, 6) if planned else 0.0


@kpi("first_halt", "date", "each plant's first day of lost output (null: never)",
     keys="plant")
def _first_halt(r: RunData) -> dict:
    out = {}
    for name, g in _auto(r).groupby("agent", sort=True):
        halted = g.loc[g["lost"] > 1e-9, "date"]
        out[name] = halted.min().date().isoformat() if len(halted) else None
    return out


@kpi("lost_demand_t", "t", "magnet demand industry buyers and defence primes could not "
     "meet", keys="buyer")
def _lost_demand(r: RunData) -> dict:
    b = r.agents[r.agents["kind"].isin(["industry", "defense"])]
    return {k: round(float(v), 3) for k, v in b.groupby("agent")["lost"].sum().items()}


def _licensed(r: RunData):
    return r.shipments[r.shipments["licence"] != "none"]


@kpi("licence_applications", "applications", "export licence applications (individual "
     "and general)")
def _applications(r: RunData) -> int:
    return int(len(_licensed(r)))


@kpi("licence_approval_share", "0-1", "share of licence applications approved (null: none "
     "decided)")
def _approval(r: RunData) -> float | None:
    lic = _licensed(r)
    return num(np.mean(lic["decision"] == "approved")
               if len(lic.dropna(subset=["decided_on"])) else np.nan)


def _cn_shipped(r: RunData, products=MAGNETS):
    """Chinese exports of ``products`` that left China in the run (dated at customs
    clearance when the table has it, as China's customs statistics date them)."""
    s = r.shipments
    when = s["cleared_on"] if "cleared_on" in s else s["shipped_on"]
    return s[when.between(r.start, r.end) & (s["seller_country"] == "CN")
             & s["material"].isin(products)]


@kpi("general_licence_t", "t", "tonnes China shipped under general licences")
def _general(r: RunData) -> float:
    cn = _cn_shipped(r)
    return round(float(cn.loc[cn["licence"] == "general", "tonnes"].sum()), 1)


def _waits(r: RunData):
    s = r.shipments
    d = s[s["licence"] == "individual"].dropna(subset=["applied_on", "decided_on"])
    return (d["decided_on"] - d["applied_on"]).dt.days


@kpi("licence_wait_days_p50", "calendar days", "median wait from application to decision, "
     "individual licences")
def _wait50(r: RunData) -> float | None:
    w = _waits(r)
    return num(w.quantile(0.5)) if len(w) else None


@kpi("licence_wait_days_p90", "calendar days", "90th percentile wait from application to "
     "decision, individual licences")
def _wait90(r: RunData) -> float | None:
    w = _waits(r)
    return num(w.quantile(0.9)) if len(w) else None


@kpi("exports_t", "t", "Chinese magnet exports shipped in the run, by destination",
     keys="country")
def _exports(r: RunData) -> dict:
    e = _cn_shipped(r).groupby("buyer_country")["tonnes"].sum().sort_index()
    return {k: round(float(v), 1) for k, v in e.items()}


@kpi("raw_exports_t", "t", "Chinese rare-earth raw-material exports shipped in the run, "
     "by product (smuggled tonnes included)", keys="material")
def _raw_exports(r: RunData) -> dict:
    e = _cn_shipped(r, RAW).groupby("material")["tonnes"].sum().sort_index()
    return {k: round(float(v), 1) for k, v in e.items()}


@kpi("smuggled_t", "t", "raw materials that left China in the run without the quota room "
     "or licence they needed (leakage: border.leakage, border.leakage_controls), by product "
     "and destination", keys="material.country")
def _smuggled(r: RunData) -> dict:
    s = r.shipments
    s = s[(s["reason"] == "smuggled") & s["shipped_on"].between(r.start, r.end)]
    out: dict = {}
    for (m, c), t in s.groupby(["material", "buyer_country"])["tonnes"].sum().items():
        out.setdefault(m, {})[c] = round(float(t), 1)
    return out


@kpi("held_at_customs_t", "t", "Chinese exports held at customs in the run by an embargo, "
     "anti-diversion hold or end-use denial that began while they waited there (released "
     "when it lifts), by destination", keys="country")
def _held(r: RunData) -> dict:
    s = r.shipments
    if "held_days" not in s.columns:  # a run saved before exports were held at customs
        return {}
    export = (s["seller_country"] == "CN") & (s["buyer_country"] != "CN") & ~s["component"]
    still = (s["status"] == "in_transit") & s["cleared_on"].isna() & export
    held = s[(s["held_days"] > 0) | still]
    return {k: round(float(v), 1) for k, v in
            held.groupby("buyer_country")["tonnes"].sum().sort_index().items()}


@kpi("exports_t_per_month", "t/month", "Chinese magnet exports per month (30.44 days)")
def _exports_month(r: RunData) -> float:
    months = max(1.0, (r.end - r.start).days / 30.4375)
    return round(float(_cn_shipped(r)["tonnes"].sum()) / months, 1)


@kpi("price_peak_ratio", "x start", "highest price outside China / its first-day price",
     keys="material")
def _peak(r: RunData) -> dict:
    out = {}
    for col in r.daily.columns:
        if col.startswith("price_") and col.endswith("_ex_cn"):
            s = r.daily[col].dropna()
            if len(s) and s.iloc[0] > 0:
                out[col[len("price_"):-len("_ex_cn")]] = round(float(s.max() / s.iloc[0]), 4)
    return out
