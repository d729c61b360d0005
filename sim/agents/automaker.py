"""Automakers: vehicles need every magnet type they use; a shortage stops the line."""

from __future__ import annotations

from collections import deque

from sim.agents.buyer import Buyer
from sim.config import AutomakerConf


class Automaker(Buyer):
    """A carmaker with its supplier tiers, seen as one plant.

    Output is Leontief: a vehicle needs all its magnets, so the day's output is the planned
    output times the scarcest magnet's available share. ``output`` and ``lost`` are vehicles.

    Make-up production (``makeup_capacity`` > 0; issue 11 item 6): vehicles lost on a day
    join a backlog; on later days, within ``makeup_window_days`` of the loss, the plant
    builds up to ``makeup_capacity * vehicles_per_day`` extra vehicles from the backlog
    (oldest first), using magnets like normal output but only stock above
    ``makeup_min_cover_days`` of planned use::

        made_up = min(c * V, backlog, min_m (stock_m - f * need_m) / (need_m / V))

    (``V`` planned vehicles a day, ``c`` the capacity share, ``f`` the cover floor; the
    stock is what is left after today's normal output). ``lost`` stays the output lost
    today; ``made_up`` is recorded beside it, so lost - made_up over a run is output truly
    lost and made_up the deferred part.
    """

    __slots__ = ("vehicles_per_day", "backlog", "made_up_today", "makeup")
    kind = "automaker"
    ROW = {"made_up": "made_up_today"}

    def __init__(self, model, conf: AutomakerConf, index: int) -> None:
        kg_per_vehicle = model.cfg.world.vehicle_magnet_kg
        self.vehicles_per_day = float(conf.vehicles_per_day)
        need: dict[str, float] = {}
        for vtype, share in (("ice", 1.0 - conf.ev_share), ("ev", conf.ev_share)):
            for m, kg in kg_per_vehicle[vtype].items():
                need[m] = need.get(m, 0.0) + self.vehicles_per_day * share * kg / 1000.0
        super().__init__(model, conf, need, index)
        self.backlog: deque[list] = deque()  # [day lost, vehicles still to make], oldest first
        self.made_up_today = 0.0
        self.makeup = self.behaviour("makeup_capacity", model.cfg.behaviour.makeup)

    def use_today(self) -> tuple[float, float]:
        frac = min((min(1.0, self.stock[m] / n) for m, n in self.need.items()), default=1.0)
        for m, n in self.need.items():
            self._consume(m, min(self.stock[m], n * frac))
        return self.vehicles_per_day, self.vehicles_per_day * frac

    def use(self) -> None:
        """Today's output (`Buyer.use`), then make-up of earlier losses."""
        super().use()
        self.made_up_today = 0.0
        if self.makeup <= 0:
            return
        self.make_up()
        if self.lost_today > 1e-9:
            self.backlog.append([self.model.day, self.lost_today])

    def make_up(self) -> None:
        """Build vehicles lost in the window from stock above the cover floor (class
        docstring)."""
        c, day, v = self.conf, self.model.day, self.vehicles_per_day
        while self.backlog and day - self.backlog[0][0] > c.makeup_window_days:
            self.backlog.popleft()  # too old: truly lost
        if not self.backlog or v <= 0:
            return
        per_vehicle = {m: n / v for m, n in self.need.items() if n > 0}
        room = min((max(0.0, self.stock[m] - c.makeup_min_cover_days * n * v) / n
                    for m, n in per_vehicle.items()), default=0.0)
        extra = min(self.makeup * v, sum(b[1] for b in self.backlog), room)
        if extra <= 1e-9:
            return
        for m, n in per_vehicle.items():
            self._consume(m, min(self.stock[m], extra * n))
        self.made_up_today = extra
        while extra > 1e-12 and self.backlog:
            take = min(extra, self.backlog[0][1])
            self.backlog[0][1] -= take
            extra -= take
            if self.backlog[0][1] <= 1e-12:
                self.backlog.popleft()
