"""China's licensing authority (MOFCOM): screens exports, runs the licence clock, decides."""

from __future__ import annotations

import datetime as dt
import heapq

import mesa

from sim.agents.row import Recorded
from sim.config import DelayConf, LicensingConf
from sim.domain.products import MAGNETS
from sim.policy.kinds import PolicyEvent
from sim.policy.rules import GeneralLicence, Rules
from sim.trade.shipments import (
    Decision,
    Licence,
    Shipment,
    Status,
)

QUOTA_EPS_T = 1e-6  # tonnes: below this a quota counts as used up


class Ministry(Recorded, mesa.Agent):
    """Decides who may buy Chinese magnets. Its rules (`sim.rules.Rules`) change only
    through dated policy events; how it decides comes from the licensing config.

    Per order: barred outright (embargo, anti-diversion, end-use ban, quota) -> denied;
    covered by a general licence for its product (a magnet licence covers no oxide)
    -> released at once; material controlled for the
    destination -> an individual licence application; otherwise released.

    An application's clock runs ``licensing.delay`` working (or calendar) days, or
    ``fast_track_delay`` for whitelisted exporters or buyers. Its end-use file is incomplete
    with probability ``1 - (1 - rfi_prob_per_tier) ** supplier_tiers``; a request for
    information then adds ``rfi_delay``. At the decision the order is approved with::

        p = military_approval                       (military end use)
        p = base * material_factor * firm_factor * (1 + relations_sensitivity * level)

    where ``base`` is an approval event's override (firm x destination), else
    ``approval_by_destination``, else ``approval_default``; ``level`` is the destination's
    relations level. An approved individual licence ships after ``licence_to_ship_days`` and
    is valid ``individual_validity_days``.
    """

    kind = "ministry"
    ROW = {"agent": "name", "kind": "kind", "country": "country", "output": "decided_t",
           "lost": "ZERO", "cover_days": "NAN"}
    roles = frozenset({"authority"})

    def __init__(self, model, conf: LicensingConf) -> None:
        super().__init__(model)
        self.name, self.country = "MOFCOM", "CN"
        self.conf = conf
        self.rules = Rules(licence_by_product=conf.general_licence_by_product)
        if conf.general_licence_customers:  # standing general licences for magnets
            self.rules.general.append(GeneralLicence(
                firm=None, destinations=None,
                customers=frozenset(conf.general_licence_customers), start=model.start,
                materials=frozenset(MAGNETS) if conf.general_licence_by_product else None))
        self.whitelist = frozenset(conf.fast_track_whitelist)
        self.released: dict[tuple[int, str, str | None], float] = {}
        self.queue: list[tuple[dt.date, int, Shipment]] = []
        self.decided_today = 0
        self.known_pairs: set[tuple[str, str]] = set()  # exporter-customer pairs licensed
        self.credit = 0.0  # decisions the Ministry can still make today (capacity)

    # ---------------------------------------------------------------- screening
    @property
    def embargoes(self) -> dict[str, tuple[str, ...]]:
        return self.rules.embargoes

    def blocked(self, s: Shipment) -> str:
        """Why an order may not go now ('' when it may). A sale inside China (to a tier-1
        there) is not an export: no rule of the export-control book applies to it."""
        if s.buyer_country == "CN":
            return ""
        return self.rules.barred(s.material, s.buyer_country, s.end_use)

    def headroom(self, s: Shipment) -> float:
        """Tonnes of this order's material and destination that may still be released this
        calendar year under every quota that binds it (infinity: no quota). Releases count
        from the run's start, so a quota introduced mid-year counts that year's earlier
        releases, and one introduced below them leaves no room until the next year."""
        if not self.rules.quotas:  # no quota in force: nothing binds
            return float("inf")
        year = self.model.date.year
        return min((cap - self.released.get((year, *key), 0.0) for key, cap in
                    self.rules.quota_caps(s.material, s.buyer_country, year)),
                   default=float("inf"))

    def screen(self, s: Shipment) -> str:
        """'ok', 'general', 'licence', or the reason the order is refused outright."""
        if s.buyer_country == "CN":
            return "ok"  # a domestic sale: `ChinaSeller.file` releases it
        why = self.blocked(s) or ("quota" if self.headroom(s) <= QUOTA_EPS_T else "")
        if why:
            return why
        if not self.rules.requires_licence(s.material, s.buyer_country):
            return "ok"
        g = self.rules.general_licence(s.seller, s.buyer_country, s.buyer, s.tonnes,
                                       self.model.date, s.material)
        return "general" if g is not None else "licence"

    def release(self, s: Shipment, decision: Decision, licence: Licence | None = None) -> None:
        """Let a reserved order go: count it against the quotas and mark it to ship.

        Quotas hold to the tonne: an order that would cross a cap is split, the part that
        fits goes and the rest is refused (reason ``quota``); with no room left it is
        refused whole."""
        today = self.model.date
        g = None
        if licence == Licence.GENERAL:
            g = self.rules.general_licence(s.seller, s.buyer_country, s.buyer, s.tonnes, today,
                                           s.material)
            if g is None:  # an earlier order today used the licence's volume cap
                self.submit(s)  # so this one applies for an individual licence
                return
        room = self.headroom(s)
        if s.tonnes > room + QUOTA_EPS_T:
            if room <= QUOTA_EPS_T:
                self.model.orders.return_to_seller(s, "quota")
                return
            self.model.orders.cut_to(s, room, reason="quota")
        if g is not None:
            g.used_t += s.tonnes
        ship_on = today
        if s.licence == Licence.INDIVIDUAL:
            ship_on = today + dt.timedelta(days=self.conf.licence_to_ship_days)
        self.model.orders.approve(s, decision, licence, ship_on)
        for key in ((s.material, None), (s.material, s.buyer_country)):
            k = (today.year, *key)
            self.released[k] = self.released.get(k, 0.0) + s.tonnes

    # ---------------------------------------------------------------- the clock
    def draw(self, d: DelayConf) -> int:
        rng = self.model.rng_licensing
        if d.dist == "fixed" or d.low == d.high:
            x = d.mode
        elif d.dist == "uniform":
            x = rng.uniform(d.low, d.high)
        else:
            x = rng.triangular(d.low, d.mode, d.high)
        return int(round(x))

    def _after(self, day: dt.date, d: DelayConf, n: int) -> dt.date:
        if d.unit == "calendar":
            return day + dt.timedelta(days=n)
        return self.model.calendar.add_working_days(day, n)

    def _wait(self, day: dt.date, d: DelayConf) -> dt.date:
        """``day`` plus a draw of ``d`` (no draw, no wait for a fixed zero)."""
        if d.dist == "fixed" and d.mode == 0:
            return day
        return self._after(day, d, self.draw(d))

    def submit(self, s: Shipment) -> None:
        """File an individual licence application and set its decision date:
        provincial review -> (first file for this pair: extra review) -> acceptance ->
        the clock (``delay``); an incomplete end-use file (more likely with more supplier
        tiers) brings a request for information (``rfi_delay`` to answer; with
        ``rfi_restarts_clock`` the answer is a resubmission and the clock starts again)."""
        today, c = self.model.date, self.conf
        self.model.orders.queue(s)
        fast = s.seller in self.whitelist or s.buyer in self.whitelist
        d = c.fast_track_delay if fast else c.delay
        accepted = self._wait(today, c.provincial_review)
        if (s.seller, s.buyer) not in self.known_pairs:
            accepted = self._wait(accepted, c.first_file_delay)
        due = self._after(accepted, d, self.draw(d))
        tiers = getattr(self.model.by_name[s.buyer].conf, "supplier_tiers", 1)
        rfi = self.model.rng_licensing.random() < 1.0 - (1.0 - c.rfi_prob_per_tier) ** tiers
        self.model.orders.accept(s, accepted, rfi)
        if rfi:
            due = self._after(due, c.rfi_delay, self.draw(c.rfi_delay))
            if c.rfi_restarts_clock:
                due = self._after(due, d, self.draw(d))
        heapq.heappush(self.queue, (due, s.id, s))

    def approval_prob(self, s: Shipment) -> float:
        c = self.conf
        if s.end_use == "military":
            return c.military_approval
        base = self.rules.approval_override(s.seller, s.buyer_country,
                                            self.model.by_name[s.buyer].kind)
        if base is None:
            base = c.approval_by_destination.get(s.buyer_country, c.approval_default)
        p = (base * c.approval_by_material.get(s.material, 1.0)
             * c.approval_by_firm.get(s.seller, 1.0)
             * (1.0 + c.relations_sensitivity * self.rules.relations_level(s.buyer_country)))
        return min(1.0, max(0.0, p))

    def decide(self) -> None:
        """Decide every application whose clock has run out (phase 6)."""
        today = self.model.date
        self.decided_today = 0
        cap = self.conf.files_per_working_day
        if cap is not None:
            if not self.model.calendar.is_working_day(today):
                return
            self.credit = min(self.credit + cap, max(cap, 1.0))
        while self.queue and self.queue[0][0] <= today:
            if cap is not None and self.credit < 1.0:
                break  # capacity used up: due files wait, oldest first
            _, _, s = heapq.heappop(self.queue)
            if s.status != Status.QUEUED:
                continue
            if cap is not None:
                self.credit -= 1.0
            self.decided_today += 1
            self.model.orders.decide(s)
            why = self.blocked(s) or ("quota" if self.headroom(s) <= QUOTA_EPS_T else "")
            if not why and self.model.rng_licensing.random() >= self.approval_prob(s):
                why = "military_end_use" if s.end_use == "military" else "not_approved"
            if why:
                self.model.orders.return_to_seller(s, why)
            else:
                self.known_pairs.add((s.seller, s.buyer))
                self.release(s, Decision.APPROVED)

    def expired(self, s: Shipment) -> bool:
        return (s.licence == Licence.INDIVIDUAL and s.decided_on is not None and
                (self.model.date - s.decided_on).days > self.conf.individual_validity_days)

    # ---------------------------------------------------------------- events
    def revoke(self, ev: PolicyEvent) -> None:
        """A revoke event: suspend general licences and cancel approved, unshipped
        licensed orders (their tonnes go back to the exporter)."""
        self.rules.start_revoke(ev)
        dests = set(ev.destinations) if ev.destinations else None
        for e in self.model.of("china_seller"):
            if ev.firms is not None and e.name not in ev.firms:
                continue
            for s in e.book:
                if (s.status == Status.APPROVED and s.licence != Licence.NONE
                        and (dests is None or s.buyer_country in dests)):
                    self.model.orders.return_to_seller(s, "revoked", status=Status.REVOKED)

    @property
    def decided_t(self) -> float:
        """Applications decided today, as a float (the agents table's ``output``)."""
        return float(self.decided_today)
