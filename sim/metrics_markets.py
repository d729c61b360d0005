"""KPIs of markets, mines, substitution and defence, from a run's tables only."""

from __future__ import annotations

import math

import pandas as pd

END_WINDOW_DAYS = 90  # the "end" of a run for share KPIs: its last 90 days [assumption]


def _r(x: float) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 4)


def market_kpis(tables: dict[str, pd.DataFrame]) -> dict:
    """mines_closed, non_china_supply_share_end, substitution_share_end,
    defense_min_cover_days, defense_days_not_ready, price_end_ratio_{cn,ex_cn}."""
    daily, agents = tables["daily"], tables["agents"]
    out: dict = {}
    mines = agents[agents["kind"] == "mine"]
    out["mines_closed"] = int(mines.groupby("agent")["closures"].max().sum()) \
        if "closures" in mines else 0
    tail = daily.tail(END_WINDOW_DAYS)
    for col in ("non_china_supply_share", "substitution_share"):
        if col in daily:
            out[f"{col}_end"] = _r(tail[col].mean())
    if "defense_cover_days" in daily:
        out["defense_min_cover_days"] = _r(daily["defense_cover_days"].min())
        out["defense_days_not_ready"] = int((~daily["defense_ready"].astype(bool)).sum())
    for side in ("cn", "ex_cn"):
        ratios = {}
        for col in daily.columns:
            if col.startswith("price_") and col.endswith(f"_{side}") and not (
                    side == "cn" and col.endswith("_ex_cn")):
                s = daily[col].dropna()
                if len(s) and s.iloc[0] > 0:
                    ratios[col[len("price_"):-len(side) - 1]] = _r(s.iloc[-1] / s.iloc[0])
        out[f"price_end_ratio_{side}"] = ratios
    return out
