"""Structural stocks: the stocks between a licence and a production line, from cited ranges.

Every stock that carries a buyer through a licensing shock (plants' component cover,
tier-1s' magnet cover, non-Chinese magnet makers' finished magnets and raw Dy/Tb, a national
stockpile) is set from one table of ranges, ``stocks.csv``: one row per stock with the firm
kind and field it sets, its low and high ends in days and the sources of both ends (a range
where sources disagree). One table serves every world and scenario (``sim/config/data/
stocks.csv``; a folder of the user's own tables may hold its own); the ranges are
structural inputs, never calibrated.

Where a stock sits in its range: the middle (``world.stock_draw`` null), or, for an
ensemble that samples them, a uniform draw per row from a generator seeded by
``world.stock_draw``. `apply_ranges` sets the field of every firm of the kind that came from
the world's tables (firms given or added by the caller keep their values; a field left
null stays null: a plant without tier-1s has no component stock). ``world.stock_ranges``
false keeps each table's own value (the ablation's "off").

Also here: the schema of a national stockpile (`StockpileConf`, firm kind ``stockpiles``,
agent `sim.agents.stockpile.NationalStockpile`).
"""

# ruff: noqa: UP006, UP035, UP045  (OmegaConf structured configs need typing generics)
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict

import numpy as np

from sim.config.registry import p

_NOTE = dict(unit="-", desc="sources of the row's numbers, or [assumption]",
             source="the row's own citation")


@dataclass
class StockRangeConf:
    """A row of ``stocks.csv``: one structural stock and its range."""

    stock: str = p("", unit="-", desc="name of the stock (unique)", source="stocks.csv")
    kind: str = p("", unit="-", desc="the firm kind whose field it sets (a key of the "
                  "firm-kind registry, e.g. tier1s)", source="stocks.csv")
    field: str = p("", unit="-", desc="the field it sets on each firm of that kind (in days)",
                   source="stocks.csv")
    low: float = p(0.0, unit="days", desc="low end of the range", source="the row's source",
                   lo=0)
    high: float = p(0.0, unit="days", desc="high end of the range",
                    source="the row's source", lo=0)
    note: str = p("", **_NOTE)


@dataclass
class StockpileConf:
    """A national stockpile of raw materials (Japan's, held by JOGMEC) that releases to the
    country's own users when their stock runs short."""

    name: str = p("stockpile", unit="-", desc="unique name", source="[assumption]: a label")
    country: str = p("JP", unit="-", desc="the country whose users it serves",
                     source="ISO 3166-1 alpha-2", kind="country")
    products: Dict[str, bool] = p(unit="-", desc="raw products it holds (true)",
                                  source="the row's source", keys=("material",), factory=dict)
    cover_days: float = p(
        60.0, unit="days", desc="opening stock of each product, in days of the country's use "
        "(its buyers' need and its makers' use at capacity); the structural range of "
        "stocks.csv sets it in a world from tables", source="the long-standing 60-day target "
        "[sources: national-stockpiles]", lo=0)
    release_below_days: float = p(
        14.0, unit="days", desc="a domestic user whose stock of a held product falls below "
        "this many days of its use is topped up to it", source="[assumption]", lo=0)
    release_share_per_day: float = p(
        0.02, unit="0-1", desc="most released a day, as a share of the opening stock of the "
        "product", source="[assumption]", lo=0, hi=1)
    note: str = p("", **_NOTE)


def quantiles(rows: list[StockRangeConf], draw: int | None) -> list[float]:
    """Where each range's value sits: 0.5 for every row, or uniform draws seeded by
    ``draw`` (one per row, in table order)."""
    if draw is None:
        return [0.5] * len(rows)
    return list(np.random.default_rng([int(draw), 7_919]).uniform(0.0, 1.0, len(rows)))


def values(rows: list[StockRangeConf], draw: int | None) -> dict[str, float]:
    """Each stock's value (days) at ``draw`` (`quantiles`)."""
    return {r.stock: r.low + q * (r.high - r.low)
            for r, q in zip(rows, quantiles(rows, draw), strict=True)}


def apply_ranges(firms: dict[str, list], rows: list[StockRangeConf], draw: int | None,
                 kinds: set[str]) -> None:
    """Set each row's field on every firm of its kind among ``kinds`` (those filled from
    the tables) whose value is not null (module docstring)."""
    for r, v in zip(rows, values(rows, draw).values(), strict=True):
        if r.kind not in kinds:
            continue
        for f in firms.get(r.kind, ()):
            if getattr(f, r.field) is not None:
                setattr(f, r.field, float(v))
