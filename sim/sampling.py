"""Job lists for sweeps: grids, Monte Carlo draws and SALib samples, and the sweeper.

An experiment (``experiments/*.yaml``) selects ``hydra/sweeper: sim``, whose config is
`SimSweeperConf`:

- ``params``: a grid, exactly as Hydra's basic sweeper (``key: "a,b,c"`` or ``range(1,6)``);
- ``samples``: parameters drawn per job instead of a grid::

      samples:
        method: monte_carlo        # monte_carlo | sobol | morris
        n: 100                     # MC: jobs; sobol: base N (2^k); morris: trajectories
        seed: 0                    # seed of the sampling itself
        seeds: per_job             # per_job: job i runs seed=first_seed+i; fixed: the config's
        first_seed: 1
        params:
          world.transit_jitter_days: {dist: uniform, low: 1, high: 6}
          market.scarcity_elasticity: {dist: triangular, low: 1.5, mode: 3, high: 5}

  Every job gets explicit overrides (``key=value``), so its ``.hydra/overrides.yaml`` says
  exactly what it ran. Grid and samples combine as a product.
- ``compare``: what the aggregation compares (see `sim.sweep`).

The sweeper writes ``sweep.json`` (job count, start time) and ``samples.csv`` at the sweep
root, and skips jobs whose folder already holds a completed run with the same overrides,
so re-running a sweep into the same ``hydra.sweep.dir`` finishes only what is missing.

The sweeper class itself lives in ``hydra_plugins/sim_sweeper`` (Hydra loads plugins only
from that namespace); its logic is `SampleSweeper` here.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.config_store import ConfigStore
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.plugins.sweeper import Sweeper
from omegaconf import OmegaConf

log = logging.getLogger(__name__)
DISTS = ("uniform", "triangular", "normal", "lognormal", "choice", "fixed")


@dataclass
class SimSweeperConf:
    _target_: str = "hydra_plugins.sim_sweeper.sim_sweeper.SimSweeper"
    max_batch_size: int | None = None
    params: dict[str, str] | None = None
    samples: dict[str, Any] | None = None
    compare: dict[str, Any] | None = None


ConfigStore.instance().store(group="hydra/sweeper", name="sim", node=SimSweeperConf,
                             provider="sim")


# --------------------------------------------------------------------------- sampling
def _draw(rng: np.random.Generator, spec: dict, n: int) -> np.ndarray | list:
    d = spec.get("dist", "uniform")
    if d == "uniform":
        return rng.uniform(spec["low"], spec["high"], n)
    if d == "triangular":
        return rng.triangular(spec["low"], spec["mode"], spec["high"], n)
    if d == "normal":
        x = rng.normal(spec["mean"], spec["sd"], n)
        return np.clip(x, spec.get("low", -np.inf), spec.get("high", np.inf))
    if d == "lognormal":
        return rng.lognormal(spec["mu"], spec["sigma"], n)
    if d == "choice":
        return [spec["values"][i] for i in rng.integers(0, len(spec["values"]), n)]
    if d == "fixed":
        return [spec["value"]] * n
    raise ValueError(f"unknown distribution {d!r} (one of {', '.join(DISTS)})")


def bounds(spec: dict) -> list[float]:
    """A parameter's range for SALib: ``low``/``high`` (any dist)."""
    return [float(spec["low"]), float(spec["high"])]


def sample_table(samples: dict) -> pd.DataFrame:
    """One row per job: the parameter values (and ``seed`` when seeds are per job)."""
    params = dict(samples["params"])
    names = list(params)
    method = samples.get("method", "monte_carlo")
    seed = int(samples.get("seed", 0))
    if method == "monte_carlo":
        rng = np.random.default_rng(seed)
        n = int(samples["n"])
        cols = {k: _draw(rng, dict(params[k]), n) for k in names}
        df = pd.DataFrame(cols)
    elif method in ("sobol", "morris"):
        problem = salib_problem(params)
        if method == "sobol":
            from SALib.sample import sobol
            x = sobol.sample(problem, int(samples["n"]), calc_second_order=False, seed=seed)
        else:
            from SALib.sample import morris
            x = morris.sample(problem, int(samples["n"]),
                              num_levels=int(samples.get("levels", 4)), seed=seed)
        df = pd.DataFrame(x, columns=names)
    else:
        raise ValueError(f"unknown sampling method {method!r} (monte_carlo | sobol | morris)")
    for k in names:  # integer-typed parameters stay integers
        if dict(params[k]).get("integer"):
            df[k] = df[k].round().astype(int)
    if samples.get("seeds", "per_job") == "per_job":
        df["seed"] = int(samples.get("first_seed", 1)) + np.arange(len(df))
    return df


def salib_problem(params: dict) -> dict:
    names = list(params)
    return {"num_vars": len(names), "names": names,
            "bounds": [bounds(dict(params[k])) for k in names]}


def _fmt(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return repr(float(f"{float(v):.6g}"))
    if isinstance(v, (np.integer,)):
        return str(int(v))
    return str(v)


def sample_overrides(df: pd.DataFrame) -> list[list[str]]:
    return [[f"{k}={_fmt(v)}" for k, v in row.items()] for row in df.to_dict("records")]


# --------------------------------------------------------------------------- resuming
def completed(job_dir: Path, overrides: list[str]) -> bool:
    """Whether ``job_dir`` holds a finished, successful run of exactly ``overrides``."""
    from .results import RunFolder
    return RunFolder(job_dir).completed(list(overrides))


class SampleSweeper(Sweeper):
    """Hydra's basic sweeper plus sampled parameters, resuming and a job count.

    (Not a BasicSweeper subclass: Hydra's plugin scan re-executes that module, which breaks
    its ``super(BasicSweeper, self)``; its static grid expansion is reused instead.)"""

    def __init__(self, max_batch_size: int | None = None, params=None, samples=None,
                 compare=None) -> None:
        super().__init__()
        self.max_batch_size = max_batch_size
        self.params = dict(params or {})
        self.hydra_context = self.config = self.launcher = None
        self.samples = OmegaConf.to_container(samples, resolve=True) \
            if samples is not None and not isinstance(samples, dict) else samples
        self.compare = compare

    def setup(self, *, hydra_context, task_function, config) -> None:
        from hydra.core.plugins import Plugins

        self.hydra_context, self.config = hydra_context, config
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config)

    def job_list(self, arguments: list[str]) -> tuple[list[list[str]], pd.DataFrame | None]:
        parser = OverridesParser.create(config_loader=self.hydra_context.config_loader)
        params = [f"{k}={v}" for k, v in self.params.items()]
        overrides = parser.parse_overrides(params + list(arguments))
        grid = BasicSweeper.split_arguments(overrides, None)[0]
        if not self.samples:
            return grid, None
        table = sample_table(self.samples)
        rows = sample_overrides(table)
        jobs = []
        for g in grid:
            for r in rows:
                keys = {o.split("=", 1)[0] for o in r}
                jobs.append([o for o in g if o.split("=", 1)[0] not in keys] + r)
        return jobs, table

    def sweep(self, arguments: list[str]) -> Any:
        jobs, table = self.job_list(arguments)
        sweep_dir = Path(self.config.hydra.sweep.dir)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        if table is not None:
            table.rename_axis("job").to_csv(sweep_dir / "samples.csv")
        sub = OmegaConf.to_container(self.config.hydra.sweep)["subdir"]  # unresolved
        done = [completed(sweep_dir / _subdir(sub, i), j) for i, j in enumerate(jobs)]
        (sweep_dir / "sweep.json").write_text(json.dumps(
            {"total": len(jobs), "already_done": sum(done), "started": time.time()}) + "\n")
        if any(done):
            print(f"resuming: {sum(done)} of {len(jobs)} jobs already complete, skipped",
                  flush=True)
        print(f"sweep: {len(jobs) - sum(done)} jobs to run -> {sweep_dir}", flush=True)
        returns = []
        i = 0
        while i < len(jobs):  # launch each contiguous run of pending jobs, numbers kept
            if done[i]:
                i += 1
                continue
            k = i
            while k < len(jobs) and not done[k]:
                k += 1
            step = self.max_batch_size or (k - i)
            for a in range(i, k, step):
                returns.append(self.launcher.launch(jobs[a:min(k, a + step)],
                                                    initial_job_idx=a))
            i = k
        return returns


def _subdir(template: str, num: int) -> str:
    """The job folder name; ``${hydra.job.num}`` (the project's setting) or a plain name."""
    return str(template).replace("${hydra.job.num}", str(num))
