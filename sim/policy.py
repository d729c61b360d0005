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
    # annual export cap per material (t/yr); tonnes_per_year null removes it
    "quota": {"materials", "tonnes_per_year"},
    # chance that an application to these destinations (default: all) is approved
    "approval": {"destinations", "prob", "days"},
}
LIFTS = {"controls": "lift_controls", "embargo": "lift_embargo"}
REQUIRED = {"embargo": {"destinations"}, "lift_embargo": {"destinations"},
            "quota": {"materials"}, "approval": {"prob"}}


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
    label: str = ""
    source: str = ""
    end: dt.date | None = None  # when a lift is scheduled, for plots
    fired: bool = field(default=False)


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


def compile_events(events: list[EventConf], start: dt.date) -> list[PolicyEvent]:
    """Validate a scenario's events and return them, with lifts, sorted by date."""
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
        if ev.tonnes_per_year is not None and ev.tonnes_per_year < 0:
            raise ConfigError(f"{where}.tonnes_per_year: must be >= 0")
        pe = PolicyEvent(
            date=when, kind=kind, materials=materials, destinations=dest,
            anti_diversion=_countries(ev.anti_diversion or (), f"{where}.anti_diversion"),
            tonnes_per_year=ev.tonnes_per_year, prob=ev.prob,
            label=ev.label or kind.replace("_", " "), source=ev.source or "",
        )
        out.append(pe)
        if ev.days is not None:
            if ev.days <= 0:
                raise ConfigError(f"{where}.days: must be > 0, got {ev.days}")
            pe.end = when + dt.timedelta(days=int(ev.days))
            lift = LIFTS.get(kind, kind)
            out.append(PolicyEvent(
                date=pe.end, kind=lift, materials=materials, destinations=dest,
                prob=None if kind == "approval" else pe.prob,
                label=f"end of {pe.label}", source=pe.source))
    out.sort(key=lambda e: e.date)
    return out
