"""Non-Chinese mines with separation: a lifecycle from plan to operation."""

from __future__ import annotations

import datetime as dt

from ..config import MineConf
from .firm import Firm


class Mine(Firm):
    """A mine and separation plant producing NdPr oxide.

    Lifecycle: planned -> construction (``construction_days``) -> rampup (linear over
    ``rampup_days``) -> operating. Oxide goes first to non-Chinese magnet makers up to their
    oxide target; the rest is sold to China for processing there (a sink of the ledger).
    """

    kind = "mine"

    def __init__(self, model, conf: MineConf) -> None:
        super().__init__(model, conf.name, conf.country)
        self.conf = conf
        self.capacity_tpd = conf.capacity_tpy / 365.0
        self.status = conf.status
        self.since: dt.date = model.start
        if conf.status == "planned":
            self.since = dt.date.fromisoformat(conf.construction_start)
        self.produced_today = 0.0
        self.to_china_today = 0.0

    def _advance_lifecycle(self) -> None:
        today, c = self.model.date, self.conf
        if self.status == "planned" and today >= self.since:
            self.status, self.since = "construction", today
        if self.status == "construction" and (today - self.since).days >= c.construction_days:
            self.status, self.since = "rampup", today
        if self.status == "rampup" and (today - self.since).days >= c.rampup_days:
            self.status, self.since = "operating", today

    @property
    def utilisation(self) -> float:
        if self.status == "operating":
            return 1.0
        if self.status == "rampup":
            return min(1.0, (self.model.date - self.since).days / max(1, self.conf.rampup_days))
        return 0.0

    def produce(self) -> None:
        """Produce oxide, supply the makers, sell the rest to China (phase 2, first)."""
        self._advance_lifecycle()
        q = self.capacity_tpd * self.utilisation
        self.produced_today = q
        if q <= 0:
            self.to_china_today = 0.0
            return
        self.stock["oxide"] += q
        self.model.ledger.add("produced", "oxide", q)
        for maker in self.model.makers:
            want = max(0.0, maker.oxide_target - maker.stock["oxide"])
            give = min(want, self.stock["oxide"])
            if give > 0:
                self.take("oxide", give)
                maker.stock["oxide"] += give
        self.to_china_today = self.stock["oxide"]
        self.stock["oxide"] = 0.0
        self.model.ledger.add("oxide_to_china", "oxide", self.to_china_today)

    def record(self) -> dict:
        row = super().record()
        row.update(output=self.produced_today, lost=0.0, cover_days=float("nan"),
                   status=self.status)
        return row
