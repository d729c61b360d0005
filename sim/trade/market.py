"""Price formation inside and outside China (USD/kg), and China's pricing strategy.

Every day (phase 9) China's balance (`sim.china`) moves each element's stock and inside
price first. Then, for each product, with ``border.*`` switches on (the default)::

    s        = 1 - gap  (need-weighted cover share of buyers outside China; see below)
    R        = (1 / max(s, min_cover_share)) ^ (1 / demand_elasticity)   when s < 1
             = 1 + elasticity * gap                                      when in surplus
    raw p of element e (k t REO per t):
      price_cn = China's inside price of e x k                  (set by China's balance)
      target_ex = price_cn x (1 + export duty on p) x R(gap of outside holders of e)
    magnet m (content c_e t REO per t; conversion cost fixed at the opening):
      cost_cn  = conversion_m + sum_e c_e x inside price of e
      target_ex = cost_cn x (1 + margin) x (1 - flood) x (1 + t) x R(gap of buyers of m)
      target_cn = cost_cn x (1 + margin) x (1 - flood) x ((1 - r) R + r (1 - glut_discount))

so there is no cap on the price ratio (rationing with short-run inelastic demand), element
costs pass through to magnets, and an export duty or a binding quota opens a wedge between
the inside and outside price of a raw material. With ``border.rationing_prices`` off, R is
the capped linear rule below; with ``border.pass_through`` off, magnets start from their
opening price ``p0`` as before. The rule of the first version, for reference::

    gap_b    = max(0, 1 - stock_b / (reference * cover_b * need_b))          # scarcity
             - min(1, max(0, stock_b / (surplus_ref * cover_b * need_b) - 1))
               * surplus_elasticity / elasticity                            # surplus
    gap      = need-weighted mean of gap_b over buyers (oxide: over makers' oxide stocks)
    r        = need-weighted share of buyers whose Chinese supply of m is restricted
               (licence required, embargo or end-use ban)
    t        = need- and China-share-weighted tariff of buyers' countries on Chinese goods
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

import numpy as np

from sim.agents.mine import ACTIVE, MineStatus
from sim.config import (
    MAGNETS,
    MATERIALS,
    ChinaPricingConf,
    MarketConf,
)
from sim.domain.products import BY_CODE, FEEDSTOCK, RAW
from sim.domain.sums import ordered_sum


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

    ARRAY_MIN = 64
    """Firms at least for the sums over buyers to be taken in arrays (fewer: a loop, which
    costs less; both give the same figures to the last bit)."""

    def __init__(self, conf: MarketConf, border=None) -> None:
        self.conf = conf
        self.border = border
        self.p0 = dict(conf.initial_price)
        self.price_cn = {m: v * conf.cn_price_ratio for m, v in self.p0.items()}
        china = border.china if border is not None else None
        for m in RAW:
            e = next(iter(BY_CODE[m].elements))
            if m not in self.p0 and china is not None and e in china.p0:
                self.price_cn[m] = china.p0[e] * BY_CODE[m].reo
                self.p0[m] = self.price_cn[m]
        self.price = dict(self.p0)
        self.china = ChinaPricing(conf.china)
        self.flood = 0.0
        self.conversion: dict[str, float] = {}
        self.multiple: dict[str, float] = {}  # raw materials: outside / (inside x duty)
        self._groups: dict[tuple, tuple] = {}  # its buyers numbered (`_shares_of`)
        self._naming: dict[tuple, list] = {}  # (`naming`)

    def start(self, model) -> None:
        """Fix each magnet's conversion cost (opening price less margin and elements) once
        China's balance exists; raw prices start at inside price x (1 + duty)."""
        china, margin = model.border.china, model.cfg.border.margin
        for m in MAGNETS:
            if m in self.p0:
                el = sum(k * china.p0.get(e, 0.0) for e, k in model.content.get(m, {}).items())
                self.conversion[m] = max(0.0, self.p0[m] / (1 + margin) - el)
        for m in RAW:
            if m in self.p0:
                self.price[m] = self.price_cn[m] * (1 + model.border.duty(m))

    def gap(self, holders) -> float:
        """Need-weighted scarcity (>0) or surplus (<0) of (need, stock, cover) triples."""
        c = self.conf
        ref, sref = c.scarcity_reference, c.surplus_reference
        se, de = c.surplus_elasticity, max(c.scarcity_elasticity, 1e-9)
        need = gap = 0.0
        for n, stock, cover in holders:  # max(0, x) is x if x > 0 else 0, and so on
            if n <= 0 or cover <= 0:
                continue
            want = cover * n
            if not want > 0:  # a need or cover so small that it underflows: no signal
                continue
            g = 1.0 - stock / (ref * want)
            if not g > 0.0:
                g = 0.0
            over = stock / (sref * want) - 1.0
            if over > 0.0:  # in surplus (g - 0.0 is g: skipped when not)
                g -= (over if over < 1.0 else 1.0) * se / de
            need += n
            gap += n * g
        return gap / need if need else 0.0

    def gap_of(self, holders: list, material: str) -> float:
        """`gap` of firms' (need of ``material``, stock, target cover), in whole arrays: the
        same operations element by element, and sums taken in order (``cumsum``), so the
        figure is the loop's to the last bit."""
        if len(holders) < self.ARRAY_MIN:  # arrays cost more than they save
            return self.gap((b.need.get(material, 0.0), b.stock[material], b.target_cover)
                            for b in holders)
        k = len(holders)
        n = np.fromiter((b.need.get(material, 0.0) for b in holders), float, k)
        stock = np.fromiter((b.stock[material] for b in holders), float, k)
        cover = np.fromiter((b.target_cover for b in holders), float, k)
        c = self.conf
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            want = cover * n
            use = (n > 0) & (cover > 0) & (want > 0)
            if not use.any():
                return 0.0
            n, stock, want = n[use], stock[use], want[use]
            g = np.maximum(0.0, 1.0 - stock / (c.scarcity_reference * want))
            over = np.minimum(1.0, np.maximum(0.0, stock / (c.surplus_reference * want) - 1.0))
            g -= over * c.surplus_elasticity / max(c.scarcity_elasticity, 1e-9)
        need = ordered_sum(n)
        return ordered_sum(n * g) / need if need else 0.0

    def naming(self, model, material: str, who: str) -> list:
        """The firms whose needs name ``material``, in order: of the ``holders`` (buyers,
        then tier-1s: the price's gap) or of the ``buyers`` of it from sellers
        (`sim.trade.routing.Routing.buyers_of`: the shares). The rest need none of it and
        count for nothing in either sum; a need changes in size, never in what it names
        (`Routing.users_of`), so the lists are made on the first day and kept."""
        found = self._naming.get((material, who))
        if found is None:
            book = model.orders
            found = self._naming[material, who] = (
                [b for b in book.buyers_of(material) if material in b.need]
                if who == "buyers" else
                [*book.users_of(material), *(t for t in model.of("tier1")
                                              if material in t.need)])
        return found

    def scarcity(self, gap: float, border_conf) -> float:
        """The price multiple a cover gap calls for (module docstring: R)."""
        if border_conf.rationing_prices and gap > 0:
            s = max(1.0 - gap, border_conf.min_cover_share)  # cover share of the reference
            return (1.0 / s) ** (1.0 / border_conf.demand_elasticity)
        return 1.0 + self.conf.scarcity_elasticity * gap

    def shares(self, model, material: str) -> tuple[float, float]:
        """(restricted share, tariff) of a magnet over the firms that buy it from sellers,
        weighted by need: the share of need whose Chinese supply is restricted (licence
        required, embargo or end-use ban), and the need- and China-share-weighted tariff
        buyers' countries levy on Chinese goods (with ``market.tariffs_on_landed_cost``
        off: only tariffs every importer levies, as before tariffs had importers)."""
        rules, levers = model.ministry.rules, model.government.levers
        own = model.cfg.market.tariffs_on_landed_cost
        buyers = self.naming(model, material, "buyers")
        if len(buyers) >= self.ARRAY_MIN:  # a large world: in whole arrays (`_shares_of`)
            return self._shares_of(model, buyers, material, rules, levers, own)
        need = r = t = 0.0
        restricted: dict[tuple, bool] = {}  # (country, end use): the same all day
        rates: dict = {}  # importer: today's rate on Chinese goods
        for b in buyers:
            n = b.need.get(material, 0.0)
            if n <= 0:
                continue
            need += n
            key = (b.country, b.end_use)
            hit = restricted.get(key)
            if hit is None:
                hit = restricted[key] = bool(rules.requires_licence(material, b.country)
                                             or rules.barred(material, b.country, b.end_use))
            if hit:
                r += n
            who = b.country if own else None
            rate = rates.get(who)
            if rate is None:
                rate = rates[who] = levers.tariff_rate(who, "CN")
            t += n * b.china_share.get(material, 1.0) * rate
        return (r / need, t / need) if need else (0.0, 0.0)

    def _shares_of(self, model, buyers: list, material: str, rules, levers, own: bool):
        """`shares` over arrays: each buyer's (country, end use) and tariff importer are
        numbered once (fixed once the world is built), each asked of the rules once a day,
        and the sums taken in buyer order (``cumsum``): the loop's figures to the last
        bit."""
        got = self._groups.get((material, own))
        if got is None:
            keys: dict = {}
            whos: dict = {}
            key = np.array([keys.setdefault((b.country, b.end_use), len(keys))
                            for b in buyers], dtype=np.int64)
            who = np.array([whos.setdefault(b.country if own else None, len(whos))
                            for b in buyers], dtype=np.int64)
            got = self._groups[material, own] = (key, list(keys), who, list(whos))
        key, keys, who, whos = got
        k = len(buyers)
        n = np.fromiter((b.need.get(material, 0.0) for b in buyers), float, k)
        share = np.fromiter((b.china_share.get(material, 1.0) for b in buyers), float, k)
        use = ~(n <= 0)  # as the loop: a NaN need is counted
        if not use.any():
            return 0.0, 0.0
        hit = np.array([bool(rules.requires_licence(material, c)
                             or rules.barred(material, c, u)) for c, u in keys])[key]
        rate = np.array([levers.tariff_rate(w, "CN") for w in whos], dtype=float)[who]
        n, hit, share, rate = n[use], hit[use], share[use], rate[use]
        need, r, t = ordered_sum(n), ordered_sum(n[hit]), ordered_sum(n * share * rate)
        return (r / need, t / need) if need else (0.0, 0.0)

    def raw_holders(self, model, material: str, users=None):
        """(need, stock, cover) of buyers outside China of a raw material: makers (in
        tonnes of the element) and raw-material users (``users``: the buyers whose needs
        name it, `OrderBook.users_of`; None: every buyer)."""
        e = next(iter(BY_CODE[material].elements))
        k = BY_CODE[material].reo
        for mk in model.of("maker"):
            use = mk.use_tpd(e)
            if use > 0:
                yield use / k, mk.held(e) / k, mk.conf.oxide_cover_days
        for b in model.of("buyer") if users is None else users:
            n = b.need.get(material, 0.0)
            if n > 0:
                yield n, b.stock[material], b.target_cover

    def update(self, model) -> None:
        """Move every price toward its target (phase 9)."""
        c, bc, border = self.conf, model.cfg.border, model.border
        china = border.china
        china.update(c.adjust_per_day)
        self.flood = self.china.update(model.of("mine"), self.price.get(FEEDSTOCK, 1.0)
                                       / self.p0.get(FEEDSTOCK, 1.0))
        for m in MATERIALS:
            if m not in self.p0:
                continue
            if m in MAGNETS:
                gap = self.gap_of(self.naming(model, m, "holders"), m)
                r, tariff = self.shares(model, m)
                base = self.p0[m]
                if bc.pass_through and m in self.conversion:
                    cost = self.conversion[m] + sum(
                        k * china.price.get(e, 0.0) for e, k in model.content.get(m, {}).items())
                    base = cost * (1 + bc.margin)
                base *= 1.0 - self.flood
                scar = self.scarcity(gap, bc)
                goal_ex = base * (1.0 + tariff) * scar
                goal_cn = base * c.cn_price_ratio * ((1 - r) * scar + r * (1 - c.glut_discount))
            else:
                gap = self.gap(self.raw_holders(model, m, model.orders.users_of(m)))
                e = next(iter(BY_CODE[m].elements))
                if bc.china_balance and e in china.price:  # set by China's balance
                    self.price_cn[m] = china.price[e] * BY_CODE[m].reo * (1.0 - self.flood)
                else:
                    self.price_cn[m] += c.adjust_per_day * (
                        self.p0[m] * c.cn_price_ratio * (1.0 - self.flood) - self.price_cn[m])
                # the wedge: the duty at once, the rationing multiple with inertia
                r = self.multiple.get(m, 1.0)
                r += c.adjust_per_day * (self.scarcity(gap, bc) - r)
                self.multiple[m] = r
                self.price[m] = self.price_cn[m] * (1.0 + border.duty(m)) * r
                continue
            self.price[m] += c.adjust_per_day * (goal_ex - self.price[m])
            self.price_cn[m] += c.adjust_per_day * (goal_cn - self.price_cn[m])
