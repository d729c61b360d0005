"""The order book: every order's life from placing to delivery or refusal.

It owns the shipments, their routing to sellers, the moves of their state (reserve, queue,
approve, dispatch, deliver, close, return), transit times and their noise, arrivals and the
warm start. Agents and the Ministry change an order only through these operations, and
tonnes move only through `Ledger.move` (seller stock -> order -> buyer stock). The
interface speaks of orders and firms, not of their storage (columnar arrays later).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from operator import attrgetter

import pandas as pd

from sim.config.firm_kinds import kinds_with
from sim.domain.products import MATERIALS
from sim.domain.sums import ExactTally
from sim.trade.closed import ClosedOrders, shipments_frame
from sim.trade.keyed import HOLD_SALT, INSPECT_SALT, KeyedDraws
from sim.trade.routing import Routing
from sim.trade.shipments import IN_BOOK, Decision, Licence, Shipment, Status


class OrderBook(Routing, KeyedDraws):
    """All orders of a run, their routing, state moves, transit and arrivals.

    Args:
        model: the SupplyChainModel (its world, calendar, ledger and random streams).
    """

    def __init__(self, model) -> None:
        self.model = model
        self.live: dict[int, Shipment] = {}  # id -> order, in id order, until archived
        self.closed = ClosedOrders()  # closed orders as columns (`archive`)
        self._closing: list[Shipment] = []  # closed since the last `archive`, still live
        self._count = 0  # orders placed: the next order's id
        self.arrivals: dict[int, list[Shipment]] = defaultdict(list)
        self.exports_today: dict[str, float] = defaultdict(float)
        self.clearances: dict[int, list[Shipment]] = defaultdict(list)  # day -> at customs
        # held at customs by a bar (embargo, anti-diversion, denial) that began while they
        # waited there: order id -> (shipment, days from clearance to arrival, held since)
        self.held: dict[int, tuple[Shipment, int, dt.date]] = {}
        self.non_cn_today = 0.0
        self._index: dict[str, int] = {}
        self._keyed: dict[tuple, int] = {}  # (salt, buyer, seller) -> their part of a draw
        self.links: dict[tuple[str, str], dict[str, float]] = {}
        # tier-1s: (plant, product) -> {tier-1: share}, and each tier-1's conf
        self.tier_links: dict[tuple[str, str], dict[str, float]] = {}
        w = model.cfg.world
        self.tier1 = {c.name: c for k in kinds_with("tier1") if k.enabled(w)
                      for c in w.firms.get(k.key, ())}
        for link in w.links or ():
            links = self.tier_links if link.supplier in self.tier1 else self.links
            links.setdefault((link.customer, link.product), {})[link.supplier] = link.share
        self.components_cn_today = 0.0
        self._suppliers: dict = {}  # (day, material, Chinese?) -> sellers offering it
        self._buyers_of: dict = {}  # material -> the firms that buy it from sellers
        self._users_of: dict = {}  # material -> the buyers whose needs name it
        self._by_buyer: dict[str, list[Shipment]] = {}  # buyer -> its open orders (`open_of`)
        self.queued = ExactTally()  # tonnes per material of the orders QUEUED (`queue`)

    ARCHIVE_DAYS = 32
    ARCHIVE_ORDERS = 1 << 15
    """Closed orders kept as objects at most before they are archived sooner than every
    `ARCHIVE_DAYS` days: a world of 10,000 firms closes about 7,000 orders a day, and
    32 days of them as objects made much of Python's heap (which it keeps once grown)."""

    def new_day(self) -> None:
        """Reset today's export counters and the day's routing cache (phase 0); every
        `ARCHIVE_DAYS` days, or once `ARCHIVE_ORDERS` orders have closed, keep the orders
        closed since as columns (`archive`)."""
        if (self.model.day % self.ARCHIVE_DAYS == 0
                or len(self._closing) >= self.ARCHIVE_ORDERS):
            self.archive()
        self._suppliers.clear()
        self.exports_today.clear()
        self.non_cn_today = 0.0
        self.components_cn_today = 0.0

    def index_firms(self, names) -> None:
        """Fix each firm's number (keys the transit noise)."""
        self._index = {name: i for i, name in enumerate(names)}
        self._keyed.clear()

    def new_order(self, b, seller, material: str, tonnes: float, ordered_on: dt.date) -> Shipment:
        s = Shipment(id=self._count, material=material, tonnes=tonnes,
                     seller=seller.name, seller_country=seller.country, buyer=b.name,
                     buyer_country=b.country, end_use=b.end_use, ordered_on=ordered_on,
                     component=seller.kind == "tier1")
        self._count += 1
        self.live[s.id] = s
        self._by_buyer.setdefault(b.name, []).append(s)
        return s

    def open_of(self, buyer: str) -> list[Shipment]:
        """The buyer's orders still in a seller's book (ordered, queued or approved), in
        the order they were made: a buyer's own orders without scanning every book."""
        mine = self._by_buyer.get(buyer)
        if not mine:
            return []
        mine[:] = [s for s in mine if s.status in IN_BOOK]
        return mine

    def place(self, b, material: str, qty: float) -> None:
        """A buyer orders ``qty`` tonnes; the order goes into its sellers' books."""
        for seller, t in self.split(b, material, qty):
            s = self.new_order(b, seller, material, t, self.model.date)
            seller.book.append(s)
            b.on_order[material] += t

    def warm_start(self, b) -> None:
        """Put the steady-state pipeline in transit: orders placed before the start arrive
        one review period apart over the expected lead time, so day 1 is not a cold start."""
        start, ledger = self.model.start, self.model.ledger
        for m, n in b.need.items():
            lead = b.lead_est[m]
            k = 0
            while k * b.review < lead:
                arrive = start + dt.timedelta(days=k * b.review + 1)
                for seller, t in self.split(b, m, n * b.review):
                    placed = min(arrive - dt.timedelta(days=round(lead)),
                                 start - dt.timedelta(days=1))
                    s = self.new_order(b, seller, m, t, placed)
                    ledger.move(m, t, None, s, flow="initial")
                    s.move_to(Status.APPROVED)
                    s.decision = Decision.NOT_REQUIRED
                    s.move_to(Status.IN_TRANSIT)
                    s.decided_on = s.shipped_on = s.ordered_on
                    if s.seller_country == "CN" and s.buyer_country != "CN" \
                            and not s.component:
                        s.cleared_on = s.shipped_on
                    s.due_on = arrive
                    self.arrivals[(arrive - start).days].append(s)
                    b.on_order[m] += t
                k += 1

    # ---------------------------------------------------------------- state moves
    def reserve(self, s: Shipment) -> None:
        """The seller sets the order's tonnes aside from its stock."""
        self.model.ledger.move(s.material, s.tonnes, self.model.by_name[s.seller], s)

    def queue(self, s: Shipment) -> None:
        """A licence application is filed for the (reserved) order."""
        s.applied_on, s.licence = self.model.date, Licence.INDIVIDUAL
        s.move_to(Status.QUEUED)
        self.queued.add(s.material, s.tonnes)

    def _unqueue(self, s: Shipment) -> bool:
        """An order leaving the licence queue (decided, refused, cancelled, revoked): its
        tonnes leave the queue's tally. Whether it was waiting there."""
        if s.status is not Status.QUEUED:
            return False
        self.queued.take(s.material, s.tonnes)
        return True

    def accept(self, s: Shipment, accepted_on: dt.date, rfi: bool) -> None:
        """MOFCOM accepts a filed application on ``accepted_on`` (its clock runs from
        then); ``rfi``: its end-use file is incomplete, a request for information follows."""
        s.accepted_on, s.rfi = accepted_on, rfi

    def decide(self, s: Shipment) -> None:
        """An application's clock ran out: it is decided today (approved or refused next)."""
        s.decided_on = self.model.date

    def expedite(self, s: Shipment) -> None:
        """Move an order that has not shipped to air freight (`dispatch` flies it)."""
        s.expedited = True

    def approve(self, s: Shipment, decision: Decision, licence: Licence | None = None,
                ship_on: dt.date | None = None, reason: str = "") -> None:
        """Release a reserved order to ship on ``ship_on`` (today by default); ``reason``
        says why it goes where that is not a licence (``smuggled``: leakage)."""
        today = self.model.date
        s.decision = decision
        if reason:
            s.reason = reason
        if self._unqueue(s):  # licensed: back into its seller's book
            self.model.by_name[s.seller].readmit(s)
        s.move_to(Status.APPROVED)
        if licence is not None:
            s.licence, s.applied_on = licence, today
        s.decided_on = s.decided_on or today
        s.ship_on = ship_on or today

    def dispatch(self, s: Shipment) -> None:
        """Ship a released order.

        A Chinese export first passes customs (`customs_days`: customs checks plus any
        customs hold); it leaves China on ``cleared_on`` and arrives after the
        destination's transit time counted from release, so its due date is release +
        customs + transit (+ jitter). Its tonnes count as exports on the clearance day
        (``licensing.date_exports_at_clearance``; false: on the release day). Until it
        arrives the shipment holds its tonnes (IN_TRANSIT), held at customs or not. An
        embargo, anti-diversion hold or end-use denial that begins while it waits at customs
        stops it there (`clear_due`).

        An expedited order (`Buyer.expedite`) flies: its transit is the buyer's
        ``air_transit_days`` where that is shorter (else it ships as usual and is no
        longer expedited); the jitter keeps its keyed draw and amplitude."""
        model = self.model
        w = model.cfg.world
        customs = 0
        export = s.seller_country == "CN" and s.buyer_country != "CN" and not s.component
        if s.component:  # a tier-1's components: not a magnet export, no magnet customs
            transit = self.component_transit(s.seller, s.buyer_country)
            if s.seller_country == "CN" and s.buyer_country != "CN":
                self.components_cn_today += s.tonnes
        elif export:
            customs = self.customs_days(s)
            transit = w.transit_days.get(s.buyer_country, w.transit_days_default)
        else:  # a non-Chinese maker's sale, or a Chinese exporter's sale inside China
            transit = w.domestic_transit_days
            if s.seller_country != "CN":
                self.non_cn_today += s.tonnes
        if s.expedited:  # air freight where it is faster; otherwise the usual mode, no cost
            air = model.by_name[s.buyer].conf.air_transit_days
            if air < transit:
                transit = air
            else:
                s.expedited = False
        base = transit + customs
        j = w.transit_jitter_days
        days = max(customs + 1,
                   int(round(base + (self.transit_noise(s) * j if j > 0 else 0.0))))
        s.move_to(Status.IN_TRANSIT)
        s.shipped_on = model.date
        s.due_on = model.date + dt.timedelta(days=days)
        self.arrivals[model.day + days].append(s)
        if export:
            s.cleared_on = model.date + dt.timedelta(days=customs)
            if customs > 0:
                self.clearances[model.day + customs].append(s)
            if customs == 0 or not model.ministry.conf.date_exports_at_clearance:
                self.exports_today[s.material] += s.tonnes

    def customs_days(self, s: Shipment) -> int:
        """Days a Chinese export spends at customs: the destination's customs checks
        (``customs_checks`` events) plus, while a ``customs_hold`` event covers its product
        and destination, a whole number of days drawn uniformly in [min, max] for the share
        ``customs_hold_share`` of shipments it holds, both drawn with a hash keyed by the
        order (`order_uniform`), so they are the same under every policy."""
        rules, conf = self.model.ministry.rules, self.model.ministry.conf
        days = rules.customs_delay(s.buyer_country)
        hold = (rules.customs_hold(s.material, s.buyer_country)
                if conf.customs_holds else None)
        if hold is not None and (conf.customs_hold_share >= 1.0 or self.order_uniform(
                s, INSPECT_SALT) < conf.customs_hold_share):
            lo, hi = hold
            days += lo + min(hi - lo, int(self.order_uniform(s, HOLD_SALT) * (hi - lo + 1)))
        return days

    def clear_due(self) -> None:
        """Customs clears today's exports (phase 8, before arrivals) and counts them.

        Export clearance is where an embargo bites (2010: customs stopped clearing cargo to
        Japan): an export whose destination an embargo, an anti-diversion hold or an
        end-use denial bars on its clearance day is held at customs, holding its tonnes,
        for as long as the bar lasts, and cleared on the first day it is lifted; it then
        arrives after the rest of its transit (``held_days`` on the shipment, the daily
        ``held_at_customs_t``). Held goods are neither returned nor lost."""
        m = self.model
        by_clock = m.ministry.conf.date_exports_at_clearance
        for sid, (s, rest, since) in list(self.held.items()):  # bars lifted: cleared today
            if not m.ministry.blocked(s):
                del self.held[sid]
                s.held_days = (m.date - since).days
                s.cleared_on, s.due_on = m.date, m.date + dt.timedelta(days=rest)
                self.arrivals[m.day + rest].append(s)
                if by_clock:
                    self.exports_today[s.material] += s.tonnes
        for s in self.clearances.pop(m.day, ()):
            if m.ministry.blocked(s):  # a bar that began while it waited at customs
                self.arrivals[(s.due_on - m.start).days].remove(s)
                self.held[s.id] = (s, (s.due_on - m.date).days, m.date)
                s.cleared_on = s.due_on = None
            elif by_clock:
                self.exports_today[s.material] += s.tonnes

    def held_tonnes(self) -> float:
        """Tonnes of exports held at customs by a bar today."""
        return sum(s.tonnes for s, _, _ in self.held.values())

    def deliver_due(self) -> None:
        """Receive today's arrivals into their buyers' stocks."""
        model = self.model
        closing = self._closing
        for s in self.arrivals.pop(model.day, ()):
            s.move_to(Status.DELIVERED)
            closing.append(s)
            s.delivered_on = model.date
            buyer = model.by_name[s.buyer]
            model.ledger.move(s.material, s.tonnes, s, buyer)
            buyer.receive(s)

    def close(self, s: Shipment, status: Status, reason: str, decided: bool) -> None:
        """End an order that will not ship; its buyer stops counting it."""
        self._unqueue(s)
        s.move_to(status)
        self._closing.append(s)
        s.reason = reason
        if decided:
            s.decision = Decision.DENIED
            s.decided_on = s.decided_on or self.model.date
        self.model.by_name[s.buyer].order_failed(s)

    def return_to_seller(self, s: Shipment, reason: str, status: Status = Status.DENIED) -> None:
        """A reserved order is refused, revoked or cancelled: its tonnes go back to the
        seller's stock and the buyer stops counting it."""
        self.model.ledger.move(s.material, s.tonnes, s, self.model.by_name[s.seller])
        self.close(s, status, reason, decided=s.decision == Decision.PENDING)
        if status == Status.DENIED:
            s.decision = Decision.DENIED

    def cut_to(self, s: Shipment, keep: float, reason: str) -> Shipment:
        """Cut a reserved order to ``keep`` tonnes; the rest becomes an order of its own,
        refused for ``reason``, its tonnes back in the seller's stock."""
        seller = self.model.by_name[s.seller]
        rest = self.new_order(self.model.by_name[s.buyer], seller, s.material,
                              s.tonnes - keep, s.ordered_on)
        ledger = self.model.ledger
        ledger.move(s.material, s.tonnes, s, seller)
        if s.status is Status.QUEUED:  # the licence queue's tonnes shrink with it
            self.queued.take(s.material, s.tonnes, count=0)
            self.queued.add(s.material, keep, count=0)
        s.tonnes = keep
        ledger.move(s.material, keep, seller, s)
        self.close(rest, Status.DENIED, reason, decided=True)
        return rest

    def split_off(self, s: Shipment, keep: float) -> Shipment:
        """Cut an order not yet allocated to ``keep`` tonnes; the rest becomes an order of
        its own, still waiting in the seller's book (the caller adds it). No tonnes move:
        an ORDERED order holds none, and the buyer's tonnes on order are unchanged."""
        assert s.status == Status.ORDERED and not s.reserved
        rest = self.new_order(self.model.by_name[s.buyer], self.model.by_name[s.seller],
                              s.material, s.tonnes - keep, s.ordered_on)
        rest.expedited = s.expedited
        s.tonnes = keep
        return rest

    # ---------------------------------------------------------------- storage
    def archive(self) -> None:
        """Keep the orders closed since the last call as columns (`ClosedOrders`) and let
        their objects go: a closed order never changes again."""
        if self.closed.released:
            raise RuntimeError("the run's last table was built: its closed orders are gone")
        if not self._closing:
            return
        live, by_buyer = self.live, self._by_buyer
        for i in self.closed.add(self._closing).tolist():
            del live[i]
        # (`open_of`): the closed orders let go, from the lists of the buyers they were of
        # (every order that leaves the book closes in time and is archived then)
        for name in dict.fromkeys(s.buyer for s in self._closing):
            mine = by_buyer.get(name)
            if mine:
                mine[:] = [s for s in mine if s.status in IN_BOOK]
        self._closing = []

    @property
    def shipments(self) -> list[Shipment]:
        """Every order of the run in id order: open ones as the run's objects, archived
        ones as copies rebuilt from their columns (for inspection)."""
        if self.closed.released:
            raise RuntimeError("the run's last table was built: its closed orders are gone")
        if not self.closed.count:
            return list(self.live.values())
        return sorted([*self.closed.orders(), *self.live.values()], key=attrgetter("id"))

    def table(self, release: bool = False) -> pd.DataFrame:
        """The shipments table (`sim.trade.closed.shipments_frame`), one row per order;
        ``release``: the closed orders' columns are let go into it (the run's last table)."""
        self.archive()
        return shipments_frame(list(self.live.values()), self.closed, self._count, release)

    # ---------------------------------------------------------------- queries
    def reserved_tonnes(self) -> dict[str, float]:
        """Tonnes held by orders (queued, approved, in transit), per material."""
        out = dict.fromkeys(MATERIALS, 0.0)
        for s in self.live.values():
            if s.reserved:
                out[s.material] += s.tonnes
        return out
