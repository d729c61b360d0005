"""The border wedge on raw materials: aggregate export quotas in t REO (in batches, by
quota group), export duties, crackdowns on unreported output, and leakage.

``reo_quota`` events release a batch of quota (t REO) for the calendar year of their
date to a quota group (``light``, ``heavy`` or ``all``); from the first batch a group is
capped: in a year its exports of raw materials (tonnes x REO per tonne, `sim.products`)
may not exceed the batches released that year (unused quota lapses at the year's end, and
a year starts with no room until its first batch). ``lift_reo_quota`` abolishes a group's
quota. Chinese raw-material exporters choose their mix under the cap (`RawExporter`):
they serve the orders of highest value per tonne of REO first. A share ``leakage`` of the
tonnes a quota refuses leaves anyway (smuggling, reclassification), uncounted by the
quota. ``export_duty`` sets an ad-valorem duty per raw product (latest in force wins);
the outside price of a raw product is at least its inside price x (1 + duty).
``crackdown`` removes a share of unreported output from China's supply while in force.
Magnet quotas, controls and licences stay with the Ministry (`sim.rules`): a licence
or a quota on one product category never covers or caps another.
"""

from __future__ import annotations

import math
from collections import defaultdict

from .china import ChinaBalance
from .products import BY_CODE, MAGNETS, RAW

QUOTA_GROUPS = ("light", "heavy", "all")


class Border:
    """China's border for raw materials, and China's own balance behind it."""

    def __init__(self, conf, balance: ChinaBalance) -> None:
        self.conf = conf
        self.china = balance
        self.batches: dict[tuple[int, str], float] = defaultdict(float)
        self.used: dict[tuple[int, str], float] = defaultdict(float)
        self.capped: set[str] = set()
        self.duties: list = []  # events in force, oldest first
        self.crackdowns: list = []
        self.smuggled_today = 0.0

    def new_day(self) -> None:
        self.china.new_day()
        self.smuggled_today = 0.0

    # ---------------------------------------------------------------- quotas
    def _groups(self, product: str) -> tuple[str, ...]:
        g = BY_CODE[product].group
        return tuple(x for x in (g, "all") if x in self.capped)

    def room(self, product: str, year: int) -> float:
        """Tonnes of ``product`` the aggregate quotas still allow this year."""
        if not self.conf.reo_quotas or BY_CODE[product].category != "raw":
            return math.inf
        reo = BY_CODE[product].reo
        rooms = [max(0.0, self.batches[(year, g)] - self.used[(year, g)]) / reo
                 for g in self._groups(product)]
        return min(rooms, default=math.inf)

    def count(self, product: str, tonnes: float, year: int) -> None:
        """Count exported tonnes against the quotas that cap them."""
        for g in self._groups(product):
            self.used[(year, g)] += tonnes * BY_CODE[product].reo

    def binding(self, product: str, year: int) -> bool:
        return math.isfinite(self.room(product, year))

    def start_reo_quota(self, ev) -> None:
        g = ev.group or "all"
        self.capped.add(g)
        self.batches[(ev.date.year, g)] += float(ev.tonnes)

    def start_lift_reo_quota(self, ev) -> None:
        self.capped.discard(ev.group or "all")

    # ---------------------------------------------------------------- duties
    def duty(self, product: str) -> float:
        if not self.conf.duties:
            return 0.0
        for ev in reversed(self.duties):
            if product in ev.materials:
                return float(ev.rate)
        return 0.0

    def start_export_duty(self, ev) -> None:
        self.duties.append(ev)

    def end_export_duty(self, ev) -> None:
        self.duties = [e for e in self.duties if e is not ev]

    # ---------------------------------------------------------------- crackdowns
    def start_crackdown(self, ev) -> None:
        self.crackdowns.append(ev)
        self.china.crackdown = float(ev.rate)

    def end_crackdown(self, ev) -> None:
        self.crackdowns = [e for e in self.crackdowns if e is not ev]
        self.china.crackdown = float(self.crackdowns[-1].rate) if self.crackdowns else 0.0


def check_materials(ev, raw_only: bool) -> str:
    """'' or why an event's materials do not fit its kind (raw products only)."""
    bad = [m for m in ev.materials if (m in MAGNETS) == raw_only]
    return f"{bad} are not raw materials; raw: {list(RAW)}" if bad else ""
