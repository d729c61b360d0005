"""The sweeper's config (``hydra/sweeper: sim``) and its typed specs: `Samples`, `Dist`,
`Compare`, parsed and checked before any job starts.

An experiment (``experiments/*.yaml``) selects ``hydra/sweeper: sim``, whose config is
`SimSweeperConf` (registered in Hydra's ConfigStore when this module is imported):

- ``params``: a grid, exactly as Hydra's basic sweeper (``key: "a,b,c"`` or ``range(1,6)``);
- ``samples``: parameters drawn per job instead of a grid (see `sim.sampling`)::

      samples:
        method: monte_carlo        # monte_carlo | latin_hypercube | sobol | morris
        n: 100                     # MC, LHS: jobs; sobol: base N (2^k); morris: trajectories
        seed: 0                    # seed of the sampling itself
        seeds: per_job             # per_job: job i runs seed=first_seed+i; fixed: the config's
        first_seed: 1
        params:
          world.transit_jitter_days: {dist: uniform, low: 1, high: 6}
          market.scarcity_elasticity: {dist: triangular, low: 1.5, mode: 3, high: 5}

- ``compare``: what the aggregation compares (see `sim.sweep`): ``kpis``, ``variant``,
  ``reference``, ``grid``, ``buffer``, ``discovery`` (PRIM scenario discovery on a KPI
  threshold, `Discovery`, `sim.experiments.discovery`).

Strict: both specs are parsed into typed records (`Samples`, `Dist`, `Compare`); unknown
keys, unknown distributions or methods, ``low >= high``, a mode outside, ``sd <= 0``, empty
choices and ``n < 1`` are refused before any job starts (`parse_samples`, `parse_compare`).
The names they use are checked against the schema and the first job by the sweeper
(`sim.sweeper`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from hydra.core.override_parser.types import IntervalSweep, RangeSweep
from omegaconf import OmegaConf

from sim.domain.errors import error, show, suggest

DISTS = ("uniform", "triangular", "normal", "lognormal", "choice", "fixed")
METHODS = ("monte_carlo", "latin_hypercube", "sobol", "morris")
DRAWN = ("monte_carlo", "latin_hypercube")  # methods that draw from each distribution
SEEDS = ("per_job", "fixed")
# the keys each distribution needs, and the optional ones it takes
DIST_NEEDS = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"),
              "normal": ("mean", "sd"), "lognormal": ("mu", "sigma"), "choice": ("values",),
              "fixed": ("value",)}
DIST_MAY = {"normal": ("low", "high"), "lognormal": ("low", "high")}


@dataclass
class SimSweeperConf:
    """``hydra.sweeper`` of an experiment (registered by `sim.cli.compose.setup`): a grid
    (``params``), sampled parameters (``samples``), what to compare (``compare``), and how
    to run the jobs (`sim.experiments.runner`): ``backend`` (local, ray, submitit),
    ``workers`` (local processes or cluster tasks; null: the machine's cores) and
    ``batch`` (runs per task; null: chosen from the job count); for Ray and SLURM
    (`sim.experiments.cluster`) ``address`` and ``cluster`` (the backend's own options);
    ``keep``: what each job writes: ``summary`` (its KPIs, meta, plants table and the
    daily series sweep plots read, `sim.experiments.runner.SERIES`) or ``tables`` (every
    table and its composed config, as a single run)."""

    params: dict[str, str] | None = None
    samples: dict[str, Any] | None = None
    compare: dict[str, Any] | None = None
    backend: str = "local"
    workers: int | None = None
    batch: int | None = None
    address: str | None = None
    cluster: dict[str, Any] | None = None
    keep: str = "summary"


MAX_JOBS = 100_000
"""Most jobs a sweep may have (grid x samples): larger ones are refused before expansion."""


def sweep_count(override: Any) -> int:
    """How many values a parsed command-line override sweeps over (1: not a sweep), known
    without expanding it; an interval (a continuous range) cannot be a grid."""
    if not override.is_sweep_override():
        return 1
    v = override.value()
    if isinstance(v, RangeSweep):
        step = v.step or 1
        return max(0, math.ceil((v.stop - v.start) / step))
    if isinstance(v, IntervalSweep):
        raise error("command line", f"{override.key_or_group}: an interval is not a grid; "
                    "sample it (hydra.sweeper.samples) or give values", override.input_line)
    return len(getattr(v, "list", None) or [])


def check_sweep_size(override: Any, where: str = "command line") -> int:
    """`sweep_count`, refusing more than `MAX_JOBS` values before any is expanded."""
    n = sweep_count(override)
    if n > MAX_JOBS:
        raise error(where, f"{override.key_or_group} sweeps over {n:,} values, more than the "
                    f"{MAX_JOBS:,} jobs a sweep may have", override.input_line)
    return n


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
    discovery: dict | None = None  # `Discovery` as a dict: sim.experiments.discovery


@dataclass(frozen=True)
class Discovery:
    """What PRIM looks for (``compare.discovery``, or ``magnet-sim discover``'s flags): the
    runs whose ``kpi`` is ``above`` (or ``below``) ``threshold`` are the cases of interest;
    ``inputs`` (default: every sampled parameter) are the candidate dimensions; the box
    kept from each peeling trajectory is the densest one with at least ``min_coverage`` of
    the cases; ``boxes`` boxes are looked for in turn; a restriction whose quasi-p value
    is above ``max_p`` is dropped (it is not distinguishable from chance)."""

    kpi: str
    threshold: float
    direction: str = "above"
    inputs: tuple | None = None
    min_coverage: float = 0.8
    boxes: int = 1
    max_p: float = 0.05
    peel_alpha: float = 0.05

    def as_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v
                for k, v in dataclasses.asdict(self).items() if v is not None}


def parse_discovery(raw: Any, where: str = "hydra.sweeper.compare.discovery") -> Discovery:
    """The ``discovery`` node as `Discovery`: unknown keys, a missing KPI or threshold,
    shares outside (0, 1] and so on are refused naming the key."""
    raw = plain(raw)
    if not isinstance(raw, dict):
        raise error(where, "expected a mapping, e.g. {kpi: lost_vehicle_share, threshold: "
                    "0.02}", show(raw))
    _keys(raw, Discovery.__dataclass_fields__, where)
    for k in ("kpi", "threshold"):
        if raw.get(k) is None:
            raise error(where, f"needs {k!r} (e.g. {{kpi: lost_vehicle_share, threshold: "
                        "0.02}})", show(raw))
    if not isinstance(raw["kpi"], str) or not raw["kpi"]:
        raise error(f"{where}.kpi", "expected a KPI name", show(raw["kpi"]))
    direction = raw.get("direction", "above")
    if direction not in ("above", "below"):
        raise error(f"{where}.direction", f"must be above or below"
                    f"{suggest(direction, ('above', 'below'))}", show(direction))
    inputs = raw.get("inputs")
    if isinstance(inputs, str):
        inputs = [inputs]
    if inputs is not None and (not isinstance(inputs, list) or not inputs or not all(
            isinstance(x, str) and x for x in inputs)):
        raise error(f"{where}.inputs", "expected a list of parameter names", show(inputs))
    shares = {}
    for k, top in (("min_coverage", 1), ("max_p", 1), ("peel_alpha", 0.5)):
        v = _num(raw.get(k, Discovery.__dataclass_fields__[k].default), f"{where}.{k}")
        if not 0 < v <= top:
            raise error(f"{where}.{k}", f"must lie in (0, {top}]", v)
        shares[k] = float(v)
    return Discovery(kpi=raw["kpi"], threshold=float(_num(raw["threshold"],
                                                          f"{where}.threshold")),
                     direction=direction, inputs=tuple(inputs) if inputs else None,
                     boxes=_int(raw.get("boxes", 1), f"{where}.boxes", low=1), **shares)


def _keys(node: dict, allowed, where: str) -> None:
    for k in node:
        if k not in allowed:
            raise error(f"{where}.{k}", f"unknown key {str(k)!r}{suggest(k, allowed)}",
                        show(node[k]))


def _int(v: Any, where: str, low: int | None = None) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, str)) or (
            isinstance(v, str) and not v.strip().lstrip("+-").isdigit()):
        raise error(where, "must be an integer", show(v))
    v = int(v)
    if low is not None and v < low:
        raise error(where, f"must be >= {low}", v)
    return v


def _num(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise error(where, "must be a finite number", show(v))
    return float(v) if isinstance(v, float) else v


def plain(node: Any) -> Any:
    """Plain data (dicts, lists, scalars) from an OmegaConf node or plain data."""
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
                    show(spec))
    _keys(spec, Dist.__dataclass_fields__, where)
    d = spec.get("dist", "uniform")
    if d not in DISTS:
        raise error(f"{where}.dist", f"unknown distribution{suggest(d, DISTS, listing=True)}",
                    show(d))
    if method in ("sobol", "morris"):  # SALib samples uniformly within low..high
        need: tuple = ("low", "high")
    else:
        need = DIST_NEEDS[d]
        extra = set(spec) - {"dist", "integer"} - set(need) - set(DIST_MAY.get(d, ()))
        if extra:
            raise error(where, f"a {d} distribution takes {', '.join(need)}, not "
                        f"{', '.join(sorted(extra))}", show(spec))
    for k in need:
        if k not in spec or spec[k] is None:
            raise error(where, f"a {d if method in DRAWN else method} parameter "
                        f"needs {k!r}", show(spec))
    vals = {k: _num(spec[k], f"{where}.{k}") for k in ("low", "high", "mode", "mean", "sd",
                                                      "mu", "sigma") if spec.get(k) is not None}
    integer = spec.get("integer", False)
    if not isinstance(integer, bool):
        raise error(f"{where}.integer", "must be true or false", show(integer))
    if "low" in vals and "high" in vals and not vals["low"] < vals["high"]:
        raise error(where, "needs low < high", f"low {vals['low']}, high {vals['high']}")
    if "mode" in vals and d == "triangular" and not vals["low"] <= vals["mode"] <= vals["high"]:
        raise error(f"{where}.mode", f"must lie within low..high ({vals['low']}.."
                    f"{vals['high']})", vals["mode"])
    for k in ("sd", "sigma"):
        if k in vals and vals[k] <= 0 and k in need:
            raise error(f"{where}.{k}", "must be > 0", vals[k])
    values = spec.get("values")
    if d == "choice" and method in DRAWN:
        if not isinstance(values, list) or not values:
            raise error(f"{where}.values", "a choice needs a non-empty list of values",
                        show(values))
        values = tuple(values)
    return Dist(dist=d, integer=integer, values=values, value=spec.get("value"),
                **{k: v for k, v in vals.items()})


def parse_samples(raw: Any, where: str = "hydra.sweeper.samples") -> Samples:
    """The ``samples`` node as `Samples`, every spec checked; raises ConfigError."""
    raw = plain(raw)
    if not isinstance(raw, dict):
        raise error(where, "expected a mapping (method, n, params, ...)", show(raw))
    _keys(raw, Samples.__dataclass_fields__, where)
    method = raw.get("method", "monte_carlo")
    if method not in METHODS:
        raise error(f"{where}.method", f"unknown method{suggest(method, METHODS, True)}",
                    show(method))
    if "n" not in raw:
        raise error(where, "needs n (jobs, base sample size or trajectories)", None)
    n = _int(raw["n"], f"{where}.n", low=1)
    if method == "sobol" and n & (n - 1):
        raise error(f"{where}.n", "Sobol sampling needs a power of 2", n)
    seeds = raw.get("seeds", "per_job")
    if seeds not in SEEDS:
        raise error(f"{where}.seeds", f"must be per_job or fixed{suggest(seeds, SEEDS)}",
                    show(seeds))
    levels = _int(raw.get("levels", 4), f"{where}.levels", low=2)
    params = raw.get("params")
    if not isinstance(params, dict) or not params:
        raise error(f"{where}.params", "needs at least one parameter, e.g. "
                    "{world.transit_jitter_days: {dist: uniform, low: 1, high: 6}}",
                    show(params))
    flat = _flat_params(params, where)
    if seeds == "per_job" and "seed" in flat:
        raise error(f"{where}.params.seed", "seeds: per_job sets each job's seed; sample "
                    "the seed only with seeds: fixed", show(flat["seed"]))
    return Samples(
        params={k: parse_dist(v, f"{where}.params.{k}", method) for k, v in flat.items()},
        method=method, n=n, seed=_int(raw.get("seed", 0), f"{where}.seed", low=0),
        seeds=seeds, first_seed=_int(raw.get("first_seed", 1), f"{where}.first_seed", low=0),
        levels=levels)


def parse_compare(raw: Any, where: str = "hydra.sweeper.compare") -> Compare:
    """The ``compare`` node as `Compare` (keys and shapes; names are checked by the
    sweeper against what it sweeps)."""
    raw = plain(raw)
    if raw is None:
        return Compare()
    if not isinstance(raw, dict):
        raise error(where, "expected a mapping (kpis, variant, reference, grid, buffer, "
                    "discovery)",
                    show(raw))
    _keys(raw, Compare.__dataclass_fields__, where)
    kpis = raw.get("kpis")
    if isinstance(kpis, str):
        kpis = [kpis]
    if kpis is not None and (not isinstance(kpis, list) or not all(
            isinstance(k, str) for k in kpis)):
        raise error(f"{where}.kpis", "expected a list of KPI names", show(kpis))
    grid = raw.get("grid")
    if grid is not None and (not isinstance(grid, list) or len(grid) != 2
                             or not all(isinstance(g, str) for g in grid)):
        raise error(f"{where}.grid", "expected two swept keys [x, y]", show(grid))
    variant = raw.get("variant")
    if variant is not None and not isinstance(variant, str):
        raise error(f"{where}.variant", "expected the name of a swept key", show(variant))
    if raw.get("reference") is not None and variant is None:
        raise error(f"{where}.reference", "needs a variant (the swept key it is a value of)",
                    show(raw["reference"]))
    buffer = raw.get("buffer")
    if buffer is not None:
        if not isinstance(buffer, dict):
            raise error(f"{where}.buffer", "expected a mapping (share, search_seeds)",
                        show(buffer))
        _keys(buffer, ("share", "search_seeds"), f"{where}.buffer")
        share = buffer.get("share", 0.9)
        if not (isinstance(share, (int, float)) and 0 < share <= 1):
            raise error(f"{where}.buffer.share", "expected a share in (0, 1]", show(share))
        n = buffer.get("search_seeds")
        if n is not None and not (isinstance(n, int) and n >= 1):
            raise error(f"{where}.buffer.search_seeds", "expected a whole number >= 1",
                        show(n))
    discovery = raw.get("discovery")
    if discovery is not None:
        discovery = parse_discovery(discovery, f"{where}.discovery").as_dict()
    return Compare(kpis=tuple(kpis) if kpis is not None else None, variant=variant,
                   reference=raw.get("reference"), grid=tuple(grid) if grid else None,
                   buffer=buffer, discovery=discovery)

