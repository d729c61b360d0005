"""PRIM's boxes, and which of them scenario discovery keeps (`sim.experiments.discovery`).

EMA Workbench's `Prim` peels the inputs' space toward the cases of interest; each step of
its peeling trajectory is a candidate box. Of the steps covering at least ``min_coverage``
of the cases, each with its restricted sides that chance could explain widened again (a
side's quasi-p value, Bryant and Lempert 2010, above ``max_p``), the densest is kept (then
fewer restricted inputs, then more cases). Further boxes are peeled from the runs the
earlier ones left.
"""

from __future__ import annotations

import dataclasses
import logging
import warnings

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from sim.experiments.specs import Discovery


@dataclasses.dataclass
class Box:
    """One PRIM box: its limits (every input; categories as a set), the restricted inputs,
    their quasi-p values (lower, upper; -1: that side not restricted) and its statistics."""

    number: int
    limits: dict
    restricted: list[str]
    qp: dict
    coverage: float
    density: float
    mass: float
    runs: int
    cases: int
    trajectory: pd.DataFrame
    chosen: int


def _prim():
    """EMA Workbench's PRIM (imported when asked: it is heavy, and quiet about the
    optional parts of the workbench this does not use)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    logging.getLogger("EMA").setLevel(logging.WARNING)
    return prim


def _inside(x: pd.DataFrame, lims: pd.DataFrame, init: pd.DataFrame) -> np.ndarray:
    """Which rows of ``x`` lie in the box ``lims`` (rows 0/1: low/high; a category set)."""
    inside = np.ones(len(x), dtype=bool)
    for c in lims.columns:
        if pd.api.types.is_numeric_dtype(init[c]):
            inside &= ((x[c] >= lims.at[0, c]) & (x[c] <= lims.at[1, c])).to_numpy()
        else:
            inside &= x[c].isin(list(lims.at[0, c])).to_numpy()
    return inside


def _sides(lims: pd.DataFrame, init: pd.DataFrame) -> list[tuple[str, int]]:
    """The restricted sides of a box: (input, 0 low | 1 high); a category set: side 0."""
    out = []
    for c in init.columns:
        if pd.api.types.is_numeric_dtype(init[c]):
            out += [(c, s) for s in (0, 1) if not np.isclose(lims.at[s, c], init.at[s, c])]
        elif set(lims.at[0, c]) != set(init.at[0, c]):
            out.append((c, 0))
    return out


def _widen(lims: pd.DataFrame, init: pd.DataFrame, name: str, side: int) -> pd.DataFrame:
    out = lims.copy()
    for s in ((side,) if pd.api.types.is_numeric_dtype(init[name]) else (0, 1)):
        out.at[s, name] = init.at[s, name]
    return out


def quasi_p(x, y, lims, init) -> dict[tuple[str, int], float]:
    """Each restricted side's quasi-p value (Bryant and Lempert 2010, as EMA computes
    it): the chance of the box's cases among its runs if that side were not restricted
    (one-sided binomial test against the density of the box with the side widened)."""
    inside = _inside(x, lims, init)
    n, k = int(inside.sum()), int(y[inside].sum())
    out = {}
    for name, side in _sides(lims, init):
        wide = _inside(x, _widen(lims, init, name, side), init)
        out[(name, side)] = float(binomtest(k, n, float(y[wide].mean()),
                                            alternative="greater").pvalue) if n else 1.0
    return out


def _prune(x, y, lims, init, max_p: float) -> tuple[pd.DataFrame, dict]:
    """Widen, least significant first, every side whose quasi-p value is above ``max_p``."""
    while True:
        qp = quasi_p(x, y, lims, init)
        worst = max(qp, key=qp.get) if qp else None
        if worst is None or qp[worst] <= max_p:
            return lims, qp
        lims = _widen(lims, init, *worst)


def _best(x, y, box, init, spec: Discovery) -> tuple[int, pd.DataFrame, dict]:
    """Of the trajectory's steps covering at least ``min_coverage`` of the cases, each
    with its chance restrictions dropped: the densest (then fewer restricted inputs, then
    higher coverage). Returns (step, limits, quasi-p values)."""
    traj = box.peeling_trajectory
    cases = int(y.sum())
    best, key = None, None
    for i in traj.index:
        if traj.at[i, "k"] < spec.min_coverage * cases - 1e-9:
            continue
        lims, qp = _prune(x, y, box.box_lims[i], init, spec.max_p)
        inside = _inside(x, lims, init)
        k = (float(y[inside].mean()) if inside.any() else 0.0,
             -len({n for n, _ in qp}), float(y[inside].sum()))
        if key is None or k > key:
            best, key = (int(i), lims, qp), k
    return best if best is not None else (0, box.box_lims[0], {})


def discover(x: pd.DataFrame, y: np.ndarray, spec: Discovery) -> list[Box]:
    """PRIM's boxes for cases ``y`` over inputs ``x`` (module docstring)."""
    if y.sum() == 0 or y.all():
        return []
    prim = _prim()
    p = prim.Prim(x, y.astype(int), peel_alpha=spec.peel_alpha)
    init, total = p.box_init, int(y.sum())
    boxes: list[Box] = []
    for number in range(1, spec.boxes + 1):
        if number > 1 and total - sum(b.cases for b in boxes) < max(3, 0.05 * total):
            break  # too few cases left outside the boxes found
        box = p.find_box()
        if box is None:
            break
        traj = box.peeling_trajectory.copy()
        rest = p.yi_remaining  # the runs this box was peeled from
        xr, yr = p.x.loc[rest].reset_index(drop=True), p.y[rest].astype(bool)
        chosen, lims, qp = _best(xr, yr, box, init, spec)
        inside = _inside(xr, lims, init)
        names = list(dict.fromkeys(n for n, _ in qp))
        if not names or yr[inside].mean() <= yr.mean():
            break  # nothing to say beyond the runs' base rate
        box.update(lims, rest[inside])  # the next box starts from the runs left outside
        limits = {c: (set(lims.at[0, c]) if not pd.api.types.is_numeric_dtype(init[c]) else
                      (float(lims.at[0, c]), float(lims.at[1, c]))) for c in init.columns}
        boxes.append(Box(number, limits, names,
                         {n: [qp.get((n, 0), -1.0), qp.get((n, 1), -1.0)] for n in names},
                         coverage=float(yr[inside].sum()) / total,
                         density=float(yr[inside].mean()), mass=float(inside.sum()) / len(y),
                         runs=int(inside.sum()), cases=int(yr[inside].sum()),
                         trajectory=traj, chosen=chosen))
    return boxes
