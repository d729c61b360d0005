"""Non-Chinese magnet makers: turn oxide into magnets and sell without Chinese licences."""

from __future__ import annotations

import datetime as dt

from ..config import MakerConf
from ..products import FEEDSTOCK
from ..shipments import Decision, Status
from .firm import Seller


class MagnetMaker(Seller):
    """A magnet maker outside China (Japan/EU today; US plants later).

    Makes to order: produces up to capacity, limited by its oxide stock, only as much as
    keeps ``working_stock_days`` of output in stock beyond its open orders. Fills orders first
    come, first served; its shipments need no Chinese licence. Dated capacity additions
    (``capacity_additions``, e.g. a 10,000 t/yr plant from 2028) raise capacity on their
    date; buyers then route more of their non-Chinese orders to it.
    """

    kind = "maker"

    def __init__(self, model, conf: MakerConf) -> None:
        super().__init__(model, conf.name, conf.country, conf.capacity_tpy)
        self.conf = conf
        self.oxide_per_t = dict(conf.oxide_per_t)
        self.keep = {m: conf.working_stock_days * c for m, c in self.capacity_tpd.items()}
        for m, k in self.keep.items():
            self.bring_in(m, k, "initial")
        self.bring_in(FEEDSTOCK, self.oxide_target, "initial")
        self.additions = sorted((dt.date.fromisoformat(d), add)
                                for d, add in conf.capacity_additions.items())

    def _add_capacity(self) -> None:
        """Bring dated capacity additions on line."""
        while self.additions and self.additions[0][0] <= self.model.date:
            _, add = self.additions.pop(0)
            for m, tpy in add.items():
                self.capacity_tpd[m] = self.capacity_tpd.get(m, 0.0) + tpy / 365.0
                self.keep[m] = self.keep.get(m, 0.0) + self.conf.working_stock_days * tpy / 365.0

    @property
    def oxide_target(self) -> float:
        """Oxide stock wanted: ``oxide_cover_days`` of full-capacity use."""
        return self.conf.oxide_cover_days * sum(c * self.oxide_per_t.get(m, 0.0)
                                      for m, c in self.capacity_tpd.items())

    def produce(self) -> None:
        self._add_capacity()
        self.produced_today = 0.0
        backlog = self.backlog()
        for m, cap in self.capacity_tpd.items():
            want = max(0.0, self.keep[m] + backlog.get(m, 0.0) - self.stock[m])
            q = min(cap, want)
            ratio = self.oxide_per_t.get(m, 0.0)
            if ratio > 0:
                q = min(q, self.stock[FEEDSTOCK] / ratio)
                self.move(FEEDSTOCK, q * ratio, None, "feedstock")
            if q > 0:
                self.bring_in(m, q, "produced")
                self.produced_today += q

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
