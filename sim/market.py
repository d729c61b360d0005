"""Price formation inside and outside China (USD/kg), and China's pricing strategy.

Every day (phase 9), for each material ``m``, with ``p0`` the opening outside price::

    gap_b    = max(0, 1 - stock_b / (reference * cover_b * need_b))          # scarcity
             - min(1, max(0, stock_b / (surplus_ref * cover_b * need_b) - 1))
               * surplus_elasticity / elasticity                            # surplus
    gap      = need-weighted mean of gap_b over buyers (oxide: over makers' oxide stocks)
    r        = need-weighted share of buyers whose Chinese supply of m is restricted
               (licence required, embargo or end-use ban)
    t        = tariff on Chinese magnets x need-weighted Chinese order share
    flood    = cut while China floods, else 0
    target_ex = p0 * (1 - flood) * (1 + t) * (1 + elasticity * gap)
    target_cn = p0 * cn_ratio * (1 - flood) * ((1 - r) * (1 + elasticity * gap)
                                                + r * (1 - glut_discount))
    price   += adjust_per_day * (target - price)          # inertia, inside and outside

Unrestricted materials are arbitraged: the inside price follows outside scarcity, so the
two stay close. A restricted material's tonnes stay in China (a glut) while buyers outside
run short, so its two prices diverge. `ChinaPricing` sets ``flood``: it cuts prices when
non-Chinese mine capacity grows past a trigger or the outside oxide price leaves its band,
after a response lag, and keeps them cut for ``hold_days`` after the trigger clears.
"""

from __future__ import annotations

from .agents.mine import ACTIVE, MineStatus
from .config import MAGNETS, MATERIALS, ChinaPricingConf, MarketConf
from .products import FEEDSTOCK


class ChinaPricing:
    """China's predatory pricing rule (the 1990s-2015 pattern, [sources: predation])."""

    def __init__(self, conf: ChinaPricingConf) -> None:
        self.conf = conf
        self.base_capacity: float | None = None
        self.triggered_days = 0
        self.clear_days = 0
        self.flooding = False

    @staticmethod
    def capacity(mines) -> float:
        """Non-Chinese mine capacity ramping or operating (t/yr)."""
        return sum(m.conf.capacity_tpy for m in mines if m.status in ACTIVE)

    def update(self, mines, oxide_ratio: float) -> float:
        """Today's cut (0 when not flooding)."""
        c = self.conf
        cap = self.capacity(mines)
        if self.base_capacity is None:
            self.base_capacity = cap - sum(m.conf.capacity_tpy for m in mines
                                           if m.status == MineStatus.RAMPUP)
        if not c.enabled:
            return 0.0
        trigger = (cap - self.base_capacity > c.capacity_trigger_tpy
                   or oxide_ratio > c.band_high)
        self.triggered_days = self.triggered_days + 1 if trigger else 0
        self.clear_days = 0 if trigger else self.clear_days + 1
        if self.triggered_days >= c.response_days:
            self.flooding = True
        elif self.flooding and self.clear_days >= c.hold_days:
            self.flooding = False
        return c.cut if self.flooding else 0.0


class Market:
    """Holds today's prices inside (``price_cn``) and outside China (``price``)."""

    def __init__(self, conf: MarketConf) -> None:
        self.conf = conf
        self.p0 = dict(conf.initial_price)
        self.price = dict(self.p0)
        self.price_cn = {m: v * conf.cn_price_ratio for m, v in self.p0.items()}
        self.china = ChinaPricing(conf.china)
        self.flood = 0.0

    def gap(self, holders) -> float:
        """Need-weighted scarcity (>0) or surplus (<0) of (need, stock, cover) triples."""
        c = self.conf
        need = gap = 0.0
        for n, stock, cover in holders:
            if n <= 0 or cover <= 0:
                continue
            want = cover * n
            if not want > 0:  # a need or cover so small that it underflows: no signal
                continue
            g = max(0.0, 1.0 - stock / (c.scarcity_reference * want))
            over = min(1.0, max(0.0, stock / (c.surplus_reference * want) - 1.0))
            g -= over * c.surplus_elasticity / max(c.scarcity_elasticity, 1e-9)
            need += n
            gap += n * g
        return gap / need if need else 0.0

    def restricted_share(self, model, material: str) -> tuple[float, float]:
        """(restricted share, Chinese order share) of a magnet, weighted by buyers' need."""
        rules = model.ministry.rules
        need = r = cn = 0.0
        for b in model.buyers:
            n = b.need.get(material, 0.0)
            if n <= 0:
                continue
            need += n
            if rules.requires_licence(material, b.country) or rules.barred(
                    material, b.country, b.end_use):
                r += n
            cn += n * b.china_share.get(material, 1.0)
        return (r / need, cn / need) if need else (0.0, 0.0)

    def update(self, model) -> None:
        """Move every price toward its target (phase 9)."""
        c = self.conf
        tariff = model.government.levers.tariff()
        self.flood = self.china.update(model.mines, self.price.get(FEEDSTOCK, 1.0)
                                       / self.p0.get(FEEDSTOCK, 1.0))
        for m in MATERIALS:
            if m not in self.p0:
                continue
            if m in MAGNETS:
                gap = self.gap((b.need.get(m, 0.0), b.stock[m], b.target_cover)
                                for b in model.buyers)
                r, cn_share = self.restricted_share(model, m)
            elif m == FEEDSTOCK:  # the makers' feedstock: scarcity of their oxide stocks
                gap = self.gap((mk.oxide_target / mk.conf.oxide_cover_days, mk.stock[m],
                                mk.conf.oxide_cover_days) for mk in model.makers)
                r, cn_share = 0.0, 0.0
            else:  # a raw material nobody in the model uses yet: no scarcity signal
                gap, r, cn_share = 0.0, 0.0, 0.0
            scar = 1.0 + c.scarcity_elasticity * gap
            base = self.p0[m] * (1.0 - self.flood)
            goal_ex = base * (1.0 + tariff * cn_share) * scar
            goal_cn = base * c.cn_price_ratio * ((1 - r) * scar + r * (1 - c.glut_discount))
            self.price[m] += c.adjust_per_day * (goal_ex - self.price[m])
            self.price_cn[m] += c.adjust_per_day * (goal_cn - self.price_cn[m])
