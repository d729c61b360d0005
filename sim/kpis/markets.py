"""KPIs of markets, mines, substitution and defence, from a run's tables only."""

from __future__ import annotations

import pandas as pd

from sim.kpis.registry import RunData, kpi
from sim.kpis.supply import num


@kpi("mines_closed", "closures", "mine closures (care and maintenance) in the run")
def _mines_closed(r: RunData) -> int:
    m = r.of_kind("mine", ("agent", "closures"))
    return int(m.groupby("agent")["closures"].max().sum()) if "closures" in m else 0


def _end_mean(r: RunData, col: str) -> float | None:
    return num(r.daily[col].tail(r.end_window_days).mean()) if col in r.daily else None


@kpi("non_china_supply_share_end", "0-1", "share of magnets reaching buyers from outside "
     "China, mean of the run's last metrics.end_window_days (90) days")
def _ncs(r: RunData) -> float | None:
    return _end_mean(r, "non_china_supply_share")


@kpi("substitution_share_end", "0-1", "share of magnet demand designed out, mean of the "
     "run's last metrics.end_window_days (90) days")
def _subst(r: RunData) -> float | None:
    return _end_mean(r, "substitution_share")


@kpi("defense_min_cover_days", "days", "lowest cover of the defence primes (scarcest magnet)")
def _def_cover(r: RunData) -> float | None:
    return num(r.daily["defense_cover_days"].min()) if "defense_cover_days" in r.daily else None


@kpi("defense_days_not_ready", "days", "days a defence prime's cover was below the "
     "readiness threshold")
def _def_ready(r: RunData) -> int | None:
    d = r.daily
    return int((~d["defense_ready"].astype(bool)).sum()) if "defense_ready" in d else None


def _price_cols(daily: pd.DataFrame, side: str) -> dict[str, str]:
    """{material: column} of the prices inside (``cn``) or outside (``ex_cn``) China."""
    out = {}
    for col in daily.columns:
        if col.startswith("price_") and col.endswith(f"_{side}") and not (
                side == "cn" and col.endswith("_ex_cn")):
            out[col[len("price_"):-len(side) - 1]] = col
    return out


def _end_ratios(r: RunData, side: str) -> dict:
    out = {}
    for m, col in _price_cols(r.daily, side).items():
        s = r.daily[col].dropna()
        if len(s) and s.iloc[0] > 0:
            out[m] = num(s.iloc[-1] / s.iloc[0])
    return out


@kpi("price_end_ratio_cn", "x start", "last-day price inside China / first-day price",
     keys="material")
def _end_cn(r: RunData) -> dict:
    return _end_ratios(r, "cn")


@kpi("price_end_ratio_ex_cn", "x start", "last-day price outside China / first-day price",
     keys="material")
def _end_ex(r: RunData) -> dict:
    return _end_ratios(r, "ex_cn")


@kpi("price_moves", "x start", "per material and side (cn: inside China, ex_cn: outside): "
     "start price (USD/kg), peak, trough and end as ratios to start, with dates",
     keys="material.side.{start_usd_per_kg,peak,peak_date,trough,trough_date,end}")
def _moves(r: RunData) -> dict:
    d = r.daily.set_index("date")
    out: dict = {}
    for side in ("cn", "ex_cn"):
        for m, col in _price_cols(r.daily, side).items():
            s = d[col].dropna()
            if not len(s) or s.iloc[0] <= 0:
                continue
            p0 = float(s.iloc[0])
            out.setdefault(m, {})[side] = {
                "start_usd_per_kg": round(p0, 2),
                "peak": num(s.max() / p0), "peak_date": s.idxmax().date().isoformat(),
                "trough": num(s.min() / p0), "trough_date": s.idxmin().date().isoformat(),
                "end": num(s.iloc[-1] / p0)}
    return out
