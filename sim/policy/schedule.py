"""Compiling and scheduling policy events: checks, contradictions, government levers.

`compile_events` turns a scenario's `EventConf` entries (and the config's government
levers, `lever_events`) into `PolicyEvent` objects with the ends of timed events. Every
check derives from the one declaration of each key (`sim.config.policy.EventConf`: types,
bounds, vocabularies, checked by the parameter registry) and from the event's kind
(`sim.policy.kinds.KINDS`: the keys it takes and needs, its own cross-key check, which
same-day events contradict it). Compiling is linear in the number of events: only events
of one day are compared for contradictions. `EventSchedule` fires them in the policy phase.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

from sim.config.policy import EVENT_META, EventConf
from sim.config.registry import check, check_date, from_mapping
from sim.domain.errors import ConfigError, suggest
from sim.policy.kinds import KINDS, PolicyEvent

MAX_EVENTS = 20_000
"""Most events a run may have (its scenario's and the levers')."""


def event_ids(kinds: list[str], explicit: list[str | None]) -> list[str]:
    """Each event's id: its ``id`` key when given, else its kind when that kind occurs once
    in the list, else ``<kind>_<k>`` for the k-th (1-based) event of that kind. Sweeps and
    overrides address events by these (``events.embargo.days``) or by position."""
    counts = Counter(kinds)
    out, seen = [], Counter()
    for kind, given in zip(kinds, explicit, strict=True):
        if given:
            out.append(str(given))
            continue
        seen[kind] += 1
        out.append(kind if counts[kind] == 1 else f"{kind}_{seen[kind]}")
    return out


def _where(i: int, ev: EventConf, n_user: int) -> str:
    """Where an event is, as the user wrote it: ``events[i]`` or a government lever."""
    if i >= n_user:  # compiled from a government lever (lever_events)
        return ev.source or f"government lever {ev.id}"
    return f"events[{i}]" + (f" (id {ev.id})" if ev.id else "")


def _one(ev: EventConf, where: str, start: dt.date, ctx: dict | None) -> PolicyEvent:
    kind = KINDS.get(ev.set)
    if kind is None:
        raise ConfigError(f"{where}.set: unknown event kind {ev.set!r}{suggest(ev.set, KINDS)}"
                          f"; known: {sorted(KINDS)}")
    values = {f.name: getattr(ev, f.name) for f in dataclasses.fields(ev)}
    given = {k for k, v in values.items() if v is not None and v != ""}
    bad = given - set(EVENT_META) - kind.keys
    if bad:
        raise ConfigError(f"{where}: key(s) {sorted(bad)} not used by a {kind.name!r} event; "
                          f"it takes {sorted(kind.keys | set(EVENT_META) - {'set'})}")
    missing = kind.required - given
    if missing:
        raise ConfigError(f"{where}: a {kind.name!r} event needs {sorted(missing)}")
    if (ev.date is None) == (ev.day is None):
        raise ConfigError(f"{where}: give exactly one of 'date' or 'day'")
    check(ev, where, ctx)  # types, bounds, choices, countries, names: from EventConf
    if kind.check is not None:
        kind.check(ev, where)
    when = check_date(ev.date, f"{where}.date") if ev.date is not None else (
        start + dt.timedelta(days=int(ev.day)))
    pe = PolicyEvent(kind.name, when, values, label=ev.label or kind.name.replace("_", " "),
                     source=ev.source or "")
    if ev.days is not None:
        if not kind.can_be_timed:
            raise ConfigError(f"{where}.days: a {kind.name!r} event cannot be timed")
        pe.end = when + dt.timedelta(days=int(ev.days))
    return pe


def _contradiction(a: PolicyEvent, b: PolicyEvent) -> bool:
    """Two events on one day that say opposite things about the same target."""
    ka, kb = KINDS[a.kind], KINDS[b.kind]
    return bool((ka.contradicts and ka.contradicts(a, b))
                or (kb.contradicts and kb.contradicts(b, a)))


def compile_events(events: list, start: dt.date, ctx: dict | None = None,
                   levers: list[EventConf] = ()) -> list[PolicyEvent]:
    """Check a scenario's events (and the config's government levers, compiled into
    events) and return them with the ends of timed events, sorted by date. ``ctx`` maps
    name vocabularies (``exporter``, ``mine``, ``buyer``, ``firm``) to the world's names."""
    n_user = len(events)
    if n_user + len(levers) > MAX_EVENTS:
        raise ConfigError(f"events: at most {MAX_EVENTS:,} events, got {n_user + len(levers):,}")
    confs = [from_mapping(EventConf, ev, f"events[{i}]") if isinstance(ev, dict) else ev
             for i, ev in enumerate([*events, *levers])]
    ids = event_ids([c.set for c in confs], [c.id for c in confs])
    dup = [k for k, n in Counter(ids).items() if n > 1]
    if dup:
        i = ids.index(dup[0], ids.index(dup[0]) + 1)
        raise ConfigError(f"{_where(i, confs[i], n_user)}.id: the id {dup[0]!r} is given to "
                          "more than one event; ids must be unique")
    out: list[PolicyEvent] = []
    by_day: dict[dt.date, list[tuple[int, PolicyEvent]]] = {}
    for i, ev in enumerate(confs):
        where = _where(i, ev, n_user)
        pe = _one(ev, where, start, ctx)
        pe.id = ids[i]
        for _, other in by_day.get(pe.date, ()):
            if _contradiction(pe, other):
                raise ConfigError(f"{where}: a {pe.kind!r} event on {pe.date} contradicts "
                                  f"{other.kind!r} (id {other.id}) on the same day")
        by_day.setdefault(pe.date, []).append((i, pe))
        out.append(pe)
        kind = KINDS[pe.kind]
        if pe.end is not None and kind.end is not None:
            out.append(PolicyEvent(
                kind.end_kind, pe.end, {k: getattr(pe, k) for k in
                                        ("materials", "destinations", "firms", "end_use")},
                label=f"end of {pe.label}", source=pe.source, id=pe.id, parent=pe))
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
