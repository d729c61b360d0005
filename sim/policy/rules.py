"""The Ministry's rule book: the state that dated policy events change.

Controls, embargoes with anti-diversion, quotas (per material, optionally per destination),
approval overrides (per firm and destination), relations levels, customs checks and
customs holds, end-use bans and general licences (per product: a magnet licence covers no
oxide). Each event that sets a rule holds its own entry, so events stack: a rule is in
force while any event that sets it is in force, and ending one event (its timed end)
removes only its own entry. For levels (`Layers`, customs holds) the latest event in
force wins. The ``start_<kind>`` / ``end_<kind>`` methods are called by the event registry
(`sim.events.KINDS`); the Ministry reads the query methods.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass

from sim.domain.products import MAGNETS


@dataclass
class GeneralLicence:
    """A general licence: one exporter (None: any) to destinations (None: all), optionally
    only for named customers, for the products in ``materials`` (None: every product),
    valid from ``start`` to ``end``, with an optional volume cap.

    A licence covers the products it names and no other: a magnet licence moves no oxide
    and an oxide licence no magnets (MOFCOM's 2025 licences are per product and end user
    [sources: licence-scope])."""

    firm: str | None
    destinations: frozenset | None
    customers: frozenset | None
    start: dt.date
    end: dt.date | None = None
    cap_t: float | None = None
    used_t: float = 0.0
    suspended: bool = False
    materials: frozenset | None = frozenset(MAGNETS)

    def covers(self, seller: str, dest: str, buyer: str, tonnes: float, today: dt.date,
               material: str) -> bool:
        return (not self.suspended and self.start <= today
                and (self.end is None or today < self.end)
                and (self.materials is None or material in self.materials)
                and (self.firm is None or self.firm == seller)
                and (self.destinations is None or dest in self.destinations)
                and (self.customers is None or buyer in self.customers)
                and (self.cap_t is None or self.used_t + tonnes <= self.cap_t + 1e-9))


class Layers:
    """Values set by events per key; the latest event in force wins, and when it ends the
    value it covered applies again."""

    def __init__(self) -> None:
        self._by_key: dict = {}

    def set(self, key, ev, value) -> None:
        self._by_key.setdefault(key, []).append((ev, value))

    def end(self, key, ev) -> None:
        left = [x for x in self._by_key.get(key, ()) if x[0] is not ev]
        if left:
            self._by_key[key] = left
        else:
            self._by_key.pop(key, None)

    def __contains__(self, key) -> bool:
        return key in self._by_key

    def in_force(self, key) -> list:
        """The values set for ``key`` by events in force, latest first."""
        return [value for _, value in reversed(self._by_key.get(key, ()))]

    def get(self, key, default=None):
        layers = self._by_key.get(key)
        return layers[-1][1] if layers else default


def _match(key: frozenset | None, value: str) -> bool:
    return key is None or value in key


def _dests(ev) -> frozenset | None:
    return frozenset(ev.destinations) if ev.destinations is not None else None


def _dest_keys(ev) -> tuple:
    return ev.destinations if ev.destinations is not None else (None,)


class Rules:
    """What is in force today.

    Args:
        licence_by_product: general licences cover only the products their event names
            (default: all magnets); False: every product
            (``licensing.general_licence_by_product``).
    """

    def __init__(self, licence_by_product: bool = True) -> None:
        self.licence_by_product = licence_by_product
        self.controls: list[list] = []  # [event, materials, destinations]
        self.embargo_entries: list[list] = []  # [event, destinations, anti_diversion]
        self.quotas: dict[tuple[str, str | None], float] = {}
        self.topups: dict[tuple[int, str, str | None], float] = {}
        self.approval = Layers()  # (firm, destination, sector) -> probability
        self.relations = Layers()  # destination (None: all) -> level
        self.customs = Layers()  # destination -> extra days
        self.holds: list[tuple] = []  # (event, materials, destinations, min days, max days)
        self.denials: list[tuple] = []  # (event, materials, destinations, end use)
        self.general: list[GeneralLicence] = []
        # answers of `requires_licence` and `barred`, asked per order and per buyer each
        # day; every start_/end_ method empties them (`_forgets`)
        self._licence: dict[tuple, bool] = {}
        self._barred: dict[tuple, str] = {}

    # ---------------------------------------------------------------- queries
    def requires_licence(self, material: str, dest: str) -> bool:
        key = (material, dest)
        got = self._licence.get(key)
        if got is None:  # kept until an event changes the book (`_forgets`)
            got = self._licence[key] = any(
                material in m and _match(d, dest) for _, m, d in self.controls)
        return got

    @property
    def embargoes(self) -> dict[str, tuple[str, ...]]:
        """Embargoed destination -> third countries held under anti-diversion."""
        out: dict[str, tuple[str, ...]] = {}
        for _, dests, anti in self.embargo_entries:
            for c in dests:
                out[c] = tuple(dict.fromkeys((*out.get(c, ()), *anti)))
        return out

    def barred(self, material: str, dest: str, end_use: str) -> str:
        """Why an order may not go at all now ('' when it may)."""
        key = (material, dest, end_use)
        got = self._barred.get(key)
        if got is None:  # kept until an event changes the book (`_forgets`)
            got = self._barred[key] = self._why_barred(material, dest, end_use)
        return got

    def _why_barred(self, material: str, dest: str, end_use: str) -> str:
        if any(dest in dests for _, dests, _ in self.embargo_entries):
            return "embargo"
        if any(dest in anti for _, dests, anti in self.embargo_entries if dests):
            return "anti_diversion"
        for _, mats, dests, use in self.denials:
            if material in mats and _match(dests, dest) and use in ("all", end_use):
                return f"{end_use}_end_use_banned"
        return ""

    def quota_caps(self, material: str, dest: str, year: int):
        """(key, cap incl. this year's top-ups) pairs that bind an export."""
        for key in ((material, None), (material, dest)):
            if key in self.quotas:
                yield key, self.quotas[key] + self.topups.get((year, *key), 0.0)

    def relations_level(self, dest: str) -> float:
        return self.relations.get(dest) if dest in self.relations else \
            self.relations.get(None, 0.0)

    def customs_delay(self, dest: str) -> int:
        return self.customs.get(dest, 0)

    def customs_hold(self, material: str, dest: str) -> tuple[int, int] | None:
        """(shortest, longest) hold in days for a shipment of ``material`` to ``dest``
        reaching customs today, from the latest hold event in force that names both;
        None: no hold."""
        for _, mats, dests, lo, hi in reversed(self.holds):
            if material in mats and _match(dests, dest):
                return lo, hi
        return None

    def approval_override(self, firm: str, dest: str, sector: str | None = None
                          ) -> float | None:
        """The most specific approval event in force: firm, then destination, then
        sector (the buyer's kind), each either named or any."""
        for f in (firm, None):
            for d in (dest, None):
                for s in (sector, None):
                    if (f, d, s) in self.approval:
                        return self.approval.get((f, d, s))
        return None

    def general_licence(self, seller: str, dest: str, buyer: str, tonnes: float,
                        today: dt.date, material: str) -> GeneralLicence | None:
        """The first general licence in force that covers this order (None: none)."""
        for g in self.general:
            if g.covers(seller, dest, buyer, tonnes, today, material):
                return g
        return None

    # ---------------------------------------------------------------- events
    def start_controls(self, ev) -> None:
        self.controls.append([ev, frozenset(ev.materials), _dests(ev)])

    def end_controls(self, ev) -> None:
        self.controls = [c for c in self.controls if c[0] is not ev]

    def start_lift_controls(self, ev) -> None:
        """Ends the named materials of controls on exactly these destinations (all
        destinations: every control)."""
        mats, dests = frozenset(ev.materials), _dests(ev)
        for c in self.controls:
            if dests is None or c[2] == dests:
                c[1] = c[1] - mats
        self.controls = [c for c in self.controls if c[1]]

    def start_embargo(self, ev) -> None:
        self.embargo_entries.append([ev, set(ev.destinations), tuple(ev.anti_diversion)])

    def end_embargo(self, ev) -> None:
        self.embargo_entries = [e for e in self.embargo_entries if e[0] is not ev]

    def start_lift_embargo(self, ev) -> None:
        for e in self.embargo_entries:
            e[1] -= set(ev.destinations)
        self.embargo_entries = [e for e in self.embargo_entries if e[1]]

    def start_quota(self, ev) -> None:
        for m in ev.materials:
            for d in _dest_keys(ev):
                if ev.tonnes_per_year is None:
                    self.quotas.pop((m, d), None)
                else:
                    self.quotas[(m, d)] = ev.tonnes_per_year

    def start_quota_topup(self, ev) -> None:
        for m in ev.materials:
            for d in _dest_keys(ev):
                key = (ev.date.year, m, d)
                self.topups[key] = self.topups.get(key, 0.0) + ev.tonnes

    def start_approval(self, ev) -> None:
        for f in (ev.firms or (None,)):
            for d in _dest_keys(ev):
                for s in (ev.sectors or (None,)):
                    self.approval.set((f, d, s), ev, ev.prob)

    def end_approval(self, ev) -> None:
        for f in (ev.firms or (None,)):
            for d in _dest_keys(ev):
                for s in (ev.sectors or (None,)):
                    self.approval.end((f, d, s), ev)

    def start_general_licence(self, ev) -> None:
        for f in ev.firms:
            self.general.append(GeneralLicence(
                firm=f, destinations=_dests(ev),
                customers=frozenset(ev.customers) if ev.customers else None,
                start=ev.date, end=ev.end, cap_t=ev.tonnes,
                materials=frozenset(ev.materials) if self.licence_by_product else None))

    def start_revoke(self, ev) -> None:
        """Suspends general licences (the Ministry also cancels approved orders)."""
        dests = _dests(ev)
        for g in self.general:
            if (ev.firms is None or g.firm in ev.firms) and (
                    dests is None or g.destinations is None or g.destinations & dests):
                g.suspended = True

    def start_relations(self, ev) -> None:
        for d in _dest_keys(ev):
            self.relations.set(d, ev, ev.level)

    def end_relations(self, ev) -> None:
        for d in _dest_keys(ev):
            self.relations.end(d, ev)

    def start_customs_checks(self, ev) -> None:
        for d in ev.destinations:
            self.customs.set(d, ev, ev.delay_days)

    def end_customs_checks(self, ev) -> None:
        for d in ev.destinations:
            self.customs.end(d, ev)

    def start_customs_hold(self, ev) -> None:
        self.holds.append((ev, frozenset(ev.materials), _dests(ev), ev.delay_min_days,
                           ev.delay_max_days))

    def end_customs_hold(self, ev) -> None:
        self.holds = [h for h in self.holds if h[0] is not ev]

    def start_deny(self, ev) -> None:
        self.denials.append((ev, frozenset(ev.materials), _dests(ev), ev.end_use))

    def end_deny(self, ev) -> None:
        self.denials = [x for x in self.denials if x[0] is not ev]


def _forgets(method: Callable) -> Callable:
    """An event method that changes the book empties the kept answers first."""
    @functools.wraps(method)
    def changed(self: Rules, ev) -> None:
        self._licence.clear()
        self._barred.clear()
        method(self, ev)
    changed.forgets = True
    return changed


for _name, _method in list(vars(Rules).items()):
    if _name.startswith(("start_", "end_")):
        setattr(Rules, _name, _forgets(_method))
