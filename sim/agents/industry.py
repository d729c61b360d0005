"""Other magnet users of a country (motors, electronics, wind) as one aggregate buyer."""

from __future__ import annotations

from sim.agents.buyer import Buyer
from sim.config import IndustryConf
from sim.config.firms import hre_shares, ndfeb_need


class IndustrialBuyer(Buyer):
    """Uses each magnet independently; ``output`` and ``lost`` are tonnes of magnet use."""

    kind = "industry"

    def __init__(self, model, conf: IndustryConf, index: int) -> None:
        need = ndfeb_need(conf, hre_shares(model.cfg.world))  # NdFeB split by end use
        super().__init__(model, conf, need, index)

    def use_today(self) -> tuple[float, float]:
        planned = made = 0.0
        stock = self.stock
        for m, n in self.need.items():
            have = stock[m]
            used = n if n < have else have  # min(have, n)
            self._consume(m, used)
            planned += n
            made += used
        return planned, made
