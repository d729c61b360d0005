"""A calibration's spec: what is fitted to which observations, how, and on what budget.

A spec is a YAML file (``experiments/calibrate/<name>.yaml``; ``magnet-sim calibrate
NAME`` or ``magnet-sim calibrate PATH``) or the same given as flags
(``magnet-sim calibrate scenario=S --observed F --params P,Q --train A:B --validate C:D``)::

    name: controls_2025                 # names the calibration and its files
    overrides: [scenario=controls_2025, days=365, "~calibration"]
    observed: cn_magnet_exports_2025    # a shipped data set or a CSV (sim.config.observed)
    train: 2025-01:2025-08              # the months the loss sees
    validate: 2025-09:2025-12           # held out: judged, never fitted
    reference: 2025-01:2025-03          # ratios are to this window's mean (inside train)
    weights: {cn_magnet_exports_t: 1}   # per series (default 1 each)
    seeds: 3                            # every candidate runs these seeds (common numbers)
    check_seeds: 10                     # fresh seeds for the final figures
    trials: 120                         # candidates in all (resumable)
    batch: 4                            # candidates per round (run in parallel)
    tolerance: 0.15                     # ensemble: loss <= best x (1 + tolerance)
    sampler_seed: 0
    params:                             # at most six mechanism constants
      licensing.approval_default: {low: 0.3, high: 1.0}
      licensing.files_per_working_day: {low: 20, high: 400, log: true}

Each parameter's range lies inside its registry bounds (`sim.config.registry`); without
``low``/``high`` the registry's own finite bounds are the range, and a parameter with none
needs them given. A range is never wider than the registry allows. Event keys (dates,
levels), structural stocks, firms, seeds and horizons are refused: calibration fits
mechanism constants only. Every mistake is one line naming the key.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.cli.files import read_yaml
from sim.cli.keys import key_type
from sim.config import RunConfig
from sim.config.paths import EXPERIMENTS_DIR
from sim.config.registry import MAX_DAYS, MAX_TONNES, Spec, hints, spec_of, unwrap
from sim.domain.errors import ConfigError, error, show, suggest
from sim.experiments import fit

MAX_PARAMS = 6
"""Most parameters one calibration fits (a monthly series pins down few)."""
SPEC_DIR = EXPERIMENTS_DIR / "calibrate"
NOT_FITTED = ("events", "world.stock", "world.firms", "world.add", "world.firm_overrides",
              "world.tables", "seed", "days", "start", "scenario_name", "calibrated")
"""Keys a calibration may not fit: events (dates and levels), structural stocks, firms,
the seed and the horizon."""
KEYS = ("name", "overrides", "observed", "train", "validate", "reference", "weights", "seeds",
        "first_seed", "check_seeds", "trials", "batch", "tolerance", "sampler_seed", "params")
PARAM_KEYS = ("low", "high", "log", "integer", "why")


@dataclass(frozen=True)
class Param:
    """A fitted parameter: its key, range and scale."""

    key: str
    low: float
    high: float
    log: bool = False
    integer: bool = False
    why: str = ""


@dataclass
class CalibrationSpec:
    """A checked spec (module docstring)."""

    name: str
    overrides: list[str]
    observed: str
    train: str
    validate: str | None
    reference: str
    params: list[Param]
    weights: dict[str, float] = field(default_factory=dict)
    seeds: int = 3
    first_seed: int = 1
    check_seeds: int = 10
    trials: int = 120
    batch: int = 4
    tolerance: float = 0.15
    sampler_seed: int = 0

    def fit_seeds(self) -> list[int]:
        return list(range(self.first_seed, self.first_seed + self.seeds))

    def fresh_seeds(self) -> list[int]:
        """Seeds the fit never ran (the final figures)."""
        start = self.first_seed + self.seeds + 1000
        return list(range(start, start + self.check_seeds))

    def identity(self) -> dict:
        """What a resumed calibration must share with the study it continues."""
        d = dataclasses.asdict(self)
        for k in ("trials", "check_seeds"):
            d.pop(k)
        return d


def spec_path(name: str) -> Path:
    p = Path(name)
    if p.suffix in (".yaml", ".yml"):
        return p
    p = SPEC_DIR / f"{name}.yaml"
    if not p.exists():
        known = sorted(f.stem for f in SPEC_DIR.glob("*.yaml"))
        raise error("magnet-sim calibrate", f"no calibration spec {name!r}"
                    f"{suggest(name, known)}; known: {', '.join(known) or 'none'}", name)
    return p


def read_spec(name: str) -> dict:
    """A spec file's mapping (through the one reader of user files)."""
    p = spec_path(name)
    data = read_yaml(p)
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: a calibration spec is a mapping of {', '.join(KEYS)}")
    return data


def parse_spec(data: dict, where: str) -> CalibrationSpec:
    """Check and type a spec's mapping (module docstring)."""
    for k in data:
        if k not in KEYS:
            raise error(f"{where}", f"unknown key {k!r}{suggest(k, KEYS)}; known: "
                        f"{', '.join(KEYS)}")
    for k in ("name", "observed", "train", "params"):
        if not data.get(k):
            raise error(where, f"{k!r} is needed")
    name = str(data["name"])
    if not name.replace("_", "").replace("-", "").isalnum():
        raise error(f"{where}.name", "letters, digits, - and _ only (it names files)",
                    show(name))
    overrides = data.get("overrides") or []
    if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
        raise error(f"{where}.overrides", "a list of key=value texts", show(overrides))
    ints = {"seeds": (1, 100), "first_seed": (0, 10**9), "check_seeds": (0, 1000),
            "trials": (1, 100_000), "batch": (1, 1000), "sampler_seed": (0, 2**31)}
    values = {}
    for k, (lo, hi) in ints.items():
        if k in data:
            v = data[k]
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise error(f"{where}.{k}", f"an integer from {lo} to {hi}", show(v))
            values[k] = v
    if "tolerance" in data:
        t = data["tolerance"]
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 < t <= 10:
            raise error(f"{where}.tolerance", "a number above 0 (0.15: within 15% of the best "
                        "loss)", show(t))
        values["tolerance"] = float(t)
    weights = data.get("weights") or {}
    if not isinstance(weights, dict) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0
            for v in weights.values()):
        raise error(f"{where}.weights", "a mapping of series to positive numbers", show(weights))
    train = str(data["train"])
    validate = None if data.get("validate") is None else str(data["validate"])
    reference = str(data.get("reference") or _first_months(train))
    t, v, r = (fit.parse_window(x, n, f"{where}.{n}") for x, n in
               ((train, "train"), (validate, "validate"), (reference, "reference")))
    fit.check_windows(t, v, r, where)
    params = parse_params(data["params"], f"{where}.params")
    return CalibrationSpec(name, list(overrides), str(data["observed"]), train, validate,
                           reference, params, {str(k): float(w) for k, w in weights.items()},
                           **values)


def _first_months(train: str) -> str:
    start = fit.parse_window(train, "train", "train").start
    return f"{start:%Y-%m}:{(start + pd.DateOffset(months=2)):%Y-%m}"


def parse_params(given, where: str) -> list[Param]:
    """Parameters and their ranges (module docstring)."""
    if isinstance(given, str):
        given = {k.strip(): {} for k in given.split(",") if k.strip()}
    if not isinstance(given, dict) or not given:
        raise error(where, "name the parameters to fit (key: {low, high})", show(given))
    if len(given) > MAX_PARAMS:
        raise error(where, f"at most {MAX_PARAMS} parameters (a monthly series pins down "
                    "few)", len(given))
    return [_param(str(k), v or {}, f"{where}.{k}") for k, v in given.items()]


def _param(key: str, d, where: str) -> Param:
    if not isinstance(d, dict):
        raise error(where, "a mapping {low, high, log, integer}", show(d))
    for k in d:
        if k not in PARAM_KEYS:
            raise error(where, f"unknown key {k!r}{suggest(k, PARAM_KEYS)}")
    if key.startswith(NOT_FITTED):
        raise error(where, "not a mechanism constant a calibration may fit (no event dates "
                    "or levels, structural stocks, firms, seeds or horizons)", key)
    tp = key_type(key.split("."), where, key)
    inner, _ = unwrap(tp)
    if inner not in (int, float):
        raise error(where, f"{key} is not a number ({getattr(inner, '__name__', inner)})", key)
    s = _spec(key)
    lo, hi = _registry_range(s)
    low, high = d.get("low", lo), d.get("high", hi)
    if low is None or high is None:
        raise error(where, f"the registry gives {key} no finite range "
                    f"({s.bounds_text() if s else 'none'}): give low and high in the spec")
    for k, v in (("low", low), ("high", high)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise error(f"{where}.{k}", "a finite number", show(v))
    if not low < high:
        raise error(where, "low must be below high", f"{low}, {high}")
    if s is not None:
        for v in (low, high):
            if not _inside(v, s):
                raise error(where, f"the range {low}..{high} goes outside the registry's "
                            f"bounds ({s.bounds_text()}): ranges are never widened", key)
    log = bool(d.get("log", False))
    if log and low <= 0:
        raise error(where, "a log scale needs low above 0", low)
    return Param(key, float(low), float(high), log, bool(d.get("integer", inner is int)),
                 str(d.get("why", "")))


def _spec(key: str) -> Spec | None:
    """The registry entry of a (nested) field of the run's config, or None."""
    obj: type = RunConfig
    parts = key.split(".")
    for i, part in enumerate(parts):
        if not dataclasses.is_dataclass(obj):
            return None
        fields = {f.name: f for f in dataclasses.fields(obj)}
        if part not in fields:
            return None
        if i == len(parts) - 1:
            return spec_of(fields[part])
        obj = unwrap(hints(obj)[part])[0]
    return None


def _registry_range(s: Spec | None) -> tuple[float | None, float | None]:
    """The registry's finite, closed bounds (generic caps of durations and tonnes and open
    bounds do not count as a range)."""
    if s is None:
        return None, None
    lo = None if s.lo is None or s.lo_open else s.lo
    hi = None if s.hi is None or s.hi_open or s.hi in (MAX_DAYS, *MAX_TONNES.values()) \
        else s.hi
    return lo, hi


def _inside(v: float, s: Spec) -> bool:
    return ((s.lo is None or (v > s.lo if s.lo_open else v >= s.lo))
            and (s.hi is None or (v < s.hi if s.hi_open else v <= s.hi)))
