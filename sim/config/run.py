"""The run: scenario name, seed, dates, horizon and every group of parameters."""

# ruff: noqa: UP006, UP035, UP045  (OmegaConf structured configs need typing generics)
from __future__ import annotations

from dataclasses import dataclass
from typing import List

from sim.config.behaviour import BehaviourConf
from sim.config.border import BorderConf
from sim.config.economics import EconomicsConf
from sim.config.markets import MarketConf, SubstitutionConf
from sim.config.policy import EventConf, GovernmentConf, LicensingConf
from sim.config.registry import (
    MAX_DAYS,
    check,
    coerce,
    group,
    p,
)
from sim.config.world import WorldConf


@dataclass
class MetricsConf:
    """Windows of recorded series and KPIs (read from the result tables)."""

    end_window_days: int = p(
        90, unit="days", desc="the 'end' of a run for share KPIs: its last days (was "
        "END_WINDOW_DAYS in sim/metrics_markets.py)", source="[assumption]", lo=0,
        lo_open=True)
    supply_share_window_days: float = p(
        30.0, unit="days", desc="running mean of daily shipments behind the daily "
        "non_china_supply_share (a plain mean until this many days have passed; was 30.0 in "
        "SupplyChainModel._record)", source="[assumption]", lo=1)


@dataclass
class CalibratedConf:
    """Which values of this config a calibration set (`sim.experiments.calibrate`): written
    by ``magnet-sim calibrate`` into the calibration file (``calibration=NAME``) beside the
    values, so that a run says what it uses and where the values come from."""

    name: str = p("", unit="-", desc="the calibration (scenarios/calibration/NAME.yaml); "
                  "empty: none", source="magnet-sim calibrate")
    source: str = p("", unit="-", desc="calibrated: <data set>, <window>, <loss>",
                    source="magnet-sim calibrate")
    params: List[str] = p(unit="-", desc="the keys it set", source="magnet-sim calibrate",
                          factory=list)
    ensemble: int = p(0, unit="1", desc="parameter sets in its ensemble "
                      "(NAME.ensemble.csv; -m calibration=NAME runs over them)",
                      source="magnet-sim calibrate", lo=0)


@dataclass
class RunConfig:
    """One run: a world, a scenario's events, a licensing regime and a horizon."""

    scenario_name: str = p(
        "baseline", unit="-", desc="the run's name (names the results folder); only a "
        "label: it loads nothing, so RunConfig(scenario_name='controls_2025') is the "
        "baseline under that name; sim.scenario('controls_2025') loads the scenario",
        source="scenarios/scenario/*.yaml")
    seed: int = p(42, unit="1", desc="the one seed all random streams derive from",
                  source="[assumption]", lo=0,
                  acts_in="scenario=controls_2025 days=200 seed=7")
    start: str = p("2025-01-01", unit="date", desc="first simulated day",
                   source="[assumption]", kind="date",
                   acts_in="scenario=controls_2025 days=200 start=2025-03-01")
    days: int = p(1095, unit="days", desc="horizon; three years by default (at most 100 "
                  "years)", source="[assumption]", lo=0, lo_open=True, hi=MAX_DAYS,
                  acts_in="scenario=controls_2025 days=150 days=200")
    world: WorldConf = group(WorldConf, "firms and trade constants")
    licensing: LicensingConf = group(LicensingConf, "China's licensing regime")
    market: MarketConf = group(MarketConf, "prices")
    border: BorderConf = group(BorderConf, "markets on both sides of China's border")
    events: List[EventConf] = group(list, "dated policy events")
    government: GovernmentConf = group(GovernmentConf, "a Western government's levers")
    substitution: SubstitutionConf = group(SubstitutionConf, "substitution and recycling")
    behaviour: BehaviourConf = group(BehaviourConf, "buyer behaviour: switches and values")
    metrics: MetricsConf = group(MetricsConf, "windows of recorded series and KPIs")
    economics: EconomicsConf = group(EconomicsConf, "money: vehicle values, holding cost")
    calibrated: CalibratedConf = group(CalibratedConf, "the calibration whose values this "
                                       "config carries (calibration=NAME)")
    plots: bool = p(True, unit="-", desc="draw plots into the run folder",
                    source="[assumption]")

    def __post_init__(self) -> None:
        coerce(self)  # the Python API may give groups, events and firms as mappings
        check(self, types_only=True)  # a wrongly typed value names its field at once
