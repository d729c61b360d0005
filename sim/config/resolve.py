"""Resolving a world: its firms and tables from ``world.tables``, then the scenario's edits.

`resolve` fills every firm kind a `WorldConf` does not give from its tables, appends
``world.add`` firms, applies ``firm_overrides`` by name, ``automaker_cover_days`` (one cover
replacing every plant's own: the buffer grids and search) and ``automaker_cover_scale``
(each plant's own cover times a factor: Monte Carlo and sensitivity), then clears the edits
(the scale back to 1) so that resolving again changes nothing. It is the one place a
world's firm configs are changed: the model's builder never rewrites a firm's config.

Links from the tables are checked strictly: a link naming a firm that exists nowhere is an
error naming the file and line. Where the caller replaced a kind's list (``world.firms``),
the table links naming that kind's table firms are left out, and so are the table's tier-1s
that then supply no plant: the caller chose other firms.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from sim.config.firm_kinds import FIRM_KINDS
from sim.config.firms import end_use_error, hre_shares
from sim.config.registry import check, check_value, spec_of
from sim.config.stocks import apply_ranges
from sim.config.synthetic import copies_of, per_copy, synthetic
from sim.config.tables import OTHER_TABLES, SYNTHETIC, load
from sim.config.world import WorldConf, check_firm_types, is_resolved  # noqa: F401
from sim.domain.errors import ConfigError, known_list, suggest


def resolve(world: WorldConf) -> WorldConf:
    """Fill ``world`` from its tables and apply its edits (module docstring); returns
    ``world`` (changed in place)."""
    if not isinstance(world, WorldConf):
        raise ConfigError(f"world: must be a WorldConf, got {type(world).__name__}")
    check_firm_types(world)  # a wrong type is named before any name or number is used
    replaced = {k for k in FIRM_KINDS if k in world.firms}
    tables = None
    if replaced != set(FIRM_KINDS) or any(getattr(world, t) is None for t in OTHER_TABLES):
        tables = synthetic(world.synthetic_firms) if world.tables == SYNTHETIC else \
            load(world.tables)
    filled = set()
    for key in FIRM_KINDS:
        if key not in world.firms:
            world.firms[key] = copy.deepcopy(list(tables.rows.get(key, ())))  # rows are shared
            filled.add(key)
    links_from_tables = world.links is None
    for t in OTHER_TABLES:
        if getattr(world, t) is None:
            setattr(world, t, copy.deepcopy(list(tables.rows[t])))  # (maps too: deep)
    _stock_rows(world)
    if world.stock_ranges and filled:  # structural stocks on the tables' firms, before edits
        apply_ranges(world.firms, world.stocks or [], world.stock_draw, filled)
    _add(world)
    _unique_names(world, tables)
    _overrides(world)
    if world.automaker_cover_days is not None:  # the plant's own buffer: its whole chain's,
        for c in world.firms.get("automakers", ()):  # or with tier-1s its components'
            c.target_cover_days = world.automaker_cover_days
            if c.component_cover_days is not None:
                c.component_cover_days = world.automaker_cover_days
    scale = next(f for f in dataclasses.fields(WorldConf) if f.name == "automaker_cover_scale")
    check_value(world.automaker_cover_scale, float, spec_of(scale),
                "world.automaker_cover_scale", None)  # its bounds before it scales anything
    if world.automaker_cover_scale != 1.0:  # each plant's own cover, scaled (once)
        for c in world.firms.get("automakers", ()):
            c.target_cover_days *= world.automaker_cover_scale
            if c.component_cover_days is not None:
                c.component_cover_days *= world.automaker_cover_scale
            if c.initial_cover_days is not None:
                c.initial_cover_days *= world.automaker_cover_scale
        world.automaker_cover_scale = 1.0  # applied: resolving again changes nothing
    if links_from_tables and tables is not None:
        _table_links(world, tables, replaced)
    check_firm_types(world)  # the overrides' values too
    _end_uses(world)
    return world


def _stock_rows(world: WorldConf) -> None:
    """The structural stock ranges name a firm kind and a field of it in days, once each,
    with low <= high."""
    seen: set[str] = set()
    for i, r in enumerate(world.stocks or ()):
        check(r, f"world.stocks[{i}]")  # the fields' own bounds first
        where = f"world.stocks[{i}] ({r.stock})"
        kind = FIRM_KINDS.get(r.kind)
        if kind is None:
            raise ConfigError(f"{where}.kind: unknown firm kind{suggest(r.kind, FIRM_KINDS)}; "
                              f"known: {list(FIRM_KINDS)}, got {r.kind!r}")
        fields = {f.name: f for f in dataclasses.fields(kind.conf)}
        spec = spec_of(fields[r.field]) if r.field in fields else None
        if spec is None or spec.unit != "days":
            days = [n for n, f in fields.items() if spec_of(f) and spec_of(f).unit == "days"]
            raise ConfigError(f"{where}.field: not a field in days of {kind.conf.__name__}"
                              f"{suggest(r.field, days)}, got {r.field!r}")
        if r.low > r.high:
            raise ConfigError(f"{where}: low must not exceed high, got {r.low} > {r.high}")
        if r.stock in seen:
            raise ConfigError(f"{where}.stock: {r.stock!r} given twice")
        seen.add(r.stock)


def _add(world: WorldConf) -> None:
    names = {f.name for items in world.firms.values() for f in items}
    for key, added in world.add.items():
        for i, f in enumerate(added):
            if f.name in names:
                raise ConfigError(f"world.add_{key}[{i}].name: duplicate firm name {f.name!r} "
                                  "(a firm of that name is in the world already; change it "
                                  "with world.firm_overrides)")
            names.add(f.name)
        world.firms[key] = [*world.firms[key], *added]
    world.add = {}


def _unique_names(world: WorldConf, tables) -> None:
    """Every firm name once in the world (a table's row named, with its file and line)."""
    seen: set = set()
    for key, items in world.firms.items():
        lines = tables.lines.get(key, ()) if tables is not None else ()
        for i, f in enumerate(items):
            name = getattr(f, "name", None)
            if name in seen:
                where = (f"{tables.label}/{key}.csv:{lines[i]}" if i < len(lines)
                         else f"world.{key}[{i}]")
                raise ConfigError(f"{where}.name: duplicate firm name {name!r}")
            if isinstance(name, str):
                seen.add(name)


def _override(firm: Any, changes: dict, where: str) -> None:
    names = [f.name for f in dataclasses.fields(firm)]
    for key, value in changes.items():
        if key not in names or key == "name":
            raise ConfigError(f"{where}.{key}: not a field of {type(firm).__name__} that "
                              f"can be overridden{suggest(key, names)}")
        old = getattr(firm, key)
        if isinstance(old, dict) and isinstance(value, dict):
            value = {**old, **value}
        setattr(firm, key, value)


def _overrides(world: WorldConf) -> None:
    """Apply ``firm_overrides`` by name; in a synthetic world a base firm's name (e.g.
    ``US-defense-prime``) changes each of its copies (`sim.config.synthetic.per_copy`)."""
    by_name = {f.name: f for items in world.firms.values() for f in items}
    for name, changes in world.firm_overrides.items():
        where = f"world.firm_overrides.{name}"
        copies = [] if name in by_name else copies_of(name, by_name)
        if name not in by_name and not copies:
            raise ConfigError(f"{where}: no firm named {name!r}{suggest(name, by_name)}; "
                              f"known: {known_list(sorted(by_name))}")
        if not isinstance(changes, dict):
            raise ConfigError(f"{where}: must be a mapping {{field: value}}, got {changes!r}")
        if not copies:
            _override(by_name[name], dict(changes), where)
        for c in copies:
            _override(by_name[c], per_copy(dict(changes), len(copies)), where)
    world.firm_overrides = {}


def _table_links(world: WorldConf, tables, replaced: set[str]) -> None:
    """Check the links that came from the tables (module docstring)."""
    names = {f.name for items in world.firms.values() for f in items}
    gone = {f.name for k in replaced for f in tables.rows.get(k, ())} - names
    kept, dropped_for = [], set()
    for link, line in zip(world.links, tables.lines["links"], strict=True):
        if link.supplier in gone or link.customer in gone:
            dropped_for.add(link.supplier)
            continue
        for end in ("supplier", "customer"):
            name = getattr(link, end)
            if name not in names:
                raise ConfigError(f"{tables.label}/links.csv:{line}.{end}: no firm named "
                                  f"{name!r} in the world{suggest(name, names)}")
        kept.append(link)
    world.links = kept
    if "tier1s" in replaced or "tier1s" not in FIRM_KINDS:
        return
    linked = {x.supplier for x in kept}
    keep = []
    for f, line in zip(world.firms["tier1s"], (*tables.lines["tier1s"], *[None] * 999),
                       strict=False):
        if f.name in linked:
            keep.append(f)
        elif f.name not in dropped_for and line is not None and world.tiers:
            raise ConfigError(f"{tables.label}/tier1s.csv:{line}.name: no link in links.csv "
                              f"names {f.name!r} as supplier, so it supplies no plant")
        elif line is None:
            keep.append(f)  # added by the caller: the model's checks name it
    world.firms["tier1s"] = keep


def _end_uses(world: WorldConf) -> None:
    shares = hre_shares(world)
    seen: set[str] = set()
    for i, row in enumerate(world.end_uses or ()):
        if row.end_use in seen:
            raise ConfigError(f"world.end_uses[{i}].end_use: {row.end_use!r} given twice")
        seen.add(row.end_use)
    for kind in FIRM_KINDS.values():
        if not kind.splits_ndfeb:
            continue
        for i, firm in enumerate(world.firms.get(kind.key) or ()):
            why = end_use_error(firm, shares)
            if why:
                raise ConfigError(f"world.{kind.key}[{i}].{why} ({firm.name})")


