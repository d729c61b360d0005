"""What a sweep varied, in words: labels of swept keys (names and units from the parameter
registry and, for events, the event-key registry and the event's own kind and label), the
design line that every sweep plot, the terminal summary and the report state ("what was
sampled"), and whether a share of runs may be read as a probability.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from sim.config.parameters import table as parameter_table
from sim.config.policy import EventConf
from sim.config.registry import spec_of

RANDOM_METHODS = ("monte_carlo",)
"""Sampling methods whose runs are random draws (a share of them estimates a probability);
Morris and Sobol designs place their runs deliberately."""


@lru_cache(maxsize=1)
def _rows() -> dict:
    return {r.path: r for r in parameter_table()}


@lru_cache(maxsize=1)
def _event_units() -> dict[str, str]:
    return {f.name: spec_of(f).unit for f in dataclasses.fields(EventConf) if spec_of(f)}


EVENT_WORDS = {"days": "length", "day": "start (day of the run)", "date": "date"}


def num(v) -> str:
    """A rounded, readable number: 1.23 M, 45,600, 3.14, 0.0123."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, str):
        return v
    a = abs(v)
    if a >= 1e9:
        return f"{v / 1e9:.3g} bn"
    if a >= 1e6:
        return f"{v / 1e6:.3g} M"
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"
    return f"{v:.3g}"


def param_label(key: str, events: list | None = None) -> str:
    """``world.automaker_cover_days`` -> ``automaker cover (days)``; ``events.0.days`` ->
    ``embargo length (days)`` (the event's kind from ``events``, the unit from the event
    registry)."""
    m = re.fullmatch(r"events\.(\d+)\.(\w+)", key)
    if m:
        i, field = int(m[1]), m[2]
        ev = events[i] if events and i < len(events) else None
        name = (ev.get("id") or ev.get("set")) if isinstance(ev, dict) else f"event {i}"
        unit = _event_units().get(field, "")
        unit = "" if unit == "-" else unit
        what = EVENT_WORDS.get(field, field.replace("_", " "))
        return f"{name} {what}" + (f" ({unit})" if unit else "")
    row = _rows().get(key)
    unit = row.unit if row else ""
    name = (row.name if row and row.name else
            key.rsplit(".", 1)[-1].replace("_days", "").replace("_", " "))
    return f"{name} ({unit})" if unit and unit not in ("-", "1") else name


def short(key: str, events: list | None = None) -> str:
    """A label without its unit: ``automaker cover``."""
    return param_label(key, events).split(" (")[0]


def _dist(d: dict) -> str:
    kind = d.get("dist", "uniform")
    if kind == "triangular":
        return f"triangular {num(d['low'])}-{num(d['mode'])}-{num(d['high'])}"
    if kind == "normal":
        return f"normal mean {num(d['mean'])} sd {num(d['sd'])}"
    if kind == "lognormal":
        return f"lognormal mu {num(d['mu'])} sigma {num(d['sigma'])}"
    if kind == "choice":
        return "one of " + ", ".join(map(str, d["values"]))
    if kind == "fixed":
        return f"fixed {d['value']}"
    return f"{kind} {num(d['low'])}-{num(d['high'])}"


def design_lines(df: pd.DataFrame, samples: dict | None = None,
                 events: list | None = None) -> list[str]:
    """What the sweep varied: the sampled parameters with their distributions (and the
    method), then every other key that takes more than one value across the runs, then the
    number of runs and scenarios. One short line each."""
    ok = df[df["status"] == "ok"] if "status" in df else df
    out = []
    sampled = dict((samples or {}).get("params") or {})
    if sampled:
        method = (samples or {}).get("method", "monte_carlo")
        what = {"monte_carlo": "drawn per run", "morris": "Morris design (SALib), "
                f"{samples.get('n')} trajectories", "sobol": "Sobol design (SALib), base "
                f"{samples.get('n')}"}.get(method, method)
        out.append(f"sampled ({what}): " + "; ".join(
            f"{param_label(k, events)} {_dist(d)}" for k, d in sampled.items()))
    varied = []
    for c in sorted(x for x in ok if x.startswith("param.")):
        k = c[len("param."):]
        if k in sampled or k == "experiment":
            continue
        vals = ok[c].dropna().unique()
        if len(vals) > 1:
            nums = pd.to_numeric(pd.Series(vals), errors="coerce")
            numeric = bool(nums.notna().all())
            order = sorted(vals, key=float) if numeric else sorted(vals, key=str)
            shown = (f"{num(nums.min())}-{num(nums.max())}" if numeric and len(vals) > 4
                     else ", ".join(str(num(v)) for v in order))
            varied.append(f"{param_label(k, events)}: {len(vals)} values ({shown})")
    if "seed" in ok and "param.seed" not in ok and ok["seed"].nunique() > 1 and not sampled:
        varied.append(f"seed: {ok['seed'].nunique()} values")
    if varied:
        out.append("varied: " + "; ".join(varied))
    scen = sorted(ok["scenario"].dropna().unique()) if "scenario" in ok else []
    out.append(f"{len(ok)} runs" + (f" of scenario {', '.join(map(str, scen))}" if scen else "")
               + (" (seeds per run: " + ("one fixed seed" if ok["seed"].nunique() == 1 else
                                          f"{ok['seed'].nunique()} seeds") + ")"
                  if "seed" in ok and len(ok) else ""))
    return out


def shares_are_probabilities(n_runs: int, samples: dict | None) -> tuple[bool, str]:
    """Whether a share of runs (a halt in x% of runs) estimates a probability, and the
    words for it: only for at least two runs drawn at random (seeds, Monte Carlo draws)."""
    if n_runs < 2:
        return False, "one run per group: a yes/no, not a probability"
    method = (samples or {}).get("method")
    if method and method not in RANDOM_METHODS:
        return False, (f"runs placed by a {method} design, not drawn at random: a share of "
                       "the design, not a probability")
    return True, f"share of {n_runs} random runs: an estimate of the probability"


def scenario_of(df: pd.DataFrame) -> str:
    """The scenario(s) of a sweep's runs, for titles."""
    if "scenario" not in df:
        return ""
    names = sorted(map(str, df["scenario"].dropna().unique()))
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
