"""A national stockpile of raw materials (Japan's, held by JOGMEC) that releases to its
country's users when their stock runs short."""

from __future__ import annotations

from sim.agents.firm import Firm
from sim.config import StockpileConf
from sim.domain.products import BY_CODE


class NationalStockpile(Firm):
    """A state holder of raw products (``products``) for one country.

    - Opening stock: ``cover_days`` of the country's daily use of each product: its buyers'
      need and its magnet makers' use of the product's element at capacity (a ledger
      source, ``initial``). The structural range of ``stocks.csv`` sets ``cover_days``
      (60-180 days for JOGMEC [sources: national-stockpiles]).
    - Release (phase receive, after arrivals): each domestic user of a held product whose
      stock of it is below ``release_below_days`` of its use is topped up to that level,
      users shortest first, at most ``release_share_per_day`` of the opening stock a day per
      product. Releases move tonnes between holders (conserved).
    - It never buys (the ``state`` role's purchase step does nothing).
    """

    kind = "stockpile"
    ROW = {"output": "ZERO", "lost": "ZERO", "cover_days": "cover_now",
           "released": "released_today"}

    def __init__(self, model, conf: StockpileConf, index: int = 0) -> None:
        super().__init__(model, conf.name, conf.country)
        self.conf = conf
        self.held_products = [m for m, on in conf.products.items() if on]
        self._naming: dict[str, list] = {}  # (`_buyers_naming`)
        self.opening: dict[str, float] = {}
        for m in self.held_products:
            use = sum(u for _, u in self.users(m))
            self.opening[m] = conf.cover_days * use
            if self.opening[m] > 0:
                self.bring_in(m, self.opening[m], "initial")
        self.released_today = 0.0

    def users(self, m: str) -> list[tuple[object, float]]:
        """(holder, daily use of ``m`` in t) of the country's buyers and makers using it."""
        out = []
        for b in self._buyers_naming(m):
            if b.need[m] > 0:
                out.append((b, b.need[m]))
        elements = BY_CODE[m].elements
        for mk in self.model.of("maker"):
            if mk.country != self.country:
                continue
            use = sum(mk.use_tpd(e) / k for e, k in elements.items() if k > 0)
            if use > 0:
                out.append((mk, use))
        return out

    def _buyers_naming(self, m: str) -> list:
        """The country's buyers whose needs name ``m`` (`sim.trade.routing.Routing.users_of`,
        in creation order), kept once the days run, rather than every buyer of every
        country looked at twice a day."""
        found = self._naming.get(m)
        if found is None:
            found = [b for b in self.model.orders.users_of(m) if b.country == self.country]
            if self.model.steps:  # the world is built (day 1 on): its buyers are all there
                self._naming[m] = found
        return found

    def buy(self) -> None:
        """A stockpile of fixed opening size: nothing is bought."""

    def release(self) -> None:
        """Top up short domestic users (class docstring)."""
        self.released_today = 0.0
        c = self.conf
        for m in self.held_products:
            room = min(self.stock[m], c.release_share_per_day * self.opening[m])
            short = sorted(((h.stock[m] / u, h, u) for h, u in self.users(m)
                            if h.stock[m] < c.release_below_days * u), key=lambda x: x[0])
            for _, h, u in short:
                q = min(c.release_below_days * u - h.stock[m], room)
                if q <= 1e-12:
                    break
                self.move(m, q, h)
                room -= q
                self.released_today += q

    @property
    def cover_now(self) -> float:
        """`cover` today (the agents table's ``cover_days``)."""
        return self.cover()

    def cover(self) -> float:
        """Days of the country's use held, for the scarcest product."""
        days = [self.stock[m] / u for m in self.held_products
                if (u := sum(x for _, x in self.users(m))) > 0]
        return min(days) if days else float("nan")
