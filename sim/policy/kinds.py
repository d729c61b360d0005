"""The event-kind registry: one row per kind of dated policy event.

A scenario's ``events`` list holds entries such as ``{date: 2025-04-04, set: controls,
materials: [ndfeb_hre]}``. The keys an event may carry are declared once, with their type,
unit, bounds and vocabulary, as the fields of `sim.config.policy.EventConf`; the compiled
event (`PolicyEvent`) takes the same fields, and the checks of `sim.policy.schedule` derive
from both. Every kind is ONE `EventKind` row here: the keys it takes and needs, its target,
how it starts and ends (callables, not names), what else it checks, and which same-day
events contradict it. Adding a kind is one `register` call (plus, for a new target, the
state it sets).

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

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sim.config.policy import EVENT_DEFAULTS, EVENT_META, EventConf
from sim.domain.errors import ConfigError
from sim.policy.border import Border
from sim.policy.rules import Rules

EVENT_KEYS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(EventConf)
                                    if f.name not in EVENT_META)
"""The keys a kind may take (every field of `EventConf` but the common ones)."""
COMMON = frozenset(EVENT_META)


class PolicyEvent:
    """One compiled event: its kind, date, the values of every key (`EVENT_KEYS`; lists as
    tuples, defaults of `sim.config.policy.EVENT_DEFAULTS` filled in), its id, label and
    source, and for a timed event its end."""

    def __init__(self, kind: str, date: dt.date, values: dict, label: str = "",
                 source: str = "", id: str = "", end: dt.date | None = None,
                 parent: PolicyEvent | None = None) -> None:
        self.kind, self.date, self.label, self.source, self.id = kind, date, label, source, id
        self.end, self.parent, self.fired = end, parent, False
        for k in EVENT_KEYS:
            v = values.get(k)
            if v is None:
                v = EVENT_DEFAULTS.get(k)
            elif isinstance(v, list):
                v = tuple(v)
            setattr(self, k, v)

    def __repr__(self) -> str:
        return f"PolicyEvent({self.kind!r}, {self.date}, id={self.id!r})"

    @property
    def lift(self) -> bool:
        """True for the automatic end of a timed event."""
        return self.parent is not None

    @property
    def effective(self) -> dt.date:
        """The day the event takes effect (a defence ban acts ``lead_days`` early)."""
        return self.date - dt.timedelta(days=self.lead_days)


@dataclass(frozen=True)
class EventKind:
    """One event kind.

    Attributes:
        name: the ``set`` value naming it.
        target: what it changes (for the docs): rules, border, government, market, buyers,
            defense, mines.
        does: one line for the docs.
        keys: the keys it takes (`EVENT_KEYS`); required: those it needs.
        start: ``(model, event) -> None``: it takes effect.
        end: ``(model, event) -> None`` when a timed event ends; None: cannot be timed.
        end_kind: the kind shown for its end in the events table.
        timed: ``days`` allowed without an end callable (a general licence's validity).
        check: ``(event conf, where) -> None``: cross-key checks (raise ConfigError).
        contradicts: ``(a, b) -> bool`` for two events on the same day, ``a`` of this kind:
            whether they say opposite things about the same target.
    """

    name: str
    target: str
    does: str
    keys: frozenset
    required: frozenset = frozenset()
    start: Callable | None = None
    end: Callable | None = None
    end_kind: str | None = None
    timed: bool = False
    check: Callable | None = None
    contradicts: Callable | None = None

    @property
    def can_be_timed(self) -> bool:
        return self.end is not None or self.timed


KINDS: dict[str, EventKind] = {}
"""Registered event kinds by name."""


def register(kind: EventKind) -> EventKind:
    """Add an event kind (its name new, its keys among `EVENT_KEYS`)."""
    bad = (set(kind.keys) | set(kind.required)) - set(EVENT_KEYS)
    if bad:
        raise ValueError(f"event kind {kind.name!r}: unknown keys {sorted(bad)}; declare "
                         "them in sim.config.policy.EventConf")
    if kind.name in KINDS:
        raise ValueError(f"event kind {kind.name!r} is registered already")
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove an event kind (tests that register their own)."""
    KINDS.pop(name, None)


def kind(name: str, target: str, does: str, keys=(), required=(), start=None, end=None,
         end_kind=None, timed=False, check=None, contradicts=None) -> EventKind:
    """An `EventKind` row (keys as any iterable; the end's kind defaults to its own)."""
    return EventKind(name, target, does, frozenset(keys), frozenset(required), start, end,
                     end_kind or (name if end else None), timed, check, contradicts)


# --------------------------------------------------------------------------- targets
def on_rules(method: Callable) -> Callable:
    """Start or end through a method of the Ministry's rule book (`Rules`)."""
    return lambda m, ev: method(m.ministry.rules, ev)


def on_border(method: Callable) -> Callable:
    """Start or end through a method of China's border (`Border`)."""
    return lambda m, ev: method(m.border, ev)


def on_levers(attr: str, end: bool = False) -> Callable:
    """Start or end a government lever (price floors, tariffs, stockpile purchases)."""
    if end:
        return lambda m, ev: m.government.levers.end(attr, ev)
    return lambda m, ev: m.government.levers.start(attr, ev)


def _revoke(m, ev) -> None:
    m.ministry.revoke(ev)


def _ban(m, ev) -> None:
    for b in m.of("buyer"):
        if b.end_use == "military":
            b.bar_china()


def _signal(m, ev) -> None:
    for b in [*m.of("buyer"), *m.of("tier1")]:
        b.read_signal(ev)


def _route(m, ev) -> None:
    for mine in m.of("mine"):
        if ev.mines is None or mine.name in ev.mines:
            mine.china_takes_concentrate = bool(ev.open)


# --------------------------------------------------------------------------- checks
def _hold_range(ev: EventConf, where: str) -> None:
    if (ev.delay_min_days is not None and ev.delay_max_days is not None
            and ev.delay_min_days > ev.delay_max_days):
        raise ConfigError(f"{where}.delay_max_days: must be >= delay_min_days "
                          f"({ev.delay_min_days}), got {ev.delay_max_days}")


# --------------------------------------------------------------------------- contradictions
def _overlap(a: tuple | None, b: tuple | None) -> bool:
    """Two lists (None: all) share an item."""
    return a is None or b is None or bool(set(a) & set(b))


def opposite(other: str, materials: bool = False) -> Callable:
    """Contradicts an ``other`` event (a lift) on overlapping destinations (and
    materials)."""
    def test(a, b) -> bool:
        return (b.kind == other and _overlap(a.destinations, b.destinations)
                and (not materials or _overlap(a.materials, b.materials)))
    return test


def differs(value: tuple, same: tuple = (), overlap: tuple = ()) -> Callable:
    """Contradicts an event of its own kind on the same destinations whose keys ``same``
    are equal and ``overlap`` overlap, but whose ``value`` keys differ."""
    def test(a, b) -> bool:
        return (a.kind == b.kind and a.destinations == b.destinations
                and all(getattr(a, k) == getattr(b, k) for k in same)
                and all(_overlap(getattr(a, k), getattr(b, k)) for k in overlap)
                and any(getattr(a, k) != getattr(b, k) for k in value))
    return test


def _tariffs(a, b) -> bool:
    """The same importer x origin pair, two rates."""
    return (a.kind == b.kind and _overlap(a.importers, b.importers)
            and bool(set(a.origins) & set(b.origins)) and a.rate != b.rate)


# --------------------------------------------------------------------------- the kinds
for _k in (
    kind("controls", "rules", "a licence is required for these materials (default: all "
         "magnets) to these destinations (default: all)", {"materials", "destinations", "days"},
         start=on_rules(Rules.start_controls), end=on_rules(Rules.end_controls),
         end_kind="lift_controls", contradicts=opposite("lift_controls", materials=True)),
    kind("lift_controls", "rules", "ends the named controls (materials x destinations)",
         {"materials", "destinations"}, start=on_rules(Rules.start_lift_controls),
         contradicts=opposite("controls", materials=True)),
    kind("embargo", "rules", "nothing ships to the destinations; anti_diversion: third "
         "countries whose orders are held while it lasts",
         {"destinations", "anti_diversion", "days"}, {"destinations"},
         start=on_rules(Rules.start_embargo), end=on_rules(Rules.end_embargo),
         end_kind="lift_embargo", contradicts=opposite("lift_embargo")),
    kind("lift_embargo", "rules", "ends embargoes on the named destinations",
         {"destinations"}, {"destinations"}, start=on_rules(Rules.start_lift_embargo),
         contradicts=opposite("embargo")),
    kind("quota", "rules", "annual export cap per material (t/yr), optionally per "
         "destination; tonnes_per_year null removes it",
         {"materials", "destinations", "tonnes_per_year"}, {"materials"},
         start=on_rules(Rules.start_quota),
         contradicts=differs(("tonnes_per_year",), overlap=("materials",))),
    kind("quota_topup", "rules", "adds tonnes to this year's quota",
         {"materials", "destinations", "tonnes"}, {"materials", "tonnes"},
         start=on_rules(Rules.start_quota_topup)),
    kind("approval", "rules", "chance that an application (from these firms, to these "
         "destinations, for buyers of these sectors) is approved",
         {"destinations", "firms", "sectors", "prob", "days"}, {"prob"},
         start=on_rules(Rules.start_approval), end=on_rules(Rules.end_approval),
         contradicts=differs(("prob",), same=("firms", "sectors"))),
    kind("general_licence", "rules", "general licence: firms x destinations (x named "
         "customers) for the materials named (default: all magnets; a magnet licence covers "
         "no oxide), validity (days), volume cap (tonnes)",
         {"firms", "destinations", "customers", "days", "tonnes", "materials"}, {"firms"},
         start=on_rules(Rules.start_general_licence), timed=True),
    kind("revoke", "rules", "cancels approved, unshipped individual licences and suspends "
         "general licences", {"firms", "destinations"}, start=_revoke),
    kind("relations", "rules", "relations level in [-1, 1] with destinations (default: "
         "all); shifts approval odds", {"destinations", "level", "days"}, {"level"},
         start=on_rules(Rules.start_relations), end=on_rules(Rules.end_relations),
         contradicts=differs(("level",))),
    kind("customs_checks", "rules", "extra days of customs inspection before shipments to "
         "these destinations leave", {"destinations", "delay_days", "days"},
         {"destinations", "delay_days"}, start=on_rules(Rules.start_customs_checks),
         end=on_rules(Rules.end_customs_checks), contradicts=differs(("delay_days",))),
    kind("customs_hold", "rules", "customs hold shipments declared as these materials "
         "(default: all magnets, controlled or not) to these destinations (default: all), "
         "each for a whole number of days drawn uniformly in [delay_min_days, "
         "delay_max_days]; exports count when cleared (one to two months reported in 2025 "
         "[sources: customs-holds])",
         {"destinations", "materials", "delay_min_days", "delay_max_days", "days"},
         {"delay_min_days", "delay_max_days"}, start=on_rules(Rules.start_customs_hold),
         end=on_rules(Rules.end_customs_hold), check=_hold_range,
         contradicts=differs(("delay_min_days", "delay_max_days"), overlap=("materials",))),
    kind("deny", "rules", "refuse an end use (military | civil | all) to destinations "
         "(default: all) outright", {"destinations", "end_use", "materials", "days"},
         {"end_use"}, start=on_rules(Rules.start_deny), end=on_rules(Rules.end_deny)),
    kind("price_floor", "government", "guaranteed oxide price (USD/kg) with offtake for the "
         "named mines (default: all)", {"usd_per_kg", "mines", "days"}, {"usd_per_kg"},
         start=on_levers("floors"), end=on_levers("floors", end=True),
         contradicts=differs(("usd_per_kg",), same=("mines",))),
    kind("tariff", "market", "ad-valorem tariff (rate 0.1 = 10%) that the importers "
         "(default: all) levy on goods of the origins (default: CN); per importer x origin "
         "the latest in force wins; raises buyers' landed cost "
         "(market.tariffs_on_landed_cost)", {"rate", "importers", "origins", "days"},
         {"rate"}, start=on_levers("tariffs"), end=on_levers("tariffs", end=True),
         contradicts=_tariffs),
    kind("stockpile_buy", "government", "daily purchases for the stockpile from "
         "non-Chinese makers' spare capacity (t/day per magnet)", {"tonnes_per_day", "days"},
         {"tonnes_per_day"}, start=on_levers("buys"), end=on_levers("buys", end=True)),
    kind("defense_ban", "defense", "no Chinese-origin magnet may enter defence supply from "
         "the date; primes stop Chinese orders and cancel unshipped ones lead_days before",
         {"lead_days"}, start=_ban),
    kind("reo_quota", "border", "releases a batch of aggregate export quota (tonnes of REO) "
         "on raw materials for the calendar year of its date to a quota group (light | "
         "heavy | all); from its first batch the group is capped", {"tonnes", "group"},
         {"tonnes"}, start=on_border(Border.start_reo_quota)),
    kind("lift_reo_quota", "border", "abolishes a group's aggregate quota", {"group"},
         start=on_border(Border.start_lift_reo_quota)),
    kind("export_duty", "border", "ad-valorem export duty (rate) on raw materials",
         {"materials", "rate", "days"}, {"materials", "rate"},
         start=on_border(Border.start_export_duty), end=on_border(Border.end_export_duty)),
    kind("crackdown", "border", "removes a share (rate) of China's unreported output",
         {"rate", "days"}, {"rate"}, start=on_border(Border.start_crackdown),
         end=on_border(Border.end_crackdown)),
    kind("signal", "buyers", "announced controls on other goods, read by buyers in the "
         "destinations (default: all): those with signal_cover_days > 0 hold that much "
         "extra cover of these materials (default: all magnets) for signal_days (the hook "
         "for precautionary hoarding)", {"materials", "destinations"}, start=_signal),
    kind("concentrate_route", "mines", "whether China takes the named mines' concentrate "
         "for separation (open true/false)", {"mines", "open"}, {"open"}, start=_route,
         contradicts=differs(("open",), same=("mines",))),
):
    register(_k)


def kinds_table() -> str:
    """The event kinds as a Markdown table (for the docs)."""
    rows = ["| kind | target | keys (required in bold) | what it does | timed |",
            "|---|---|---|---|---|"]
    for k in KINDS.values():
        keys = ", ".join(f"**{x}**" if x in k.required else x for x in sorted(k.keys))
        rows.append(f"| `{k.name}` | {k.target} | {keys} | {k.does} | "
                    f"{'yes' if k.can_be_timed else 'no'} |")
    return "\n".join(rows)
