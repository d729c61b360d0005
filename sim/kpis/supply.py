"""KPIs of output, licences, exports and prices outside China, from a run's tables only."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.domain.products import MAGNETS, RAW
from sim.kpis.nodes import pick
from sim.kpis.registry import RunData, kpi


def num(x) -> float | None:
    """A float rounded to 4 decimals, None for NaN."""
    x = float(x)
    return None if math.isnan(x) else round(x, 4)


@kpi("lost_vehicles", "vehicles", "vehicles not built because a magnet was missing, all "
     "plants")
def _lost_vehicles(r: RunData) -> float:
    return round(float(r.of_kind("automaker", ("lost",))["lost"].sum()), 1)


@kpi("lost_vehicle_share", "0-1", "lost vehicles / planned vehicles")
def _lost_share(r: RunData) -> float:
    lost = float(r.of_kind("automaker", ("lost",))["lost"].sum())
    planned = float(r.daily["planned_vehicles"].sum())
    return round(lost / planned, 6) if planned else 0.0


@kpi("first_halt", "date", "each plant's first day of lost output (null: never)",
     keys="plant")
def _first_halt(r: RunData) -> dict:
    pos = r.kind_rows("automaker")
    codes, names = r.agent_codes
    halted = pos[r.agents["lost"].to_numpy()[pos] > 1e-9]
    first = pd.Series(r.agents["date"].to_numpy()[halted]).groupby(codes[halted]).min()
    first = {names[k]: d for k, d in first.items()}
    return {name: first[name].date().isoformat() if name in first else None
            for name in sorted(names[np.unique(codes[pos])])}


@kpi("lost_demand_t", "t", "magnet demand industry buyers and defence primes could not "
     "meet", keys="buyer")
def _lost_demand(r: RunData) -> dict:
    return {k: round(float(v), 3)
            for k, v in r.by_agent(("industry", "defense"), "lost", "sum").items()}


def _licensed(r: RunData, cols=("decision", "decided_on")):
    s = r.shipments
    return pick(s, s["licence"] != "none", cols)


@kpi("licence_applications", "applications", "export licence applications (individual "
     "and general)")
def _applications(r: RunData) -> int:
    return int((r.shipments["licence"] != "none").sum())


@kpi("licence_approval_share", "0-1", "share of licence applications approved (null: none "
     "decided)")
def _approval(r: RunData) -> float | None:
    lic = _licensed(r)
    return num(np.mean(lic["decision"] == "approved")
               if len(lic.dropna(subset=["decided_on"])) else np.nan)


def is_cn_export(s):
    """Which shipments are Chinese exports as China's customs counts them (the rule of
    `OrderBook.dispatch`): sold by a Chinese seller to a buyer outside China, and not a
    tier-1's components (a Chinese exporter's sale to a tier-1 in China is a home sale)."""
    out = (s["seller_country"] == "CN") & (s["buyer_country"] != "CN")
    if "component" in s.columns:
        out &= ~s["component"].astype(bool)
    return out


def export_date(s):
    """The day an export counts: customs clearance when the table has it (as China's
    customs statistics date exports), else the shipping day."""
    return s["cleared_on"] if "cleared_on" in s.columns else s["shipped_on"]


def monthly_exports(tables: dict):
    """Chinese magnet exports per month (rows, month starts) and destination (columns,
    largest first) in tonnes: the exports the daily ``exports_t`` counts, by month."""
    s, d = tables["shipments"], tables["daily"]["date"]
    when = export_date(s)
    cn = s[is_cn_export(s) & when.between(d.min(), d.max()) & s["material"].isin(MAGNETS)]
    m = (cn.assign(month=when[cn.index].dt.to_period("M").dt.to_timestamp())
         .pivot_table(index="month", columns="buyer_country", values="tonnes",
                      aggfunc="sum", fill_value=0.0))
    return m[m.sum().sort_values(ascending=False).index]


def partial_months(months, start, end) -> dict:
    """The first or last of ``months`` (month starts) that the run from ``start`` to ``end``
    covers only in part: month -> (days covered, days in the month). Their totals are
    lower because the run stops, not because exports fell."""
    out = {}
    for month in {months[0], months[-1]} if len(months) else ():
        last = month + pd.offsets.MonthEnd(0)
        days = (min(end, last) - max(start, month)).days + 1
        if days < last.day:
            out[month] = (days, last.day)
    return out


def _cn_shipped(r: RunData, products=MAGNETS, cols=("tonnes",)):
    """Chinese exports of ``products`` that left China in the run (`is_cn_export`, dated
    by `export_date`), with only the columns ``cols`` (their rows found once per run)."""
    key = ("cn_shipped", tuple(products))
    rows = r.memo.get(key)
    if rows is None:
        s = r.shipments
        rows = r.memo[key] = np.flatnonzero((
            export_date(s).between(r.start, r.end) & is_cn_export(s)
            & s["material"].isin(products)).to_numpy())
    return r.shipments[list(cols)].iloc[rows]


@kpi("general_licence_t", "t", "tonnes China shipped under general licences")
def _general(r: RunData) -> float:
    cn = _cn_shipped(r, cols=("licence", "tonnes"))
    return round(float(cn.loc[cn["licence"] == "general", "tonnes"].sum()), 1)


def _waits(r: RunData):
    s = r.shipments
    d = pick(s, s["licence"] == "individual", ("applied_on", "decided_on")).dropna(
        subset=["applied_on", "decided_on"])
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
    e = _cn_shipped(r, cols=("buyer_country", "tonnes")).groupby(
        "buyer_country")["tonnes"].sum().sort_index()
    return {k: round(float(v), 1) for k, v in e.items()}


@kpi("raw_exports_t", "t", "Chinese rare-earth raw-material exports shipped in the run, "
     "by product (smuggled tonnes included)", keys="material")
def _raw_exports(r: RunData) -> dict:
    e = _cn_shipped(r, RAW, ("material", "tonnes")).groupby(
        "material")["tonnes"].sum().sort_index()
    return {k: round(float(v), 1) for k, v in e.items()}


@kpi("smuggled_t", "t", "raw materials that left China in the run without the quota room "
     "or licence they needed (leakage: border.leakage, border.leakage_controls), by product "
     "and destination", keys="material.country")
def _smuggled(r: RunData) -> dict:
    s = r.shipments
    s = pick(s, (s["reason"] == "smuggled") & s["shipped_on"].between(r.start, r.end),
             ("material", "buyer_country", "tonnes"))
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
    export = is_cn_export(s)
    still = (s["status"] == "in_transit") & s["cleared_on"].isna() & export
    held = pick(s, (s["held_days"] > 0) | still, ("buyer_country", "tonnes"))
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
