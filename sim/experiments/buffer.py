"""What buffer would have carried us? The smallest common automaker cover that avoids halts.

With tier-1 suppliers (``world.tiers``) the cover searched is each plant's own stock, of
magnet-bearing components where tier-1s supply it (``world.automaker_cover_days`` sets
their ``component_cover_days``); the tier-1s keep their own magnet cover.

All plants are searched together (they share queues and quotas): every automaker's target
cover (and so its opening stock) is set to one value, ``world.automaker_cover_days``. A
cover *suffices* when at least ``share`` of the search seeds end the run with no automaker
halt. The search is a bisection on whole days between ``low`` and ``high`` (it assumes more
cover never causes a halt); the cover found is then run on fresh seeds to check it holds,
and its carrying cost (holding-cost rate x the stock's value at first-day prices) is
reported beside the cost of the plants' own targets. When even ``high`` does not suffice,
the result says so plainly.

    magnet-sim buffer scenario=controls_2025                  # 5 seeds, 90%, verify on 5
    magnet-sim buffer scenario=embargo_us days=400 --seeds 8 --share 0.75 --high 240
    magnet-sim buffer --per-plant scenario=controls_2025      # a cover per plant, and the
                                                              # cheapest plant/tier-1 split

``--per-plant``: see `sim.experiments.buffer_plant`.

A sweep does the same on a grid (``python -m sim -m experiment=buffer_needed``): the
aggregation calls `from_grid` on its summary.
"""

from __future__ import annotations

import argparse
import copy
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from sim.cli.compose import compose_run, safe_name
from sim.cli.overrides import check_overrides
from sim.config import EconomicsConf, RunConfig
from sim.domain.errors import ConfigError
from sim.engine.model import SupplyChainModel
from sim.experiments import buffer_plant
from sim.experiments.buffer_plots import (
    common_plot,
    per_plant_plot,
    per_plant_sections,
    plant_lines,
    plant_table,
)
from sim.experiments.runner import Job, run_many
from sim.kpis.nodes import nodes_meta
from sim.kpis.summary import usd
from sim.outputs.report import Section, write_report
from sim.outputs.run_folder import RunFolder, write_json


@dataclass
class Trial:
    """One cover tried on a set of seeds."""

    cover_days: float
    seeds: list[int]
    halted: list[bool]            # per seed: any automaker halt
    lost_vehicles: list[float]

    @property
    def ok_share(self) -> float:
        return 1.0 - sum(self.halted) / len(self.halted)


@dataclass
class BufferResult:
    """The outcome of a search (``cover_days`` is None when no cover up to ``high`` works)."""

    scenario: str
    share: float
    low: float
    high: float
    cover_days: float | None
    search: list[Trial] = field(default_factory=list)
    verify: Trial | None = None
    carrying_cost_usd_per_yr: float | None = None
    own_targets_cost_usd_per_yr: float | None = None
    own_targets: dict[str, float] = field(default_factory=dict)

    @property
    def verified(self) -> bool | None:
        return None if self.verify is None else self.verify.ok_share >= self.share

    def lines(self) -> list[str]:
        n = len(self.search[0].seeds) if self.search else 0
        out = [f"buffer search: {self.scenario}, smallest common automaker cover with no halt "
               f"in >= {self.share:.0%} of {n} seeds (searched {self.low:g}-{self.high:g} days)"]
        if self.cover_days is None:
            top = max(self.search, key=lambda t: t.cover_days)
            out.append(f"  NO COVER SUFFICES up to {top.cover_days:g} days: that cover still "
                       f"leaves halts in {sum(top.halted)} of {len(top.halted)} seeds (no "
                       f"halt in {top.ok_share:.0%}); a larger buffer (raise --high) or "
                       "other measures would be needed")
            return out
        out.append(f"  cover needed: {self.cover_days:g} days of each plant's magnet use, "
                   "held at the plant (as components where tier-1s supply it; they keep "
                   f"their own stock) (plants' own targets: " + ", ".join(
                       f"{k} {v:g}" for k, v in self.own_targets.items()) + ")")
        if self.verify is not None:
            v = self.verify
            out.append(f"  verified on fresh seeds {v.seeds}: no halt in {v.ok_share:.0%} "
                       f"({'holds' if self.verified else 'DOES NOT HOLD'} at {self.share:.0%})")
        if self.carrying_cost_usd_per_yr is not None:
            out.append(f"  carrying cost: {usd(self.carrying_cost_usd_per_yr)}/yr for the "
                       f"automakers' magnet stock at that cover (vs "
                       f"{usd(self.own_targets_cost_usd_per_yr)}/yr at their own targets)")
        return out

    def as_dict(self) -> dict:
        d = asdict(self)
        d["verified"] = self.verified
        return d


def _config(cfg: RunConfig, cover: float, seed: int) -> RunConfig:
    c = copy.deepcopy(cfg)
    c.seed, c.plots = int(seed), False
    c.world.automaker_cover_days = float(cover)
    return c


def trial(cfg: RunConfig, cover: float, seeds: list[int], n_jobs: int = 1) -> Trial:
    """Run ``cfg`` with every automaker at ``cover`` days on each seed (through the one
    runner, `sim.experiments.runner.run_many`)."""
    jobs = [Job((f"world.automaker_cover_days={cover}", f"seed={s}"),
                config=_config(cfg, cover, s)) for s in seeds]
    res = run_many(jobs, workers=n_jobs)
    bad = [r for r in res if r.status != "ok"]
    if bad:
        raise ConfigError(f"buffer search: a run at {cover:g} days failed: {bad[0].error}")
    return Trial(float(cover), list(seeds), [r.kpis["plants_halted"] > 0 for r in res],
                 [float(r.kpis["lost_vehicles"]) for r in res])


def _stock_value_per_day(cfg: RunConfig) -> dict[str, float]:
    """Each automaker's magnet use per day valued at the opening prices (USD/day)."""

    m = SupplyChainModel(copy.deepcopy(cfg))
    prices = cfg.market.initial_price
    return {n: sum(t * 1000.0 * prices.get(mat, 0.0) for mat, t in v["need_tpd"].items())
            for n, v in nodes_meta(m).items() if v["kind"] == "automaker"}


def search(cfg: RunConfig, seeds: list[int], share: float = 0.9, low: float = 0.0,
           high: float = 365.0, tol: float = 1.0, verify_seeds: list[int] | None = None,
           economics: EconomicsConf | None = None, n_jobs: int = 1,
           log=print) -> BufferResult:
    """Bisection for the smallest common cover (whole ``tol`` steps) that avoids every
    automaker halt in at least ``share`` of ``seeds``; then check it on ``verify_seeds``."""
    econ = economics or EconomicsConf()
    tiered = {x.customer for x in cfg.world.links or ()
              if cfg.world.tiers and x.supplier in {t.name for t in cfg.world.tier1s or ()}}
    own = {a.name: float(a.component_cover_days if a.name in tiered
                         and a.component_cover_days is not None else a.target_cover_days)
           for a in cfg.world.automakers}  # the plant's own stock (components behind tier-1s)
    res = BufferResult(cfg.scenario_name, share, low, high, None, own_targets=own)

    def ok(cover: float) -> bool:
        t = trial(cfg, cover, seeds, n_jobs)
        res.search.append(t)
        if log:
            log(f"  cover {cover:6.1f} days: no halt in {t.ok_share:4.0%} of {len(seeds)} "
                f"seeds, lost vehicles mean {sum(t.lost_vehicles) / len(seeds):,.0f}")
        return t.ok_share >= share

    if not ok(high):
        return res
    if ok(low):
        lo_ok = low
    else:
        bad, good = low, high
        while good - bad > tol:
            mid = math.floor((bad + good) / 2 / tol) * tol
            if mid <= bad:
                mid = bad + tol
            if mid >= good:
                break
            if ok(mid):
                good = mid
            else:
                bad = mid
        lo_ok = good
    res.cover_days = float(lo_ok)
    if verify_seeds:
        res.verify = trial(cfg, lo_ok, verify_seeds, n_jobs)
    value = _stock_value_per_day(cfg)
    res.carrying_cost_usd_per_yr = round(sum(v * lo_ok for v in value.values())
                                         * econ.holding_cost_rate, 0)
    res.own_targets_cost_usd_per_yr = round(sum(v * own.get(n, 0.0) for n, v in value.items())
                                            * econ.holding_cost_rate, 0)
    return res


def from_grid(df: pd.DataFrame, share: float = 0.9, search_seeds: int | None = None,
              cover_col: str = "param.world.automaker_cover_days") -> dict:
    """From a sweep summary over covers x seeds: the smallest cover whose share of runs
    without any automaker halt reaches ``share`` on the first ``search_seeds`` seeds, and
    that share on the other (fresh) seeds. ``cover`` is None when no cover suffices."""
    ok = df[df["status"] == "ok"].copy()
    if cover_col not in ok or "kpi.plants_halted" not in ok:
        return {}
    ok["no_halt"] = ok["kpi.plants_halted"] == 0
    seeds = sorted(ok["seed"].dropna().unique())
    n = search_seeds or len(seeds)
    search_s, fresh = seeds[:n], seeds[n:]
    by = ok[ok["seed"].isin(search_s)].groupby(cover_col)["no_halt"].mean().sort_index()
    good = by[by >= share]
    cover = float(good.index.min()) if len(good) else None
    out = {"share": share, "search_seeds": [int(s) for s in search_s],
           "no_halt_share_by_cover": {float(k): float(v) for k, v in by.items()},
           "cover_days": cover}
    if cover is not None and fresh:
        v = ok[(ok[cover_col] == cover) & ok["seed"].isin(fresh)]["no_halt"]
        out.update(verify_seeds=[int(s) for s in fresh],
                   verify_no_halt_share=float(v.mean()) if len(v) else None)
    if cover is not None:
        out["carrying_cost_usd_per_yr"] = _grid_cost(ok["folder"].iloc[0], cover)
    return out


def _grid_cost(folder: str, cover: float) -> float | None:
    """Carrying cost per year of every automaker holding ``cover`` days of magnets, from a
    job's meta (nodes' use, economics) and first-day prices outside China (kpis)."""
    rf = RunFolder(folder)
    meta, k = rf.meta(), rf.kpis()
    moves = k.get("price_moves") or {}
    p0 = {m: v["ex_cn"]["start_usd_per_kg"] for m, v in moves.items() if "ex_cn" in v}
    nodes = meta.get("nodes") or {}
    if not nodes or not p0:
        return None
    per_day = sum(t * 1000.0 * p0.get(m, 0.0) for n in nodes.values()
                  if n["kind"] == "automaker" for m, t in n["need_tpd"].items())
    rate = EconomicsConf.from_dict(meta.get("economics")).holding_cost_rate
    return round(per_day * cover * rate, 0)


def grid_lines(g: dict) -> list[str]:
    if not g:
        return []
    if g["cover_days"] is None:
        top = max(g["no_halt_share_by_cover"].items())
        return [f"buffer needed: NO COVER on the grid suffices (at {top[0]:g} days, no halt "
                f"in {top[1]:.0%} of search seeds; wanted {g['share']:.0%})"]
    line = (f"buffer needed: {g['cover_days']:g} days (no halt in >= {g['share']:.0%} of "
            f"seeds {g['search_seeds']})")
    if g.get("verify_no_halt_share") is not None:
        line += f"; fresh seeds {g['verify_seeds']}: no halt in {g['verify_no_halt_share']:.0%}"
    if g.get("carrying_cost_usd_per_yr") is not None:
        line += f"; carrying cost {usd(g['carrying_cost_usd_per_yr'])}/yr"
    return [line]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (through the command line's main)
        raise ConfigError(f"magnet-sim buffer: {message}")


def main(argv: list[str] | None = None) -> int:
    """``magnet-sim buffer [--per-plant] [key=value ...] [--seeds N ...]``."""
    ap = _Parser(prog="magnet-sim buffer", description=__doc__.split("\n")[0],
                 allow_abbrev=False)
    ap.add_argument("overrides", nargs="*", help="scenario=NAME key=value ... (as a run)")
    ap.add_argument("--per-plant", action="store_true", help="a cover per plant and the "
                    "cheapest split of a stock budget between plants and tier-1s")
    ap.add_argument("--budget", type=float, help="--per-plant: stock budget to split (USD "
                    "at first-day prices; default: what the per-plant covers add)")
    ap.add_argument("--no-split", action="store_true", help="--per-plant: skip the split")
    ap.add_argument("--seeds", type=int, default=5, help="search seeds 1..N (default 5)")
    ap.add_argument("--verify", type=int, default=5, help="fresh seeds N+1..N+V (default 5)")
    ap.add_argument("--share", type=float, default=0.9, help="share of seeds with no halt")
    ap.add_argument("--low", type=float, default=0.0, help="lowest cover tried (days)")
    ap.add_argument("--high", type=float, default=365.0, help="highest cover tried (days)")
    ap.add_argument("--tol", type=float, default=1.0, help="precision (days)")
    ap.add_argument("--jobs", type=int, default=None, help="parallel runs (default: cores)")
    ap.add_argument("--out", type=Path, help="folder for the results (default results/"
                    "buffer_needed/<scenario>/<timestamp>)")
    a = ap.parse_args(argv)
    for name, v, lo in (("--seeds", a.seeds, 1), ("--verify", a.verify, 0),
                        ("--jobs", a.jobs, 1)):
        if v is not None and v < lo:
            raise ConfigError(f"magnet-sim buffer: {name} must be at least {lo}, got {v}")
    if not 0 < a.share <= 1:
        raise ConfigError(f"magnet-sim buffer: --share must be in (0, 1], got {a.share}")
    if not 0 <= a.low < a.high or a.tol <= 0:
        raise ConfigError(f"magnet-sim buffer: need 0 <= --low < --high and --tol > 0, got "
                          f"{a.low:g}, {a.high:g}, {a.tol:g}")
    if a.budget is not None and (a.budget < 0 or not a.per_plant):
        raise ConfigError("magnet-sim buffer: --budget takes a stock value >= 0 in USD and "
                          f"needs --per-plant, got {a.budget:g}")
    cfg = compose_run(check_overrides(a.overrides)).config
    seeds = list(range(1, a.seeds + 1))
    verify = list(range(a.seeds + 1, a.seeds + a.verify + 1))
    out = a.out or Path("results/buffer_needed") / safe_name(cfg.scenario_name) / \
        time.strftime("%Y-%m-%d_%H-%M-%S")
    rf = RunFolder.create(out, explicit=a.out is not None)  # refused before any run
    t0 = time.time()
    if a.per_plant:
        res = buffer_plant.search(cfg, seeds, verify, a.share, a.low, a.high, a.tol,
                                  n_jobs=a.jobs)
        if not a.no_split:
            res.split = buffer_plant.best_split(cfg, res, a.budget, n_jobs=a.jobs)
        print("\n".join(plant_lines(res)))
        write_json(rf.path / "buffer_per_plant.json", res.as_dict())
        plant_table(res).to_csv(rf.path / "buffer_per_plant.csv", index=False)
        plot = per_plant_plot(res, rf.path / "plots" / "buffer_per_plant.png")
        report = write_report(rf.path, *per_plant_sections(res, plot))
    else:
        res = search(cfg, seeds, a.share, a.low, a.high, a.tol, verify, n_jobs=a.jobs)
        print("\n".join(res.lines()))
        write_json(rf.path / "buffer.json", res.as_dict())
        plot = common_plot(res, rf.path / "plots" / "buffer.png")
        report = write_report(rf.path, f"{res.scenario}: the buffer that carries the plants",
                              f"seeds {seeds}, fresh {verify}", [
                                  Section("Headline", pre="\n".join(res.lines())),
                                  Section("Plot", images=[(plot.name, plot)])])
    print(f"({time.time() - t0:.0f} s) -> {rf.path} (plot {plot.name}, report "
          f"{report.name})")
    return 0
