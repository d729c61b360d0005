"""Demand substitution (thrifting and redesign) by buyers, and recycling as a small
price-driven supply.

Substitution (phase 3, before use): for each buyer of a kind in ``substitution.kinds``
(default: automakers) and magnet, a shortage signal is on
when the outside price is above ``price_trigger`` times its opening level or the buyer
lost output today. Once the signal has lasted ``lag_days`` running (``lag_days_by_kind``
where set) (redesign and
qualification), the substituted share ``s`` of that magnet's opening need rises by
``rate_per_year / 365`` a day up to ``max_share``; it never falls back (designs stay).
Heavy-rare-earth-free designs move ``ndfeb_hre`` need to plain ``ndfeb``; rare-earth-free
designs remove ``ndfeb`` need. ``substitution_share`` is the substituted share of the
automakers' opening rare-earth magnet need (an HRE-free shift counts, as Dy/Tb no longer
needed).

Recycling (phase 2): ``recycled_tpd * (oxide price / opening) ** recycling_elasticity`` tonnes
of oxide a day go to the non-Chinese makers with an oxide need, a ledger source
(``recycled``).
"""

from __future__ import annotations

from sim.config import SubstitutionConf
from sim.domain.products import FEEDSTOCK

SHIFT = {"ndfeb_hre": "ndfeb", "ndfeb": None}  # where substituted need goes


class Substitution:
    """Tracks each substituting buyer's substituted shares and applies them to its need."""

    def __init__(self, model, conf: SubstitutionConf) -> None:
        self.model, self.conf = model, conf
        self.autos = [b for b in model.of("buyer") if b.kind in conf.kinds]
        self.base = {a.name: dict(a.need) for a in self.autos}
        self.share = {a.name: {m: 0.0 for m in SHIFT if m in a.need} for a in self.autos}
        self.signal_days = {a.name: {m: 0 for m in SHIFT} for a in self.autos}
        self.total_base = sum(sum(n.values()) for n in self.base.values())
        self.recycled_today = 0.0

    def step(self) -> None:
        """Update shares from today's signals and set each automaker's need."""
        c, mk = self.conf, self.model.market
        for a in self.autos:
            sh, days = self.share[a.name], self.signal_days[a.name]
            lag = c.lag_days_by_kind.get(a.kind, c.lag_days)
            for m in sh:
                high = mk.price[m] > c.price_trigger * mk.p0[m]
                days[m] = days[m] + 1 if (high or a.lost_today > 1e-9) else 0
                if days[m] >= lag:
                    sh[m] = min(c.max_share, sh[m] + c.rate_per_year / 365.0)
            base = self.base[a.name]
            need = dict(base)
            for m, s in sh.items():
                moved = base[m] * s
                need[m] -= moved
                if SHIFT[m] is not None and SHIFT[m] in need:
                    need[SHIFT[m]] += moved
            a.need.update(need)

    @property
    def substitution_share(self) -> float:
        """Substituted share of the automakers' opening magnet need."""
        if not self.total_base:
            return 0.0
        moved = sum(self.base[n][m] * s for n, sh in self.share.items() for m, s in sh.items())
        return moved / self.total_base

    def recycle(self) -> None:
        """Recycled oxide to non-Chinese makers, rising with the oxide price (phase 2)."""
        c, mk = self.conf, self.model.market
        makers = [m for m in self.model.of("maker") if m.oxide_target > 0]
        self.recycled_today = 0.0
        if c.recycled_tpd <= 0 or not makers or FEEDSTOCK not in mk.p0:
            return
        q = c.recycled_tpd * (mk.price[FEEDSTOCK] / mk.p0[FEEDSTOCK]) ** c.recycling_elasticity
        total = sum(m.oxide_target for m in makers)
        for m in makers:
            m.bring_in(FEEDSTOCK, q * m.oxide_target / total, "recycled")
        self.recycled_today = q
