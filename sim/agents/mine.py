"""Non-Chinese mines with separation: a lifecycle driven by prices and government levers."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sim.agents.firm import Firm
from sim.config import MineConf
from sim.domain.products import FEEDSTOCK


class MineStatus(StrEnum):
    """Where a mine is in its lifecycle (the one list of mine states)."""

    PLANNED = "planned"
    CONSTRUCTION = "construction"
    RAMPUP = "rampup"
    OPERATING = "operating"
    CARE_AND_MAINTENANCE = "care_and_maintenance"
    RESTART = "restart"


PRODUCING = (MineStatus.RAMPUP, MineStatus.OPERATING)
ACTIVE = (MineStatus.RAMPUP, MineStatus.OPERATING, MineStatus.RESTART)  # counted as capacity


class Mine(Firm):
    """A mine and separation plant producing NdPr oxide.

    Lifecycle::

        planned -> construction (construction_days) -> rampup (linear, rampup_days)
          -> operating -> care_and_maintenance -> restart (restart_days) -> rampup

    A planned mine with a ``construction_start`` date is committed and starts building
    then. Without one it invests when its expected price (moving average of the price it
    would get, ``price_window_days``) clears its break-even by ``hurdle`` for
    ``invest_days`` running, or at once when a government price floor covering it clears
    the break-even. Capital grants lower the capital part of the break-even. A producing
    mine goes to care and maintenance after its expected price stays below cash cost for
    ``close_after_days``; an idle one restarts on the investment rule with cash cost in
    place of break-even.

    Oxide goes to non-Chinese magnet makers up to their oxide target when the mine has
    domestic separation; the rest (or all, when concentrate goes to China for separation)
    is sold to China, a sink of the ledger, at the inside-China price. If Chinese policy
    refuses the concentrate and there is no domestic separation, the mine cannot sell.
    """

    kind = "mine"
    ROW = {"output": "produced_today", "lost": "ZERO", "cover_days": "NAN",
           "status": "status_text", "capacity_tpy": "conf.capacity_tpy",
           "price": "revenue_price", "expected_price": "expected", "closures": "closures"}

    def __init__(self, model, conf: MineConf, index: int = 0) -> None:
        super().__init__(model, conf.name, conf.country)
        self.conf = conf
        self.capacity_tpd = conf.capacity_tpy / 365.0
        self.status = MineStatus(conf.status)
        self.since: dt.date = model.start
        self.committed = conf.construction_start is not None
        if self.status == MineStatus.PLANNED and self.committed:
            self.since = dt.date.fromisoformat(conf.construction_start)
        self.expected = None  # moving average of the realised price (USD/kg)
        self.good_days = 0  # days the expected price cleared the investment bar
        self.bad_days = 0  # days the expected price was below cash cost
        self.closures = 0
        self.china_takes_concentrate = conf.china_takes_concentrate  # concentrate_route
        self.produced_today = 0.0
        self.to_china_today = 0.0
        self.revenue_price = float("nan")

    # ---------------------------------------------------------------- economics
    def domestic_separation(self) -> bool:
        c = self.conf
        if c.separation == "domestic":
            return True
        return c.separation_ready is not None and \
            self.model.date >= dt.date.fromisoformat(c.separation_ready)

    def realised_price(self) -> float:
        """Price the mine gets today: market (outside price when separated at home, inside
        China less China's tariff on the mine's country otherwise), or the government floor
        when it covers this mine."""
        mk = self.model.market
        if self.domestic_separation():
            p = mk.price[FEEDSTOCK]
        else:  # concentrate sold into China bears China's tariff on the mine's country
            p = mk.price_cn[FEEDSTOCK] / (
                1.0 + self.model.government.levers.tariff_rate("CN", self.country))
        floor = self.model.government.floor_for(self.name)
        return max(p, floor) if floor is not None else p

    def breakeven(self) -> float:
        c = self.conf
        grant = self.model.cfg.government.capital_grant_share
        return c.cash_cost + (c.breakeven_price - c.cash_cost) * (1.0 - grant)

    def _update_expectation(self) -> None:
        p, n = self.realised_price(), max(1, self.conf.price_window_days)
        self.revenue_price = p
        self.expected = p if self.expected is None else self.expected + (p - self.expected) / n

    # ---------------------------------------------------------------- lifecycle
    def _to(self, status: MineStatus) -> None:
        self.status, self.since = status, self.model.date
        self.good_days = self.bad_days = 0

    def _advance_lifecycle(self) -> None:
        today, c = self.model.date, self.conf
        self._update_expectation()
        age = (today - self.since).days
        if self.status in (MineStatus.PLANNED, MineStatus.CARE_AND_MAINTENANCE):
            planned = self.status == MineStatus.PLANNED
            bar = self.breakeven() if planned else c.cash_cost
            self.good_days = self.good_days + 1 if self.expected >= bar * (1 + c.hurdle) else 0
            floor = self.model.government.floor_for(self.name)
            if planned:
                if (self.committed and today >= self.since) or (not self.committed and (
                        self.good_days >= c.invest_days
                        or (floor is not None and floor >= bar * (1 + c.hurdle)))):
                    self._to(MineStatus.CONSTRUCTION)
            elif self.good_days >= c.invest_days:
                self._to(MineStatus.RESTART)
        elif self.status == MineStatus.CONSTRUCTION and age >= c.construction_days:
            self._to(MineStatus.RAMPUP)
        elif self.status == MineStatus.RESTART and age >= c.restart_days:
            self._to(MineStatus.RAMPUP)
        elif self.status == MineStatus.RAMPUP and age >= c.rampup_days:
            self.status, self.since = MineStatus.OPERATING, today
        if self.status in PRODUCING:
            self.bad_days = self.bad_days + 1 if self.expected < c.cash_cost else 0
            if self.bad_days >= c.close_after_days:
                self._to(MineStatus.CARE_AND_MAINTENANCE)
                self.closures += 1

    @property
    def status_text(self) -> str:
        """The lifecycle state as text (the agents table's ``status``)."""
        return str(self.status)

    @property
    def utilisation(self) -> float:
        if self.status == MineStatus.OPERATING:
            return 1.0
        if self.status == MineStatus.RAMPUP:
            return min(1.0, (self.model.date - self.since).days / max(1, self.conf.rampup_days))
        return 0.0

    # ---------------------------------------------------------------- phase 2
    def produce(self) -> None:
        """Produce oxide, supply the makers, sell the rest to China (phase 2, first)."""
        self._advance_lifecycle()
        home = self.domestic_separation()
        if not home and not self.china_takes_concentrate:
            q = 0.0  # no buyer for the concentrate
        else:
            q = self.capacity_tpd * self.utilisation
        self.produced_today = q
        self.to_china_today = 0.0
        if q <= 0:
            return
        self.bring_in(FEEDSTOCK, q, "produced")
        if home:
            for maker in self.model.of("maker"):
                want = max(0.0, maker.oxide_target - maker.held("ndpr"))
                give = min(want, self.stock[FEEDSTOCK])
                if give > 0:
                    self.move(FEEDSTOCK, give, maker)
        self.to_china_today = self.stock[FEEDSTOCK]
        self.move(FEEDSTOCK, self.to_china_today, None, "oxide_to_china")
        self.model.border.china.receive("ndpr", self.to_china_today)
