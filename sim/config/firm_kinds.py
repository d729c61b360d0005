"""The firm-kind registry (as PyPSA's ``components.csv``): one row per kind of firm.

A row says everything the rest of the code needs to know about a kind: the key of its list
in ``world`` and of its world table (``<key>.csv``), the ``kind`` its agents report, its
config class (the table's schema), its agent class, and its roles. World loading and
validation, the model's builder and its agent sets, the stock holders counted by the
conservation check, the recorder, ``by_name``, per-node KPIs and plots iterate this
registry; nothing else lists firm kinds.

Adding a firm kind is one agent module, one `register` call (a row) and its world table.

Roles (what the model's phases and checks ask of a kind; `ROLES`):

- ``holder``: holds stock; counted by the conservation check and recorded every day;
- ``party``: trades through the order book (its name numbers the order-keyed draws);
- ``buyer``: an end user of magnets: uses them each day and orders toward a target cover;
- ``tier1``: makes components for the plants linked to it and buys their magnets;
- ``seller``: takes orders into its book, allocates and ships them;
- ``china_seller``: a Chinese exporter (the Chinese pool buyers route orders to);
- ``exporter``: a Chinese magnet exporter (events name these as ``firms``);
- ``raw_seller``: a Chinese exporter of raw materials (sells every raw product);
- ``maker``: a non-Chinese magnet maker (the non-Chinese pool);
- ``mine``: a non-Chinese mine;
- ``state``: a state holder that buys for a stockpile (phase produce) and releases from it
  (phase receive), as the government does.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from sim.config.border import RawExporterConf
from sim.config.firms import (
    AutomakerConf,
    DefenseConf,
    ExporterConf,
    IndustryConf,
    MakerConf,
    MineConf,
    Tier1Conf,
)
from sim.config.stocks import StockpileConf

ROLES = ("holder", "party", "buyer", "tier1", "seller", "china_seller", "exporter",
         "raw_seller", "maker", "mine", "state")


@dataclass(frozen=True)
class FirmKind:
    """One kind of firm.

    Attributes:
        key: the list in ``world`` and the world table (``<key>.csv``), e.g. ``automakers``.
        kind: the ``kind`` its agents report (agents table, KPIs), e.g. ``automaker``.
        conf: its config class (the schema of a row of its table).
        agent: its agent class, or ``"module:Class"`` (imported when a model is built).
        roles: what the model asks of it (`ROLES`).
        doc: one line for the docs.
        stage: 0: built with the world's firms; 1: after the demand path is in force
            (kinds whose need follows the plants', tier-1s).
        index_group: agents of kinds sharing this group are numbered together (review
            offsets); default: the key.
        country: ``"CN"`` (must be Chinese), ``"abroad"`` (must not be) or ``""``.
        splits_ndfeb: its rows may split NdFeB use by application (``end_uses``).
        switch: a boolean field of ``world`` that turns the kind on and off (``tiers``).
    """

    key: str
    kind: str
    conf: type
    agent: object
    roles: frozenset = field(default_factory=frozenset)
    doc: str = ""
    stage: int = 0
    index_group: str = ""
    country: str = ""
    splits_ndfeb: bool = False
    switch: str = ""

    def enabled(self, world) -> bool:
        """Whether the world builds this kind: its switch (a boolean field of ``world``)
        is on, or it has none."""
        return not self.switch or bool(getattr(world, self.switch))

    def agent_class(self) -> type:
        """The agent class (imported on first use when given as ``"module:Class"``)."""
        if isinstance(self.agent, str):
            module, _, name = self.agent.partition(":")
            return getattr(importlib.import_module(module), name)
        return self.agent

    def has(self, role: str) -> bool:
        return role in self.roles


FIRM_KINDS: dict[str, FirmKind] = {}
"""Registered kinds by key, in the order the model builds them (which numbers agents)."""


def register(kind: FirmKind) -> FirmKind:
    """Add a firm kind (its key and kind must be new; its roles from `ROLES`)."""
    bad = set(kind.roles) - set(ROLES)
    if bad:
        raise ValueError(f"firm kind {kind.key!r}: unknown roles {sorted(bad)}; known: {ROLES}")
    if kind.key in FIRM_KINDS or any(k.kind == kind.kind for k in FIRM_KINDS.values()):
        raise ValueError(f"firm kind {kind.key!r} ({kind.kind}) is registered already")
    FIRM_KINDS[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    """Remove a firm kind (tests that register their own)."""
    FIRM_KINDS.pop(key, None)


def kinds_with(role: str) -> list[FirmKind]:
    """The registered kinds that have ``role``, in registry order."""
    return [k for k in FIRM_KINDS.values() if role in k.roles]


def keys_with(role: str) -> tuple[str, ...]:
    return tuple(k.key for k in kinds_with(role))


def by_kind(kind: str) -> FirmKind:
    """The row of the kind whose agents report ``kind``."""
    for k in FIRM_KINDS.values():
        if k.kind == kind:
            return k
    raise KeyError(kind)


_SELLS = frozenset({"holder", "party", "seller"})
for _row in (
    FirmKind("exporters", "exporter", ExporterConf, "sim.agents.exporter:Exporter",
             _SELLS | {"china_seller", "exporter"}, "Chinese magnet makers that export (JL "
             "Mag and peers)", country="CN"),
    FirmKind("raw_exporters", "raw_exporter", RawExporterConf,
             "sim.agents.raw_exporter:RawExporter", _SELLS | {"china_seller", "raw_seller"},
             "Chinese exporters of raw materials (oxides, metals) holding export quota",
             country="CN"),
    FirmKind("makers", "maker", MakerConf, "sim.agents.maker:MagnetMaker",
             _SELLS | {"maker"}, "non-Chinese magnet makers", country="abroad"),
    FirmKind("mines", "mine", MineConf, "sim.agents.mine:Mine", frozenset({"holder", "mine"}),
             "non-Chinese mines with separation"),
    FirmKind("automakers", "automaker", AutomakerConf, "sim.agents.automaker:Automaker",
             frozenset({"holder", "party", "buyer"}), "assembly plants (carmakers)",
             index_group="buyers", country="abroad"),
    FirmKind("industries", "industry", IndustryConf, "sim.agents.industry:IndustrialBuyer",
             frozenset({"holder", "party", "buyer"}), "other industrial users of a country",
             index_group="buyers", country="abroad", splits_ndfeb=True),
    FirmKind("defense", "defense", DefenseConf, "sim.agents.defense:DefensePrime",
             frozenset({"holder", "party", "buyer"}), "defence primes", index_group="buyers",
             country="abroad", splits_ndfeb=True),
    FirmKind("stockpiles", "stockpile", StockpileConf, "sim.agents.stockpile:NationalStockpile",
             frozenset({"holder", "state"}), "national stockpiles of raw materials that "
             "release to their country's users (Japan's, held by JOGMEC)", country="abroad"),
    FirmKind("tier1s", "tier1", Tier1Conf, "sim.agents.tier1:Tier1",
             frozenset({"holder", "party", "tier1", "seller"}), "tier-1 component makers "
             "between magnet sellers and plants", stage=1, index_group="buyers",
             switch="tiers"),
):
    register(_row)
