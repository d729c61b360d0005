"""Chinese magnet makers: produce (drawing elements from China's balance), screen export
orders, apply for licences, ship."""

from __future__ import annotations

import datetime as dt

from sim.agents.firm import Seller
from sim.config import ExporterConf
from sim.trade.shipments import (
    Decision,
    Licence,
    Status,
)

TO_ACT = (Status.ORDERED, Status.APPROVED)
"""What a Chinese seller's book holds: orders new or waiting for stock, and released ones
to ship (`sim.agents.firm.Seller.book`)."""


class ChinaSeller(Seller):
    """What every Chinese exporter does alike: file a screened order with the Ministry,
    refuse what it bars, and ship released orders past its last checks."""

    def file(self, s, verdict: str) -> None:
        """A reserved order goes to the Ministry: an application, or a release under a
        general licence or with no licence needed."""
        ministry = self.model.ministry
        if s.buyer_country == "CN":  # a sale inside China: no licence, quota or export
            self.model.orders.approve(s, Decision.NOT_REQUIRED)
        elif verdict == "licence":
            ministry.submit(s)
        elif verdict == "general":
            ministry.release(s, Decision.APPROVED, licence=Licence.GENERAL)
        else:
            ministry.release(s, Decision.NOT_REQUIRED)

    def refuse_barred(self, orders, verdicts: dict) -> None:
        """Close the new orders the Ministry bars; keep in the book only the orders still
        to act on: those filed for a licence leave it until released
        (`sim.trade.orders.OrderBook.approve` puts them back at their place)."""
        for s in orders:
            v = verdicts.get(s.id)
            if s.status == Status.ORDERED and v not in (None, "ok", "general", "licence"):
                self.model.orders.close(s, Status.DENIED, v, decided=True)
        self.book = [s for s in self.book if s.status in TO_ACT]

    def ship(self) -> None:
        """Ship every approved order (phase 7)."""
        ministry, book, today = self.model.ministry, self.model.orders, self.model.date
        for s in self.book:
            if s.status != Status.APPROVED or (s.ship_on is not None and s.ship_on > today):
                continue
            why = ministry.blocked(s)  # smuggled tonnes evade a quota, not an embargo
            if why:
                book.return_to_seller(s, why)
            elif ministry.expired(s):
                book.return_to_seller(s, "licence_expired", status=Status.CANCELLED)
            else:
                book.dispatch(s)
        self.book = [s for s in self.book if s.status in TO_ACT]


class Exporter(ChinaSeller):
    """A Chinese magnet maker (JL Mag and peers).

    Produces at capacity, which grows on the dates of ``capacity_additions``; keeps
    ``working_stock_days`` of output for export orders and sells
    the rest inside China. Each day it takes its open export orders first come, first served:
    an order the Ministry bars is denied; one needing a licence has its tonnes reserved and
    goes to the licence queue; one needing none is reserved and ships today. Orders it has
    no stock for wait in its book. Exporters serve the orders they can license first, so
    tonnes that cannot be exported are sold at home.
    """

    kind = "exporter"

    def __init__(self, model, conf: ExporterConf, index: int = 0) -> None:
        super().__init__(model, conf.name, conf.country, conf.capacity_tpy)
        self.conf = conf
        self.keep: dict[str, float] = {}
        self.additions = sorted((dt.date.fromisoformat(d), add)
                                for d, add in conf.capacity_additions.items())
        while self.additions and self.additions[0][0] <= model.start:
            self._grow(self.additions.pop(0)[1])  # growth dated before the run: in place
        self.keep = {m: conf.working_stock_days * c for m, c in self.capacity_tpd.items()}
        for m, k in self.keep.items():
            self.bring_in(m, k, "initial")

    def _grow(self, add: dict) -> None:
        """Dated capacity growth: capacity and the working stock kept grow with it."""
        for m, tpy in add.items():
            self.capacity_tpd[m] = self.capacity_tpd.get(m, 0.0) + tpy / 365.0
            if self.keep:
                self.keep[m] = self.keep.get(m, 0.0) + self.conf.working_stock_days * tpy / 365.0

    def produce(self) -> None:
        """Produce at capacity, drawing each grade's elements (the world's content table)
        from China's balance; with ``border.china_balance`` on, an element that has run out
        there limits the grades that need it."""
        self.produced_today = 0.0
        while self.additions and self.additions[0][0] <= self.model.date:
            self._grow(self.additions.pop(0)[1])  # dated capacity growth
        china, limit = self.model.border.china, self.model.cfg.border.china_balance
        for m, c in self.capacity_tpd.items():
            need = self.model.content.get(m, {})
            q = c
            if limit:
                for e, k in need.items():
                    if k > 0:
                        q = min(q, china.available(e) / k)
            for e, k in need.items():
                china.draw(e, q * k, "magnets")
            if q > 0:
                self.bring_in(m, q, "produced")
                self.produced_today += q

    def allocate(self) -> None:
        """Screen new orders and reserve stock for those that may go (phase 5)."""
        ministry, book = self.model.ministry, self.model.orders
        # the new orders, in book order (orders waiting for a licence are not in it)
        todo = [s for s in self.book if s.status == Status.ORDERED]
        verdicts = {s.id: ministry.screen(s) for s in todo}
        # orders that can go at once first, then those needing an application
        for wanted in (("ok", "general"), ("licence",)):
            for s in todo:
                v = verdicts.get(s.id)
                if v is None or v not in wanted or s.status != Status.ORDERED:
                    continue
                if self.stock[s.material] + 1e-9 < s.tonnes:
                    continue  # waits for stock
                book.reserve(s)
                self.file(s, v)
        self.refuse_barred(todo, verdicts)

    def sell_home(self) -> None:
        """Sell stock inside China beyond the working stock and what waiting export
        orders need (so an order larger than the working stock is filled in days)."""
        backlog = self.backlog()
        for m, keep in self.keep.items():
            k = max(keep, backlog.get(m, 0.0))
            surplus = self.stock[m] - k
            if surplus > 0:
                self.move(m, surplus, None, "sold_in_china")
