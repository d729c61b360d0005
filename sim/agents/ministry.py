"""China's licensing authority (MOFCOM): controls, licence queue, quotas, embargoes."""

from __future__ import annotations

import datetime as dt
import heapq

import mesa

from ..config import LicensingConf
from ..policy import PolicyEvent
from ..shipments import APPROVED, DENIED, QUEUED, Shipment


class Ministry(mesa.Agent):
    """Decides who may buy Chinese magnets. Its rules change only through policy events.

    - ``controls``: (materials, destinations) pairs needing an individual licence.
    - the licence clock: each application is decided after a number of *working* days
      drawn from ``licensing.delay`` (weekends and Chinese holidays skipped).
    - approval: military end use under control gets ``military_approval`` (0); civil use
      gets the event override for the destination, else ``approval_by_destination``, else
      ``approval_default``.
    - quotas: annual caps per material, counted on tonnes released for export.
    - embargoes: nothing is released or shipped to an embargoed destination; orders to its
      anti-diversion countries are denied while it lasts.

    Args:
        model: the SupplyChainModel (gives ``date``, ``calendar``, ``rng_licensing``).
        conf: the licensing regime.
    """

    kind = "ministry"

    def __init__(self, model, conf: LicensingConf) -> None:
        super().__init__(model)
        self.name, self.country = "MOFCOM", "CN"
        self.conf = conf
        self.controls: list[tuple[frozenset, frozenset | None]] = []
        self.embargoes: dict[str, tuple[str, ...]] = {}
        self.quotas: dict[str, float] = {}
        self.released: dict[tuple[int, str], float] = {}
        self.approval_override: dict[str | None, float] = {}
        self.queue: list[tuple[dt.date, int, Shipment]] = []
        self.decided_today = 0

    # ---------------------------------------------------------------- rules
    def requires_licence(self, material: str, destination: str) -> bool:
        return any(material in mats and (dests is None or destination in dests)
                   for mats, dests in self.controls)

    def blocked(self, s: Shipment) -> str:
        """Why an order may not go now ('' when it may)."""
        if s.buyer_country in self.embargoes:
            return "embargo"
        for third in self.embargoes.values():
            if s.buyer_country in third:
                return "anti_diversion"
        return ""

    def quota_left(self, material: str) -> float:
        cap = self.quotas.get(material)
        if cap is None:
            return float("inf")
        return cap - self.released.get((self.model.date.year, material), 0.0)

    def screen(self, s: Shipment) -> str:
        """'ok', 'licence', or the reason the order is refused outright."""
        why = self.blocked(s)
        if why:
            return why
        if s.tonnes > self.quota_left(s.material) + 1e-9:
            return "quota"
        return "licence" if self.requires_licence(s.material, s.buyer_country) else "ok"

    def approval_prob(self, s: Shipment) -> float:
        if s.end_use == "military":
            return self.conf.military_approval
        for key in (s.buyer_country, None):
            if key in self.approval_override:
                return self.approval_override[key]
        return self.conf.approval_by_destination.get(s.buyer_country,
                                                     self.conf.approval_default)

    # ---------------------------------------------------------------- the clock
    def draw_delay(self) -> int:
        d, rng = self.conf.delay, self.model.rng_licensing
        if d.dist == "fixed" or d.low == d.high:
            x = d.mode
        elif d.dist == "uniform":
            x = rng.uniform(d.low, d.high)
        else:
            x = rng.triangular(d.low, d.mode, d.high)
        return int(round(x))

    def submit(self, s: Shipment) -> None:
        """File a licence application; its decision date counts working days."""
        s.applied_on, s.licence, s.status = self.model.date, "individual", QUEUED
        due = self.model.calendar.add_working_days(self.model.date, self.draw_delay())
        heapq.heappush(self.queue, (due, s.id, s))

    def release(self, s: Shipment, decision: str) -> None:
        """Let a reserved order go: count it against the quota and mark it to ship."""
        s.decision, s.status = decision, APPROVED
        if s.decided_on is None:
            s.decided_on = self.model.date
        key = (self.model.date.year, s.material)
        self.released[key] = self.released.get(key, 0.0) + s.tonnes

    def decide(self) -> None:
        """Decide every application whose clock has run out (phase 6)."""
        today = self.model.date
        self.decided_today = 0
        while self.queue and self.queue[0][0] <= today:
            _, _, s = heapq.heappop(self.queue)
            if s.status != QUEUED:
                continue
            self.decided_today += 1
            s.decided_on = today
            why = self.blocked(s)
            if not why and s.tonnes > self.quota_left(s.material) + 1e-9:
                why = "quota"
            if not why and self.model.rng_licensing.random() >= self.approval_prob(s):
                why = "military_end_use" if s.end_use == "military" else "not_approved"
            if why:
                s.decision = "denied"
                self.model.return_to_seller(s, why)
            else:
                self.release(s, "approved")

    @property
    def queue_tonnes(self) -> float:
        return sum(s.tonnes for _, _, s in self.queue if s.status == QUEUED)

    # ---------------------------------------------------------------- events
    def apply(self, ev: PolicyEvent) -> None:
        """Apply a policy event (called on its date, before the day's phases)."""
        mats = frozenset(ev.materials)
        dests = frozenset(ev.destinations) if ev.destinations is not None else None
        if ev.kind == "controls":
            self.controls.append((mats, dests))
        elif ev.kind == "lift_controls":
            self.controls = [(m - mats, d) if (d == dests or dests is None) else (m, d)
                             for m, d in self.controls]
            self.controls = [(m, d) for m, d in self.controls if m]
        elif ev.kind == "embargo":
            for c in ev.destinations:
                self.embargoes[c] = tuple(ev.anti_diversion)
        elif ev.kind == "lift_embargo":
            for c in ev.destinations:
                self.embargoes.pop(c, None)
        elif ev.kind == "quota":
            for m in ev.materials:
                if ev.tonnes_per_year is None:
                    self.quotas.pop(m, None)
                else:
                    self.quotas[m] = ev.tonnes_per_year
        elif ev.kind == "approval":
            for c in (ev.destinations or (None,)):
                if ev.prob is None:
                    self.approval_override.pop(c, None)
                else:
                    self.approval_override[c] = ev.prob
        else:  # pragma: no cover - compile_events rejects unknown kinds
            raise ValueError(f"unknown event kind {ev.kind}")
        ev.fired = True

    def record(self) -> dict:
        return {"agent": self.name, "kind": self.kind, "country": self.country,
                "output": float(self.decided_today), "lost": 0.0,
                "cover_days": float("nan")}
