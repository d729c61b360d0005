"""A Western government: price floor with offtake, stockpile purchases and releases."""

from __future__ import annotations

from sim.agents.firm import Firm
from sim.config import GovernmentConf
from sim.domain.products import MAGNETS
from sim.policy.rules import Layers


class Levers:
    """The government levers in force, set by events (`sim.events.KINDS`): price floors,
    tariffs and stockpile purchases. The latest event in force wins.

    Tariffs are kept per event as (importers, origins, rate); ``tariff_rate(importer,
    origin)`` is the rate of the latest event in force that covers that pair (importers
    None: every importer). A tariff event with neither key is what a tariff meant before
    the keys existed: every importer levies it on Chinese goods (origins default to CN).
    """

    def __init__(self) -> None:
        self.floors, self.tariffs, self.buys = Layers(), Layers(), Layers()

    def start(self, attr: str, ev) -> None:
        value = {"floors": lambda: (ev.usd_per_kg, ev.mines),
                 "tariffs": lambda: (ev.importers, tuple(ev.origins), ev.rate),
                 "buys": lambda: ev.tonnes_per_day}[attr]()
        getattr(self, attr).set(None, ev, value)

    def end(self, attr: str, ev) -> None:
        getattr(self, attr).end(None, ev)

    def floor_for(self, mine: str) -> float | None:
        for usd, mines in self.floors.in_force(None):
            if mines is None or mine in mines:
                return float(usd)
        return None

    def tariff_rate(self, importer: str | None, origin: str) -> float:
        """The ad-valorem rate ``importer`` levies on goods from ``origin`` today (0 when
        no tariff event covers the pair; never on a country's own goods). ``importer``
        None asks for a tariff every importer levies (an event without ``importers``)."""
        if importer is not None and importer == origin:
            return 0.0
        for importers, origins, rate in self.tariffs.in_force(None):
            if origin in origins and (importers is None or importer in importers):
                return float(rate)
        return 0.0

    def tariff(self) -> float:
        """The tariff every importer levies on Chinese goods (events without ``importers``;
        the outside price index reads it)."""
        return self.tariff_rate(None, "CN")

    def any_tariff(self) -> bool:
        """Whether any tariff event is in force (buyers skip landed costs otherwise)."""
        return bool(self.tariffs.in_force(None))

    def buy_tpd(self) -> dict:
        return self.buys.get(None, None) or {}


class Government(Firm):
    """The US government as a holder of a magnet stockpile and of levers.

    - Price floor with offtake: mines it covers (``price_floor_mines``, all if empty) get at
      least ``price_floor_usd_per_kg`` for oxide from ``price_floor_start`` for
      ``price_floor_years`` (the 2025 DoD-MP deal: 110 USD/kg NdPr, ten years,
      [sources: price-floor]).
    - Stockpile: opening tonnes (``stockpile_t``, a ledger source), daily purchases made
      from non-Chinese makers' spare capacity (``stockpile_buy_tpd``), and
      releases to each defence prime whose cover of a magnet falls below
      ``release_cover_days``, at most ``release_max_tpd`` a day per magnet (phase 8, after
      arrivals). Releases move tonnes between holders; purchases are recorded as the
      maker's production (and oxide feedstock).
    - Capital grants and tariffs are read by mines and the market from the same config.
    """

    kind = "government"
    ROW = {"output": "bought_today", "lost": "ZERO", "cover_days": "NAN",
           "released": "released_today"}
    roles = frozenset({"holder", "state"})

    def __init__(self, model, conf: GovernmentConf) -> None:
        super().__init__(model, "US-government", "US")
        self.conf = conf
        for m, t in conf.stockpile_t.items():
            self.bring_in(m, float(t), "initial")
        self.levers = Levers()
        self.released_today = 0.0
        self.bought_today = 0.0

    def floor_for(self, mine: str) -> float | None:
        """The floor price covering ``mine`` today, or None."""
        return self.levers.floor_for(mine)

    def buy(self) -> None:
        """Buy from non-Chinese makers' spare capacity today (phase 2, after makers): the
        maker makes the tonnes (using oxide) straight into the stockpile."""
        self.bought_today = 0.0
        for m, rate in self.levers.buy_tpd().items():
            left = float(rate)
            for mk in self.model.of("maker"):
                q = min(left, max(0.0, mk.capacity_tpd.get(m, 0.0) - mk.produced_today))
                q = mk.makeable(m, q)
                if q <= 1e-12:
                    continue
                mk.consume_feed(m, q)
                self.bring_in(m, q, "produced")
                mk.produced_today += q
                left -= q
                self.bought_today += q

    def release(self) -> None:
        """Release stock to defence primes short of cover (phase 8, after arrivals)."""
        self.released_today = 0.0
        c = self.conf
        for b in self.model.of_kind("defense"):
            for m in MAGNETS:
                n = b.need.get(m, 0.0)
                if n <= 0 or self.stock[m] <= 0:
                    continue
                short = c.release_cover_days * n - b.stock[m]
                q = min(short, c.release_max_tpd, self.stock[m])
                if q > 0:
                    self.move(m, q, b)
                    self.released_today += q
