"""Scenario discovery: which combinations of uncertain inputs lead to an unacceptable
outcome? PRIM (the patient rule induction method, EMA Workbench's implementation
`ema_workbench.analysis.prim`) over a finished sweep.

The runs of a sweep are the experiments: their sampled inputs (``samples.csv``, or the
swept ``param.*`` columns of the summary for a grid) are the candidate dimensions, and a
run is a *case of interest* when its KPI is above (or below) a threshold, e.g. a
lost-vehicle share above 2%. PRIM peels the input space toward the cases: each step of its
peeling trajectory is a box with a *coverage* (share of all cases inside it) and a
*density* (share of the runs inside it that are cases). From each trajectory we keep the
densest box that still covers ``min_coverage`` of the cases (of those not yet in an earlier
box), then drop each restriction whose quasi-p value (Bryant and Lempert's one-sided
binomial test, as EMA computes it) is above ``max_p``: a restriction chance alone could
explain says nothing. Up to ``boxes`` boxes are found in turn, each on the runs the
earlier ones left.

Written at the sweep root (``magnet-sim -m experiment=discovery`` does it after the summary,
from ``compare.discovery``; ``magnet-sim discover SWEEP_DIR --kpi K --threshold X`` redoes it
on any finished sweep):

- ``prim_boxes.csv``: one row per box and input: the box's range of the input (``low``,
  ``high``; categories in ``values``), the sampled range (``full_low``, ``full_high``),
  whether the box restricts it, its quasi-p values, and the box's coverage, density, mass,
  runs and cases;
- ``prim_trajectory.csv``: every step of each peeling trajectory (coverage, density, mass,
  restricted inputs), the kept box marked;
- ``plots/prim_tradeoff.png`` (the peeling trade-off) and ``plots/prim_box.png`` (the box's
  ranges beside the runs over its two most restricted inputs).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from sim.cli.keys import resolve_event_key
from sim.domain.errors import ConfigError, error, show, suggest
from sim.experiments.discovery_plots import box_plot, label_for, tradeoff_plot
from sim.experiments.prim import Box, discover
from sim.experiments.specs import Discovery, parse_discovery
from sim.outputs.run_folder import write_json


@dataclasses.dataclass
class Found:
    """The result of a discovery: the spec, the data PRIM saw and the boxes."""

    spec: Discovery
    x: pd.DataFrame
    y: np.ndarray
    boxes: list[Box]
    full: dict
    skipped: int = 0
    labels: dict = dataclasses.field(default_factory=dict)
    note: str | None = None

    def lines(self) -> list[str]:
        """What the command line prints."""
        s = self.spec
        sign = ">" if s.direction == "above" else "<"
        n, k = len(self.y), int(self.y.sum())
        out = [f"scenario discovery (PRIM): {s.kpi} {sign} {s.threshold:g} in {k} of {n} runs"
               f" ({k / max(n, 1):.0%})" + (f"; {self.skipped} failed runs left out"
                                            if self.skipped else "")]
        if self.note:
            out.append(f"  {self.note}")
        for b in self.boxes:
            out.append(f"  box {b.number}: coverage {b.coverage:.2f}, density {b.density:.2f}, "
                       f"mass {b.mass:.2f} ({b.runs} runs, {b.cases} cases)")
            for name in b.restricted:
                lo, hi = self.full[name]
                out.append(f"    {self.labels.get(name, name)} [{name}]: "
                           f"{_range(b.limits[name], self.full[name])} (sampled "
                           f"{_range((lo, hi))}), quasi-p {_qp_text(b.qp[name])}")
            free = [c for c in self.x.columns if c not in b.restricted]
            if free:
                out.append(f"    not restricted: {', '.join(free)}")
        return out


def _qp_text(qp: list[float]) -> str:
    """A restriction's quasi-p values: one number, or ``low .., high ..`` for two sides."""
    lo, hi = qp
    if lo >= 0 and hi >= 0:
        return f"{lo:.1g} (low), {hi:.1g} (high)"
    return f"{max(lo, hi):.1g}"


def _range(lim, full=None) -> str:
    """``>= 190``, ``<= 78.4``, ``31 .. 330`` or ``{a, b}``."""
    if isinstance(lim, (set, frozenset)):
        return "{" + ", ".join(sorted(map(str, lim))) + "}"
    lo, hi = lim
    if full is not None and lo <= full[0]:
        return f"<= {_num(hi)}"
    if full is not None and hi >= full[1]:
        return f">= {_num(lo)}"
    return f"{_num(lo)} .. {_num(hi)}"


def _num(v) -> str:
    v = float(v)
    return f"{v:,.0f}" if abs(v) >= 100 or v.is_integer() else f"{v:.3g}"


# --------------------------------------------------------------------------- the data
def inputs_and_outcome(root: Path, summary: pd.DataFrame, spec: Discovery,
                       where: str = "discovery") -> tuple[pd.DataFrame, np.ndarray, int]:
    """The runs' inputs (one column each), whether each run is a case of interest, and how
    many runs were left out (failed, or the KPI missing). Raises ConfigError naming an
    unknown KPI or input (``where``: the command line's words for them)."""
    col = f"kpi.{spec.kpi}"
    if col not in summary:
        known = [c[4:] for c in summary if c.startswith("kpi.")]
        raise error(f"{where}.kpi", f"no KPI {spec.kpi!r} in {root / 'summary.csv'}"
                    f"{suggest(spec.kpi, known)}", show(spec.kpi))
    if not pd.api.types.is_numeric_dtype(summary[col]):
        raise error(f"{where}.kpi", f"{spec.kpi!r} is not a number per run", show(spec.kpi))
    samples = Path(root) / "samples.csv"
    if samples.exists():  # a sampled sweep: its draws (the seed is noise, not an input)
        x = pd.read_csv(samples, index_col="job").drop(columns="seed", errors="ignore")
        x = x.reindex(pd.to_numeric(summary["job"], errors="coerce")).reset_index(drop=True)
    else:  # a grid: the swept parameters with more than one value
        x = summary[[c for c in summary if c.startswith("param.") and c != "param.seed"
                     and summary[c].nunique() > 1]].copy()
        x.columns = [c[len("param."):] for c in x.columns]
    if spec.inputs:
        for name in spec.inputs:
            if name not in x:
                raise error(f"{where}.inputs", f"{name!r} is not an input of this sweep"
                            f"{suggest(name, x.columns, listing=True)}", name)
        x = x[list(spec.inputs)]
    if x.shape[1] == 0:
        raise error("discovery", "the sweep varies no input (no samples.csv, no parameter "
                    "with more than one value)", str(root))
    ok = (summary["status"] == "ok").to_numpy() & summary[col].notna().to_numpy() & \
        x.notna().all(axis=1).to_numpy()
    value = summary[col].to_numpy(float)
    y = value > spec.threshold if spec.direction == "above" else value < spec.threshold
    x = x[ok].reset_index(drop=True)
    for c in x:  # PRIM peels numbers (as floats: its integer peeling can fail while
        num = pd.to_numeric(x[c], errors="coerce")  # pasting) and the rest as categories
        if num.notna().all():
            x[c] = num.astype(float)
    return x, y[ok].astype(bool), int((~ok).sum())


# --------------------------------------------------------------------------- outputs
def boxes_table(found: Found) -> pd.DataFrame:
    """``prim_boxes.csv``: one row per box and input (module docstring)."""
    s, rows = found.spec, []
    for b in found.boxes:
        for c in found.x.columns:
            lim, full, qp = b.limits[c], found.full[c], b.qp.get(c, [-1.0, -1.0])
            cat = isinstance(full, (set, frozenset))
            rows.append({
                "box": b.number, "input": c, "label": found.labels.get(c, c),
                "restricted": c in b.restricted,
                "low": None if cat else lim[0], "high": None if cat else lim[1],
                "values": ";".join(sorted(map(str, lim))) if cat else None,
                "full_low": None if cat else full[0], "full_high": None if cat else full[1],
                "qp_low": qp[0] if qp[0] >= 0 else None, "qp_high": qp[1] if qp[1] >= 0 else None,
                "coverage": b.coverage, "density": b.density, "mass": b.mass, "runs": b.runs,
                "cases": b.cases, "kpi": s.kpi, "direction": s.direction,
                "threshold": s.threshold})
    cols = ["box", "input", "label", "restricted", "low", "high", "values", "full_low",
            "full_high", "qp_low", "qp_high", "coverage", "density", "mass", "runs", "cases",
            "kpi", "direction", "threshold"]
    return pd.DataFrame(rows, columns=cols)


def trajectory_table(found: Found) -> pd.DataFrame:
    """``prim_trajectory.csv``: each peeling step of each box, the kept one marked."""
    parts = [b.trajectory.assign(box=b.number, kept=lambda t, b=b: t.index == b.chosen)
             .rename(columns={"id": "step", "n": "runs", "k": "cases"}) for b in found.boxes]
    cols = ["box", "step", "coverage", "density", "mass", "res_dim", "runs", "cases", "kept"]
    return pd.concat(parts)[cols] if parts else pd.DataFrame(columns=cols)


def _events(root: Path) -> list:
    """The sweep's scenario events (``multirun.yaml``): they name ``events.N.*`` inputs."""
    f = Path(root) / "multirun.yaml"
    if not f.exists():
        return []
    node = OmegaConf.load(f)
    return OmegaConf.to_container(node.get("events") or [], resolve=False)


def _sweep_spec(root: Path) -> dict:
    """The experiment's ``compare.discovery`` (``multirun.yaml``), if any."""
    f = Path(root) / "multirun.yaml"
    if not f.exists():
        return {}
    node = OmegaConf.load(f)
    d = OmegaConf.select(node, "hydra.sweeper.compare.discovery")
    return OmegaConf.to_container(d, resolve=True) if d is not None else {}


def read_summary(root: Path) -> pd.DataFrame:
    root = Path(root)
    for name, read in (("summary.parquet", pd.read_parquet), ("summary.csv", pd.read_csv)):
        if (root / name).exists():
            return read(root / name)
    raise error("magnet-sim discover", "not a finished sweep (no summary.parquet or "
                "summary.csv; magnet-sim replot FOLDER rebuilds it)", str(root))


def run(root: Path, spec: Discovery, summary: pd.DataFrame | None = None,
        plots: bool = True, where: str = "discovery") -> Found:
    """Discover boxes in the sweep at ``root`` and write them there (module docstring)."""
    root = Path(root)
    summary = read_summary(root) if summary is None else summary
    x, y, skipped = inputs_and_outcome(root, summary, spec, where)
    full = {c: (set(x[c].astype(str)) if not pd.api.types.is_numeric_dtype(x[c])
                else (float(x[c].min()), float(x[c].max()))) for c in x}
    events = _events(root)
    found = Found(spec, x, y, discover(x, y, spec), full, skipped,
                  {c: label_for(c, events) for c in x})
    if not len(y):
        found.note = "no run finished: nothing to discover"
    elif y.sum() == 0 or y.all():
        found.note = (f"{'no' if y.sum() == 0 else 'every'} run is a case of interest: no box "
                      "can separate them (try another threshold)")
    elif not found.boxes:
        found.note = "PRIM found no box denser than the runs' base rate"
    boxes_table(found).to_csv(root / "prim_boxes.csv", index=False)
    trajectory_table(found).to_csv(root / "prim_trajectory.csv", index=False)
    write_json(root / "prim.json", {"spec": spec.as_dict(), "runs": len(y),
                                    "cases": int(y.sum()), "left_out": skipped,
                                    "note": found.note})
    written = [root / "prim_boxes.csv"]
    if plots and found.boxes:
        (root / "plots").mkdir(exist_ok=True)
        tradeoff_plot(found, root / "plots" / "prim_tradeoff.png")
        box_plot(found, root / "plots" / "prim_box.png")
        written += [root / "plots" / "prim_tradeoff.png", root / "plots" / "prim_box.png"]
    print("\n".join(found.lines()), flush=True)
    print(f"-> {', '.join(str(w) for w in written)}", flush=True)
    return found


# --------------------------------------------------------------------------- command line
class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (through the command line's main)
        raise ConfigError(f"magnet-sim discover: {message}")


def _threshold(text: str) -> float:
    """``0.02`` or ``2%``."""
    t = text.strip()
    try:
        return float(t[:-1]) / 100 if t.endswith("%") else float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    """``magnet-sim discover SWEEP_DIR [--kpi K --threshold X] [--below] [...]``."""
    ap = _Parser(prog="magnet-sim discover", allow_abbrev=False,
                 description="PRIM scenario discovery on a finished sweep: which ranges of "
                 "its inputs lead to KPI values above (or below) a threshold")
    ap.add_argument("sweep", type=Path, help="a finished sweep's root folder")
    ap.add_argument("--kpi", help="flat KPI name (default: the experiment's)")
    ap.add_argument("--threshold", type=_threshold, help="cases: KPI above this (0.02 or 2%%)")
    ap.add_argument("--below", action="store_true", help="cases: KPI below the threshold")
    ap.add_argument("--inputs", nargs="+", help="inputs PRIM may restrict (default: all)")
    ap.add_argument("--min-coverage", type=float, help="coverage the kept box keeps (0.8)")
    ap.add_argument("--boxes", type=int, help="boxes to look for in turn (1)")
    ap.add_argument("--max-p", type=float, help="drop restrictions above this quasi-p (0.05)")
    ap.add_argument("--no-plots", action="store_true")
    a = ap.parse_args(argv)
    if not a.sweep.is_dir():
        raise error("magnet-sim discover", "no such folder", str(a.sweep))
    raw = dict(_sweep_spec(a.sweep))
    given = {"kpi": a.kpi, "threshold": a.threshold, "inputs": a.inputs,
             "min_coverage": a.min_coverage, "boxes": a.boxes, "max_p": a.max_p,
             "direction": "below" if a.below else None}
    raw.update({k: v for k, v in given.items() if v is not None})
    if raw.get("inputs"):  # events by id, as the samples' columns name them (by position)
        events = _events(a.sweep)
        raw["inputs"] = [resolve_event_key(k, events, "magnet-sim discover --inputs")
                         for k in raw["inputs"]]
    if raw.get("kpi") is None or raw.get("threshold") is None:
        raise error("magnet-sim discover", "give --kpi and --threshold (the sweep's "
                    "experiment names no discovery)", str(a.sweep))
    try:
        spec = parse_discovery(raw, "discover")
        run(a.sweep, spec, plots=not a.no_plots, where="discover")
    except ConfigError as e:  # name the flag: "discover.min_coverage" -> "--min-coverage"
        raise ConfigError("magnet-sim " + re.sub(
            r"^discover\.(\w+)", lambda m: f"discover --{m[1].replace('_', '-')}", str(e))
            .removeprefix("magnet-sim ")) from None
    return 0


if __name__ == "__main__":
    sys.exit(main())
