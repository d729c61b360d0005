"""How well runs fit observed series: windows, ratios to a reference window, the error table
and the calibration loss. Pure functions of tables (no runs, no files), shared by the compare
report (`sim.experiments.compare`) and calibration (`sim.experiments.calibrate`).

Definitions (per series; ``x_r(t)`` is run r's value in period t, ``y(t)`` the observation):

- **ratio to the reference window**: ``x_r(t) / mean over t' in REF of x_r(t')`` for each run,
  ``y(t) / mean over t' in REF of y(t')`` for the observations. Ratios compare the shape of a
  series (a fall to half, a recovery) whatever the level the model opens at;
- **model ratio** ``m(t)``: the mean over runs of the runs' ratios;
- **MAE of ratios** over a window: ``mean over t in window of |m(t) - yr(t)|`` (periods
  with an observation); **bias of ratios**: ``mean of m(t) - yr(t)``;
- **MAE** and **bias** in the series' unit: the same with the runs' mean level;
- **coverage**: the share of the window's observations inside the runs' 10-90% band of
  levels (the band needs at least two runs);
- **loss** of a calibration: the weighted mean over series of the MAE of ratios on the
  training window (weights from the spec, default 1 each).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.domain.errors import ConfigError

DEFINITIONS = {
    "ratio": "each run's value in a period divided by that run's mean over the reference "
             "window; the same for the observations",
    "mae_ratio": "mean over the window's observed periods of |mean of the runs' ratios - "
                 "observed ratio|",
    "bias_ratio": "mean of (mean of the runs' ratios - observed ratio): above 0, the model "
                  "runs high",
    "mae, bias": "the same in the series' unit, with the runs' mean level",
    "coverage": "share of the window's observations inside the runs' 10-90% band of levels",
    "loss (calibration)": "weighted mean over series of mae_ratio on the training window",
}
"""The error table's terms in words (the report prints them)."""

BAND = (0.1, 0.9)
"""The model's band: the 10th and 90th percentiles over runs."""


@dataclass(frozen=True)
class Window:
    """A named span of periods, both ends included (``start`` and ``end`` are days)."""

    name: str
    start: pd.Timestamp
    end: pd.Timestamp

    def mask(self, index: pd.DatetimeIndex) -> np.ndarray:
        return np.asarray((index >= self.start) & (index <= self.end))

    def text(self) -> str:
        return f"{self.start.date()}..{self.end.date()}"


_END = re.compile(r"^\d{4}-\d{2}$")


def parse_window(text: str | None, name: str, where: str) -> Window | None:
    """``START:END`` with each end ``YYYY-MM`` (a whole month) or ``YYYY-MM-DD``; None for
    None. ``2025-01:2025-08`` is January 1 to August 31."""
    if text is None:
        return None
    parts = str(text).split(":")
    if len(parts) != 2 or not all(parts):
        raise ConfigError(f"{where}: a window is START:END (YYYY-MM or YYYY-MM-DD each), "
                          f"got {text!r}")
    try:
        ends = [_day(p.strip(), last=(i == 1)) for i, p in enumerate(parts)]
    except ValueError:
        raise ConfigError(f"{where}: {text!r} is not START:END with dates YYYY-MM or "
                          "YYYY-MM-DD") from None
    if ends[1] < ends[0]:
        raise ConfigError(f"{where}: the window ends before it starts, got {text!r}")
    return Window(name, pd.Timestamp(ends[0]), pd.Timestamp(ends[1]))


def _day(text: str, last: bool) -> dt.date:
    if _END.match(text):
        first = dt.date.fromisoformat(text + "-01")
        if not last:
            return first
        return (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
    return dt.date.fromisoformat(text)


def check_windows(train: Window | None, validate: Window | None, reference: Window,
                  where: str) -> None:
    """The training and validation windows may not overlap, and the reference window (whose
    observations scale every ratio) lies inside the training window when there is one."""
    if train and validate and not (validate.start > train.end or validate.end < train.start):
        raise ConfigError(f"{where}: the validation window {validate.text()} overlaps the "
                          f"training window {train.text()}; hold the validation months out")
    if train and not (train.start <= reference.start and reference.end <= train.end):
        raise ConfigError(f"{where}: the reference window {reference.text()} must lie inside "
                          f"the training window {train.text()} (the validation window's "
                          "observations may not shape the fit)")


def ratios(values: pd.DataFrame | pd.Series, reference: Window,
           what: str = "the series") -> pd.DataFrame | pd.Series:
    """Each column (run) or the series divided by its mean over the reference window."""
    ref = values[reference.mask(values.index)]
    base = ref.mean()
    if np.any(np.asarray(base) <= 0) or np.any(pd.isna(base)):
        raise ConfigError(f"reference window {reference.text()}: {what} has no positive "
                          "value there to take ratios to (give --reference a window it "
                          "covers with a non-zero mean)")
    return values / base


def band(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean, 10% and 90% over runs (columns) per period."""
    q = runs.quantile(list(BAND), axis=1).T if runs.shape[1] else None
    out = pd.DataFrame({"mean": runs.mean(axis=1)}, index=runs.index)
    out["p10"] = q[BAND[0]] if q is not None else np.nan
    out["p90"] = q[BAND[1]] if q is not None else np.nan
    return out


def errors(observed: pd.Series, runs: pd.DataFrame, windows: list[Window],
           reference: Window, name: str | None = None) -> pd.DataFrame:
    """The error table of one series: a row per window (module docstring) with n, MAE and
    bias of ratios, MAE and bias in the series' unit, and coverage by the 10-90% band."""
    obs = observed.dropna()
    used = reference.mask(obs.index)  # only the windows' and the reference's observations
    for w in windows:
        used = used | w.mask(obs.index)
    obs = obs[used]
    runs = runs.reindex(obs.index)
    missing = runs.index[runs.isna().all(axis=1)]
    if len(missing):
        raise ConfigError(f"observations on {missing[0].date()} are outside the runs (they "
                          f"cover {runs.dropna().index.min()}..{runs.dropna().index.max()}); "
                          "run longer or from an earlier start")
    label = f"series {name!r}" if name else "the series"
    m_ratio = ratios(runs, reference, f"the runs of {label}").mean(axis=1)
    y_ratio = ratios(obs, reference, f"the observations of {label}")
    b = band(runs)
    rows = []
    for w in windows:
        k = w.mask(obs.index)
        n = int(k.sum())
        d_ratio = (m_ratio - y_ratio)[k]
        d_level = (b["mean"] - obs)[k]
        inside = ((obs >= b["p10"]) & (obs <= b["p90"]))[k]
        rows.append({"window": w.name, "from": str(w.start.date()), "to": str(w.end.date()),
                     "n": n,
                     "mae_ratio": float(d_ratio.abs().mean()) if n else np.nan,
                     "bias_ratio": float(d_ratio.mean()) if n else np.nan,
                     "mae": float(d_level.abs().mean()) if n else np.nan,
                     "bias": float(d_level.mean()) if n else np.nan,
                     "coverage": float(inside.mean()) if n and runs.shape[1] > 1 else np.nan})
    return pd.DataFrame(rows)


def loss(observed: dict[str, pd.Series], runs: dict[str, pd.DataFrame], train: Window,
         reference: Window, weights: dict[str, float] | None = None) -> float:
    """The calibration loss: the weighted mean over series of the MAE of ratios on the
    training window (module docstring). ``runs`` maps a series to its runs (columns)."""
    total, wsum = 0.0, 0.0
    for name, obs in observed.items():
        w = float((weights or {}).get(name, 1.0))
        e = errors(obs, runs[name], [train], reference, name).iloc[0]
        if e["n"] == 0:
            raise ConfigError(f"series {name!r}: no observation in the training window "
                              f"{train.text()}")
        total += w * float(e["mae_ratio"])
        wsum += w
    return total / wsum
