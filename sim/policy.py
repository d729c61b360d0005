"""Policy events: dated, validated data that the Ministry applies on their day.

A scenario's ``events`` list holds entries such as
``{date: 2025-04-04, set: controls, materials: [ndfeb_hre, smco]}``. `compile_events`
checks each against `EVENT_KEYS` and turns it into `PolicyEvent` objects; events with a
``days`` duration also get their matching lift event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .config import MAGNETS, MATERIALS, EventConf
from .errors import ConfigError

COMMON = {"set", "date", "day", "label", "source"}
EVENT_KEYS: dict[str, set[str]] = {
    # licence required for these materials (default: all magnets) to these destinations
    # (default: all); `days` lifts it again
    "controls": {"materials", "destinations", "days"},
    "lift_controls": {"materials", "destinations"},
    # nothing ships to the destinations; anti_diversion: third countries whose orders are
    # held for the embargo's length
    "embargo": {"destinations", "anti_diversion", "days"},
    "lift_embargo": {"destinations"},
    # annual export cap per material (t/yr), optionally per destination; null removes it
    "quota": {"materials", "destinations", "tonnes_per_year"},
    # adds tonnes to this year's quota
    "quota_topup": {"materials", "destinations", "tonnes"},
    # chance that an application (from these firms, to these destinations) is approved
    "approval": {"destinations", "firms", "prob", "days"},
    # general licence: firms x destinations (x named customers), validity, volume cap
    "general_licence": {"firms", "destinations", "customers", "days", "tonnes"},
    # cancels approved, unshipped individual licences and suspends general licences
    "revoke": {"firms", "destinations"},
    # relations level in [-1, 1] with destinations (default: all); shifts approval odds
    "relations": {"destinations", "level", "days"},
    # extra days of customs inspection before shipments to these destinations leave
    "customs_checks": {"destinations", "delay_days", "days"},
    # refuse an end use (military | civil | all) to destinations (default: all) outright
    "deny": {"destinations", "end_use", "materials", "days"},
}
LIFTS = {"controls": "lift_controls", "embargo": "lift_embargo"}
REQUIRED = {"embargo": {"destinations"}, "lift_embargo": {"destinations"},
            "quota": {"materials"}, "quota_topup": {"materials", "tonnes"},
            "approval": {"prob"}, "general_licence": {"firms"}, "relations": {"level"},
            "customs_checks": {"destinations", "delay_days"}, "deny": {"end_use"}}
END_USES = ("military", "civil", "all")


@dataclass
class PolicyEvent:
    """One compiled event: its date, kind and parameters."""

    date: dt.date
    kind: str
    materials: tuple[str, ...] = MAGNETS
    destinations: tuple[str, ...] | None = None  # None: all destinations
    anti_diversion: tuple[str, ...] = ()
    tonnes_per_year: float | None = None
    prob: float | None = None
    level: float | None = None
    delay_days: int | None = None
    tonnes: float | None = None
    firms: tuple[str, ...] | None = None
    customers: tuple[str, ...] | None = None
    end_use: str | None = None
    label: str = ""
    source: str = ""
    end: dt.date | None = None  # when a lift is scheduled, for plots
    lift: bool = False  # the automatic end of a timed event
    fired: bool = field(default=False)


class EventSchedule:
    """A run's compiled events: those dated before the start apply at once; the rest fire
    in the policy phase of their day, in list order."""

    def __init__(self, events: list[EventConf], start: dt.date, firm_names: set[str],
                 apply) -> None:
        self.events = compile_events(events, start, firm_names)
        self.apply = apply
        self.due: dict[dt.date, list[PolicyEvent]] = {}
        for ev in self.events:
            if ev.date < start:
                apply(ev)  # already in force when the run starts
            else:
                self.due.setdefault(ev.date, []).append(ev)

    def fire_due(self, today: dt.date) -> None:
        """Phase 1: the events dated today take effect."""
        for ev in self.due.pop(today, ()):
            self.apply(ev)


def _date(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _countries(values, where: str) -> tuple[str, ...]:
    out = []
    for c in values:
        if not (isinstance(c, str) and len(c) == 2 and c.isalpha() and c.isupper()):
            raise ConfigError(f"{where}: {c!r} is not an ISO 3166 alpha-2 country code")
        out.append(c)
    return tuple(out)


def compile_events(events: list[EventConf], start: dt.date,
                   firm_names: set[str] | None = None) -> list[PolicyEvent]:
    """Validate a scenario's events and return them, with lifts, sorted by date.

    ``firm_names``, when given, are the firms that ``firms`` and ``customers`` may name.
    """
    out: list[PolicyEvent] = []
    for i, ev in enumerate(events):
        where = f"events[{i}]"
        given = {k for k, v in vars(ev).items() if v is not None and v != ""}
        kind = ev.set
        if kind not in EVENT_KEYS:
            raise ConfigError(
                f"{where}.set: unknown event kind {kind!r}; known: {sorted(EVENT_KEYS)}"
            )
        bad = given - COMMON - EVENT_KEYS[kind]
        if bad:
            raise ConfigError(
                f"{where}: key(s) {sorted(bad)} not used by a {kind!r} event; "
                f"it takes {sorted(EVENT_KEYS[kind] | COMMON - {'set'})}"
            )
        missing = REQUIRED.get(kind, set()) - given
        if missing:
            raise ConfigError(f"{where}: a {kind!r} event needs {sorted(missing)}")
        if (ev.date is None) == (ev.day is None):
            raise ConfigError(f"{where}: give exactly one of 'date' or 'day'")
        when = _date(ev.date, f"{where}.date") if ev.date is not None else (
            start + dt.timedelta(days=int(ev.day)))
        if ev.day is not None and ev.day < 0:
            raise ConfigError(f"{where}.day: must be >= 0, got {ev.day}")
        materials = tuple(ev.materials) if ev.materials is not None else MAGNETS
        for m in materials:
            if m not in MATERIALS:
                raise ConfigError(f"{where}.materials: unknown material {m!r}; known: "
                                  f"{list(MATERIALS)}")
        dest = (_countries(ev.destinations, f"{where}.destinations")
                if ev.destinations is not None else None)
        if ev.prob is not None and not 0.0 <= ev.prob <= 1.0:
            raise ConfigError(f"{where}.prob: must be between 0 and 1, got {ev.prob}")
        for key in ("tonnes_per_year", "tonnes", "delay_days"):
            v = getattr(ev, key)
            if v is not None and v < 0:
                raise ConfigError(f"{where}.{key}: must be >= 0, got {v}")
        if ev.level is not None and not -1.0 <= ev.level <= 1.0:
            raise ConfigError(f"{where}.level: must be between -1 and 1, got {ev.level}")
        if ev.end_use is not None and ev.end_use not in END_USES:
            raise ConfigError(f"{where}.end_use: {ev.end_use!r} not in {list(END_USES)}")
        for key in ("firms", "customers"):
            for name in getattr(ev, key) or ():
                if firm_names is not None and name not in firm_names:
                    raise ConfigError(f"{where}.{key}: no firm named {name!r} in the world")
        pe = PolicyEvent(
            date=when, kind=kind, materials=materials, destinations=dest,
            anti_diversion=_countries(ev.anti_diversion or (), f"{where}.anti_diversion"),
            tonnes_per_year=ev.tonnes_per_year, prob=ev.prob, level=ev.level,
            delay_days=ev.delay_days, tonnes=ev.tonnes, end_use=ev.end_use,
            firms=tuple(ev.firms) if ev.firms is not None else None,
            customers=tuple(ev.customers) if ev.customers is not None else None,
            label=ev.label or kind.replace("_", " "), source=ev.source or "",
        )
        out.append(pe)
        if ev.days is not None:
            if ev.days <= 0:
                raise ConfigError(f"{where}.days: must be > 0, got {ev.days}")
            pe.end = when + dt.timedelta(days=int(ev.days))
            if kind == "general_licence":
                continue  # validity is checked by the licence itself
            lift = LIFTS.get(kind, kind)
            out.append(PolicyEvent(
                date=pe.end, kind=lift, materials=materials, destinations=dest,
                firms=pe.firms, end_use=pe.end_use, lift=True,
                label=f"end of {pe.label}", source=pe.source))
    out.sort(key=lambda e: e.date)
    return out
