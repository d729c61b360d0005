"""A buffer per plant: ``magnet-sim buffer --per-plant scenario=controls_2025``.

1. **Each plant's smallest cover.** For every assembly plant, the smallest cover (days of the
   plant's own magnet use, held at the plant: as components where tier-1s supply it) with
   which that plant has no halt on at least ``share`` of the search seeds. The tier-1s keep
   their own magnet stock. All plants are searched at once by a bisection per plant: each
   step runs every seed once with every plant at the middle of its own bracket and moves
   each plant's bracket on its own outcome (plants share queues and tier-1s, so a plant's
   answer is found with the others near theirs). The covers found are then run together on
   the search seeds (raised 10% for any plant that still fails, at most three times), on
   fresh seeds to check they hold, and each plant at 20% less (the others as found) on the
   fresh seeds to check it is minimal.

2. **The cheapest split of a stock budget between the plants and their tier-1s.** The budget
   (USD of stock at first-day prices; by default what the covers found add over the plants'
   own) is split: a share ``a`` held at the plants (each plant in proportion to its part of
   the per-plant answer), the rest at the tier-1s that supply them (each plant's part in
   proportion to the value each tier-1 supplies it). Every split costs the same to carry,
   so the cheapest is the one that loses the least revenue (then the fewest vehicles in
   halts) on the search seeds. The optimiser: five splits (0, 25, 50, 75, 100% at the
   plants) first, since halts come and go with the split and the curve need not have one
   minimum, then ``scipy.optimize.minimize_scalar`` (bounded Brent: golden section with
   parabolic steps) between the neighbours of the best of them. One variable, an expensive
   simulated objective without gradient that common random numbers (the same seeds for
   every split) make deterministic: about a dozen evaluations, where a search over every
   node's stock (a dozen dimensions) would need hundreds of runs per seed.

Every run goes through the one runner (`sim.experiments.runner.run_many`).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from scipy.optimize import minimize_scalar

from sim.config import RunConfig
from sim.config.resolve import resolve
from sim.domain.errors import ConfigError
from sim.engine.model import SupplyChainModel
from sim.experiments.runner import Job, run_many
from sim.kpis.nodes import nodes_meta
from sim.kpis.summary import usd


@dataclass
class PlantTrial:
    """Covers tried (plant -> days) on seeds: each plant's halts, and the totals."""

    covers: dict[str, float]
    seeds: list[int]
    halted: dict[str, list[bool]]
    lost_vehicles: list[float]
    lost_revenue: list[float]

    def ok_share(self, plant: str) -> float:
        h = self.halted[plant]
        return 1.0 - sum(h) / len(h)


@dataclass
class PlantAnswer:
    """One plant's answer."""

    plant: str
    own_cover_days: float
    cover_days: float | None  # None: no cover up to high suffices
    tier1s: dict[str, float]  # its tier-1s and their own magnet cover (days)
    value_per_day_usd: float
    search_ok_share: float | None = None
    fresh_ok_share: float | None = None
    less_cover_days: float | None = None  # 20% less
    less_fresh_ok_share: float | None = None

    @property
    def extra_value_usd(self) -> float:
        return max(0.0, (self.cover_days or 0.0) - self.own_cover_days) * self.value_per_day_usd


@dataclass
class PerPlantResult:
    scenario: str
    share: float
    seeds: list[int]
    fresh_seeds: list[int]
    high: float
    plants: list[PlantAnswer] = field(default_factory=list)
    trials: list[PlantTrial] = field(default_factory=list)
    holding_cost_rate: float = 0.2
    split: dict | None = None

    def as_dict(self) -> dict:
        d = asdict(self)
        d["trials"] = [asdict(t) for t in self.trials]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> PerPlantResult:
        """Back from ``buffer_per_plant.json`` (to redraw its plot and report)."""
        d = dict(d)
        d["plants"] = [PlantAnswer(**p) for p in d.get("plants", [])]
        d["trials"] = [PlantTrial(**t) for t in d.get("trials", [])]
        return cls(**d)


# --------------------------------------------------------------------------- configs
def chain(cfg: RunConfig) -> tuple[dict, dict, dict]:
    """(plant -> own cover, plant -> {tier-1: value per day it supplies the plant, USD},
    node -> value of a day of its magnet use at first-day prices, USD)."""
    meta = nodes_meta(SupplyChainModel(copy.deepcopy(cfg)))
    p0 = cfg.market.initial_price
    value = {n: sum(t * 1000.0 * p0.get(m, 0.0) for m, t in v["need_tpd"].items())
             for n, v in meta.items()}
    tiers = {x.supplier for x in cfg.world.links or ()} if cfg.world.tiers else set()
    supply: dict[str, dict[str, float]] = {}
    for x in cfg.world.links or ():
        if x.supplier in tiers and x.customer in value:
            need = meta[x.customer]["need_tpd"].get(x.product, 0.0)
            supply.setdefault(x.customer, {}).setdefault(x.supplier, 0.0)
            supply[x.customer][x.supplier] += need * x.share * 1000.0 * p0.get(x.product, 0.0)
    own = {a.name: float(a.component_cover_days if a.name in supply and
                         a.component_cover_days is not None else a.target_cover_days)
           for a in cfg.world.automakers}
    return own, supply, value


def with_stock(cfg: RunConfig, covers: dict[str, float], seed: int,
               tier_extra: dict[str, float] | None = None) -> RunConfig:
    """``cfg`` with each plant's own cover set (days) and tier-1s' cover raised (days)."""
    c = copy.deepcopy(cfg)
    c.seed, c.plots = int(seed), False
    c.world.automaker_cover_days, c.world.automaker_cover_scale = None, 1.0
    for a in c.world.automakers:
        if a.name in covers:
            if a.component_cover_days is not None:
                a.component_cover_days = float(covers[a.name])
            else:
                a.target_cover_days = float(covers[a.name])
            if a.initial_cover_days is not None:
                a.initial_cover_days = float(covers[a.name])
    for t in c.world.tier1s or ():
        extra = (tier_extra or {}).get(t.name, 0.0)
        if extra:
            t.target_cover_days += extra
            if t.initial_cover_days is not None:
                t.initial_cover_days += extra
    return c


def trial(cfg: RunConfig, covers: dict[str, float], seeds: list[int], n_jobs=None,
          tier_extra: dict[str, float] | None = None) -> PlantTrial:
    """Run every seed with these covers (through `run_many`)."""
    label = " ".join(f"{k}={v:g}" for k, v in covers.items())
    jobs = [Job((f"covers {label}", f"seed={s}"), config=with_stock(cfg, covers, s, tier_extra))
            for s in seeds]
    res = run_many(jobs, workers=n_jobs)
    bad = [r for r in res if r.status != "ok"]
    if bad:
        raise ConfigError(f"buffer search: a run failed ({label}): {bad[0].error}")
    plants = [a.name for a in cfg.world.automakers]
    return PlantTrial(dict(covers), list(seeds),
                      {p: [(r.kpis["plants"][p]["halt_days"] or 0) > 0 for r in res]
                       for p in plants},
                      [float(r.kpis["lost_vehicles"]) for r in res],
                      [float(r.kpis["lost_revenue_usd"] or 0.0) for r in res])


# --------------------------------------------------------------------------- the search
def search(cfg: RunConfig, seeds: list[int], fresh: list[int], share: float = 0.9,
           low: float = 0.0, high: float = 365.0, tol: float = 1.0, n_jobs=None,
           minimal_check: bool = True, log: Callable | None = print) -> PerPlantResult:
    """Each plant's smallest cover (module docstring, 1)."""
    cfg = copy.deepcopy(cfg)
    resolve(cfg.world)
    own, supply, value = chain(cfg)
    plants = list(own)
    res = PerPlantResult(cfg.scenario_name, share, list(seeds), list(fresh), high,
                         holding_cost_rate=cfg.economics.holding_cost_rate)

    def run(covers: dict[str, float], on: list[int], what: str) -> PlantTrial:
        t = trial(cfg, covers, on, n_jobs)
        res.trials.append(t)
        if log:
            log(f"  {what}: " + ", ".join(f"{p} {covers[p]:g} d {t.ok_share(p):.0%}"
                                          for p in plants))
        return t

    top = run(dict.fromkeys(plants, high), seeds, f"all at {high:g} days (share of seeds "
              "without a halt)")
    bottom = run(dict.fromkeys(plants, low), seeds, f"all at {low:g} days")
    bad = {p: low for p in plants}
    good: dict[str, float | None] = {p: high if top.ok_share(p) >= share else None
                                     for p in plants}
    for p in plants:
        if bottom.ok_share(p) >= share:
            good[p] = low
    while True:
        open_ = [p for p in plants if good[p] is not None and good[p] - bad[p] > tol
                 and good[p] != low]
        if not open_:
            break
        mids = {}
        for p in plants:
            if p in open_:
                mid = math.floor((bad[p] + good[p]) / 2 / tol) * tol
                mids[p] = min(max(mid, bad[p] + tol), good[p] - tol) \
                    if good[p] - bad[p] > tol else good[p]
            else:
                mids[p] = good[p] if good[p] is not None else high
        t = run(mids, seeds, "bisection")
        for p in open_:
            if t.ok_share(p) >= share:
                good[p] = mids[p]
            else:
                bad[p] = mids[p]
    covers = {p: (good[p] if good[p] is not None else high) for p in plants}
    for _ in range(3):  # together, on the search seeds; raise any plant that fails
        t = run(covers, seeds, "together")
        failing = [p for p in plants if good[p] is not None and t.ok_share(p) < share]
        if not failing:
            break
        for p in failing:
            covers[p] = min(high, math.ceil(max(covers[p], tol) * 1.1 / tol) * tol)
    verify = run(covers, fresh, "fresh seeds") if fresh else None
    for p in plants:
        a = PlantAnswer(p, own[p], covers[p] if good[p] is not None else None,
                        {k: _cover_of(cfg, k) for k in supply.get(p, {})}, value.get(p, 0.0),
                        search_ok_share=t.ok_share(p),
                        fresh_ok_share=verify.ok_share(p) if verify else None)
        res.plants.append(a)
    if minimal_check and fresh:
        checks = [a for a in res.plants if a.cover_days]
        for a in checks:
            less = round(a.cover_days * 0.8, 2)
            lt = run({**covers, a.plant: less}, fresh, f"{a.plant} at 20% less")
            a.less_cover_days, a.less_fresh_ok_share = less, lt.ok_share(a.plant)
    return res


def _cover_of(cfg: RunConfig, tier1: str) -> float:
    return next((float(t.target_cover_days) for t in cfg.world.tier1s or ()
                 if t.name == tier1), math.nan)


# --------------------------------------------------------------------------- the split
def split_stock(cfg: RunConfig, res: PerPlantResult, a: float, budget: float,
                chained: tuple | None = None) -> tuple:
    """Covers and tier-1 extra days when ``a`` of ``budget`` (USD of stock) is held at the
    plants and the rest at their tier-1s (module docstring, 2); ``chained``: `chain`'s
    answer for ``cfg`` if known."""
    own, supply, value = chained or chain(cfg)
    extra = {x.plant: x.extra_value_usd for x in res.plants}
    total = sum(extra.values()) or 1.0
    weight = {p: (e / total if sum(extra.values()) else 1.0 / len(extra))
              for p, e in extra.items()}
    covers, tier_extra = {}, {}
    for p, w in weight.items():
        covers[p] = own[p] + a * budget * w / value[p] if value.get(p) else own[p]
        tiers = supply.get(p, {})
        if not tiers:  # no tier-1s: the plant holds its whole part
            covers[p] += (1 - a) * budget * w / value[p] if value.get(p) else 0.0
            continue
        s = sum(tiers.values())
        for t, v in tiers.items():
            if value.get(t):
                tier_extra[t] = tier_extra.get(t, 0.0) + (1 - a) * budget * w * v / s / value[t]
    return covers, tier_extra


def best_split(cfg: RunConfig, res: PerPlantResult, budget: float | None = None,
               n_jobs=None, log: Callable | None = print, xatol: float = 0.05) -> dict:
    """The split of ``budget`` between plants and tier-1s that loses the least revenue on
    the search seeds (bounded Brent over the plants' share, ends included)."""
    cfg = copy.deepcopy(cfg)
    resolve(cfg.world)
    budget = budget if budget is not None else sum(x.extra_value_usd for x in res.plants)
    chained = chain(cfg)
    seen: dict[float, dict] = {}

    def cost(a: float) -> float:
        a = round(min(1.0, max(0.0, float(a))), 4)
        if a not in seen:
            covers, tiers = split_stock(cfg, res, a, budget, chained)
            t = trial(cfg, covers, res.seeds, n_jobs, tiers)
            n = len(t.seeds)
            seen[a] = {"plants_share": a, "lost_revenue_usd": sum(t.lost_revenue) / n,
                       "lost_vehicles": sum(t.lost_vehicles) / n,
                       "plant_halts": sum(sum(h) for h in t.halted.values()),
                       "covers": covers, "tier1_extra_days": tiers}
            if log:
                log(f"  split {a:.0%} at plants / {1 - a:.0%} at tier-1s: lost revenue "
                    f"{usd(seen[a]['lost_revenue_usd'])}, lost vehicles "
                    f"{seen[a]['lost_vehicles']:,.0f} (mean of {n} seeds)")
        return seen[a]["lost_revenue_usd"] + 1e-6 * seen[a]["lost_vehicles"]

    grid = [0.0, 0.25, 0.5, 0.75, 1.0]  # a coarse look first: the curve need not be
    costs = [cost(a) for a in grid]       # unimodal (halts come and go with the split)
    converged = True
    if max(costs) > 0:  # all lose nothing: every split does as well, no search
        i = min(range(len(grid)), key=lambda k: (costs[k], -grid[k]))
        lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
        opt = minimize_scalar(cost, bounds=(lo, hi), method="bounded",
                              options={"xatol": xatol, "maxiter": 8})
        converged = bool(opt.success)
    best = min(seen.values(), key=lambda r: (r["lost_revenue_usd"], r["lost_vehicles"],
                                             -r["plants_share"]))
    return {"budget_usd": budget, "carrying_cost_usd_per_yr": budget * res.holding_cost_rate,
            "optimiser": "a 5-point grid, then scipy.optimize.minimize_scalar(method="
                         "'bounded') around its best",
            "evaluations": sorted(seen.values(), key=lambda r: r["plants_share"]),
            "best": best, "converged": converged}
