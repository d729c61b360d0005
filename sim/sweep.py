"""Sweep aggregation and comparison (a Hydra callback).

When a multirun ends, `SweepSummary.on_multirun_end` collects every job folder under the
sweep root into ``summary.parquet`` / ``summary.csv`` (one row per job: folder, overrides,
seed, status, error, KPIs flattened as ``price_peak_ratio.ndfeb``), writes paired
differences against the reference variant (``comparison.csv``), sensitivity indices
(``sensitivity.csv``) when the sweep sampled for them, and the plots of `sim.sweep_plots`.
`aggregate` does the same for any folder or list of run folders (``python -m sim.replot``).

What to compare comes from the sweeper's ``compare`` node (see ``experiments/*.yaml``):
``kpis``, ``variant`` (the override naming a variant), ``reference`` and ``grid`` (x, y).
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

DEFAULT_KPIS = ["lost_vehicles", "lost_vehicle_share", "licence_wait_days_p50",
                "licence_wait_days_p90", "exports_t_per_month"]
META_COLS = ["job", "folder", "status", "error", "seed", "overrides", "wall_time_s"]


# --------------------------------------------------------------------------- collecting
def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        else:
            out[key] = v
    return out


def job_folders(root: Path) -> list[Path]:
    """A sweep root's job folders (those Hydra made: with ``.hydra/``), in job order."""
    subs = [p for p in Path(root).iterdir() if p.is_dir() and (p / ".hydra").is_dir()]
    return sorted(subs, key=lambda p: (not p.name.isdigit(), int(p.name) if p.name.isdigit()
                                       else 0, p.name))


def read_job(folder: Path) -> dict:
    """One summary row: overrides, seed, status (ok | failed + error) and flat KPIs."""
    folder = Path(folder)
    row: dict[str, Any] = {"job": folder.name, "folder": str(folder)}
    ov_file = folder / ".hydra" / "overrides.yaml"
    overrides = [str(o) for o in OmegaConf.load(ov_file)] if ov_file.exists() else []
    row["overrides"] = " ".join(overrides)
    for o in overrides:
        k, _, v = o.partition("=")
        if k.lstrip("+~") != "experiment":
            row[f"param.{k.lstrip('+~')}"] = _value(v)
    meta = _json(folder / "meta.json")
    row["status"] = meta.get("status", "failed")
    row["error"] = meta.get("error") if row["status"] != "ok" else None
    if not meta:
        row["error"] = "no meta.json: the job did not finish"
    row["wall_time_s"] = meta.get("wall_time_s")
    cfg_file = folder / ".hydra" / "config.yaml"
    seed = meta.get("seed")
    if seed is None and cfg_file.exists():
        seed = OmegaConf.load(cfg_file).get("seed")
    row["seed"] = seed
    if row["status"] == "ok":
        row.update({f"kpi.{k}": v for k, v in _flat(_json(folder / "kpis.json")).items()})
    return row


def _json(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}


def _value(v: str):
    for cast in (int, float):
        try:
            return cast(v)
        except ValueError:
            pass
    return v


def summarize(folders: list[Path]) -> pd.DataFrame:
    rows = [read_job(f) for f in folders]
    df = pd.DataFrame(rows)
    for c in META_COLS:
        if c not in df:
            df[c] = None
    params = sorted(c for c in df if c.startswith("param."))
    kpis = sorted(c for c in df if c.startswith("kpi."))
    df = df[META_COLS + params + kpis]
    for c in kpis:  # first halts are dates (strings); the rest numeric
        if not c.startswith("kpi.first_halt"):
            df[c] = pd.to_numeric(df[c], errors="coerce")
    return df


# --------------------------------------------------------------------------- comparing
def _t95(n: int) -> float:
    from scipy import stats
    return float(stats.t.ppf(0.975, n - 1)) if n > 1 else math.nan


def paired_differences(df: pd.DataFrame, variant: str, reference: Any,
                       kpis: list[str]) -> pd.DataFrame:
    """Each variant minus the reference, paired on everything else (seed and the other
    overrides): mean difference, 95% t confidence interval, number of pairs."""
    col = f"param.{variant}"
    ok = df[df["status"] == "ok"]
    if col not in ok or ok.empty:
        return pd.DataFrame()
    keys = [c for c in ok if c.startswith("param.") and c != col] or ["seed"]
    keys = [k for k in keys if k != "param.seed"] + ["seed"]
    ref = ok[ok[col].astype(str) == str(reference)]
    rows = []
    for v, g in ok.groupby(ok[col].astype(str), sort=True):
        if v == str(reference):
            continue
        m = g.merge(ref, on=keys, suffixes=("", "_ref"))
        for k in kpis:
            c = f"kpi.{k}"
            if c not in m:
                continue
            d = (m[c] - m[f"{c}_ref"]).dropna().to_numpy(float)
            n = len(d)
            mean = float(d.mean()) if n else math.nan
            half = _t95(n) * float(d.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
            rows.append({"variant": v, "reference": str(reference), "kpi": k, "n_pairs": n,
                         "mean_variant": float(m[c].mean()), "mean_reference":
                         float(m[f"{c}_ref"].mean()), "mean_diff": mean,
                         "ci95_low": mean - half, "ci95_high": mean + half})
    return pd.DataFrame(rows)


def sensitivity(df: pd.DataFrame, root: Path, samples: dict, kpis: list[str]) -> pd.DataFrame:
    """SALib indices (Morris or Sobol) per parameter and KPI, from the sweep's samples."""
    from .sampling import salib_problem
    problem = salib_problem(samples["params"])
    x = pd.read_csv(root / "samples.csv", index_col="job")[problem["names"]]
    d = df.assign(jobnum=pd.to_numeric(df["job"], errors="coerce")).set_index("jobnum")
    rows = []
    for k in kpis:
        c = f"kpi.{k}"
        if c not in d:
            continue
        y = d[c].reindex(x.index).astype(float)
        if y.isna().all():
            continue
        y = y.fillna(y.mean()).to_numpy()  # a failed job: its KPI is imputed (reported)
        if samples.get("method") == "sobol":
            from SALib.analyze import sobol
            r = sobol.analyze(problem, y, calc_second_order=False, seed=0)
            cols = ("S1", "S1_conf", "ST", "ST_conf")
        else:
            from SALib.analyze import morris
            r = morris.analyze(problem, x.to_numpy(), y, num_levels=int(samples.get("levels", 4)),
                               seed=0)
            cols = ("mu", "mu_star", "sigma", "mu_star_conf")
        for i, name in enumerate(problem["names"]):
            rows.append({"parameter": name, "kpi": k, "method": samples.get("method", "morris"),
                         **{c2: float(r[c2][i]) for c2 in cols}})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the whole step
def sweep_settings(root: Path) -> dict:
    """The sweeper's ``compare`` and ``samples`` nodes from ``multirun.yaml`` (if any)."""
    f = Path(root) / "multirun.yaml"
    if not f.exists():
        return {}
    sw = OmegaConf.load(f).hydra.get("sweeper", {})
    out = {k: sw.get(k) for k in ("compare", "samples") if sw.get(k) is not None}
    return OmegaConf.to_container(OmegaConf.create(out), resolve=True)


def aggregate(folders: list[Path], out: Path, compare: dict | None = None,
              samples: dict | None = None, plots: bool = True) -> pd.DataFrame:
    """Write the summary, comparison, sensitivity and plots of ``folders`` into ``out``."""
    from . import sweep_plots

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    compare = dict(compare or {})
    df = summarize(folders)
    df.to_parquet(out / "summary.parquet", index=False)
    df.to_csv(out / "summary.csv", index=False)
    kpis = [k for k in compare.get("kpis") or DEFAULT_KPIS if f"kpi.{k}" in df]
    variant, grid = compare.get("variant"), compare.get("grid")
    comp = pd.DataFrame()
    if variant and compare.get("reference") is not None:
        comp = paired_differences(df, variant, compare["reference"], kpis)
        comp.to_csv(out / "comparison.csv", index=False)
    sens = pd.DataFrame()
    if samples and samples.get("method") in ("morris", "sobol") and (out / "samples.csv").exists():
        sens = sensitivity(df, out, samples, kpis)
        sens.to_csv(out / "sensitivity.csv", index=False)
    if plots:
        sweep_plots.draw_all(df, out / "plots", kpis, variant=variant, grid=grid,
                             comparison=comp, sensitivity=sens)
    n_bad = int((df["status"] != "ok").sum())
    print(f"summary: {len(df)} jobs ({len(df) - n_bad} ok, {n_bad} failed) -> "
          f"{out / 'summary.csv'}", flush=True)
    return df


class SweepSummary(Callback):
    """Progress while a multirun runs; aggregation when it ends."""

    def on_job_end(self, config: DictConfig, job_return: Any, **kwargs: Any) -> None:
        # With the joblib launcher this runs in the worker: count finished job folders.
        try:
            root = Path(config.hydra.sweep.dir)
            info = _json(root / "sweep.json")
            total = info.get("total")
            done = sum((p / "meta.json").exists() for p in job_folders(root))
        except Exception:  # noqa: BLE001 - progress must never fail a job
            return
        if not total:
            return
        ran = done - info.get("already_done", 0)
        elapsed = time.time() - info.get("started", time.time())
        left = (total - done) * elapsed / ran if ran > 0 else math.nan
        eta = f", ~{left:.0f} s left" if not math.isnan(left) else ""
        print(f"[sweep] jobs done {done}/{total} ({elapsed:.0f} s{eta})", file=sys.stderr,
              flush=True)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        root = Path(config.hydra.sweep.dir)
        if not root.is_dir():
            return
        s = sweep_settings(root)
        df = aggregate(job_folders(root), root, s.get("compare"), s.get("samples"))
        failed = df[df["status"] != "ok"] if len(df) else df
        if len(failed):  # listed last; exit status 1 (Hydra itself would exit 0)
            print(f"failed jobs ({len(failed)} of {len(df)}):", file=sys.stderr)
            for _, r in failed.iterrows():
                print(f"  job {r['job']} ({r['overrides']}): {r['error']}", file=sys.stderr)
            print(f"error: sweep {root}: {len(failed)} of {len(df)} jobs failed (listed "
                  f"above; summary in {root / 'summary.csv'})", file=sys.stderr, flush=True)
            raise SystemExit(1)

