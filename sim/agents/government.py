"""A Western government: price floor with offtake, stockpile purchases and releases."""

from __future__ import annotations

import datetime as dt

from ..config import MAGNETS, GovernmentConf
from .firm import Firm


class Government(Firm):
    """The US government as a holder of a magnet stockpile and of levers.

    - Price floor with offtake: mines it covers (``price_floor_mines``, all if empty) get at
      least ``price_floor_usd_per_kg`` for oxide from ``price_floor_start`` for
      ``price_floor_years`` (the 2025 DoD-MP deal: 110 USD/kg NdPr, ten years, FACTS).
    - Stockpile: opening tonnes (``stockpile_t``, a ledger source), daily purchases made
      from non-Chinese makers' spare capacity (``stockpile_buy_tpd``), and
      releases to each defence prime whose cover of a magnet falls below
      ``release_cover_days``, at most ``release_max_tpd`` a day per magnet (phase 8, after
      arrivals). Releases move tonnes between holders; purchases are recorded as the
      maker's production (and oxide feedstock).
    - Capital grants and tariffs are read by mines and the market from the same config.
    """

    kind = "government"

    def __init__(self, model, conf: GovernmentConf) -> None:
        super().__init__(model, "US-government", "US")
        self.conf = conf
        for m, t in conf.stockpile_t.items():
            self.stock[m] = float(t)
            model.ledger.add("initial", m, float(t))
        self.floor_start = dt.date.fromisoformat(conf.price_floor_start)
        self.floor_end = self.floor_start + dt.timedelta(days=round(365.25 *
                                                                     conf.price_floor_years))
        self.released_today = 0.0
        self.bought_today = 0.0

    def floor_for(self, mine: str) -> float | None:
        """The floor price covering ``mine`` today, or None."""
        c = self.conf
        if c.price_floor_usd_per_kg is None or not (
                self.floor_start <= self.model.date < self.floor_end):
            return None
        if c.price_floor_mines and mine not in c.price_floor_mines:
            return None
        return float(c.price_floor_usd_per_kg)

    def buy(self) -> None:
        """Buy from non-Chinese makers' spare capacity today (phase 2, after makers): the
        maker makes the tonnes (using oxide) straight into the stockpile."""
        self.bought_today = 0.0
        ledger = self.model.ledger
        for m, rate in self.conf.stockpile_buy_tpd.items():
            left = float(rate)
            for mk in self.model.makers:
                q = min(left, max(0.0, mk.capacity_tpd.get(m, 0.0) - mk.produced_today))
                ratio = mk.oxide_per_t.get(m, 0.0)
                if ratio > 0:
                    q = min(q, mk.stock["oxide"] / ratio)
                if q <= 1e-12:
                    continue
                if ratio > 0:
                    mk.take("oxide", q * ratio)
                    ledger.add("feedstock", "oxide", q * ratio)
                ledger.add("produced", m, q)
                mk.produced_today += q
                self.stock[m] += q
                left -= q
                self.bought_today += q

    def release(self) -> None:
        """Release stock to defence primes short of cover (phase 8, after arrivals)."""
        self.released_today = 0.0
        c = self.conf
        for b in self.model.buyers:
            if b.kind != "defense":
                continue
            for m in MAGNETS:
                n = b.need.get(m, 0.0)
                if n <= 0 or self.stock[m] <= 0:
                    continue
                short = c.release_cover_days * n - b.stock[m]
                q = min(short, c.release_max_tpd, self.stock[m])
                if q > 0:
                    self.take(m, q)
                    b.stock[m] += q
                    self.released_today += q

    def record(self) -> dict:
        row = super().record()
        row.update(output=self.bought_today, lost=0.0, cover_days=float("nan"),
                   released=self.released_today)
        return row
