"""The border wedge on raw materials: aggregate export quotas in t REO (in batches, by
quota group), export duties, crackdowns on unreported output, and leakage.

``reo_quota`` events release a batch of quota (t REO) for the calendar year of their
date to a quota group (``light``, ``heavy`` or ``all``); from the first batch a group is
capped: in a year its exports of raw materials (tonnes x REO per tonne, `sim.products`)
may not exceed the batches released that year (unused quota lapses at the year's end, and
a year starts with no room until its first batch). ``lift_reo_quota`` abolishes a group's
quota. Chinese raw-material exporters choose their mix under the cap (`RawExporter`,
`Border.within_mix`): products are ranked by value (inside price) per tonne of REO, and a
product is served only while the expected orders of the products worth more, to the
year's end, leave room for it; a product below that cut is refused (``reo_quota``). A
share ``leakage`` of the tonnes a quota refuses leaves anyway (smuggling,
reclassification), uncounted by the quota. ``export_duty`` sets an ad-valorem duty per
raw product (latest in force wins); the outside price of a raw product is at least its
inside price x (1 + duty).
``crackdown`` removes a share of unreported output from China's supply while in force.
Magnet quotas, controls and licences stay with the Ministry (`sim.rules`): a licence
or a quota on one product category never covers or caps another.
"""

from __future__ import annotations

import math
from collections import defaultdict

from sim.domain.products import BY_CODE, MAGNETS, RAW
from sim.trade.china import ChinaBalance

QUOTA_GROUPS = ("light", "heavy", "all")
RATE_WINDOW_DAYS = 30.0  # running mean of export orders per product [assumption]


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
        self.rate: dict[str, float] = defaultdict(float)  # t/day ordered, running mean
        self.ordered_today: dict[str, float] = defaultdict(float)
        self.days_seen = 0

    def new_day(self) -> None:
        """Fold yesterday's orders into the running order rates; reset today's counters."""
        if self.days_seen or self.ordered_today:
            self.days_seen += 1
            k = 1.0 / min(RATE_WINDOW_DAYS, self.days_seen)
            for p in RAW:
                self.rate[p] += k * (self.ordered_today.get(p, 0.0) - self.rate[p])
        self.ordered_today.clear()
        self.china.new_day()
        self.smuggled_today = 0.0

    def note_order(self, product: str, tonnes: float) -> None:
        """A new export order reached a raw exporter (feeds the order rates)."""
        self.ordered_today[product] += tonnes

    def within_mix(self, product: str, today, price: dict) -> bool:
        """Whether exporters choosing their mix by value serve ``product`` today: rank the
        products a capped group covers by ``price`` (inside prices) per tonne of REO, add up each
        one's expected orders to the year's end (running order rate x days left), and
        serve a product only while the products worth more leave room for it."""
        if not self.conf.mix_by_value:
            return True
        days_left = (today.replace(month=12, day=31) - today).days + 1
        value = {p: price.get(p, 0.0) / BY_CODE[p].reo for p in RAW}
        for g in self._groups(product):
            room = self.room_reo(g, today.year)
            ahead = sum(self.rate[p] * BY_CODE[p].reo * days_left for p in RAW
                        if g in ("all", BY_CODE[p].group) and value[p] > value[product])
            if ahead >= room:
                return False
        return True

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

    def room_reo(self, group: str, year: int) -> float:
        """Tonnes of REO a capped group may still export this year."""
        return max(0.0, self.batches[(year, group)] - self.used[(year, group)])

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
