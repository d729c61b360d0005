"""Checks on a RunConfig: each failure names the key and the bad value.

Types, bounds, choices, NaN/infinity, dates, country codes and the names a value or a
map key must refer to are all derived from the parameter registry (`sim.config.registry`):
`check` walks the whole config tree. What the registry cannot say, a field's relation to
others, is checked here (as PyPSA's ``consistency.py``), each raising one `ConfigError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sim.config import FIRM_KINDS, RunConfig
from sim.config.firm_kinds import keys_with
from sim.config.firms import hre_shares, ndfeb_need
from sim.config.registry import DATE_MAX, MAX_DAYS, check, check_date
from sim.config.world import check_firm_types, is_resolved
from sim.domain.errors import ConfigError
from sim.domain.products import RAW
from sim.policy.kinds import PolicyEvent
from sim.policy.schedule import compile_events, lever_events


def _names(cfg: RunConfig) -> tuple[set[str], dict[str, set[str]]]:
    """All firm names (duplicates refused) and the name vocabularies of the checks."""
    w = cfg.world
    names: set[str] = set()
    for key in FIRM_KINDS:
        for i, f in enumerate(w.firms[key]):
            name = getattr(f, "name", None)
            if name in names:
                raise ConfigError(f"world.{key}[{i}].name: duplicate firm name {name!r}")
            names.add(name)

    def named(*roles: str) -> set[str]:
        return {f.name for k in FIRM_KINDS.values() if k.roles & set(roles)
                for f in w.firms[k.key]}

    ctx = {"firm": names, "exporter": named("exporter"), "mine": named("mine"),
           "buyer": named("buyer", "tier1")}
    return names, ctx


def _world(cfg: RunConfig, ctx: dict) -> None:
    w = cfg.world
    for key, items in w.firms.items():
        kind = FIRM_KINDS[key]
        for i, f in enumerate(items):
            if not isinstance(f, kind.conf):
                raise ConfigError(f"world.{key}[{i}]: must be {kind.conf.__name__} (a mapping "
                                  f"of its fields), got {f!r}")
            check(f, f"world.{key}[{i}]", ctx)
            if kind.country == "CN" and f.country != "CN":
                raise ConfigError(f"world.{key}[{i}].country: {kind.key} are Chinese (CN), "
                                  f"got {f.country}")
            if kind.country == "abroad" and f.country == "CN":
                raise ConfigError(f"world.{key}[{i}].country: {kind.key} are outside China, "
                                  "got CN")
    for vt in ("ice", "ev"):
        if vt not in w.vehicle_magnet_kg:
            raise ConfigError(f"world.vehicle_magnet_kg: missing {vt!r}")
    if not _firms(w, "exporter"):
        raise ConfigError("world.exporters: the world needs at least one Chinese exporter, "
                          "got none")
    if not _firms(w, "buyer"):
        raise ConfigError(f"world: the world needs at least one buyer "
                          f"({', '.join(keys_with('buyer'))}), got none")
    made = {m for f in _firms(w, "exporter", "maker") for m, t in f.capacity_tpy.items()
            if t > 0}
    made |= {m for f in _firms(w, "maker") for add in f.capacity_additions.values() for m in add}
    if _firms(w, "raw_seller"):
        made |= set(RAW)  # raw-material exporters sell every raw material
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
    for i, f in enumerate(w.firms.get("tier1s") or ()):
        if w.tiers and f.name not in linked:
            raise ConfigError(f"world.tier1s[{i}].name: no link in world.links names "
                              f"{f.name!r} as supplier, so it supplies no plant")
    hre = hre_shares(w)
    for kind in FIRM_KINDS.values():
        fields = {x.name for x in dataclasses.fields(kind.conf)}  # (hasattr misses fields
        if "need_tpd" not in fields or "buyer" not in kind.roles:  # with a default factory)
            continue
        for i, f in enumerate(w.firms[kind.key]):
            for m, t in ndfeb_need(f, hre).items():  # with the NdFeB split by end use
                if t > 0 and m not in made:
                    raise ConfigError(f"world.{kind.key}[{i}].need_tpd.{m}: no exporter or "
                                      f"maker makes {m!r}, got {t} t/day")
    for vt, kg in w.vehicle_magnet_kg.items():
        for m, x in kg.items():
            if x > 0 and w.automakers and m not in made:
                raise ConfigError(f"world.vehicle_magnet_kg.{vt}.{m}: no exporter or maker "
                                  f"makes {m!r}, got {x} kg/vehicle")
    sellers = {f.name: f for f in _firms(w, "exporter", "maker")}
    tier1s = {f.name for f in _firms(w, "tier1")}
    plants = {f.name for f in _firms(w, "buyer")}
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


def _validate(cfg: RunConfig) -> tuple[dt.date, dict[str, set[str]]]:
    """Check ``cfg`` but its events; return its start date and the names of the world's
    firms by vocabulary (``firm``, ``exporter``, ``mine``, ``buyer``).

    The world must be resolved (`sim.config.resolve.resolve`, which `sim.run`, `sim.build`
    and the command line do): the core reads no world tables."""
    if not isinstance(cfg, RunConfig):
        raise ConfigError(f"config: must be a RunConfig, got {type(cfg).__name__}")
    check(cfg, types_only=True)  # a wrong type first, so later checks compare numbers
    check_firm_types(cfg.world)  # (held by kind, beyond the schema's types)
    if cfg.days > MAX_DAYS:
        raise ConfigError(f"days: a run lasts at most {MAX_DAYS} days (100 years), got "
                          f"{cfg.days}")
    if not is_resolved(cfg.world):
        raise ConfigError("world: its firms are not loaded from its tables yet; run it with "
                          "sim.run or build it with sim.build (or call "
                          "sim.config.resolve.resolve(cfg.world) first)")
    names, ctx = _names(cfg)
    check(cfg, ctx=ctx)
    start = check_date(cfg.start, "start")
    end = start + dt.timedelta(days=min(cfg.days, MAX_DAYS))
    if end > DATE_MAX:
        raise ConfigError(f"days: the run would end on {end}, after the last supported date "
                          f"{DATE_MAX}, got {cfg.days}")
    _world(cfg, ctx)
    lic = cfg.licensing
    for key in ("delay", "rfi_delay", "fast_track_delay", "provincial_review",
                "first_file_delay"):
        d = getattr(lic, key)
        if not 0 <= d.low <= d.mode <= d.high:
            raise ConfigError(f"licensing.{key}: need 0 <= low <= mode <= high, got "
                              f"{d.low}, {d.mode}, {d.high}")
    return start, ctx


def validate(cfg: RunConfig) -> dt.date:
    """Check ``cfg`` (its events too); return its start date. Raises ConfigError naming
    the bad key."""
    return checked(cfg)[0]


def checked(cfg: RunConfig) -> tuple[dt.date, list[PolicyEvent]]:
    """Check ``cfg`` and compile its events (with the government levers) once: the start
    date and the events, for the model."""
    start, ctx = _validate(cfg)
    events = compile_events(cfg.events, start, ctx, lever_events(cfg.government))
    return start, events


def _firms(world, *roles: str) -> list:
    """The world's firm configs of the kinds having any of ``roles``, in registry order."""
    return [f for k in FIRM_KINDS.values() if k.roles & set(roles) for f in world.firms[k.key]]
