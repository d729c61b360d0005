"""The Ministry's rule book: the state that dated policy events change.

Controls, embargoes with anti-diversion, quotas (per material, optionally per destination),
approval overrides (per firm and destination), relations levels, customs checks, end-use
bans and general licences. `Rules.apply` changes it; the Ministry reads it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .policy import PolicyEvent


@dataclass
class GeneralLicence:
    """A general licence: one exporter (None: any) to destinations (None: all), optionally
    only for named customers, valid from ``start`` to ``end``, with an optional volume cap."""

    firm: str | None
    destinations: frozenset | None
    customers: frozenset | None
    start: dt.date
    end: dt.date | None = None
    cap_t: float | None = None
    used_t: float = 0.0
    suspended: bool = False

    def covers(self, seller: str, dest: str, buyer: str, tonnes: float, today: dt.date) -> bool:
        return (not self.suspended and self.start <= today
                and (self.end is None or today < self.end)
                and (self.firm is None or self.firm == seller)
                and (self.destinations is None or dest in self.destinations)
                and (self.customers is None or buyer in self.customers)
                and (self.cap_t is None or self.used_t + tonnes <= self.cap_t + 1e-9))


def _match(key: frozenset | None, value: str) -> bool:
    return key is None or value in key


class Rules:
    """What is in force today."""

    def __init__(self) -> None:
        self.controls: list[tuple[frozenset, frozenset | None]] = []
        self.embargoes: dict[str, tuple[str, ...]] = {}
        self.quotas: dict[tuple[str, str | None], float] = {}
        self.topups: dict[tuple[int, str, str | None], float] = {}
        self.approval: dict[tuple[str | None, str | None], float] = {}
        self.relations: dict[str | None, float] = {}
        self.customs: dict[str, int] = {}
        self.denials: list[tuple[frozenset, frozenset | None, str]] = []
        self.general: list[GeneralLicence] = []

    # ---------------------------------------------------------------- queries
    def requires_licence(self, material: str, dest: str) -> bool:
        return any(material in m and _match(d, dest) for m, d in self.controls)

    def barred(self, material: str, dest: str, end_use: str) -> str:
        """Why an order may not go at all now ('' when it may)."""
        if dest in self.embargoes:
            return "embargo"
        for third in self.embargoes.values():
            if dest in third:
                return "anti_diversion"
        for mats, dests, use in self.denials:
            if material in mats and _match(dests, dest) and use in ("all", end_use):
                return f"{end_use}_end_use_banned"
        return ""

    def quota_caps(self, material: str, dest: str, year: int):
        """(key, cap incl. this year's top-ups) pairs that bind an export."""
        for key in ((material, None), (material, dest)):
            if key in self.quotas:
                yield key, self.quotas[key] + self.topups.get((year, *key), 0.0)

    def relations_level(self, dest: str) -> float:
        return self.relations.get(dest, self.relations.get(None, 0.0))

    def approval_override(self, firm: str, dest: str) -> float | None:
        for key in ((firm, dest), (firm, None), (None, dest), (None, None)):
            if key in self.approval:
                return self.approval[key]
        return None

    def general_licence(self, seller: str, dest: str, buyer: str, tonnes: float,
                        today: dt.date) -> GeneralLicence | None:
        for g in self.general:
            if g.covers(seller, dest, buyer, tonnes, today):
                return g
        return None

    # ---------------------------------------------------------------- events
    def apply(self, ev: PolicyEvent) -> None:
        """Change the rules as the event says (revocation of approved orders is the
        Ministry's job; here it only suspends general licences)."""
        mats = frozenset(ev.materials)
        dests = frozenset(ev.destinations) if ev.destinations is not None else None
        dest_keys = ev.destinations if ev.destinations is not None else (None,)
        k = ev.kind
        if k == "controls":
            self.controls.append((mats, dests))
        elif k == "lift_controls":
            self.controls = [(m - mats, d) if (dests is None or d == dests) else (m, d)
                             for m, d in self.controls]
            self.controls = [(m, d) for m, d in self.controls if m]
        elif k == "embargo":
            for c in ev.destinations:
                self.embargoes[c] = tuple(ev.anti_diversion)
        elif k == "lift_embargo":
            for c in ev.destinations:
                self.embargoes.pop(c, None)
        elif k == "quota":
            for m in ev.materials:
                for d in dest_keys:
                    if ev.tonnes_per_year is None:
                        self.quotas.pop((m, d), None)
                    else:
                        self.quotas[(m, d)] = ev.tonnes_per_year
        elif k == "quota_topup":
            for m in ev.materials:
                for d in dest_keys:
                    key = (ev.date.year, m, d)
                    self.topups[key] = self.topups.get(key, 0.0) + ev.tonnes
        elif k == "approval":
            for f in (ev.firms or (None,)):
                for d in dest_keys:
                    if ev.lift:
                        self.approval.pop((f, d), None)
                    else:
                        self.approval[(f, d)] = ev.prob
        elif k == "general_licence":
            for f in ev.firms:
                self.general.append(GeneralLicence(
                    firm=f, destinations=dests,
                    customers=frozenset(ev.customers) if ev.customers else None,
                    start=ev.date, end=ev.end, cap_t=ev.tonnes))
        elif k == "revoke":
            for g in self.general:
                if (ev.firms is None or g.firm in ev.firms) and (
                        dests is None or g.destinations is None or g.destinations & dests):
                    g.suspended = True
        elif k == "relations":
            for d in dest_keys:
                if ev.lift:
                    self.relations.pop(d, None)
                else:
                    self.relations[d] = ev.level
        elif k == "customs_checks":
            for d in ev.destinations:
                if ev.lift:
                    self.customs.pop(d, None)
                else:
                    self.customs[d] = ev.delay_days
        elif k == "deny":
            entry = (mats, dests, ev.end_use)
            if ev.lift:
                self.denials = [x for x in self.denials if x != entry]
            else:
                self.denials.append(entry)
        else:  # pragma: no cover - compile_events rejects unknown kinds
            raise ValueError(f"unknown event kind {k}")
