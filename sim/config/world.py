"""The world: its firms (from world tables, then edited by name) and trade constants.

The firm lists default to ``None``: "the firms of the tables named by ``tables``" (the
2024 vintage, or a folder of the user's own tables with the same schema, see
`sim.worlds`). On construction `sim.worlds.resolve` fills them, appends the ``add_*``
firms and applies ``firm_overrides`` (then clears those edits), so a scenario names the
firms it adds or changes instead of copying whole lists, and ``RunConfig().world.makers``
is the default world's list. Giving a list (``world.mines: [...]``) replaces that kind's
table; a list equal to the 2024 vintage's counts as not given when ``tables`` names
another world (so ``world.tables=PATH`` works on the command line, where the schema's
defaults are the 2024 lists).
"""

# ruff: noqa: UP006, UP035, UP045  (OmegaConf structured configs need typing generics)
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from sim.config.border import ChinaElementConf, ContentConf, RawExporterConf
from sim.config.firms import (
    AutomakerConf,
    DefenseConf,
    DemandConf,
    EndUseConf,
    ExporterConf,
    IndustryConf,
    LinkConf,
    MakerConf,
    MineConf,
    Tier1Conf,
)
from sim.config.registry import coerce, p


def _firms(kind: str) -> Any:
    return field(default=None, metadata={"group": f"{kind} of the world; null: the firms "
                                         "of the world tables"})


def _adds(kind: str) -> Any:
    return field(default_factory=list, metadata={"group": f"{kind} added to the world "
                                                 "tables' (names must be new)"})


@dataclass
class WorldConf:
    """Who is in the world and the physical constants of trade."""

    tables: str = p("2024", unit="-", desc="world tables: a vintage shipped with the model "
                    "(2024, 2009) or a folder of tables with the same schema (sim/worlds)",
                    source="sim/worlds/<vintage>/*.csv (each row cites its source)")
    exporters: Optional[List[ExporterConf]] = _firms("Chinese exporters")
    automakers: Optional[List[AutomakerConf]] = _firms("automakers")
    industries: Optional[List[IndustryConf]] = _firms("industrial buyers")
    defense: Optional[List[DefenseConf]] = _firms("defence primes")
    mines: Optional[List[MineConf]] = _firms("non-Chinese mines")
    makers: Optional[List[MakerConf]] = _firms("non-Chinese magnet makers")
    raw_exporters: Optional[List[RawExporterConf]] = _firms("Chinese raw-material exporters")
    tier1s: Optional[List[Tier1Conf]] = _firms("tier-1 component makers")
    add_exporters: List[ExporterConf] = _adds("exporters")
    add_automakers: List[AutomakerConf] = _adds("automakers")
    add_industries: List[IndustryConf] = _adds("industrial buyers")
    add_defense: List[DefenseConf] = _adds("defence primes")
    add_mines: List[MineConf] = _adds("mines")
    add_makers: List[MakerConf] = _adds("makers")
    add_raw_exporters: List[RawExporterConf] = _adds("raw-material exporters")
    add_tier1s: List[Tier1Conf] = _adds("tier-1 component makers")
    content: Optional[List[ContentConf]] = field(default=None, metadata={
        "group": "element content per magnet grade (t REO per t); null: the world tables' "
        "(content.csv)"})
    end_uses: Optional[List[EndUseConf]] = field(default=None, metadata={
        "group": "Dy/Tb-bearing share of each end use's NdFeB, which splits a buyer's NdFeB "
        "by its end_uses; null: the world tables' (end_uses.csv)"})
    china: Optional[List[ChinaElementConf]] = field(default=None, metadata={
        "group": "China's own balance per element; null: the world tables' (china.csv)"})
    links: Optional[List[LinkConf]] = field(default=None, metadata={
        "group": "supply links (supplier, customer, product, share); null: the links of the "
        "world tables (links.csv)"})
    demand: Optional[List[DemandConf]] = field(default=None, metadata={
        "group": "demand path steps (date, kind, multiplier); null: the steps of the world "
        "tables (demand.csv; none in the 2024 vintage)"})
    tiers: bool = p(
        True, unit="-", desc="model tier-1 component makers (tier1s.csv) between magnet "
        "sellers and the plants linked to them: they buy the magnets, hold their own stock "
        "and supply components; false: every plant buys its magnets itself and its "
        "target_cover_days is the cover of its whole chain (v1)", source="[assumption]")
    demand_paths: bool = p(
        True, unit="-", desc="apply the world's demand path (demand.csv: from each date, "
        "buyers of a kind need a multiple of their table size); false: table sizes all run",
        source="the demand table's rows cite their sources")
    firm_overrides: Dict[str, Dict[str, Any]] = p(
        unit="-", desc="changes to named firms {firm name: {field: value}}; map fields are "
        "updated key by key", source="the scenario's own comments", keys=("firm",),
        factory=dict)
    vehicle_magnet_kg: Dict[str, Dict[str, float]] = p(
        unit="kg/vehicle", desc="magnet per vehicle type and magnet grade",
        source="ICE ~0.1 kg NdFeB [sources: car-magnets]; EV traction motor 1.5 kg "
        "Dy/Tb-grade NdFeB, middle of 1-2 kg [sources: ev-motor] [assumption]", lo=0,
        keys=("vehicle", "magnet"),
        factory=lambda: {"ice": {"ndfeb": 0.1}, "ev": {"ndfeb": 0.1, "ndfeb_hre": 1.5}})
    automaker_cover_days: Optional[float] = p(
        None, unit="days", desc="if set, overrides every automaker's target cover, and for "
        "plants behind tier-1s their component cover (the plant's own buffer; the tier-1s "
        "keep theirs) (sweeps, the buffer search)",
        source="[assumption]", lo=0)
    transit_days: Dict[str, float] = p(
        unit="days", desc="sea and customs time from China by destination",
        source="[assumption]", lo=0, keys=("country",),
        factory=lambda: {"US": 30.0, "DE": 35.0, "JP": 7.0, "KR": 5.0, "VN": 6.0, "IN": 18.0})
    transit_days_default: float = p(25.0, unit="days", desc="transit from China to other "
                                    "destinations", source="[assumption]", lo=0)
    transit_jitter_days: float = p(3.0, unit="days", desc="transit varies uniformly by +- "
                                   "this", source="[assumption]", lo=0)
    domestic_transit_days: float = p(10.0, unit="days", desc="transit from a non-Chinese "
                                     "maker to a buyer", source="[assumption]", lo=0)
    routing_snap_share: float = p(
        0.99, unit="0-1", desc="a buyer's China share above this routes the whole order to "
        "China (no slivers; was the 0.99 cut-off in SupplyChainModel._split)",
        source="[assumption]", lo=0, hi=1)

    def __post_init__(self) -> None:
        coerce(self, "world")  # the Python API may give firms as mappings
        from sim.config.tables import (
            resolve,  # the world tables (package data or the user's folder)
        )

        resolve(self)
