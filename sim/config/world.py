"""The world: its firms (from world tables, then edited by name) and trade constants.

A world's firms are kept by kind in ``firms`` (``world.firms.automakers``; the kinds are
the firm-kind registry's keys, `sim.config.firm_kinds`). A kind missing from ``firms`` means
"the firms of the tables named by ``tables``" (the 2024 vintage, or a folder of the user's
own tables with the same schema, see `sim.config.tables`); ``add`` holds firms to append
to a kind's table (``world.add.mines: [...]``) and ``firm_overrides`` changes named firms,
so a scenario names the firms it adds or changes instead of copying whole lists. Giving a
list (``world.firms.mines: []``) replaces that kind's table.

Building a `WorldConf` reads no file: `sim.config.tables.resolve` fills the lists (called
by `sim.run`, `sim.build` and `sim.cli.compose`). For the Python API a kind's list reads and
writes as an attribute (``world.automakers``) and a keyword (``WorldConf(mines=[])``, and
``add_mines=[...]``).
"""

# ruff: noqa: UP006, UP035, UP045  (OmegaConf structured configs need typing generics)
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from sim.config.border import ChinaElementConf, ContentConf
from sim.config.firm_kinds import FIRM_KINDS
from sim.config.firms import DemandConf, EndUseConf, LinkConf
from sim.config.registry import check, coerce, from_mapping, p
from sim.config.stocks import StockRangeConf
from sim.domain.errors import ConfigError, suggest


@dataclass
class WorldConf:
    """Who is in the world and the physical constants of trade."""

    tables: str = p("2024", unit="-", desc="world tables: a vintage shipped with the model "
                    "(2024, 2009), synthetic (copies of the 2024 buyer chain, "
                    "synthetic_firms) or a folder of tables with the same schema "
                    "(sim/config/tables.py)",
                    source="sim/config/worlds/<vintage>/*.csv (each row cites its source)")
    synthetic_firms: int = p(
        1000, unit="1", desc="with tables=synthetic: about this many buyer firms (copies of "
        "the 2024 buyer chain at 1/k of its size; world.firms=N on the command line)",
        source="[assumption]: a size for scaling studies", lo=1, hi=1_000_000)
    firms: Dict[str, Any] = field(default_factory=dict, metadata={
        "kinds": True, "group": "world.firms.<kind>; not given: the world tables' "
        "<kind>.csv"})
    add: Dict[str, Any] = field(default_factory=dict, metadata={
        "kinds": True, "group": "added to the tables' firms; names must be new"})
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
    stocks: Optional[List[StockRangeConf]] = field(default=None, metadata={
        "group": "structural stock ranges (stock, firm kind, field, low, high days); null: "
        "the world tables' stocks.csv, else the shared sim/config/data/stocks.csv"})
    stock_ranges: bool = p(
        True, unit="-", desc="set the stocks between a licence and a production line (plants' "
        "component cover, tier-1s' magnets, non-Chinese makers' magnets and raw Dy/Tb, "
        "national stockpiles) from the structural ranges of stocks.csv; false: each world "
        "table's own per-firm values", source="stocks.csv rows cite both ends of each range")
    stock_draw: Optional[int] = p(
        None, unit="1", desc="where each structural stock sits in its range: null: the "
        "middle; an integer: a uniform draw per range seeded by it (ensembles sample them)",
        source="[assumption]: the middle of a cited range", lo=0)
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
        None, unit="days", desc="if set, REPLACES every automaker's target cover, and for "
        "plants behind tier-1s their component cover, with this one value (the plant's own "
        "buffer; the tier-1s keep theirs) (the buffer grid experiments, the common buffer "
        "search); to vary each plant's cover relative to its own, use automaker_cover_scale",
        source="[assumption]", lo=0, name="every plant's cover, replacing its own",
        acts_in="scenario=controls_2025 days=200 world.automaker_cover_days=40")
    automaker_cover_scale: float = p(
        1.0, unit="x", desc="multiplies every automaker's own target cover (and, behind "
        "tier-1s, its component cover) after automaker_cover_days: 2 doubles each plant's "
        "own cover (Monte Carlo and sensitivity experiments vary this, so each plant keeps "
        "its own cover relative to the others); applied once when the world is resolved",
        source="[assumption]", lo=0, hi=100, name="plant cover as a multiple of its own",
        acts_in="scenario=controls_2025 days=200 world.automaker_cover_scale=4")
    transit_days: Dict[str, float] = p(
        unit="days", desc="sea and customs time from China by destination",
        source="[assumption]", lo=0, keys=("country",),
        factory=lambda: {"US": 30.0, "DE": 35.0, "JP": 7.0, "KR": 5.0, "VN": 6.0, "IN": 18.0})
    transit_days_default: float = p(25.0, unit="days", desc="transit from China to other "
                                    "destinations", source="[assumption]", lo=0)
    transit_jitter_days: float = p(
        3.0, unit="days", desc="transit varies uniformly by +- this", source="[assumption]",
        lo=0, acts_in="scenario=controls_2025 days=200 world.transit_jitter_days=8")
    domestic_transit_days: float = p(10.0, unit="days", desc="transit from a non-Chinese "
                                     "maker to a buyer", source="[assumption]", lo=0)
    routing_snap_share: float = p(
        0.99, unit="0-1", desc="a buyer's China share above this routes the whole order to "
        "China (no slivers; was the 0.99 cut-off in SupplyChainModel._split)",
        source="[assumption]", lo=0, hi=1)

    def __post_init__(self) -> None:
        self.firms = _coerce_kinds(self.firms, "world.{key}")
        self.add = _coerce_kinds(self.add, "world.add_{key}")
        coerce(self, "world")  # the Python API may give tables' rows as mappings

    def __getattr__(self, name: str) -> Any:
        firms = self.__dict__.get("firms")
        if firms is not None:
            if name in FIRM_KINDS:
                return firms.get(name)
            if name.startswith("add_") and name[4:] in FIRM_KINDS:
                return self.__dict__["add"].get(name[4:], [])
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in FIRM_KINDS:
            self.firms[name] = value
        elif name.startswith("add_") and name[4:] in FIRM_KINDS:
            self.add[name[4:]] = value
        else:
            object.__setattr__(self, name, value)


def is_resolved(world: WorldConf) -> bool:
    """Whether every firm kind and table of ``world`` is filled (`resolve` was run)."""
    return (all(k in world.firms for k in FIRM_KINDS)
            and all(getattr(world, t) is not None for t in _TABLE_FIELDS)
            and not world.add and not world.firm_overrides)


def check_firm_types(world: WorldConf) -> None:
    """The types of ``world``'s fields and of every firm given or added (as the model's
    checks do first, `sim.engine.checks`), so that resolving never fails on a raw Python
    error."""
    check(world, "world", types_only=True)
    for at, groups in (("world.{key}", world.firms), ("world.add_{key}", world.add)):
        for key, items in groups.items():
            kind, where = FIRM_KINDS.get(key), at.format(key=key)
            if kind is None or not isinstance(items, list):
                raise ConfigError(f"{where}: not a firm kind's list of firms, got {items!r}")
            for i, f in enumerate(items):
                if not isinstance(f, kind.conf):
                    raise ConfigError(f"{where}[{i}]: must be {kind.conf.__name__} (a "
                                      f"mapping of its fields), got {f!r}")
                check(f, f"{where}[{i}]", types_only=True)


_TABLE_FIELDS = ("links", "content", "china", "demand", "end_uses", "stocks")


def _coerce_kinds(given: Any, where: str) -> dict:
    """``{kind key: list of firms}`` with each firm its kind's config (mappings built);
    ``where`` names a kind's list (``world.{key}``)."""
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise ConfigError(f"{where.format(key='')}: must be a mapping {{firm kind: [firms]}}, "
                          f"got {given!r}")
    out: dict = {}
    for key, items in given.items():
        kind = FIRM_KINDS.get(key)
        at = where.format(key=key)
        if kind is None:
            raise ConfigError(f"{at}: unknown firm kind{suggest(key, FIRM_KINDS)}; known: "
                              f"{list(FIRM_KINDS)}")
        if items is None:
            continue
        if not isinstance(items, (list, tuple)):
            raise ConfigError(f"{at}: must be a list of firms, got {items!r}")
        out[key] = [from_mapping(kind.conf, x, f"{at}[{i}]") for i, x in enumerate(items)]
    return out


def accept_kind_keywords(cls: type) -> None:
    """``WorldConf(mines=[], add_mines=[...])``: a firm kind's key (or ``add_<key>``) as a
    keyword goes into ``firms`` (or ``add``); other unknown keywords stay errors."""
    init = cls.__init__

    fields = [f.name for f in dataclasses.fields(cls)]

    def __init__(self, *args, _init=init, **kwargs):
        firms = dict(kwargs.pop("firms", None) or {})
        add = dict(kwargs.pop("add", None) or {})
        for k in list(kwargs):
            if k in FIRM_KINDS:
                firms[k] = kwargs.pop(k)
            elif k.startswith("add_") and k[4:] in FIRM_KINDS:
                add[k[4:]] = kwargs.pop(k)
            elif k not in fields:
                known = [*fields, *FIRM_KINDS, *(f"add_{x}" for x in FIRM_KINDS)]
                raise ConfigError(f"{k}: unknown key for {cls.__name__}{suggest(k, known)}; "
                                  f"known: {known}")
        _init(self, *args, firms=firms, add=add, **kwargs)

    __init__.__doc__, __init__.__wrapped__ = init.__doc__, init
    cls.__init__ = __init__
    # the same keys in a mapping (``RunConfig(world={"add_mines": [...]})``, `from_mapping`)
    cls.keyword_keys = staticmethod(lambda: [*FIRM_KINDS, *(f"add_{x}" for x in FIRM_KINDS)])
