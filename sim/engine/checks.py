"""Checks on a RunConfig: each failure names the key and the bad value.

Types, bounds, choices, NaN/infinity, dates, country codes and the names a value or a
map key must refer to are all derived from the parameter registry (`sim.config.registry`):
`check` walks the whole config tree. What the registry cannot say, a field's relation to
others, is checked here (as PyPSA's ``consistency.py``), each raising one `ConfigError`.
"""

from __future__ import annotations

import datetime as dt

from sim.config import BUYER_KINDS, FIRM_KINDS, RunConfig
from sim.config.firms import hre_shares, ndfeb_need
from sim.config.registry import (
    DATE_MAX,
    MAX_DAYS,
    check,
    check_date,
)
from sim.domain.errors import ConfigError
from sim.domain.products import RAW
from sim.policy.kinds import PolicyEvent
from sim.policy.schedule import compile_events, lever_events


def _names(cfg: RunConfig) -> tuple[set[str], dict[str, set[str]]]:
    """All firm names (duplicates refused) and the name vocabularies of the checks."""
    w = cfg.world
    names: set[str] = set()
    for group in FIRM_KINDS:
        for i, f in enumerate(getattr(w, group)):
            name = getattr(f, "name", None)
            if name in names:
                raise ConfigError(f"world.{group}[{i}].name: duplicate firm name {name!r}")
            names.add(name)
    ctx = {"firm": names, "exporter": {f.name for f in w.exporters},
           "mine": {f.name for f in w.mines},
           "buyer": {f.name for g in (*BUYER_KINDS, "tier1s") for f in getattr(w, g)}}
    return names, ctx


def _world(cfg: RunConfig) -> None:
    w = cfg.world
    for i, f in enumerate(w.exporters):
        if f.country != "CN":
            raise ConfigError(f"world.exporters[{i}].country: exporters are Chinese (CN), "
                              f"got {f.country}")
    for i, f in enumerate(w.makers):
        where = f"world.makers[{i}]"
        if f.country == "CN":
            raise ConfigError(f"{where}.country: makers are non-Chinese, got CN")
    for group in BUYER_KINDS:
        for i, f in enumerate(getattr(w, group)):
            if f.country == "CN":
                raise ConfigError(f"world.{group}[{i}].country: buyers are outside China, "
                                  "got CN")
    for vt in ("ice", "ev"):
        if vt not in w.vehicle_magnet_kg:
            raise ConfigError(f"world.vehicle_magnet_kg: missing {vt!r}")
    if not w.exporters:
        raise ConfigError("world.exporters: the world needs at least one Chinese exporter, "
                          "got none")
    if not any(getattr(w, g) for g in BUYER_KINDS):
        raise ConfigError(f"world: the world needs at least one buyer ({', '.join(BUYER_KINDS)}"
                          "), got none")
    made = {m for f in [*w.exporters, *w.makers] for m, t in f.capacity_tpy.items() if t > 0}
    made |= {m for f in w.makers for add in f.capacity_additions.values() for m in add}
    if w.raw_exporters:
        made |= set(RAW)
    for i, f in enumerate(w.raw_exporters or ()):
        if f.country != "CN":
            raise ConfigError(f"world.raw_exporters[{i}].country: raw exporters are Chinese "
                              f"(CN), got {f.country}")
    seen: set[tuple[str, str]] = set()
    for i, r in enumerate(w.content or ()):
        if (r.product, r.element) in seen:
            raise ConfigError(f"world.content[{i}]: {r.product}/{r.element} given twice")
        seen.add((r.product, r.element))
    elements: set[str] = set()
    for i, r in enumerate(w.china or ()):
        if r.element in elements:
            raise ConfigError(f"world.china[{i}].element: {r.element!r} given twice")
        elements.add(r.element)
    linked = {link.supplier for link in w.links or ()}
    for i, f in enumerate(w.tier1s or ()):
        if w.tiers and f.name not in linked:
            raise ConfigError(f"world.tier1s[{i}].name: no link in world.links names "
                              f"{f.name!r} as supplier, so it supplies no plant")
    hre = hre_shares(w)
    for group in ("industries", "defense"):
        for i, f in enumerate(getattr(w, group)):
            for m, t in ndfeb_need(f, hre).items():  # with the NdFeB split by end use
                if t > 0 and m not in made:
                    raise ConfigError(f"world.{group}[{i}].need_tpd.{m}: no exporter or maker "
                                      f"makes {m!r}, got {t} t/day")
    for vt, kg in w.vehicle_magnet_kg.items():
        for m, x in kg.items():
            if x > 0 and w.automakers and m not in made:
                raise ConfigError(f"world.vehicle_magnet_kg.{vt}.{m}: no exporter or maker "
                                  f"makes {m!r}, got {x} kg/vehicle")
    sellers = {f.name: f for f in [*w.exporters, *w.makers]}
    tier1s = {f.name for f in w.tier1s or ()}
    plants = {f.name for g in BUYER_KINDS for f in getattr(w, g)}
    supplied: dict[tuple[str, str], str] = {}  # (customer, product) -> "tier1" or "seller"
    for i, link in enumerate(w.links or ()):
        where = f"world.links[{i}]"
        if link.supplier in tier1s:
            if link.customer not in plants:
                raise ConfigError(f"{where}.customer: a tier-1 supplies plants (automakers, "
                                  f"industries, defence primes), got {link.customer!r}")
            by = "tier1"
        else:
            by = "seller"
        key = (link.customer, link.product)
        if supplied.setdefault(key, by) != by:
            raise ConfigError(f"{where}: {link.customer!r} buys {link.product!r} both from "
                              f"tier-1s and from magnet sellers; give one kind of supplier")
        if by == "tier1":
            continue
        seller = sellers.get(link.supplier)
        if seller is None:
            raise ConfigError(f"{where}.supplier: {link.supplier!r} is not an exporter, a "
                              f"maker or a tier-1, got {link.supplier!r}")
        offers = set(seller.capacity_tpy) | {m for add in getattr(
            seller, "capacity_additions", {}).values() for m in add}
        if link.product not in offers:
            raise ConfigError(f"{where}.product: {link.supplier!r} does not make "
                              f"{link.product!r}, got {link.product!r}")


def _validate(cfg: RunConfig) -> tuple[dt.date, set[str]]:
    """Check ``cfg`` but its events; return its start date and the firm names.

    Resolves the world first (`sim.worlds.resolve`: firms from ``world.tables``, then
    ``add_*`` and ``firm_overrides``) when that has not been done yet."""
    from sim.config.tables import resolve

    if not isinstance(cfg, RunConfig):
        raise ConfigError(f"config: must be a RunConfig, got {type(cfg).__name__}")
    check(cfg, types_only=True)  # a wrong type first, so later checks compare numbers
    if cfg.days > MAX_DAYS:
        raise ConfigError(f"days: a run lasts at most {MAX_DAYS} days (100 years), got "
                          f"{cfg.days}")
    resolve(cfg.world)
    names, ctx = _names(cfg)
    check(cfg, ctx=ctx)
    start = check_date(cfg.start, "start")
    end = start + dt.timedelta(days=min(cfg.days, MAX_DAYS))
    if end > DATE_MAX:
        raise ConfigError(f"days: the run would end on {end}, after the last supported date "
                          f"{DATE_MAX}, got {cfg.days}")
    _world(cfg)
    lic = cfg.licensing
    for key in ("delay", "rfi_delay", "fast_track_delay", "provincial_review",
                "first_file_delay"):
        d = getattr(lic, key)
        if not 0 <= d.low <= d.mode <= d.high:
            raise ConfigError(f"licensing.{key}: need 0 <= low <= mode <= high, got "
                              f"{d.low}, {d.mode}, {d.high}")
    return start, names


def validate(cfg: RunConfig) -> dt.date:
    """Check ``cfg`` (its events too); return its start date. Raises ConfigError naming
    the bad key."""
    return checked(cfg)[0]


def checked(cfg: RunConfig) -> tuple[dt.date, list[PolicyEvent]]:
    """Check ``cfg`` and compile its events (with the government levers) once: the start
    date and the events, for the model."""
    start, names = _validate(cfg)
    events = compile_events(cfg.events, start, names, {m.name for m in cfg.world.mines},
                            lever_events(cfg.government))
    return start, events
