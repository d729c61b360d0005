"""Automakers: vehicles need every magnet type they use; a shortage stops the line."""

from __future__ import annotations

from ..config import AutomakerConf
from .buyer import Buyer


class Automaker(Buyer):
    """A carmaker with its supplier tiers, seen as one plant.

    Output is Leontief: a vehicle needs all its magnets, so the day's output is the planned
    output times the scarcest magnet's available share. ``output`` and ``lost`` are vehicles.
    """

    kind = "automaker"

    def __init__(self, model, conf: AutomakerConf, kg_per_vehicle: dict, index: int) -> None:
        self.vehicles_per_day = float(conf.vehicles_per_day)
        need: dict[str, float] = {}
        for vtype, share in (("ice", 1.0 - conf.ev_share), ("ev", conf.ev_share)):
            for m, kg in kg_per_vehicle[vtype].items():
                need[m] = need.get(m, 0.0) + self.vehicles_per_day * share * kg / 1000.0
        super().__init__(model, conf, need, index)

    def use_today(self) -> tuple[float, float]:
        frac = min((min(1.0, self.stock[m] / n) for m, n in self.need.items()), default=1.0)
        for m, n in self.need.items():
            self._consume(m, min(self.stock[m], n * frac))
        return self.vehicles_per_day, self.vehicles_per_day * frac
