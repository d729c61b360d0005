"""Price formation outside China (USD/kg).

For each magnet material, every day::

    gap_b    = max(0, 1 - stock_b / (reference * target_cover_b * need_b))  # per buyer
    gap      = need-weighted mean of gap_b
    target   = p0 * (1 + elasticity * gap)
    price   += adjust_per_day * (target - price)

Each buyer's gap is how far its stock is below ``reference`` times its target; the market
gap weights buyers by need, so one country's shortage moves the price by its share of
demand. ``reference`` (``scarcity_reference``) the share of target below which buyers bid
prices up (ordinary swings of stock around the target leave prices alone). Prices therefore rise with scarcity, fall back with surplus, and move with inertia.
Oxide keeps its opening price (its market is not modelled yet).
"""

from __future__ import annotations

from .config import MAGNETS, MarketConf


class Market:
    """Holds today's prices and updates them from the buyers' state."""

    def __init__(self, conf: MarketConf) -> None:
        self.conf = conf
        self.p0 = dict(conf.initial_price)
        self.price = dict(self.p0)

    def update(self, buyers) -> None:
        """Move each magnet price toward its scarcity target (phase 9)."""
        c = self.conf
        for m in MAGNETS:
            if m not in self.p0:
                continue
            need = short = 0.0
            for b in buyers:
                n = b.need.get(m, 0.0)
                if n:
                    need += n
                    want = c.scarcity_reference * b.target_cover * n
                    short += n * max(0.0, 1.0 - b.stock[m] / want) if want > 0 else 0.0
            if need <= 0:
                continue
            gap = short / need
            goal = self.p0[m] * (1.0 + c.scarcity_elasticity * gap)
            self.price[m] += c.adjust_per_day * (goal - self.price[m])
