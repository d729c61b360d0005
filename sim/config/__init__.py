"""Typed configuration schema, grouped by concept: firms, world, policy, markets, run.

Plain dataclasses, free of Hydra: the command line (`sim.cli.compose`) registers them in
Hydra's ConfigStore, and a notebook can build them directly (`RunConfig()` is the baseline).
Every leaf field is declared with `registry.p`: type, unit (from `registry.UNITS`),
default, bounds or choices, description and source (``[sources: <id>]`` points to a row of
``docs/sources.md`` with its citation; ``[assumption]`` marks a number chosen by us).
`sim.engine.checks` derives its checks and ``python -m sim.config.parameters`` its table
from them. A world's firms are data in ``sim/config/worlds/<vintage>`` (`sim.config.tables`,
resolved by `sim.config.resolve`).

Adding a parameter is one place: a ``p(default, unit=..., desc=..., source=..., lo=...)``
field in the module of its concept (``firms``, ``world``, ``policy``, ``markets``, ``run``);
its checks, its row in ``python -m sim.config.parameters`` and ``docs/parameters.md`` (rerun
``--write``) and, for a firm field, its world-table column follow. Adding a firm kind is one
row of the firm-kind registry (`sim.config.firm_kinds`), its agent module and its table.
"""

# ruff: noqa: F401, I001  (re-exports, kept compact)
from sim.domain.products import MAGNETS, MATERIALS
from sim.config.firm_kinds import FIRM_KINDS, FirmKind, register
from sim.config.firms import (
    AutomakerConf,
    BuyerConf,
    DefenseConf,
    DemandConf,
    ExporterConf,
    IndustryConf,
    LinkConf,
    MakerConf,
    MineConf,
    Tier1Conf,
)
from sim.config.behaviour import BehaviourConf
from sim.config.border import (
    BorderConf,
    ChinaElementConf,
    ContentConf,
    RawExporterConf,
)
from sim.config.economics import EconomicsConf
from sim.config.markets import ChinaPricingConf, MarketConf, SubstitutionConf
from sim.config.policy import (
    DelayConf,
    EventConf,
    GovernmentConf,
    LicensingConf,
)
from sim.config.registry import (
    UNITS,
    Spec,
    p,
    refuse_unknown_keywords,
)
from sim.config.run import CalibratedConf, MetricsConf, RunConfig
from sim.config.stocks import StockpileConf, StockRangeConf
from sim.config.world import WorldConf, accept_kind_keywords

refuse_unknown_keywords(
    ExporterConf, BuyerConf, AutomakerConf, IndustryConf, DefenseConf, MineConf, MakerConf,
    LinkConf, DemandConf, Tier1Conf, BehaviourConf, BorderConf, ChinaElementConf, ContentConf,
    RawExporterConf,
    WorldConf, DelayConf, LicensingConf, EventConf, GovernmentConf, ChinaPricingConf,
    MarketConf, SubstitutionConf, MetricsConf, EconomicsConf, RunConfig, StockpileConf,
    StockRangeConf, CalibratedConf)
accept_kind_keywords(WorldConf)  # WorldConf(mines=[...]): a firm kind's list

__all__ = [
    "MAGNETS", "MATERIALS", "UNITS", "AutomakerConf", "BuyerConf", "ChinaPricingConf",
    "DefenseConf", "DelayConf", "DemandConf", "EconomicsConf", "EventConf", "ExporterConf",
    "GovernmentConf",
    "IndustryConf", "LicensingConf", "LinkConf", "MakerConf", "MarketConf", "MetricsConf",
    "MineConf",
    "RunConfig", "Spec", "SubstitutionConf", "WorldConf", "p", "FIRM_KINDS", "FirmKind",
    "register", "BorderConf", "ChinaElementConf", "ContentConf", "RawExporterConf",
    "Tier1Conf", "BehaviourConf", "StockpileConf", "StockRangeConf", "CalibratedConf",
]
