"""Drawing a sweep's samples: Monte Carlo draws, Latin hypercube draws (scipy's
`scipy.stats.qmc.LatinHypercube`, each column mapped through its distribution's inverse
CDF, so every parameter's range is covered evenly with few jobs) and SALib (Sobol, Morris)
samples as a table of one row per job, and the job overrides it makes.

The ``samples`` node is checked and typed by `sim.sweep_specs.parse_samples` first. Every
job gets explicit overrides (``key=value``), so its ``.hydra/overrides.yaml`` says exactly
what it ran; the sweeper (`sim.sweeper`) combines them with the grid as a product.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from sim.experiments.specs import DISTS, parse_samples, plain


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


def _inverse_cdf(spec: dict, u: np.ndarray) -> np.ndarray | list:
    """Values of a distribution at quantiles ``u`` in [0, 1) (a Latin hypercube column)."""
    d = spec.get("dist", "uniform")
    if d == "uniform":
        return spec["low"] + u * (spec["high"] - spec["low"])
    if d == "triangular":
        width = spec["high"] - spec["low"]
        return stats.triang.ppf(u, (spec["mode"] - spec["low"]) / width, spec["low"], width)
    if d == "normal":
        x = stats.norm.ppf(u, spec["mean"], spec["sd"])
        return np.clip(x, spec.get("low", -np.inf), spec.get("high", np.inf))
    if d == "lognormal":
        x = stats.lognorm.ppf(u, spec["sigma"], scale=np.exp(spec["mu"]))
        return np.clip(x, spec.get("low", 0.0), spec.get("high", np.inf))
    if d == "choice":
        values = spec["values"]
        return [values[min(int(q * len(values)), len(values) - 1)] for q in u]
    if d == "fixed":
        return [spec["value"]] * len(u)
    raise ValueError(f"unknown distribution {d!r} (one of {', '.join(DISTS)})")


def bounds(spec: dict) -> list[float]:
    """A parameter's range for SALib: ``low``/``high`` (any dist)."""
    return [float(spec["low"]), float(spec["high"])]


def sample_table(samples: dict) -> pd.DataFrame:
    """One row per job: the parameter values (and ``seed`` when seeds are per job)."""
    spec = parse_samples(samples)
    samples = {**plain(samples), "params": {k: d.as_dict() for k, d in spec.params.items()},
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
    elif method == "latin_hypercube":
        n = int(samples["n"])
        u = qmc.LatinHypercube(len(names), rng=np.random.default_rng(seed)).random(n)
        df = pd.DataFrame({k: _inverse_cdf(dict(params[k]), u[:, j])
                           for j, k in enumerate(names)})
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
        raise ValueError(f"unknown sampling method {method!r} (monte_carlo | latin_hypercube "
                         "| sobol | morris)")
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


def format_value(v: Any) -> str:
    """A sampled value as override text (floats to 6 significant digits)."""
    if isinstance(v, (float, np.floating)):
        return repr(float(f"{float(v):.6g}"))
    if isinstance(v, (np.integer,)):
        return str(int(v))
    return str(v)


def sample_overrides(df: pd.DataFrame) -> list[list[str]]:
    return [[f"{k}={format_value(v)}" for k, v in row.items()] for row in df.to_dict("records")]

