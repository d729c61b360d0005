"""Chinese exporters of rare-earth raw materials (oxides, metals) under aggregate quotas."""

from __future__ import annotations

from sim.agents.exporter import ChinaSeller
from sim.agents.ministry import QUOTA_EPS_T
from sim.domain.products import BY_CODE, RAW
from sim.trade.shipments import Decision, Status


class RawExporter(ChinaSeller):
    """A licensed Chinese raw-material exporter holding a share of the export quota.

    Each day it draws from China's balance (`sim.china`) the tonnes its open orders need
    (phase ``produce``). It screens orders like a magnet exporter (the Ministry's controls,
    licences and end-use rules apply per product category). Under a binding aggregate quota
    (`sim.border`) it serves the orders of highest value per tonne of REO first (inside
    price / REO per tonne: the value before the rationing premium the quota itself
    creates) and refuses products whose turn the year's room will not reach
    (`Border.within_mix`), cuts the order that crosses the cap to fit and refuses the rest
    (reason ``reo_quota``); a share ``border.leakage`` of refused tonnes leaves anyway
    (reason ``smuggled``, no licence, not counted by the quota). Tonnes it cannot export go
    back into China's balance (phase ``ship``).
    """

    kind = "raw_exporter"

    def __init__(self, model, conf, index: int = 0) -> None:
        super().__init__(model, conf.name, conf.country, {})
        self.conf = conf
        self.seen: set[int] = set()

    def offers(self, material: str) -> float:
        return self.conf.quota_share if material in RAW else 0.0

    @staticmethod
    def _element(material: str) -> tuple[str, float]:
        ((e, k),) = BY_CODE[material].elements.items()
        return e, k

    def produce(self) -> None:
        self.produced_today = 0.0
        china = self.model.border.china
        for p, want in self.backlog().items():
            short = want - self.stock[p]
            if short <= 1e-9:
                continue
            e, k = self._element(p)
            t = china.draw(e, short * k, "exports") / k
            if t > 0:
                self.bring_in(p, t, "from_china_balance")
                self.produced_today += t

    def allocate(self) -> None:
        """Screen new orders, fit them under the quotas and reserve stock (phase 5)."""
        m = self.model
        ministry, book, border, year = m.ministry, m.orders, m.border, m.date.year
        todo = [s for s in self.book if s.status == Status.ORDERED]
        for s in todo:
            if s.id not in self.seen:
                self.seen.add(s.id)
                border.note_order(s.material, s.tonnes)
        verdicts = {s.id: ministry.screen(s) for s in todo}
        price = m.market.price_cn  # value before the quota's own rationing premium
        if border.conf.mix_by_value and any(border.binding(s.material, year) for s in todo):
            todo.sort(key=lambda s: -price[s.material] / BY_CODE[s.material].reo)
        for wanted in (("ok", "general"), ("licence",)):
            for s in todo:
                v = verdicts.get(s.id)
                if v not in wanted or s.status != Status.ORDERED:
                    continue
                if self.stock[s.material] + 1e-9 < s.tonnes:
                    continue  # waits for stock
                room = border.room(s.material, year)
                if room <= QUOTA_EPS_T or (room < float("inf") and not border.within_mix(
                        s.material, m.date, price)):
                    book.close(s, Status.DENIED, "reo_quota", decided=True)
                    self._leak(s, s.tonnes)
                    continue
                book.reserve(s)
                if room < s.tonnes:
                    rest = book.cut_to(s, room, "reo_quota")
                    self._leak(s, rest.tonnes)
                border.count(s.material, s.tonnes, year)
                self.file(s, v)
        self.refuse_barred(todo, verdicts)

    def _leak(self, s, refused: float) -> None:
        """Tonnes refused by a quota that leave anyway (smuggling): ``border.leakage`` of
        them, or ``border.leakage_controls`` where the product needs an export licence to
        the destination. They travel as decision ``smuggled``, counted by product and
        destination (the daily ``smuggled_t``, the KPI ``smuggled_t``)."""
        m = self.model
        controlled = m.ministry.rules.requires_licence(s.material, s.buyer_country)
        conf = m.border.conf
        t = refused * (conf.leakage_controls if controlled else conf.leakage)
        if t <= 1e-9:
            return
        buyer = m.by_name[s.buyer]
        x = m.orders.new_order(buyer, self, s.material, t, s.ordered_on)
        buyer.on_order[s.material] = buyer.on_order.get(s.material, 0.0) + t
        m.orders.reserve(x)
        m.orders.approve(x, Decision.SMUGGLED, reason="smuggled")
        m.border.smuggled_today += t
        self.book.append(x)

    def sell_home(self) -> None:
        """Stock no open order needs goes back into China's balance."""
        china, backlog = self.model.border.china, self.backlog()
        for p in RAW:
            spare = self.stock[p] - backlog.get(p, 0.0)
            if spare > 1e-9:
                e, k = self._element(p)
                self.move(p, spare, None, "back_to_china_balance")
                china.give_back(e, spare * k)
