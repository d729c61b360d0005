"""Consistency checks on a RunConfig: each failure names the key and the bad value."""

from __future__ import annotations

import datetime as dt

from .agents.mine import MineStatus
from .config import MAGNETS, MATERIALS, RunConfig
from .errors import ConfigError
from .event_schedule import _countries, _date

DISTS = ("fixed", "uniform", "triangular")
MINE_STATES = tuple(s.value for s in MineStatus)


def _share(value: float, where: str) -> None:
    if not 0.0 <= float(value) <= 1.0:
        raise ConfigError(f"{where}: must be between 0 and 1, got {value}")


def _positive(value: float, where: str, strict: bool = False) -> None:
    if value < 0 or (strict and value == 0):
        raise ConfigError(f"{where}: must be {'>' if strict else '>='} 0, got {value}")


def _materials(d: dict, where: str, allowed=MATERIALS) -> None:
    for m, v in d.items():
        if m not in allowed:
            raise ConfigError(f"{where}: unknown material {m!r}; known: {list(allowed)}")
        _positive(v, f"{where}.{m}")


def validate(cfg: RunConfig) -> dt.date:
    """Check ``cfg``; return its start date. Raises ConfigError naming the bad key."""
    start = _date(cfg.start, "start")
    _positive(cfg.days, "days", strict=True)
    w = cfg.world
    names: set[str] = set()
    groups = {"exporters": w.exporters, "automakers": w.automakers, "industries": w.industries,
              "defense": w.defense, "mines": w.mines, "makers": w.makers}
    for group, firms in groups.items():
        for i, f in enumerate(firms):
            where = f"world.{group}[{i}]"
            if f.name in names:
                raise ConfigError(f"{where}.name: duplicate firm name {f.name!r}")
            names.add(f.name)
            _countries([f.country], f"{where}.country")
            if group == "exporters":
                if f.country != "CN":
                    raise ConfigError(f"{where}.country: exporters are Chinese (CN)")
                _materials(f.capacity_tpy, f"{where}.capacity_tpy", MAGNETS)
            elif group == "makers":
                if f.country == "CN":
                    raise ConfigError(f"{where}.country: makers are non-Chinese")
                _materials(f.capacity_tpy, f"{where}.capacity_tpy", MAGNETS)
                for m in f.capacity_tpy:
                    if m not in f.oxide_per_t:
                        raise ConfigError(f"{where}.oxide_per_t: missing {m!r}")
                for d, add in f.capacity_additions.items():
                    _date(d, f"{where}.capacity_additions")
                    _materials(add, f"{where}.capacity_additions.{d}", MAGNETS)
                    for m in add:
                        if m not in f.oxide_per_t:
                            raise ConfigError(f"{where}.oxide_per_t: missing {m!r}")
            elif group == "mines":
                if f.status not in MINE_STATES:
                    raise ConfigError(f"{where}.status: {f.status!r} not in {list(MINE_STATES)}")
                if f.construction_start is not None:  # planned without it: invests on prices
                    _date(f.construction_start, f"{where}.construction_start")
                _positive(f.capacity_tpy, f"{where}.capacity_tpy")
                if f.separation not in ("domestic", "china"):
                    raise ConfigError(f"{where}.separation: {f.separation!r} not in "
                                      "['domestic', 'china']")
                if f.separation_ready is not None:
                    _date(f.separation_ready, f"{where}.separation_ready")
            else:
                if f.country == "CN":
                    raise ConfigError(f"{where}.country: buyers are outside China")
                _share(f.china_share, f"{where}.china_share")
                _share(f.supply_line_weight, f"{where}.supply_line_weight")
                _positive(f.target_cover_days, f"{where}.target_cover_days")
                _positive(f.review_days, f"{where}.review_days", strict=True)
                if group == "automakers":
                    _share(f.ev_share, f"{where}.ev_share")
                    _positive(f.vehicles_per_day, f"{where}.vehicles_per_day")
                else:
                    _materials(f.need_tpd, f"{where}.need_tpd", MAGNETS)
    for vt in ("ice", "ev"):
        if vt not in w.vehicle_magnet_kg:
            raise ConfigError(f"world.vehicle_magnet_kg: missing {vt!r}")
    for vt, kg in w.vehicle_magnet_kg.items():
        if vt not in ("ice", "ev"):
            raise ConfigError(f"world.vehicle_magnet_kg: unknown vehicle type {vt!r}")
        _materials(kg, f"world.vehicle_magnet_kg.{vt}", MAGNETS)
    if not w.exporters:
        raise ConfigError("world.exporters: the world needs at least one Chinese exporter")
    _countries(list(w.transit_days), "world.transit_days")
    if w.automaker_cover_days is not None:
        _positive(w.automaker_cover_days, "world.automaker_cover_days")
    lic = cfg.licensing
    _share(lic.approval_default, "licensing.approval_default")
    _share(lic.military_approval, "licensing.military_approval")
    for c, v in lic.approval_by_destination.items():
        _countries([c], "licensing.approval_by_destination")
        _share(v, f"licensing.approval_by_destination.{c}")
    _materials(cfg.market.initial_price, "market.initial_price")
    for i, name in enumerate(lic.fast_track_whitelist):
        if name not in names:
            raise ConfigError(f"licensing.fast_track_whitelist[{i}]: no firm named {name!r}")
    for i, name in enumerate(lic.general_licence_customers):
        if name not in names:
            raise ConfigError(f"licensing.general_licence_customers[{i}]: no firm named "
                              f"{name!r}")
    for key in ("delay", "rfi_delay", "fast_track_delay"):
        d = getattr(lic, key)
        if d.unit not in ("working", "calendar"):
            raise ConfigError(f"licensing.{key}.unit: {d.unit!r} not in ['working', 'calendar']")
        if d.dist not in DISTS:
            raise ConfigError(f"licensing.{key}.dist: {d.dist!r} not in {list(DISTS)}")
        if not 0 <= d.low <= d.mode <= d.high:
            raise ConfigError(f"licensing.{key}: need 0 <= low <= mode <= high, got "
                              f"{d.low}, {d.mode}, {d.high}")
    _share(lic.rfi_prob_per_tier, "licensing.rfi_prob_per_tier")
    g = cfg.government
    _share(g.capital_grant_share, "government.capital_grant_share")
    _positive(g.tariff_cn_magnets, "government.tariff_cn_magnets")
    _date(g.price_floor_start, "government.price_floor_start")
    if g.dfars_ban_date is not None:
        _date(g.dfars_ban_date, "government.dfars_ban_date")
    _materials(g.stockpile_t, "government.stockpile_t", MAGNETS)
    _materials(g.stockpile_buy_tpd, "government.stockpile_buy_tpd", MAGNETS)
    for i, name in enumerate(g.price_floor_mines):
        if name not in {m.name for m in w.mines}:
            raise ConfigError(f"government.price_floor_mines[{i}]: no mine named {name!r}")
    _share(cfg.market.china.cut, "market.china.cut")
    _share(cfg.substitution.max_share, "substitution.max_share")
    return start
