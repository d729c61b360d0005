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
- ``compare``: what the aggregation compares (see `sim.sweep`): ``kpis``, ``variant``,
  ``reference``, ``grid``.

Strict: both specs are parsed into typed records (`Samples`, `Dist`, `Compare`); unknown
keys, unknown distributions or methods, ``low >= high``, a mode outside, ``sd <= 0``, empty
choices and ``n < 1`` are refused before any job starts. Then every grid value (and each
sampled range's ends) is composed and validated, and the first job runs for a few days, so a
value that does not parse or a KPI that does not exist stops the sweep before its first job.
Events can be addressed by id (``events.embargo.days``, see `sim.cli_checks.event_ids`);
the sweeper turns ids into positions, so job overrides and summaries name positions.

The sweeper writes ``sweep.json`` (job count, start time) and ``samples.csv`` at the sweep
root, and skips jobs whose folder already holds a completed run with the same overrides,
so re-running a sweep into the same ``hydra.sweep.dir`` finishes only what is missing.

The sweeper class itself lives in ``hydra_plugins/sim_sweeper`` (Hydra loads plugins only
from that namespace); its logic is `SampleSweeper` here.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.config_store import ConfigStore
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.plugins.sweeper import Sweeper
from omegaconf import OmegaConf, flag_override

from .errors import ConfigError, error, suggest

log = logging.getLogger(__name__)
DISTS = ("uniform", "triangular", "normal", "lognormal", "choice", "fixed")
METHODS = ("monte_carlo", "sobol", "morris")
SEEDS = ("per_job", "fixed")
# the keys each distribution needs, and the optional ones it takes
DIST_NEEDS = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"),
              "normal": ("mean", "sd"), "lognormal": ("mu", "sigma"), "choice": ("values",),
              "fixed": ("value",)}
DIST_MAY = {"normal": ("low", "high"), "lognormal": ("low", "high")}


@dataclass
class SimSweeperConf:
    _target_: str = "hydra_plugins.sim_sweeper.sim_sweeper.SimSweeper"
    max_batch_size: int | None = None
    params: dict[str, str] | None = None
    samples: dict[str, Any] | None = None
    compare: dict[str, Any] | None = None


ConfigStore.instance().store(group="hydra/sweeper", name="sim", node=SimSweeperConf,
                             provider="sim")


# --------------------------------------------------------------------------- typed specs
@dataclass(frozen=True)
class Dist:
    """One sampled parameter: a distribution and its numbers (see `DIST_NEEDS`)."""

    dist: str = "uniform"
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = None
    mu: float | None = None
    sigma: float | None = None
    values: tuple | None = None
    value: Any = None
    integer: bool = False

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v)
                for k, v in dataclasses.asdict(self).items() if v is not None}

    def probe_values(self) -> list:
        """Values a job of this parameter can take at the edges (to validate up front)."""
        if self.dist == "choice":
            vals = list(self.values or ())
        elif self.dist == "fixed":
            vals = [self.value]
        else:
            vals = [v for v in (self.low, self.high) if v is not None]
        return [round(v) if self.integer and isinstance(v, (int, float)) else v for v in vals]


@dataclass(frozen=True)
class Samples:
    """The ``samples`` node of the sweeper."""

    params: dict = field(default_factory=dict)  # name -> Dist
    method: str = "monte_carlo"
    n: int = 1
    seed: int = 0
    seeds: str = "per_job"
    first_seed: int = 1
    levels: int = 4


@dataclass(frozen=True)
class Compare:
    """The ``compare`` node of the sweeper (see `sim.sweep`)."""

    kpis: tuple | None = None
    variant: str | None = None
    reference: Any = None
    grid: tuple | None = None
    buffer: dict | None = None  # {share, search_seeds}: sim.buffer.from_grid


def _keys(node: dict, allowed, where: str) -> None:
    for k in node:
        if k not in allowed:
            raise error(f"{where}.{k}", f"unknown key {str(k)!r}{suggest(k, allowed)}",
                        _show(node[k]))


def _show(v: Any) -> str:
    return "null" if v is None else repr(v) if isinstance(v, str) else str(v)


def _int(v: Any, where: str, low: int | None = None) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, str)) or (
            isinstance(v, str) and not v.strip().lstrip("+-").isdigit()):
        raise error(where, "must be an integer", _show(v))
    v = int(v)
    if low is not None and v < low:
        raise error(where, f"must be >= {low}", v)
    return v


def _num(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise error(where, "must be a finite number", _show(v))
    return float(v) if isinstance(v, float) else v


def _plain(node: Any) -> Any:
    if node is None or isinstance(node, (dict, list, str, int, float, bool)):
        return node
    return OmegaConf.to_container(node, resolve=True)


def _flat_params(params: dict, where: str, prefix: str = "") -> dict:
    """``{world: {transit_jitter_days: {low: 1}}}`` -> ``{world.transit_jitter_days: ...}``:
    a mapping without any spec key is a namespace (so CLI overrides of one field merge)."""
    out: dict = {}
    for k, v in params.items():
        name = f"{prefix}{k}"
        if isinstance(v, dict) and v and not (set(v) & set(Dist.__dataclass_fields__)) \
                and all(isinstance(x, dict) for x in v.values()):
            for k2, v2 in _flat_params(v, where, name + ".").items():
                out[k2] = {**out.get(k2, {}), **v2} if isinstance(v2, dict) else v2
        else:
            out[name] = {**out[name], **v} if isinstance(out.get(name), dict) and \
                isinstance(v, dict) else v
    return out


def parse_dist(spec: Any, where: str, method: str = "monte_carlo") -> Dist:
    """One parameter's spec as a `Dist`; raises ConfigError naming what is wrong."""
    if not isinstance(spec, dict):
        raise error(where, "expected a distribution, e.g. {dist: uniform, low: 1, high: 5}",
                    _show(spec))
    _keys(spec, Dist.__dataclass_fields__, where)
    d = spec.get("dist", "uniform")
    if d not in DISTS:
        raise error(f"{where}.dist", f"unknown distribution{suggest(d, DISTS, listing=True)}",
                    _show(d))
    if method in ("sobol", "morris"):  # SALib samples uniformly within low..high
        need: tuple = ("low", "high")
    else:
        need = DIST_NEEDS[d]
        extra = set(spec) - {"dist", "integer"} - set(need) - set(DIST_MAY.get(d, ()))
        if extra:
            raise error(where, f"a {d} distribution takes {', '.join(need)}, not "
                        f"{', '.join(sorted(extra))}", _show(spec))
    for k in need:
        if k not in spec or spec[k] is None:
            raise error(where, f"a {d if method == 'monte_carlo' else method} parameter "
                        f"needs {k!r}", _show(spec))
    vals = {k: _num(spec[k], f"{where}.{k}") for k in ("low", "high", "mode", "mean", "sd",
                                                      "mu", "sigma") if spec.get(k) is not None}
    integer = spec.get("integer", False)
    if not isinstance(integer, bool):
        raise error(f"{where}.integer", "must be true or false", _show(integer))
    if "low" in vals and "high" in vals and not vals["low"] < vals["high"]:
        raise error(where, "needs low < high", f"low {vals['low']}, high {vals['high']}")
    if "mode" in vals and d == "triangular" and not vals["low"] <= vals["mode"] <= vals["high"]:
        raise error(f"{where}.mode", f"must lie within low..high ({vals['low']}.."
                    f"{vals['high']})", vals["mode"])
    for k in ("sd", "sigma"):
        if k in vals and vals[k] <= 0 and k in need:
            raise error(f"{where}.{k}", "must be > 0", vals[k])
    values = spec.get("values")
    if d == "choice" and method == "monte_carlo":
        if not isinstance(values, list) or not values:
            raise error(f"{where}.values", "a choice needs a non-empty list of values",
                        _show(values))
        values = tuple(values)
    return Dist(dist=d, integer=integer, values=values, value=spec.get("value"),
                **{k: v for k, v in vals.items()})


def parse_samples(raw: Any, where: str = "hydra.sweeper.samples") -> Samples:
    """The ``samples`` node as `Samples`, every spec checked; raises ConfigError."""
    raw = _plain(raw)
    if not isinstance(raw, dict):
        raise error(where, "expected a mapping (method, n, params, ...)", _show(raw))
    _keys(raw, Samples.__dataclass_fields__, where)
    method = raw.get("method", "monte_carlo")
    if method not in METHODS:
        raise error(f"{where}.method", f"unknown method{suggest(method, METHODS, True)}",
                    _show(method))
    if "n" not in raw:
        raise error(where, "needs n (jobs, base sample size or trajectories)", None)
    n = _int(raw["n"], f"{where}.n", low=1)
    if method == "sobol" and n & (n - 1):
        raise error(f"{where}.n", "Sobol sampling needs a power of 2", n)
    seeds = raw.get("seeds", "per_job")
    if seeds not in SEEDS:
        raise error(f"{where}.seeds", f"must be per_job or fixed{suggest(seeds, SEEDS)}",
                    _show(seeds))
    levels = _int(raw.get("levels", 4), f"{where}.levels", low=2)
    params = raw.get("params")
    if not isinstance(params, dict) or not params:
        raise error(f"{where}.params", "needs at least one parameter, e.g. "
                    "{world.transit_jitter_days: {dist: uniform, low: 1, high: 6}}",
                    _show(params))
    flat = _flat_params(params, where)
    if seeds == "per_job" and "seed" in flat:
        raise error(f"{where}.params.seed", "seeds: per_job sets each job's seed; sample "
                    "the seed only with seeds: fixed", _show(flat["seed"]))
    return Samples(
        params={k: parse_dist(v, f"{where}.params.{k}", method) for k, v in flat.items()},
        method=method, n=n, seed=_int(raw.get("seed", 0), f"{where}.seed", low=0),
        seeds=seeds, first_seed=_int(raw.get("first_seed", 1), f"{where}.first_seed", low=0),
        levels=levels)


def parse_compare(raw: Any, where: str = "hydra.sweeper.compare") -> Compare:
    """The ``compare`` node as `Compare` (keys and shapes; names are checked by the
    sweeper against what it sweeps)."""
    raw = _plain(raw)
    if raw is None:
        return Compare()
    if not isinstance(raw, dict):
        raise error(where, "expected a mapping (kpis, variant, reference, grid, buffer)",
                    _show(raw))
    _keys(raw, Compare.__dataclass_fields__, where)
    kpis = raw.get("kpis")
    if isinstance(kpis, str):
        kpis = [kpis]
    if kpis is not None and (not isinstance(kpis, list) or not all(
            isinstance(k, str) for k in kpis)):
        raise error(f"{where}.kpis", "expected a list of KPI names", _show(kpis))
    grid = raw.get("grid")
    if grid is not None and (not isinstance(grid, list) or len(grid) != 2
                             or not all(isinstance(g, str) for g in grid)):
        raise error(f"{where}.grid", "expected two swept keys [x, y]", _show(grid))
    variant = raw.get("variant")
    if variant is not None and not isinstance(variant, str):
        raise error(f"{where}.variant", "expected the name of a swept key", _show(variant))
    if raw.get("reference") is not None and variant is None:
        raise error(f"{where}.reference", "needs a variant (the swept key it is a value of)",
                    _show(raw["reference"]))
    buffer = raw.get("buffer")
    if buffer is not None:
        if not isinstance(buffer, dict):
            raise error(f"{where}.buffer", "expected a mapping (share, search_seeds)",
                        _show(buffer))
        _keys(buffer, ("share", "search_seeds"), f"{where}.buffer")
        share = buffer.get("share", 0.9)
        if not (isinstance(share, (int, float)) and 0 < share <= 1):
            raise error(f"{where}.buffer.share", "expected a share in (0, 1]", _show(share))
        n = buffer.get("search_seeds")
        if n is not None and not (isinstance(n, int) and n >= 1):
            raise error(f"{where}.buffer.search_seeds", "expected a whole number >= 1",
                        _show(n))
    return Compare(kpis=tuple(kpis) if kpis is not None else None, variant=variant,
                   reference=raw.get("reference"), grid=tuple(grid) if grid else None,
                   buffer=buffer)


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
    spec = parse_samples(samples)
    samples = {**_plain(samples), "params": {k: d.as_dict() for k, d in spec.params.items()},
               "n": spec.n, "seed": spec.seed}
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
        self.compare_spec: Compare | None = None

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
        self._grid = grid
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

    # ----------------------------------------------------------------- checks
    def check(self, arguments: list[str]) -> list[str]:
        """Parse the specs, turn event ids into positions (in the grid, the samples, the
        comparison and the saved ``multirun.yaml``); return the sweep overrides."""
        from .cli_checks import resolve_event_key

        mb = self.max_batch_size
        if mb is not None and (isinstance(mb, bool) or not isinstance(mb, int) or mb < 1):
            raise error("hydra.sweeper.max_batch_size", "must be an integer >= 1 (or null)",
                        _show(mb))
        events = self.config.get("events") if self.config is not None else None
        events = list(OmegaConf.to_container(events, resolve=False)) if events else []

        def pos(key: str) -> str:
            return resolve_event_key(key, events, "hydra.sweeper") \
                if key.split(".")[0] == "events" else key

        self.params = {pos(str(k)): v for k, v in self.params.items()}
        arguments = [self._pos_override(a, pos) for a in arguments]
        samples = None
        if self.samples:
            spec = parse_samples(self.samples)
            samples = {**_plain(self.samples),
                       "params": {pos(k): d.as_dict() for k, d in spec.params.items()}}
            self.samples = samples
        compare = parse_compare(self.compare)
        compare = dataclasses.replace(
            compare, variant=pos(compare.variant) if compare.variant else None,
            grid=tuple(pos(g) for g in compare.grid) if compare.grid else None)
        self.compare_spec = compare
        if self.config is not None:
            node = {k: v for k, v in dataclasses.asdict(compare).items() if v is not None}
            node = {k: list(v) if isinstance(v, tuple) else v for k, v in node.items()}
            with flag_override(self.config, ["struct", "readonly"], [False, False]):
                self.config.hydra.sweeper.params = dict(self.params) or None
                self.config.hydra.sweeper.samples = samples
                self.config.hydra.sweeper.compare = node or None
        return arguments

    @staticmethod
    def _pos_override(text: str, pos) -> str:
        k, eq, v = text.partition("=")
        plus = k[:len(k) - len(k.lstrip("+~"))]
        return f"{plus}{pos(k[len(plus):])}{eq}{v}" if eq else text

    def precheck(self, jobs: list[list[str]]) -> None:
        """Before the first job: compose and validate every grid value and each sampled
        parameter's range ends (on top of the first job), run the first job for a few days,
        and check the comparison's names against what is swept and the KPIs it gives."""
        if not jobs or self.hydra_context is None:
            return
        base = list(jobs[0])
        key = lambda o: o.split("=", 1)[0].lstrip("+~")  # noqa: E731
        values: dict[str, list[str]] = {}
        for job in getattr(self, "_grid", None) or jobs:
            for o in job:
                vals = values.setdefault(key(o), [])
                if o.split("=", 1)[1:] and o.split("=", 1)[1] not in vals:
                    vals.append(o.split("=", 1)[1])
        probes = [base]
        sampled = set((self.samples or {}).get("params", {}))
        self._check_keys(values, sampled)
        todo = list(values.items()) + [(k, []) for k in sampled if k not in values]
        for k, vals in todo:
            if k in sampled:
                spec = parse_dist(self.samples["params"][k], k)
                vals = [_fmt(v) for v in spec.probe_values()]
            elif len(vals) > 2 and all(_is_number(v) for v in vals):  # ends suffice
                vals = [min(vals, key=float), max(vals, key=float)]
            for v in vals:
                # from the first job without its draws (other sampled keys at defaults)
                p = [o for o in base if key(o) != k and key(o) not in sampled] + [f"{k}={v}"]
                if p[-1] not in base and p not in probes:
                    probes.append(p)
        kpis = None
        for p in probes[1:]:  # one value changed at a time: the message names it
            self._probe(p, changed=p[-1], run=False)
        kpis = self._probe(base, changed=None, run=True)
        swept = {k for k in values if k != "experiment" and "/" not in k} | sampled
        c = getattr(self, "compare_spec", None) or Compare()
        where = "hydra.sweeper.compare"
        for name in ([c.variant] if c.variant else []) + list(c.grid or ()):
            if name not in swept:
                what = "variant" if name == c.variant else "grid"
                raise error(f"{where}.{what}", f"{name!r} is not swept"
                            f"{suggest(name, swept, listing=True)}", name)
        if c.variant and c.reference is not None and c.variant in values and \
                str(c.reference) not in values[c.variant]:
            raise error(f"{where}.reference", f"not a value of {c.variant}"
                        f"{suggest(c.reference, values[c.variant], listing=True)}",
                        _show(c.reference))
        if c.kpis and kpis is not None:
            names = set(kpis)
            for k in list(kpis):
                parts = k.split(".")
                names |= {".".join(parts[:j]) for j in range(1, len(parts))}
            for k in c.kpis:
                if k not in names:
                    raise error(f"{where}.kpis", f"unknown KPI {k!r}"
                                f"{suggest(k, names)}", k)

    def _check_keys(self, values: dict[str, list[str]], sampled: set[str]) -> None:
        """Grid keys and values, and sampled names, against the schema (clear messages
        before Hydra composes anything)."""
        from .cli_checks import check_value, key_type

        parser = OverridesParser.create()
        for k, vals in values.items():
            if "/" in k or k.startswith("hydra") or k in ("experiment", "scenario",
                                                          "licensing", "world"):
                continue
            tp = key_type(k.split("."), "hydra.sweeper.params", k)
            for v in vals:
                o = parser.parse_overrides([f"{k}={v}"])[0]
                check_value(o.value(), tp, k, f"hydra.sweeper.params ({k}={v})")
        for k in sampled:
            tp = key_type(k.split("."), "hydra.sweeper.samples.params", k)
            for v in parse_dist(self.samples["params"][k], k).probe_values():
                check_value(v, tp, k, "hydra.sweeper.samples.params")

    def _probe(self, overrides: list[str], changed: str | None, run: bool) -> list | None:
        """Compose one job's config and validate it; ``run``: simulate a few days and
        return the flat KPI names."""
        from . import run as simulate
        from .cli_checks import explain
        from .entry import to_config
        from .validate import validate

        shown = " ".join(overrides)
        where = f"sweep value {changed}" if changed else \
            f"sweep job 0 ({shown if len(shown) < 100 else shown[:97] + '...'})"
        try:
            cfg = self.hydra_context.config_loader.load_sweep_config(self.config, overrides)
            with flag_override(cfg, ["struct", "readonly"], [False, False]):
                cfg.pop("hydra", None)
            rc = to_config(cfg)
            validate(rc)
            if not run:
                return None
            short = dataclasses.replace(rc, days=min(int(rc.days), 3), plots=False)
            out = simulate(short)
        except ConfigError as e:
            raise ConfigError(f"{where}: {e}") from None
        except Exception as e:  # noqa: BLE001 - Hydra/OmegaConf composition errors
            from hydra.errors import HydraException
            from omegaconf.errors import OmegaConfBaseException
            if isinstance(e, (HydraException, OmegaConfBaseException)):
                raise ConfigError(f"{where}: {explain(e)}") from None
            raise
        return list(_flat_names(out["kpis"]))

    def sweep(self, arguments: list[str]) -> Any:
        arguments = self.check(arguments)
        jobs, table = self.job_list(arguments)
        self.precheck(jobs)
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


def _is_number(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


def _flat_names(d: dict, prefix: str = ""):
    for k, v in d.items():
        if isinstance(v, dict) and v:
            yield from _flat_names(v, f"{prefix}{k}.")
        yield f"{prefix}{k}"


def _subdir(template: str, num: int) -> str:
    """The job folder name; ``${hydra.job.num}`` (the project's setting) or a plain name."""
    return str(template).replace("${hydra.job.num}", str(num))
