"""Non-Chinese magnet makers: turn raw materials into magnets, sell without Chinese
licences, and buy the elements their mines do not supply from China."""

from __future__ import annotations

import datetime as dt

from sim.agents.firm import Seller
from sim.config import MakerConf
from sim.domain.products import (
    BY_CODE,
    FEEDSTOCK,
    OXIDE_OF,
    RAW,
)
from sim.trade.shipments import Decision, Status


class MagnetMaker(Seller):
    """A magnet maker outside China (Japan/EU today; US plants later).

    Makes to order: produces up to capacity, limited by its raw-material stocks, only as
    much as keeps ``working_stock_days`` of output in stock beyond its open orders. A grade
    it makes with ``feed`` true draws, per tonne, each element of the world's content
    table (t REO per t, `sim.china`) from its stocks of raw products holding the element
    (oxide first, then metal). It holds ``oxide_cover_days`` of full-capacity use of each
    element: mines push NdPr oxide to it (`Mine.produce`); the rest it orders every
    ``review_days`` from Chinese raw-material exporters as the element's oxide, up to
    target cover plus use over its expected lead time minus stock and orders placed
    (``border.raw_trade``; off: the elements other than NdPr appear when needed, as before
    raw trade was modelled). Fills orders first come, first served; its shipments need no
    Chinese licence. Dated capacity additions raise capacity on their date.
    """

    kind = "maker"
    end_use = "civil"

    def __init__(self, model, conf: MakerConf, index: int = 0) -> None:
        super().__init__(model, conf.name, conf.country, conf.capacity_tpy)
        self.conf = conf
        self.feed = {m: dict(model.content.get(m, {})) for m, on in conf.feed.items() if on}
        self._use: dict[str, float] = {}  # element -> use_tpd (until capacity changes)
        self.keep = {m: conf.working_stock_days * c for m, c in self.capacity_tpd.items()}
        for m, k in self.keep.items():
            self.bring_in(m, k, "initial")
        self.review, self.offset = 7, index % 7
        self.on_order = dict.fromkeys(RAW, 0.0)
        w = model.cfg.world
        self.lead_est = 1.0 + w.transit_days.get(conf.country, w.transit_days_default)
        for e in self.elements():  # warm start: at the order-up-to level, so the first
            # orders replace use instead of filling the whole pipeline at once
            extra = (self.use_tpd(e) * (self.review + self.lead_est)
                     if e != "ndpr" and model.cfg.border.raw_trade else 0.0)
            self.bring_in(OXIDE_OF[e], self.feed_target(e) + extra, "initial")
        self.additions = sorted((dt.date.fromisoformat(d), add)
                                for d, add in conf.capacity_additions.items())
        self.china_share: dict[str, float] = {}

    # ---------------------------------------------------------------- feed
    def elements(self) -> list[str]:
        return sorted({e for c in self.feed.values() for e in c})

    def use_tpd(self, e: str) -> float:
        """Daily use of element ``e`` (t REO) at full capacity (kept until it changes)."""
        got = self._use.get(e)
        if got is None:
            got = self._use[e] = sum(c * self.feed.get(m, {}).get(e, 0.0)
                                     for m, c in self.capacity_tpd.items())
        return got

    def feed_target(self, e: str) -> float:
        return self.conf.oxide_cover_days * self.use_tpd(e)

    def held(self, e: str) -> float:
        """Tonnes of REO of element ``e`` in stock, all raw products together."""
        return sum(self.stock[p] * BY_CODE[p].elements.get(e, 0.0) for p in RAW)

    @property
    def oxide_target(self) -> float:
        """NdPr oxide stock wanted (what mines and recycling top up)."""
        return self.feed_target("ndpr")

    @property
    def oxide_per_t(self) -> dict[str, float]:
        """Tonnes of REO per tonne of each grade made from feed (all elements)."""
        return {m: sum(c.values()) for m, c in self.feed.items()}

    def _draw(self, e: str, t_reo: float) -> None:
        for p in RAW:
            k = BY_CODE[p].elements.get(e, 0.0)
            if k <= 0 or t_reo <= 1e-12:
                continue
            take = min(self.stock[p], t_reo / k)
            if take > 0:
                self.move(p, take, None, "feedstock")
                t_reo -= take * k

    def _add_capacity(self) -> None:
        """Bring dated capacity additions on line."""
        while self.additions and self.additions[0][0] <= self.model.date:
            _, add = self.additions.pop(0)
            self._use.clear()
            for m, tpy in add.items():
                self.capacity_tpd[m] = self.capacity_tpd.get(m, 0.0) + tpy / 365.0
                self.keep[m] = self.keep.get(m, 0.0) + self.conf.working_stock_days * tpy / 365.0

    def makeable(self, m: str, q: float) -> float:
        """Up to ``q`` tonnes of ``m`` that the feed stocks allow."""
        for e, c in self.feed.get(m, {}).items():
            if c > 0:
                q = min(q, self.held(e) / c)
        return max(0.0, q)

    def consume_feed(self, m: str, q: float) -> None:
        for e, c in self.feed.get(m, {}).items():
            self._draw(e, q * c)

    def produce(self) -> None:
        self._add_capacity()
        self._top_up_outside_model()
        self.produced_today = 0.0
        backlog = self.backlog()
        for m, cap in self.capacity_tpd.items():
            want = max(0.0, self.keep[m] + backlog.get(m, 0.0) - self.stock[m])
            q = self.makeable(m, min(cap, want))
            self.consume_feed(m, q)
            if q > 0:
                self.bring_in(m, q, "produced")
                self.produced_today += q

    # ---------------------------------------------------------------- raw purchases
    def _top_up_outside_model(self) -> None:
        """Without raw trade: elements other than NdPr appear when needed."""
        if self.model.cfg.border.raw_trade:
            return
        for e in self.elements():
            if e != "ndpr" and self.held(e) < self.feed_target(e):
                self.bring_in(OXIDE_OF[e], self.feed_target(e) - self.held(e),
                              "raw_outside_model")

    def order(self) -> None:
        """Order elements from China on review days (phase 4)."""
        m = self.model
        if not m.cfg.border.raw_trade or (m.day + self.offset) % self.review:
            return
        for e in self.elements():
            p = OXIDE_OF[e]
            use = self.use_tpd(e)
            k = BY_CODE[p].reo
            gap = self.feed_target(e) - self.held(e) - self.on_order[p] * k
            if e != "ndpr":  # NdPr: mines and recycling top it up daily, China fills gaps
                gap += use * (self.review + self.lead_est)
            if gap / k > 1e-6 and m.orders.suppliers(p, True):
                m.orders.place(self, p, gap / k)

    def receive(self, s) -> None:
        self.on_order[s.material] = max(0.0, self.on_order[s.material] - s.tonnes)
        lead = (s.delivered_on - s.ordered_on).days
        self.lead_est += 0.25 * (lead - self.lead_est)

    def order_failed(self, s) -> None:
        self.on_order[s.material] = max(0.0, self.on_order[s.material] - s.tonnes)

    # ---------------------------------------------------------------- selling
    def allocate(self) -> None:
        """Reserve stock for orders, first come first served (phase 5)."""
        book = self.model.orders
        blocked: set[str] = set()
        for s in self.book:
            if s.status != Status.ORDERED or s.material in blocked:
                continue
            if self.stock[s.material] + 1e-9 < s.tonnes:
                blocked.add(s.material)  # first come, first served per material
                continue
            book.reserve(s)
            book.approve(s, Decision.NOT_REQUIRED)

    def ship(self) -> None:
        keep = []
        for s in self.book:
            if s.status == Status.APPROVED:
                self.model.orders.dispatch(s)
            elif s.status == Status.ORDERED:
                keep.append(s)
        self.book = keep


__all__ = ["MagnetMaker", "FEEDSTOCK"]
