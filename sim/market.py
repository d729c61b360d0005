"""Price formation outside China (USD/kg).

For each magnet material, every day::

    gap      = max(0, 1 - cover / (reference * target_cover))   # shortfall share
    target   = p0 * (1 + elasticity * gap)
    price   += adjust_per_day * (target - price)

``cover`` is all buyers' stock over their daily need; ``target_cover`` their need-weighted
target; ``reference`` (``scarcity_reference``) the share of target below which buyers bid
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
            need = stock = target = 0.0
            for b in buyers:
                n = b.need.get(m, 0.0)
                if n:
                    need += n
                    stock += b.stock[m]
                    target += n * b.target_cover
            if need <= 0:
                continue
            gap = max(0.0, 1.0 - stock / (c.scarcity_reference * target)) if target > 0 else 0.0
            goal = self.p0[m] * (1.0 + c.scarcity_elasticity * gap)
            self.price[m] += c.adjust_per_day * (goal - self.price[m])
