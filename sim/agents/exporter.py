"""Chinese magnet makers: produce, screen export orders, apply for licences, ship."""

from __future__ import annotations

from ..config import ExporterConf
from ..shipments import APPROVED, CANCELLED, DENIED, ORDERED, QUEUED, Shipment
from .firm import Firm


class Exporter(Firm):
    """A Chinese magnet maker (JL Mag and peers).

    Produces at capacity; keeps ``working_stock_days`` of output for export orders and sells
    the rest inside China. Each day it takes its open export orders first come, first served:
    an order the Ministry bars is denied; one needing a licence has its tonnes reserved and
    goes to the licence queue; one needing none is reserved and ships today. Orders it has
    no stock for wait in its book. Exporters serve the orders they can license first, so
    tonnes that cannot be exported are sold at home.
    """

    kind = "exporter"

    def __init__(self, model, conf: ExporterConf) -> None:
        super().__init__(model, conf.name, conf.country)
        self.capacity_tpd = {m: v / 365.0 for m, v in conf.capacity_tpy.items()}
        self.keep = {m: conf.working_stock_days * c for m, c in self.capacity_tpd.items()}
        for m, k in self.keep.items():
            self.stock[m] = k
            model.ledger.add("initial", m, k)
        self.book: list[Shipment] = []
        self.produced_today = 0.0

    def offers(self, material: str) -> float:
        """Capacity (t/day) for a material: the weight buyers route orders by."""
        return self.capacity_tpd.get(material, 0.0)

    def produce(self) -> None:
        self.produced_today = 0.0
        for m, c in self.capacity_tpd.items():
            self.stock[m] += c
            self.produced_today += c
            self.model.ledger.add("produced", m, c)

    def allocate(self) -> None:
        """Screen new orders and reserve stock for those that may go (phase 5)."""
        ministry = self.model.ministry
        verdicts = {s.id: ministry.screen(s) for s in self.book if s.status == ORDERED}
        # orders that can go at once first, then those needing an application
        for wanted in (("ok", "general"), ("licence",)):
            for s in self.book:
                v = verdicts.get(s.id)
                if v is None or v not in wanted or s.status != ORDERED:
                    continue
                if self.stock[s.material] + 1e-9 < s.tonnes:
                    continue  # waits for stock
                self.take(s.material, s.tonnes)
                s.reserved = True
                if v == "licence":
                    ministry.submit(s)
                elif v == "general":
                    ministry.release(s, "approved", licence="general")
                else:
                    ministry.release(s, "not_required")
        for s in self.book:
            v = verdicts.get(s.id)
            if s.status == ORDERED and v not in (None, "ok", "general", "licence"):
                self.model.close_order(s, DENIED, v, decided=True)
        self.book = [s for s in self.book if s.status in (ORDERED, QUEUED, APPROVED)]

    def ship(self) -> None:
        """Ship every approved order (phase 7)."""
        ministry, today = self.model.ministry, self.model.date
        for s in self.book:
            if s.status != APPROVED or (s.ship_on is not None and s.ship_on > today):
                continue
            why = ministry.blocked(s)
            if why:
                self.model.return_to_seller(s, why)
            elif ministry.expired(s):
                self.model.return_to_seller(s, "licence_expired", status=CANCELLED)
            else:
                self.model.dispatch(s)
        self.book = [s for s in self.book if s.status in (ORDERED, QUEUED, APPROVED)]

    def sell_home(self) -> None:
        """Sell stock inside China beyond the working stock and what waiting export
        orders need (so an order larger than the working stock is filled in days)."""
        backlog: dict[str, float] = {}
        for s in self.book:
            if s.status == ORDERED:
                backlog[s.material] = backlog.get(s.material, 0.0) + s.tonnes
        for m, keep in self.keep.items():
            k = max(keep, backlog.get(m, 0.0))
            surplus = self.stock[m] - k
            if surplus > 0:
                self.stock[m] = k
                self.model.ledger.add("sold_in_china", m, surplus)

    def record(self) -> dict:
        row = super().record()
        row.update(output=self.produced_today, lost=0.0, cover_days=float("nan"))
        return row
