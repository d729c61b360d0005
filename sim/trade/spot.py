"""Spot purchases: buyers short of cover buy other buyers' surplus at a premium.

Each day, before buyers use magnets (phase ``use``), every buyer (plants, industries,
defence primes, tier-1s) whose stock of a material is below ``spot_below`` days of its
need asks for the tonnes that bring it back to that cover. Sellers are the other buyers
holding more than ``behaviour.spot_sell_above`` times the cover they want today (their
target cover plus what lead times, signals and prices add: `Buyer.cover_wanted`): each
sells at most its stock above that level. The short are served
largest shortfall first, each from the sellers with the most surplus first; tonnes move
the same day from the seller's stock to the buyer's (`Ledger.move`, so they are
conserved). The buyer pays the outside price times ``1 + behaviour.spot_premium``
(recorded as ``spot_usd``; the premium is not fed back into the price).

A plant supplied with a magnet by tier-1s holds components, not magnets: it neither sells
nor buys that magnet spot (its tier-1s do). A resale across China's border still needs
its licence: a holder in China (a tier-1
there) never sells spot to a buyer outside China, since that sale is a magnet export
(the licensed route is an ordinary order to a Chinese exporter). Resales between firms
outside China are not Chinese exports and need no licence.

Raw materials are traded by the speculators of `sim.agents.trader` (they sell to short
buyers after the turn); this market covers the materials buyers hold.
"""

from __future__ import annotations

import heapq


def short_of(firms: list, m: str) -> list[tuple]:
    """(tonnes wanted, name, firm) of the firms short of ``m``: below ``spot_below`` days
    of their need, wanting what brings them back to it."""
    short = []
    for f in firms:
        n = f.need.get(m, 0.0)
        if n > 0 and f.spot_below > 0 and f.stock[m] < f.spot_below * n - 1e-9:
            short.append((f.spot_below * n - f.stock[m], f.name, f))
    return short


def surplus_of(firms: list, m: str, sell_above: float) -> list[tuple]:
    """(tonnes to spare, name, firm) of the firms holding ``m`` above ``sell_above`` times
    the cover they want today (`Buyer.cover_wanted`)."""
    out = []
    for f in firms:
        n = f.need.get(m, 0.0)
        if n <= 0:
            continue
        extra = f.stock[m] - sell_above * f.cover_wanted(m) * n
        if extra > 1e-9:
            out.append((extra, f.name, f))
    return out


class SpotMarket:
    """The day's spot trades between buyers (module docstring)."""

    def __init__(self, model) -> None:
        self.model = model
        self.firms = [*model.of("buyer"), *model.of("tier1")]
        self.active = any(f.spot_below > 0 for f in self.firms)
        self.traded_today = 0.0
        self._by_material: dict | None = None  # material -> the firms trading it (`market`)

    def market(self) -> dict[str, list]:
        """Each material the firms need, in order, with the firms that trade it spot: those
        whose needs name it (the rest neither want nor spare any), less the plants that
        get it as tier-1s' components (they hold parts, not magnets). Needs change in
        size, never in what they name, and links are fixed, so it is made once."""
        if self._by_material is None:
            via_tier = self.model.orders.via_tier
            self._by_material = {
                m: [f for f in self.firms if m in f.need and not via_tier(f.name, m)]
                for m in sorted({m for f in self.firms for m in f.need})}
        return self._by_material

    def trade(self) -> None:
        self.traded_today = 0.0
        for f in self.firms:
            f.spot_today_t = f.spot_today_usd = 0.0
        if not self.active:
            return
        conf = self.model.cfg.behaviour
        price = self.model.market.price
        for m, firms in self.market().items():
            short = short_of(firms, m)
            if not short:
                continue
            # sellers as heaps of (-surplus, name, firm), most first, then by name: those
            # outside China, and those in China (who sell only to buyers in China: a sale
            # abroad is a magnet export, which needs a licence, not a spot sale)
            outside: list = []
            inside: list = []
            for extra, name, f in surplus_of(firms, m, conf.spot_sell_above):
                (inside if f.country == "CN" else outside).append((-extra, name, f))
            if not outside and not inside:
                continue
            heapq.heapify(outside)
            heapq.heapify(inside)
            unit = price.get(m, 0.0) * 1000.0 * (1.0 + conf.spot_premium)  # USD per t
            for want, _, buyer in sorted(short, key=lambda x: (-x[0], x[1])):
                self._buy(m, want, buyer, (outside, inside) if buyer.country == "CN"
                          else (outside,), unit)

    def _buy(self, m: str, want: float, buyer, heaps: tuple, unit: float) -> None:
        """``buyer`` buys up to ``want`` t of ``m`` from the sellers it may buy from (the
        ``heaps``), most surplus first across them: itself stays for the next buyer, and a
        seller left with a surplus goes back with what is left (heaps, not a sort of every
        seller per buyer: a large world has thousands of each)."""
        back = []
        while want > 1e-9:
            h = min((x for x in heaps if x), key=lambda x: x[0][:2], default=None)
            if h is None:
                break
            neg, name, seller = heapq.heappop(h)
            if seller is buyer:
                back.append((h, (neg, name, seller)))
                continue
            left = -neg
            q = min(want, left)
            seller.move(m, q, buyer)
            left -= q
            want -= q
            buyer.spot_today_t += q
            buyer.spot_today_usd += q * unit
            self.traded_today += q
            if left > 1e-9:
                back.append((h, (-left, name, seller)))
        for h, x in back:
            heapq.heappush(h, x)
