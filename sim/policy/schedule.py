"""Compiling and scheduling policy events: checks, contradictions, government levers.

`compile_events` turns a scenario's `EventConf` entries (and the config's government
levers, `lever_events`) into `PolicyEvent` objects with the ends of timed events, checked
against the registry `sim.events.KINDS`; `EventSchedule` fires them in the policy phase.
"""

from __future__ import annotations

import datetime as dt

from sim.config.registry import check_country, check_date
from sim.domain.errors import ConfigError
from sim.domain.products import MAGNETS, MATERIALS
from sim.policy.kinds import (
    COMMON,
    END_USES,
    KINDS,
    SECTORS,
    EventConf,
    PolicyEvent,
)


# --------------------------------------------------------------------------- checks
def _countries(values, where: str) -> tuple[str, ...]:
    return tuple(check_country(c, where) for c in values)


def _check_values(ev: EventConf, where: str, firm_names, mine_names) -> None:
    if ev.prob is not None and not 0.0 <= ev.prob <= 1.0:
        raise ConfigError(f"{where}.prob: must be between 0 and 1, got {ev.prob}")
    if ev.rate is not None and not 0.0 <= ev.rate <= 10.0:
        raise ConfigError(f"{where}.rate: must be between 0 and 10, got {ev.rate}")
    for key in ("tonnes_per_year", "tonnes", "delay_days", "delay_min_days",
                "delay_max_days", "usd_per_kg", "lead_days"):
        v = getattr(ev, key)
        if v is not None and not v >= 0:
            raise ConfigError(f"{where}.{key}: must be >= 0, got {v}")
    if (ev.delay_min_days is not None and ev.delay_max_days is not None
            and ev.delay_min_days > ev.delay_max_days):
        raise ConfigError(f"{where}.delay_max_days: must be >= delay_min_days "
                          f"({ev.delay_min_days}), got {ev.delay_max_days}")
    if ev.level is not None and not -1.0 <= ev.level <= 1.0:
        raise ConfigError(f"{where}.level: must be between -1 and 1, got {ev.level}")
    if ev.end_use is not None and ev.end_use not in END_USES:
        raise ConfigError(f"{where}.end_use: {ev.end_use!r} not in {list(END_USES)}")
    for key in ("firms", "customers"):
        for name in getattr(ev, key) or ():
            if firm_names is not None and name not in firm_names:
                raise ConfigError(f"{where}.{key}: no firm named {name!r} in the world")
    for sec in ev.sectors or ():
        if sec not in SECTORS:
            raise ConfigError(f"{where}.sectors: {sec!r} not in {list(SECTORS)}")
    for name in ev.mines or ():
        if mine_names is not None and name not in mine_names:
            raise ConfigError(f"{where}.mines: no mine named {name!r} in the world")
    for m, v in (ev.tonnes_per_day or {}).items():
        if m not in MAGNETS:
            raise ConfigError(f"{where}.tonnes_per_day: unknown magnet {m!r}; known: "
                              f"{list(MAGNETS)}")
        if not v >= 0:
            raise ConfigError(f"{where}.tonnes_per_day.{m}: must be >= 0, got {v}")


def _one(ev: EventConf, i: int, start: dt.date, firm_names, mine_names) -> PolicyEvent:
    where = f"events[{i}]" + (f" (id {ev.id})" if ev.id else "")
    kind = KINDS.get(ev.set)
    if kind is None:
        raise ConfigError(f"{where}.set: unknown event kind {ev.set!r}; known: "
                          f"{sorted(KINDS)}")
    given = {k for k, v in vars(ev).items() if v is not None and v != ""}
    bad = given - COMMON - kind.keys
    if bad:
        raise ConfigError(f"{where}: key(s) {sorted(bad)} not used by a {kind.name!r} event; "
                          f"it takes {sorted(kind.keys | COMMON - {'set'})}")
    missing = kind.required - given
    if missing:
        raise ConfigError(f"{where}: a {kind.name!r} event needs {sorted(missing)}")
    if (ev.date is None) == (ev.day is None):
        raise ConfigError(f"{where}: give exactly one of 'date' or 'day'")
    if ev.day is not None and ev.day < 0:
        raise ConfigError(f"{where}.day: must be >= 0, got {ev.day}")
    when = check_date(ev.date, f"{where}.date") if ev.date is not None else (
        start + dt.timedelta(days=int(ev.day)))
    materials = tuple(ev.materials) if ev.materials is not None else MAGNETS
    for m in materials:
        if m not in MATERIALS:
            raise ConfigError(f"{where}.materials: unknown material {m!r}; known: "
                              f"{list(MATERIALS)}")
    _check_values(ev, where, firm_names, mine_names)
    dest = (_countries(ev.destinations, f"{where}.destinations")
            if ev.destinations is not None else None)
    importers = (_countries(ev.importers, f"{where}.importers")
                 if ev.importers is not None else None)
    origins = (_countries(ev.origins, f"{where}.origins")
               if ev.origins is not None else ("CN",))  # a tariff's origin: China by default
    pe = PolicyEvent(
        date=when, kind=kind.name, materials=materials, destinations=dest,
        anti_diversion=_countries(ev.anti_diversion or (), f"{where}.anti_diversion"),
        tonnes_per_year=ev.tonnes_per_year, prob=ev.prob, level=ev.level,
        delay_days=ev.delay_days, delay_min_days=ev.delay_min_days,
        delay_max_days=ev.delay_max_days, tonnes=ev.tonnes, end_use=ev.end_use,
        sectors=tuple(ev.sectors) if ev.sectors is not None else None,
        firms=tuple(ev.firms) if ev.firms is not None else None,
        customers=tuple(ev.customers) if ev.customers is not None else None,
        usd_per_kg=ev.usd_per_kg, mines=tuple(ev.mines) if ev.mines is not None else None,
        rate=ev.rate, importers=importers, origins=origins,
        tonnes_per_day=dict(ev.tonnes_per_day) if ev.tonnes_per_day else None,
        open=ev.open, lead_days=int(ev.lead_days or 0), group=ev.group,
        label=ev.label or kind.name.replace("_", " "), source=ev.source or "",
        id=ev.id or str(i))
    if ev.days is not None:
        if ev.days <= 0:
            raise ConfigError(f"{where}.days: must be > 0, got {ev.days}")
        pe.end = when + dt.timedelta(days=int(ev.days))
    return pe


def event_ids(kinds: list[str], explicit: list[str | None]) -> list[str]:
    """Each event's id: its ``id`` key when given, else its kind when that kind occurs once
    in the list, else ``<kind>_<k>`` for the k-th (1-based) event of that kind. Sweeps and
    overrides address events by these (``events.embargo.days``) or by position."""
    out, seen = [], {}
    for kind, given in zip(kinds, explicit, strict=True):
        if given:
            out.append(str(given))
            continue
        seen[kind] = seen.get(kind, 0) + 1
        out.append(kind if kinds.count(kind) == 1 else f"{kind}_{seen[kind]}")
    return out


def _overlap(a: tuple | None, b: tuple | None) -> bool:
    """Two lists of countries (None: all) share a country."""
    return a is None or b is None or bool(set(a) & set(b))


def _contradiction(a: PolicyEvent, b: PolicyEvent) -> bool:
    """Two events on one day that say opposite things about the same target."""
    if a.date != b.date or a.lift or b.lift:
        return False
    pair = {a.kind, b.kind}
    dests = (a.destinations is None or b.destinations is None
             or bool(set(a.destinations) & set(b.destinations)))
    if pair == {"embargo", "lift_embargo"}:
        return dests
    if pair == {"controls", "lift_controls"}:
        return dests and bool(set(a.materials) & set(b.materials))
    if a.kind != b.kind or a.destinations != b.destinations:
        return False
    if a.kind == "tariff":  # the same importers x origins pair, two rates
        return (_overlap(a.importers, b.importers) and bool(set(a.origins) & set(b.origins))
                and a.rate != b.rate)
    same = {"approval": ("firms", "sectors", "prob"), "relations": ("level",),
            "customs_checks": ("delay_days",), "customs_hold": ("delay_min_days",),
            "quota": ("materials", "tonnes_per_year"),
            "price_floor": ("mines", "usd_per_kg"),
            "concentrate_route": ("mines", "open")}.get(a.kind)
    if not same:
        return False
    if a.kind == "customs_hold":
        return bool(set(a.materials) & set(b.materials)) and (
            (a.delay_min_days, a.delay_max_days) != (b.delay_min_days, b.delay_max_days))
    if a.kind in ("quota",):
        return bool(set(a.materials) & set(b.materials)) and (
            a.tonnes_per_year != b.tonnes_per_year)
    key, val = same[:-1], same[-1]
    return all(getattr(a, k) == getattr(b, k) for k in key) and (
        getattr(a, val) != getattr(b, val))


def compile_events(events: list, start: dt.date, firm_names: set[str] | None = None,
                   mine_names: set[str] | None = None,
                   levers: list[EventConf] = ()) -> list[PolicyEvent]:
    """Check a scenario's events (and the config's government levers, compiled into
    events) and return them with the ends of timed events, sorted by date."""
    out: list[PolicyEvent] = []
    mine: list[PolicyEvent] = []
    confs = [EventConf(**ev) if isinstance(ev, dict) else ev for ev in [*events, *levers]]
    ids = event_ids([c.set for c in confs], [c.id for c in confs])
    for i, ev in enumerate(confs):
        pe = _one(ev, i, start, firm_names, mine_names)
        pe.id = ids[i]
        for other in mine:
            if _contradiction(pe, other):
                raise ConfigError(f"events[{i}]: a {pe.kind!r} event on {pe.date} "
                                  f"contradicts {other.kind!r} (id {other.id}) on the "
                                  "same day")
        mine.append(pe)
        out.append(pe)
        kind = KINDS[pe.kind]
        if pe.end is not None and kind.end is not None:
            out.append(PolicyEvent(
                date=pe.end, kind=kind.end_kind, materials=pe.materials,
                destinations=pe.destinations, firms=pe.firms, end_use=pe.end_use,
                parent=pe, label=f"end of {pe.label}", source=pe.source, id=pe.id))
        elif pe.end is not None and pe.kind != "general_licence":
            raise ConfigError(f"events[{i}].days: a {pe.kind!r} event cannot be timed")
    out.sort(key=lambda e: e.effective)
    return out


def lever_events(g) -> list[EventConf]:
    """The government levers of the config (`GovernmentConf`) as events: the config
    fields are defaults that compile into dated events."""
    out = []
    if g.price_floor_usd_per_kg is not None and round(365.25 * g.price_floor_years) > 0:
        out.append(EventConf(
            set="price_floor", id="government.price_floor", date=g.price_floor_start,
            days=round(365.25 * g.price_floor_years), usd_per_kg=g.price_floor_usd_per_kg,
            mines=list(g.price_floor_mines) or None, label="price floor",
            source="government.price_floor_usd_per_kg"))
    if g.tariff_cn_magnets > 0:
        out.append(EventConf(set="tariff", id="government.tariff", day=0,
                             rate=g.tariff_cn_magnets, label="tariff on Chinese magnets",
                             source="government.tariff_cn_magnets"))
    if g.dfars_ban_date is not None:
        out.append(EventConf(set="defense_ban", id="government.dfars_ban",
                             date=g.dfars_ban_date, lead_days=g.dfars_lead_days,
                             label="defence ban on Chinese magnets (primes stop "
                             f"Chinese orders {g.dfars_lead_days} days before)",
                             source="government.dfars_ban_date"))
    if g.stockpile_buy_tpd:
        out.append(EventConf(set="stockpile_buy", id="government.stockpile_buy", day=0,
                             tonnes_per_day=dict(g.stockpile_buy_tpd),
                             label="stockpile purchases",
                             source="government.stockpile_buy_tpd"))
    return out


class EventSchedule:
    """A run's compiled events: those in effect before the start apply at once; the rest
    fire in the policy phase of their day, in order.

    Args:
        events: the compiled events (`compile_events`).
        start: the first simulated day.
        targets: the model (its ministry, government, buyers and mines).
    """

    def __init__(self, events: list[PolicyEvent], start: dt.date, targets) -> None:
        self.events = events
        self.targets = targets
        self.due: dict[dt.date, list[PolicyEvent]] = {}
        for ev in self.events:
            if ev.effective < start:
                self.fire(ev)  # already in force when the run starts
            else:
                self.due.setdefault(ev.effective, []).append(ev)

    def fire(self, ev: PolicyEvent) -> None:
        """Start an event, or end the one it closes."""
        if ev.parent is not None:
            KINDS[ev.parent.kind].end(self.targets, ev.parent)
        else:
            KINDS[ev.kind].start(self.targets, ev)
        ev.fired = True

    def fire_due(self, today: dt.date) -> None:
        """Phase 1: the events dated today take effect."""
        for ev in self.due.pop(today, ()):
            self.fire(ev)
