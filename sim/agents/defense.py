"""Defence primes: military end use, deep stock, the DFARS-style ban on Chinese magnets."""

from __future__ import annotations

from sim.agents.industry import IndustrialBuyer
from sim.config import DefenseConf
from sim.trade.shipments import Status


class DefensePrime(IndustrialBuyer):
    """A defence contractor needing SmCo and NdFeB.

    Its orders carry military end use, which the Ministry denies whenever the material is
    under control. From ``government.dfars_ban_date`` no Chinese-origin magnet may enter
    defence supply: ``dfars_lead_days`` before it the prime stops ordering from China and
    cancels Chinese orders not yet shipped, so that nothing Chinese arrives after the ban;
    from then it orders only from non-Chinese makers (and draws on the government
    stockpile). ``output``/``lost`` are tonnes of magnet use.
    """

    __slots__ = ("china_barred", "cancelled")
    kind = "defense"
    end_use = "military"

    def __init__(self, model, conf: DefenseConf, index: int) -> None:
        super().__init__(model, conf, index)
        self.china_barred = False  # set by a defense_ban event (lead_days ahead of the ban)
        self.cancelled = False

    def bar_china(self) -> None:
        """From today no Chinese order: unshipped ones are cancelled at the next order."""
        self.china_barred = True

    def _cancel_chinese(self) -> None:
        book = self.model.orders
        for s in list(book.live.values()):
            if s.buyer != self.name or s.seller_country != "CN":
                continue
            if s.status in (Status.QUEUED, Status.APPROVED) and s.reserved:
                book.return_to_seller(s, "dfars_ban", status=Status.CANCELLED)
            elif s.status == Status.ORDERED:
                book.close(s, Status.CANCELLED, "dfars_ban", decided=False)
        self.cancelled = True

    def order(self) -> None:
        """Order as any buyer; once China is barred, only from non-Chinese makers."""
        if not self.china_barred:
            super().order()
            return
        if not self.cancelled:
            self._cancel_chinese()
        for m in self.china_share:
            self.china_share[m] = 0.0
        if (self.model.day + self.offset) % self.review:
            return
        for m, n in self.need.items():
            if not self.model.orders.suppliers(m, china=False):
                continue  # no lawful supplier: the stockpile must carry it
            # lead times learned from Chinese orders no longer apply: no cover response
            self.order_toward_target(m, n, cover_response=0.0)

    def order_failed(self, s) -> None:
        super().order_failed(s)
        if self.china_barred:
            for m in self.china_share:
                self.china_share[m] = 0.0
