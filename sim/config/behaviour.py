"""Buyer behaviour (issue 11): one switch per behaviour, and the values every buyer takes
where its own row leaves the field empty (null)."""

# ruff: noqa: UP006, UP035, UP045  (OmegaConf structured configs need typing generics)
from __future__ import annotations

from dataclasses import dataclass

from sim.config.registry import p


@dataclass
class BehaviourConf:
    """Switches of the buyers' behaviours and their world-wide values.

    A buyer's own field (``world.<kind>[].expedite_below_days`` and the like) wins where it
    is set; null takes the value here. A switch set false turns the behaviour off for every
    buyer whatever its own values (the ablation's "off")."""

    expediting: bool = p(True, unit="-", desc="buyers short of cover move unlicensed orders "
                         "to air freight (Buyer.expedite)", source="[assumption]")
    expedite_below_days: float = p(
        0.0, unit="days", desc="cover below which a buyer expedites, where its own field is "
        "null; 0: never", source="air freight instead of a 4-6 week voyage, 2025 "
        "[sources: air-freight] [assumption: days]", lo=0)
    hoarding: bool = p(True, unit="-", desc="buyers raise their target cover on signals they "
                       "can observe: announced controls (signal events) and the outside "
                       "price", source="[assumption]")
    signal_cover_days: float = p(
        0.0, unit="days", desc="extra cover after a signal event naming the buyer's country, "
        "where its own field is null", source="[assumption]", lo=0)
    price_cover_days: float = p(
        0.0, unit="days", desc="extra cover per unit rise of the outside price over its "
        "opening level, where the buyer's own field is null", source="[assumption]", lo=0)
    makeup: bool = p(True, unit="-", desc="automakers make up lost output with overtime "
                     "(Automaker.make_up)", source="[sources: overtime-shifts]")
    makeup_capacity: float = p(
        0.0, unit="0-1", desc="extra output a day as a share of planned output, where the "
        "automaker's own field is null", source="weekend overtime after a parts shortage "
        "[sources: overtime-shifts] [assumption: size]", lo=0)
    spot: bool = p(True, unit="-", desc="buyers short of cover buy other buyers' surplus "
                   "at a premium (sim.spot)", source="[assumption]")
    spot_below_days: float = p(
        0.0, unit="days", desc="cover below which a buyer buys spot, up to this cover, "
        "where its own field is null; 0: never", source="[assumption]", lo=0)
    spot_premium: float = p(
        0.5, unit="0-1", desc="spot price over the outside price (0.5: half as much again)",
        source="a traded licence at ~64% of the oxide price in 2010 "
        "[sources: licence-premium-2010]; USD 10-30/kg (~20-60%) for magnets outside the "
        "usual channel in 2025 [sources: exchina-premium] [assumption: one figure]", lo=0)
    spot_sell_above: float = p(
        1.0, unit="x", desc="a buyer sells spot only stock above this multiple of its target "
        "cover (and never while it is short itself)", source="[assumption]", lo=1)
