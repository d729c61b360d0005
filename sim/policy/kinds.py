"""Policy events: the registry of event kinds and the YAML form of an event.

(Compiling, checking and scheduling live in `sim.event_schedule`.) A scenario's ``events``
list holds entries such as ``{date: 2025-04-04, set: controls, materials: [ndfeb_hre]}``.
Every kind is ONE `Kind` entry in `KINDS`: the keys it takes and needs, its target (the
Ministry's rule book, the government, the market, defence primes, mines), how it starts and
how it ends. Adding a kind is one entry here plus, for a new target, the state it sets.

Each event is its own interval: a rule is in force while any event that sets it is in
force. A timed event (``days``) ends only itself; an explicit lift (``lift_controls``,
``lift_embargo``) ends only what it names. For levels (approval odds, relations, customs
delay, tariff per importer x origin, price floor, stockpile purchases) the latest event in
force wins and, when it ends, the one it covered applies again. Two events that contradict
each other on the same day are an error. Government levers set in the config (price floor,
tariff, defence ban, stockpile purchases) compile into events of their own, so they show in
the events table like any other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sim.config import EventConf  # noqa: F401 - the YAML form of an event
from sim.domain.products import MAGNETS

END_USES = ("military", "civil", "all")
SECTORS = ("automaker", "industry", "defense")  # buyer kinds an approval event can name


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
    delay_min_days: int | None = None  # customs_hold: shortest hold (days)
    delay_max_days: int | None = None  # customs_hold: longest hold (days)
    tonnes: float | None = None
    firms: tuple[str, ...] | None = None
    customers: tuple[str, ...] | None = None
    end_use: str | None = None
    sectors: tuple[str, ...] | None = None  # buyer kinds (automaker, industry, defense)
    usd_per_kg: float | None = None
    mines: tuple[str, ...] | None = None
    rate: float | None = None
    importers: tuple[str, ...] | None = None  # countries levying a tariff (None: all)
    origins: tuple[str, ...] = ("CN",)  # countries whose goods a tariff hits
    tonnes_per_day: dict | None = None
    open: bool | None = None
    lead_days: int = 0
    group: str | None = None  # quota group of a reo_quota event
    label: str = ""
    source: str = ""
    id: str = ""
    end: dt.date | None = None  # when a timed event ends
    parent: PolicyEvent | None = None  # for the end of a timed event: the event it ends
    fired: bool = field(default=False)

    @property
    def lift(self) -> bool:
        """True for the automatic end of a timed event."""
        return self.parent is not None

    @property
    def effective(self) -> dt.date:
        """The day the event takes effect (a defence ban acts ``lead_days`` early)."""
        return self.date - dt.timedelta(days=self.lead_days)


@dataclass(frozen=True)
class Kind:
    """One event kind: its keys, target, start and end."""

    name: str
    target: str  # rules | government | market | buyers | defense | mines | border
    does: str
    keys: frozenset[str]
    required: frozenset[str] = frozenset()
    start: Callable | None = None  # (targets, event) -> None
    end: Callable | None = None  # (targets, event) -> None; None: cannot be timed
    end_kind: str | None = None  # the kind shown for its end in the events table


def _rules(name: str):
    return lambda t, ev: getattr(t.ministry.rules, f"start_{name}")(ev)


def _rules_end(name: str):
    return lambda t, ev: getattr(t.ministry.rules, f"end_{name}")(ev)


def _border(name: str, end: bool = False):
    return lambda t, ev: getattr(t.border, f"{'end' if end else 'start'}_{name}")(ev)


def _revoke(t, ev) -> None:
    t.ministry.revoke(ev)


def _gov(attr: str):
    return lambda t, ev: t.government.levers.start(attr, ev)


def _gov_end(attr: str):
    return lambda t, ev: t.government.levers.end(attr, ev)


def _ban(t, ev) -> None:
    for b in t.of("buyer"):
        if b.kind == "defense":
            b.bar_china()


def _signal(t, ev) -> None:
    for b in [*t.of("buyer"), *t.of("tier1")]:
        b.read_signal(ev)


def _route(t, ev) -> None:
    for mine in t.of("mine"):
        if ev.mines is None or mine.name in ev.mines:
            mine.china_takes_concentrate = bool(ev.open)


def _k(name, target, does, keys, required=(), start=None, end=None, end_kind=None) -> Kind:
    start = start or _rules(name)
    return Kind(name, target, does, frozenset(keys), frozenset(required), start, end,
                end_kind or (name if end else None))


KINDS: dict[str, Kind] = {k.name: k for k in (
    _k("controls", "rules", "a licence is required for these materials (default: all "
       "magnets) to these destinations (default: all)", {"materials", "destinations", "days"},
       end=_rules_end("controls"), end_kind="lift_controls"),
    _k("lift_controls", "rules", "ends the named controls (materials x destinations)",
       {"materials", "destinations"}),
    _k("embargo", "rules", "nothing ships to the destinations; anti_diversion: third "
       "countries whose orders are held while it lasts",
       {"destinations", "anti_diversion", "days"}, {"destinations"},
       end=_rules_end("embargo"), end_kind="lift_embargo"),
    _k("lift_embargo", "rules", "ends embargoes on the named destinations",
       {"destinations"}, {"destinations"}),
    _k("quota", "rules", "annual export cap per material (t/yr), optionally per "
       "destination; tonnes_per_year null removes it",
       {"materials", "destinations", "tonnes_per_year"}, {"materials"}),
    _k("quota_topup", "rules", "adds tonnes to this year's quota",
       {"materials", "destinations", "tonnes"}, {"materials", "tonnes"}),
    _k("approval", "rules", "chance that an application (from these firms, to these "
       "destinations, for buyers of these sectors) is approved",
       {"destinations", "firms", "sectors", "prob", "days"}, {"prob"},
       end=_rules_end("approval")),
    _k("general_licence", "rules", "general licence: firms x destinations (x named "
       "customers) for the materials named (default: all magnets; a magnet licence covers "
       "no oxide), validity (days), volume cap (tonnes)",
       {"firms", "destinations", "customers", "days", "tonnes", "materials"}, {"firms"}),
    _k("revoke", "rules", "cancels approved, unshipped individual licences and suspends "
       "general licences", {"firms", "destinations"}, start=_revoke),
    _k("relations", "rules", "relations level in [-1, 1] with destinations (default: all); "
       "shifts approval odds", {"destinations", "level", "days"}, {"level"},
       end=_rules_end("relations")),
    _k("customs_checks", "rules", "extra days of customs inspection before shipments to "
       "these destinations leave", {"destinations", "delay_days", "days"},
       {"destinations", "delay_days"}, end=_rules_end("customs_checks")),
    _k("customs_hold", "rules", "customs hold shipments declared as these materials "
       "(default: all magnets, controlled or not) to these destinations (default: all), "
       "each for a whole number of days drawn uniformly in [delay_min_days, delay_max_days]; "
       "exports count when cleared (one to two months reported in 2025 "
       "[sources: customs-holds])",
       {"destinations", "materials", "delay_min_days", "delay_max_days", "days"},
       {"delay_min_days", "delay_max_days"}, end=_rules_end("customs_hold")),
    _k("deny", "rules", "refuse an end use (military | civil | all) to destinations "
       "(default: all) outright", {"destinations", "end_use", "materials", "days"},
       {"end_use"}, end=_rules_end("deny")),
    _k("price_floor", "government", "guaranteed oxide price (USD/kg) with offtake for the "
       "named mines (default: all)", {"usd_per_kg", "mines", "days"}, {"usd_per_kg"},
       start=_gov("floors"), end=_gov_end("floors")),
    _k("tariff", "market", "ad-valorem tariff (rate 0.1 = 10%) that the importers (default: "
       "all) levy on goods of the origins (default: CN); per importer x origin the latest in "
       "force wins; raises buyers' landed cost (market.tariffs_on_landed_cost)",
       {"rate", "importers", "origins", "days"}, {"rate"}, start=_gov("tariffs"),
       end=_gov_end("tariffs")),
    _k("stockpile_buy", "government", "daily purchases for the stockpile from non-Chinese "
       "makers' spare capacity (t/day per magnet)", {"tonnes_per_day", "days"},
       {"tonnes_per_day"}, start=_gov("buys"), end=_gov_end("buys")),
    _k("defense_ban", "defense", "no Chinese-origin magnet may enter defence supply from "
       "the date; primes stop Chinese orders and cancel unshipped ones lead_days before",
       {"lead_days"}, start=_ban),
    _k("reo_quota", "border", "releases a batch of aggregate export quota (tonnes of REO) "
       "on raw materials for the calendar year of its date to a quota group (light | heavy "
       "| all); from its first batch the group is capped", {"tonnes", "group"}, {"tonnes"},
       start=_border("reo_quota")),
    _k("lift_reo_quota", "border", "abolishes a group's aggregate quota", {"group"},
       start=_border("lift_reo_quota")),
    _k("export_duty", "border", "ad-valorem export duty (rate) on raw materials",
       {"materials", "rate", "days"}, {"materials", "rate"}, start=_border("export_duty"),
       end=_border("export_duty", end=True)),
    _k("crackdown", "border", "removes a share (rate) of China's unreported output",
       {"rate", "days"}, {"rate"}, start=_border("crackdown"),
       end=_border("crackdown", end=True)),
    _k("signal", "buyers", "announced controls on other goods, read by buyers in the "
       "destinations (default: all): those with signal_cover_days > 0 hold that much extra "
       "cover of these materials (default: all magnets) for signal_days (the hook for "
       "precautionary hoarding, issue 11)", {"materials", "destinations"}, start=_signal),
    _k("concentrate_route", "mines", "whether China takes the named mines' concentrate "
       "for separation (open true/false)", {"mines", "open"}, {"open"}, start=_route),
)}
COMMON = {"set", "id", "date", "day", "label", "source"}


def kinds_table() -> str:
    """The event kinds as a Markdown table (for the docs)."""
    rows = ["| kind | target | keys (required in bold) | what it does | timed |",
            "|---|---|---|---|---|"]
    for k in KINDS.values():
        keys = ", ".join(f"**{x}**" if x in k.required else x for x in sorted(k.keys))
        rows.append(f"| `{k.name}` | {k.target} | {keys} | {k.does} | "
                    f"{'yes' if k.end or k.name == 'general_licence' else 'no'} |")
    return "\n".join(rows)
