"""China's own balance of each element (tonnes of REO) and the inside price it sets.

Each day (phase ``prices``, after the day's flows), for each element ``e``::

    supply_e = mine_e * (1 + unreported_e * (1 - crackdown)) + imports_e
               + concentrate the modelled non-Chinese mines sold to China today
    use_e    = Chinese magnet makers' draw (output x the world's content per grade)
               + other_use_e * (price_cn_e / opening)^(-other_use_elasticity)
               + raw-material exports drawn by Chinese exporters today
    stock_e += supply_e - use_e                          (never below zero)
    target   = opening price * (reference stock / stock_e)^(1 / stock_price_elasticity)
    price_cn_e += market.adjust_per_day * (target - price_cn_e)

where the reference stock is the opening stock (``stock_days`` of opening use). China's
state reserve (``border.state_reserve``) takes up to ``reserve_rate`` of a day's opening use
off the market while the inside price is below ``reserve_buy_below`` x opening, and puts it
back while the price is above ``reserve_sell_above`` x opening (a price band, [assumption]).
Other use at the opening price balances the opening flows unless the world table gives it, so a
world without shocks keeps its stock and its price. Exports held back (a quota, a licence
refused) stay in China: the stock grows and the inside price falls until other uses take
the tonnes. Chinese magnet makers draw what their output needs; when an element's stock
is empty, output of the grades that need it falls to what the day's supply allows.
"""

from __future__ import annotations

import math

from sim.domain.products import ELEMENTS


class ChinaBalance:
    """Stocks, flows and inside prices of every element of `sim.products.ELEMENTS`.

    Args:
        rows: the world's ``china`` table (`ChinaElementConf` per element).
        conf: `BorderConf`.
        magnet_use_tpd: opening daily draw of the modelled Chinese magnet makers per element.
        export_tpd: opening daily net raw-material exports per element (estimated demand
            outside China less the modelled mines' output; negative: a net inflow).
    """

    def __init__(self, rows, conf, magnet_use_tpd: dict, export_tpd: dict) -> None:
        self.conf = conf
        by = {r.element: r for r in rows}
        self.elements = tuple(e for e in ELEMENTS if e in by)
        self.supply_tpd, self.other0, self.p0, self.price, self.stock, self.ref = \
            {}, {}, {}, {}, {}, {}
        self.unreported = {e: by[e].unreported_share for e in self.elements}
        self.crackdown = 0.0
        self.today: dict[str, dict[str, float]] = {}
        for e in self.elements:
            r = by[e]
            self.supply_tpd[e] = (r.mine_tpy * (1 + r.unreported_share) + r.imports_tpy) / 365
            other = (r.other_use_tpy / 365 if r.other_use_tpy is not None else
                     self.supply_tpd[e] - magnet_use_tpd.get(e, 0.0) - export_tpd.get(e, 0.0))
            self.other0[e] = max(0.0, other)
            use = (magnet_use_tpd.get(e, 0.0) + max(0.0, export_tpd.get(e, 0.0))
                   + self.other0[e])
            self.ref[e] = self.stock[e] = r.stock_days * max(use, 1e-9)
            self.p0[e] = self.price[e] = r.price_cn
        self.use0 = {e: self.ref[e] / by[e].stock_days for e in self.elements}
        self.reserve = dict.fromkeys(self.elements, 0.0)  # the state reserve's stock
        self.mine_tpd = {e: by[e].mine_tpy / 365 for e in self.elements}
        self.imports_tpd = {e: by[e].imports_tpy / 365 for e in self.elements}
        self.new_day()

    # ---------------------------------------------------------------- flows
    def new_day(self) -> None:
        self.today = {k: dict.fromkeys(self.elements, 0.0)
                      for k in ("magnets", "exports", "imports")}

    def available(self, e: str) -> float:
        """Tonnes of REO of element ``e`` that can still be drawn today."""
        if e not in self.stock:
            return math.inf  # an element the world's table leaves out: not modelled
        return self.stock[e]

    def draw(self, e: str, t: float, use: str) -> float:
        """Take up to ``t`` t REO of ``e`` for ``use`` (``magnets`` or ``exports``);
        returns what was taken."""
        if e not in self.stock or t <= 0:
            return max(t, 0.0)
        got = min(t, self.stock[e])
        self.stock[e] -= got
        self.today[use][e] += got
        return got

    def give_back(self, e: str, t: float) -> None:
        """Raw material an exporter could not export returns to the balance."""
        if e in self.stock and t > 0:
            self.stock[e] += t
            self.today["exports"][e] -= t

    def receive(self, e: str, t: float) -> None:
        """Concentrate or oxide sold into China by a modelled mine."""
        if e in self.stock and t > 0:
            self.stock[e] += t
            self.today["imports"][e] += t

    def other_use(self, e: str) -> float:
        eps = self.conf.other_use_elasticity
        return self.other0[e] * (self.price[e] / self.p0[e]) ** (-eps)

    def supply(self, e: str) -> float:
        cut = self.unreported[e] * self.crackdown
        return self.mine_tpd[e] * (1 + self.unreported[e] - cut) + self.imports_tpd[e]

    def state_reserve(self, e: str) -> float:
        """Tonnes the state reserve takes from (> 0) or puts into (< 0) the market today."""
        c = self.conf
        if not c.state_reserve:
            return 0.0
        ratio = self.price[e] / self.p0[e]
        if ratio < c.reserve_buy_below:
            push = min(1.0, (c.reserve_buy_below - ratio) / c.reserve_buy_below)
            return min(self.stock[e], c.reserve_rate * push * self.use0[e])
        if ratio > c.reserve_sell_above:
            push = min(1.0, (ratio - c.reserve_sell_above) / c.reserve_sell_above)
            return -min(self.reserve[e], c.reserve_rate * push * self.use0[e])
        return 0.0

    def update(self, adjust: float) -> None:
        """End of day: mining, imports, other uses and the state reserve move the stocks;
        prices follow."""
        for e in self.elements:
            self.stock[e] = max(0.0, self.stock[e] + self.supply(e) - self.other_use(e))
            r = self.state_reserve(e)
            self.stock[e] -= r
            self.reserve[e] += r
            if self.conf.china_balance:
                s = max(self.stock[e], 1e-3 * self.ref[e])
                target = self.p0[e] * (self.ref[e] / s) ** (1 / self.conf.stock_price_elasticity)
                self.price[e] += adjust * (target - self.price[e])

    def cover_days(self, e: str) -> float:
        use = self.other0[e] + self.today["magnets"][e] + self.today["exports"][e]
        return self.stock[e] / use if use > 0 else math.inf
