"""The dashboard's levers and the command-line overrides they stand for.

A lever is never code: each one is a number, a name from a fixed list or a tick, and
`overrides` turns the set into the ``key=value`` texts the command line would take
(`sim.cli.overrides.check_overrides` checks them, `sim.scenario` composes them), so the page
means exactly what ``magnet-sim scenario=NAME key=value ...`` means. The keys are those of
the parameter registry (``python -m sim.config.parameters``):

- licensing variant, world, horizon, seed: ``licensing=NAME``, ``world=VINTAGE``,
  ``days``, ``seed``;
- embargo start, length and destinations: the scenario's own embargo event when it has one
  (``events.N.day`` or ``.date``, ``.days``, ``.destinations``), else a new
  ``{set: embargo}`` event;
- controls by product: a new ``{set: controls, materials: [...]}`` event from a day;
- approval rate: ``licensing.approval_default``; licence delay: ``licensing.delay`` (fixed,
  working days); Ministry capacity: ``licensing.files_per_working_day``;
- target cover for every plant or one: ``world.automaker_cover_days`` or
  ``world.firm_overrides.<plant>.target_cover_days``;
- stockpile: ``government.stockpile_t`` (t of each defence magnet; released to defence
  primes); price floor: ``government.price_floor_usd_per_kg``.

The baseline beside each run is the same scenario, licensing variant, world, horizon and
seed with no lever moved (common random numbers: both draw the same streams).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sim.cli.help import LICENSING, SCENARIOS
from sim.config.tables import VINTAGES
from sim.domain.errors import error, suggest
from sim.domain.products import MAGNETS

MATERIALS = (*MAGNETS, "oxide")
MAX_DAYS = 365
"""The page's default horizon at most (one year: an answer within about 3 seconds; the
horizon lever goes up to the scenario's own)."""


def scenarios() -> list[str]:
    return sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


def licensing_variants() -> list[str]:
    return sorted(p.stem for p in LICENSING.glob("*.yaml"))


def worlds() -> list[str]:
    """The world vintages shipped with the model, newest first."""
    return list(reversed(VINTAGES))


@dataclass(frozen=True)
class Levers:
    """Everything the page lets the analyst set (None: the scenario's own value)."""

    scenario: str = "embargo_us"
    licensing: str | None = None
    world: str | None = None
    days: int | None = None
    seed: int = 1
    keep_events: bool = True
    embargo: bool = False          # a scenario without an embargo: add one
    embargo_start: int | None = None   # day of the run (None: the scenario's)
    embargo_days: int | None = None
    embargo_to: tuple[str, ...] | None = None
    controls: tuple[str, ...] = ()  # materials newly put under licence from controls_start
    controls_start: int = 30
    approval: float | None = None
    licence_delay: float | None = None
    ministry_files_per_day: float | None = None
    cover_days: float | None = None
    cover_plant: str | None = None  # None: every plant
    stockpile_t: float | None = None
    price_floor: float | None = None

    def moved(self) -> bool:
        """Whether any lever differs from the scenario (else the run is its baseline)."""
        return bool(policy_overrides(self, []))


@dataclass(frozen=True)
class Embargo:
    """The scenario's own embargo, when it has exactly one (the levers edit it)."""

    position: int
    start_day: int
    days: int | None
    destinations: tuple[str, ...]
    by_date: bool


def scenario_embargo(cfg) -> Embargo | None:
    """The composed scenario's single embargo event, if it has exactly one."""
    found = [(i, e) for i, e in enumerate(cfg.events) if e.set == "embargo"]
    if len(found) != 1:
        return None
    i, e = found[0]
    start = dt.date.fromisoformat(str(cfg.start))
    day = e.day if e.day is not None else (
        (dt.date.fromisoformat(str(e.date)) - start).days if e.date else 0)
    return Embargo(i, int(day), e.days, tuple(e.destinations or ()), e.date is not None)


def frame_overrides(lv: Levers) -> list[str]:
    """What variant and baseline share: licensing variant, world, horizon and seed."""
    out = []
    if lv.licensing:
        out.append(f"licensing={_name(lv.licensing, licensing_variants(), 'licensing')}")
    if lv.world:
        out.append(f"world={_name(lv.world, worlds(), 'world')}")
    if lv.days is not None:
        out.append(f"days={int(lv.days)}")
    out.append(f"seed={int(lv.seed)}")
    return out


def _name(value: str, known: list[str], what: str) -> str:
    if value not in known:
        raise error(what, f"unknown {what}{suggest(value, known, listing=True)}", value)
    return value


def _list(xs) -> str:
    return "[" + ", ".join(str(x) for x in xs) + "]"


def policy_overrides(lv: Levers, events, start: str | None = None,
                     embargo: Embargo | None = None) -> list[str]:
    """The variant's overrides beyond the frame: one per lever moved."""
    out: list[str] = []
    added: list[str] = []
    if not lv.keep_events:
        out.append("~events")
    if embargo is not None and lv.keep_events:
        p = embargo.position
        if lv.embargo_start is not None and lv.embargo_start != embargo.start_day:
            if embargo.by_date and start:
                date = dt.date.fromisoformat(start) + dt.timedelta(days=int(lv.embargo_start))
                out.append(f"events.{p}.date={date.isoformat()}")
            else:
                out.append(f"events.{p}.day={int(lv.embargo_start)}")
        if lv.embargo_days is not None and lv.embargo_days != embargo.days:
            out.append(f"events.{p}.days={int(lv.embargo_days)}")
        if lv.embargo_to is not None and tuple(lv.embargo_to) != embargo.destinations:
            out.append(f"events.{p}.destinations={_list(lv.embargo_to)}")
    elif lv.embargo:
        to = _list(lv.embargo_to or ("US",))
        added.append(f"{{day: {int(lv.embargo_start or 30)}, set: embargo, destinations: {to}, "
                     f"days: {int(lv.embargo_days or 180)}, label: 'dashboard embargo'}}")
    if lv.controls:
        for m in lv.controls:
            _name(m, list(MATERIALS), "controls material")
        added.append(f"{{day: {int(lv.controls_start)}, set: controls, materials: "
                     f"{_list(lv.controls)}, label: 'dashboard controls'}}")
    if added:
        out.append(f"events=[{', '.join(added)}]")
    if lv.approval is not None:
        out.append(f"licensing.approval_default={float(lv.approval):g}")
    if lv.licence_delay is not None:
        d = float(lv.licence_delay)
        out.append(f"licensing.delay={{dist: fixed, low: {d:g}, mode: {d:g}, high: {d:g}}}")
    if lv.ministry_files_per_day is not None:
        out.append(f"licensing.files_per_working_day={float(lv.ministry_files_per_day):g}")
    if lv.cover_days is not None:
        if lv.cover_plant:
            out.append(f"world.firm_overrides.{lv.cover_plant}.target_cover_days="
                       f"{float(lv.cover_days):g}")
        else:
            out.append(f"world.automaker_cover_days={float(lv.cover_days):g}")
    if lv.stockpile_t is not None:
        t = float(lv.stockpile_t)
        out += [f"government.stockpile_t.{m}={t:g}" for m in ("ndfeb_hre", "smco")]
    if lv.price_floor is not None:
        out.append(f"government.price_floor_usd_per_kg={float(lv.price_floor):g}")
    return out


def replace(lv: Levers, **changes) -> Levers:
    return dataclasses.replace(lv, **changes)
