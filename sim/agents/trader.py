"""Speculative stocks outside China: traders who buy raw materials on rising expected
prices and sell them later to buyers who run short."""

from __future__ import annotations

from sim.agents.firm import Firm
from sim.domain.products import BY_CODE, RAW


class Trader(Firm):
    """Traders and stockholders outside China (one aggregate; ``border.speculation``).

    Each day (phase ``order``), per raw product ``p`` with outside price ``P``::

        trend  += (1 / trend_days) * (P / P_yesterday - 1 - trend)     (a daily growth rate;
                                                   P net of export duty: a duty is no trend)
        rising  = trend * trend_days > spec_buy_trend                  (expected rise)
        buy     : while rising and stock + on order < spec_max_days x outside use,
                  order spec_buy_days x outside use from Chinese raw exporters
                  (licences, quotas and customs apply as to any buyer)
        sell    : while not rising and P above its opening level, sell up to
                  spec_sell_days x outside use to buyers short of their target cover,
                  in proportion to their shortfall

"Outside use" is the daily need of the raw product of buyers outside China (makers' feed
in the element's oxide, raw-material users). Buying as prices rise adds to demand early;
selling after the turn releases stock into the peak. Tonnes move only through the
ledger: bought tonnes arrive by the order book, sold tonnes move to the buyer's stock.
"""

    kind = "trader"
    ROW = {"output": "sold_today", "lost": "ZERO", "cover_days": "NAN"}
    end_use = "civil"

    roles = frozenset({"holder", "party", "trader"})

    def __init__(self, model, conf, country: str = "NL") -> None:
        super().__init__(model, "outside traders", country)
        self.conf = conf
        self.on_order = dict.fromkeys(RAW, 0.0)
        self.china_share: dict[str, float] = {}
        self.trend = dict.fromkeys(RAW, 0.0)
        self.last: dict[str, float] = {}
        self.sold_today = 0.0
        self._use: dict = {}

    def outside_use(self, p: str) -> float:
        """Daily need of raw product ``p`` of buyers outside China (t/day; kept for the
        day)."""
        key = (self.model.steps, p)
        if key not in self._use:
            self._use = {key: self._outside_use(p), **{
                k: v for k, v in self._use.items() if k[0] == self.model.steps}}
        return self._use[key]

    def _outside_use(self, p: str) -> float:
        m = self.model
        e = next(iter(BY_CODE[p].elements))
        k = BY_CODE[p].reo
        # the buyers whose needs name p: the others add 0.0, which leaves sum()'s
        # compensated total as it is
        use = sum((b.need[p] for b in m.orders.users_of(p)), 0.0)
        if p == f"{e}_oxide":
            use += sum(mk.use_tpd(e) for mk in m.of("maker")) / k
        return use

    def _short(self, p: str) -> list[tuple]:
        """(holder, shortfall in t of p) of buyers below their target cover of ``p``."""
        m = self.model
        e = next(iter(BY_CODE[p].elements))
        k = BY_CODE[p].reo
        out = []
        for b in m.orders.users_of(p):
            n = b.need[p]
            if n > 0 and b.stock[p] < b.target_cover * n:
                out.append((b, b.target_cover * n - b.stock[p]))
        if p == f"{e}_oxide":
            for mk in m.of("maker"):
                gap = (mk.feed_target(e) - mk.held(e)) / k
                if gap > 1e-9:
                    out.append((mk, gap))
        return out

    def trade(self) -> None:
        c, m = self.conf, self.model
        self.sold_today = 0.0
        self._use: dict = {}
        if not c.speculation:
            return
        for p in RAW:
            if not m.market.price.get(p):
                continue
            # the outside price net of export duty (a duty's step is not a market trend)
            price = m.market.price_cn[p] * m.market.multiple.get(p, 1.0)
            last = self.last.get(p, price)
            self.last[p] = price
            self.trend[p] += (price / last - 1.0 - self.trend[p]) / c.spec_trend_days
            use = self.outside_use(p)
            if use <= 0:
                continue
            rising = self.trend[p] * c.spec_trend_days > c.spec_buy_trend
            if rising:
                room = c.spec_max_days * use - self.stock[p] - self.on_order[p]
                q = min(room, c.spec_buy_days * use)
                if q > 1e-6 and m.orders.suppliers(p, True):
                    m.orders.place(self, p, q)
            elif self.stock[p] > 1e-9 and price > m.market.p0.get(p, price):
                short = self._short(p)
                total = sum(g for _, g in short)
                q = min(self.stock[p], c.spec_sell_days * use, total)
                for holder, g in short:
                    t = q * g / total
                    if t > 1e-12:
                        m.ledger.move(p, t, self, holder)
                        self.sold_today += t

    def receive(self, s) -> None:
        self.on_order[s.material] = max(0.0, self.on_order[s.material] - s.tonnes)

    def order_failed(self, s) -> None:
        self.on_order[s.material] = max(0.0, self.on_order[s.material] - s.tonnes)
