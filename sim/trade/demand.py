"""Demand paths: a world's buyers need more or less over the years, in dated steps.

A world's ``demand.csv`` (`DemandConf` rows: ``date, kind, multiplier``) says that from
``date`` on, buyers of ``kind`` (``automaker``, ``industry``, ``defense``, or ``all``)
need ``multiplier`` times their table size. A buyer's multiplier on a day is

    m(buyer, day) = step(kind of buyer, day) * step("all", day)

where ``step(k, day)`` is the multiplier of the latest row of kind ``k`` dated on or
before ``day`` (1 before the first). Steps, not interpolation: each row holds until the
next row of its kind (the rows cite yearly totals, so a step per year is what the source
says; smoother paths are more rows). When a buyer's multiplier changes, its daily need per
magnet becomes ``m * table need``; an automaker's planned vehicles a day becomes
``m * table vehicles a day`` and its need follows (substitution then applies to the new
need: its base is updated too).

Rows dated on or before the run's start set the opening need: the model builds this path
before the buyers' substitution state and the warm-start pipeline, so both are sized on the
need in force at the start, and a buyer whose opening need is above its table size gets the
extra opening stock (``initial``) to hold its opening cover (one below keeps its table
stock: more days of cover). ``world.demand_paths: false`` keeps every buyer at its table
size. The 2024 vintage has no rows, so the default world is unchanged.
"""

from __future__ import annotations

import datetime as dt

from sim.config.firms import DEMAND_KINDS, DemandConf


class DemandPath:
    """Applies a world's demand steps to the model's buyers (phase ``demand``)."""

    def __init__(self, model, steps: list[DemandConf] | None, on: bool = True) -> None:
        self.model = model
        rows = sorted(((dt.date.fromisoformat(s.date), i, s) for i, s in
                       enumerate(steps or ()) if on), key=lambda r: (r[0], r[1]))
        self.steps = [(day, s.kind, float(s.multiplier)) for day, _, s in rows]
        self.level = {k: 1.0 for k in DEMAND_KINDS}
        self.table_need = {b.name: dict(b.need) for b in model.of("buyer")}
        self.table_vehicles = {b.name: b.vehicles_per_day for b in model.of("buyer")
                               if hasattr(b, "vehicles_per_day")}
        self.applied = {b.name: 1.0 for b in model.of("buyer")}
        self.next = 0
        self._advance(model.start)
        for b in model.of("buyer"):  # opening stock for the need in force at the start
            cover = b.conf.initial_cover_days if b.conf.initial_cover_days is not None \
                else b.target_cover
            for m, n in b.need.items():
                extra = n * cover - self.table_need[b.name][m] * cover
                if extra > 1e-12:
                    b.bring_in(m, extra, "initial")

    def multiplier(self, kind: str) -> float:
        """The multiplier in force for buyers of ``kind`` (an agent's ``kind``)."""
        return self.level.get(kind, 1.0) * self.level["all"]

    def step(self, day: dt.date) -> None:
        """Take the steps due on ``day`` (phase ``demand``)."""
        if self.next < len(self.steps) and self.steps[self.next][0] <= day:
            self._advance(day)

    def _advance(self, day: dt.date) -> None:
        while self.next < len(self.steps) and self.steps[self.next][0] <= day:
            _, kind, mult = self.steps[self.next]
            self.level[kind] = mult
            self.next += 1
        sub = getattr(self.model, "substitution", None)
        for b in self.model.of("buyer"):
            mult = self.multiplier(b.kind)
            if mult == self.applied[b.name]:
                continue
            self.applied[b.name] = mult
            need = {m: n * mult for m, n in self.table_need[b.name].items()}
            b.need.update(need)
            if b.name in self.table_vehicles:
                b.vehicles_per_day = self.table_vehicles[b.name] * mult
            if sub is not None and b.name in sub.base:
                sub.base[b.name] = dict(need)
