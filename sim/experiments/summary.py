"""Sweep aggregation and comparison.

When a sweep ends (`sim.experiments.sweep.run_sweep`), `aggregate` collects its job folders
into ``summary.parquet`` / ``summary.csv`` (one row per job: folder, overrides,
seed, status, error, KPIs flattened as ``price_peak_ratio.ndfeb``), writes paired
differences against the reference variant (``comparison.csv``), sensitivity indices
(``sensitivity.csv``) when the sweep sampled for them, the plots of `sim.sweep_plots`, and,
when ``compare.discovery`` asks, PRIM's boxes (`sim.experiments.discovery`).
`aggregate` does the same for any folder or list of run folders (``python -m sim.replot``).

What to compare comes from the sweeper's ``compare`` node (see ``experiments/*.yaml``):
``kpis``, ``variant`` (the override naming a variant), ``reference``, ``grid`` (x, y),
``buffer`` and ``discovery``.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import OmegaConf

from sim.cli.keys import resolve_event_key
from sim.domain.errors import ConfigError
from sim.experiments import discovery
from sim.experiments import plots as sweep_plots
from sim.experiments.buffer import from_grid, grid_lines
from sim.experiments.design import design_lines, scenario_of
from sim.experiments.headline import headline_lines, headline_tables
from sim.experiments.sampling import salib_problem
from sim.experiments.specs import parse_discovery
from sim.experiments.sweep_report import sweep_sections
from sim.kpis import check_names
from sim.outputs.report import write_report
from sim.outputs.run_folder import RunFolder, write_json

DEFAULT_KPIS = ["lost_vehicles", "lost_vehicle_share", "licence_wait_days_p50",
                "licence_wait_days_p90", "exports_t_per_month"]
META_COLS = ["job", "folder", "status", "error", "scenario", "seed", "overrides",
             "wall_time_s"]


# --------------------------------------------------------------------------- collecting
def flat_kpis(k: dict) -> dict:
    """KPIs flattened with dots (``price_peak_ratio.ndfeb``); lists (halt episodes) left out."""
    if not k:
        return {}
    row = pd.json_normalize(k, sep=".").iloc[0].to_dict()
    return {c: v for c, v in row.items() if not isinstance(v, (list, dict))}


def job_folders(root: Path) -> list[Path]:
    """A sweep root's job folders (those Hydra made: with ``.hydra/``), in job order."""
    return [r.path for r in RunFolder.jobs(root)]


def read_job(folder: Path) -> dict:
    """One summary row: overrides, seed, status (ok | failed + error) and flat KPIs."""
    rf = RunFolder(folder)
    row: dict[str, Any] = {"job": rf.path.name, "folder": str(rf.path)}
    overrides = rf.overrides()
    row["overrides"] = " ".join(overrides)
    for o in overrides:
        k, _, v = o.partition("=")
        if k.lstrip("+~") != "experiment":
            row[f"param.{k.lstrip('+~')}"] = _value(v)
    meta = rf.meta()
    row["status"] = meta.get("status", "failed")
    row["error"] = meta.get("error") if row["status"] != "ok" else None
    if not meta:
        row["error"] = "no meta.json: the job did not finish"
    row["wall_time_s"] = meta.get("wall_time_s")
    row["scenario"] = meta.get("scenario") or rf.config().get("scenario_name")
    seed = meta.get("seed")
    if seed is None:  # a failed job: its seed override, else its composed config's
        seed = row.get("param.seed", rf.config().get("seed"))
    row["seed"] = seed
    if row["status"] == "ok":
        row.update({f"kpi.{k}": v for k, v in flat_kpis(rf.kpis()).items()})
    return row


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
    df = df[META_COLS + params + kpis].copy()
    numeric = {}
    for c in kpis:  # numbers numeric; dates, kinds and countries stay text
        num = pd.to_numeric(df[c], errors="coerce")
        if num.notna().sum() >= df[c].notna().sum():
            numeric[c] = num
    if numeric:  # one assignment (no fragmented frame, no pandas warning)
        df = pd.concat([df.drop(columns=list(numeric)), pd.DataFrame(numeric)], axis=1)[
            df.columns]
    return df


def halt_probabilities(df: pd.DataFrame, variant: str | None = None,
                       grid: list | None = None) -> pd.DataFrame:
    """Each plant's probability of at least one halt across the jobs, per variant (or per
    cell of a designed grid, seeds pooled; never across cells), with the number of runs
    and the mean halt days and lost vehicles."""
    ok = df[df["status"] == "ok"]
    cols = [c for c in ok if c.startswith("kpi.plants.") and c.endswith(".halt_days")]
    keys = [f"param.{variant}"] if variant and f"param.{variant}" in ok else [
        f"param.{g}" for g in (grid or []) if g != "seed" and f"param.{g}" in ok]
    if keys:
        groups = [(", ".join(f"{k[6:]}={v}" for k, v in zip(
            keys, c if isinstance(c, tuple) else (c,), strict=False)) if not variant else
            str(c[0] if isinstance(c, tuple) else c), g)
            for c, g in ok.groupby(keys, sort=True)]
    else:
        groups = [("all jobs", ok)]
    rows = []
    for v, g in groups:
        for c in cols:
            node = c[len("kpi.plants."):-len(".halt_days")]
            if g.get(f"kpi.plants.{node}.kind", pd.Series(["automaker"])).iloc[0] != \
                    "automaker":
                continue
            h = g[c].dropna()
            lv = g.get(f"kpi.plants.{node}.lost_vehicles")
            rows.append({"variant": v, "plant": node, "n_runs": len(h),
                         "halt_probability": float((h > 0).mean()) if len(h) else None,
                         "mean_halt_days": float(h.mean()) if len(h) else None,
                         "mean_lost_vehicles": float(lv.mean()) if lv is not None else None})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- comparing
def _ci95(d) -> tuple[float, float]:
    """95% t confidence interval of the mean of paired differences ``d`` (scipy.stats)."""
    from scipy import stats
    if len(d) < 2:
        return math.nan, math.nan
    if float(d.std()) == 0.0:
        return float(d.mean()), float(d.mean())
    ci = stats.ttest_1samp(d, 0.0).confidence_interval(0.95)
    return float(ci.low), float(ci.high)


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
            low, high = _ci95(d)
            rows.append({"variant": v, "reference": str(reference), "kpi": k, "n_pairs": n,
                         "mean_variant": float(m[c].mean()), "mean_reference":
                         float(m[f"{c}_ref"].mean()), "mean_diff": mean,
                         "ci95_low": low, "ci95_high": high})
    return pd.DataFrame(rows)


def sensitivity(df: pd.DataFrame, root: Path, samples: dict, kpis: list[str]) -> pd.DataFrame:
    """SALib indices (Morris or Sobol) per parameter and KPI, from the sweep's samples."""
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
        with warnings.catch_warnings():  # one trajectory or a flat KPI: SALib's spreads are
            warnings.simplefilter("ignore", RuntimeWarning)  # NaN (no interval is drawn)
            if samples.get("method") == "sobol":
                from SALib.analyze import sobol
                r = sobol.analyze(problem, y, calc_second_order=False, seed=0)
                cols = ("S1", "S1_conf", "ST", "ST_conf")
            else:
                from SALib.analyze import morris
                r = morris.analyze(problem, x.to_numpy(), y, seed=0,
                                   num_levels=int(samples.get("levels", 4)))
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
    """Write the summary, comparison, sensitivity, halt probabilities and plots of
    ``folders`` into ``out``. Unknown KPIs in ``compare.kpis`` are a `KpiError`."""

    out = Path(out)
    compare = dict(compare or {})
    check_names(compare.get("kpis"))
    out.mkdir(parents=True, exist_ok=True)
    df = summarize(folders)
    df.to_parquet(out / "summary.parquet", index=False)
    df.to_csv(out / "summary.csv", index=False)
    kpis = [k for k in compare.get("kpis") or DEFAULT_KPIS if f"kpi.{k}" in df]
    events = events_of(df)
    variant = _by_position(compare.get("variant"), events)
    grid = [_by_position(g, events) for g in compare["grid"]] if compare.get("grid") else None
    comp = pd.DataFrame()
    if variant and compare.get("reference") is not None:
        comp = paired_differences(df, variant, compare["reference"], kpis)
        comp.to_csv(out / "comparison.csv", index=False)
    sens = pd.DataFrame()
    if samples and samples.get("method") in ("morris", "sobol") and (out / "samples.csv").exists():
        sens = sensitivity(df, out, samples, kpis)
        sens.to_csv(out / "sensitivity.csv", index=False)
    buffer = None
    if compare.get("buffer"):
        buffer = from_grid(df, **compare["buffer"])
        write_json(out / "buffer_needed.json", buffer)
        print("\n".join(grid_lines(buffer)), flush=True)
    halts = halt_probabilities(df, variant, grid)
    if len(halts):
        halts.to_csv(out / "halt_probability.csv", index=False)
    ctx = sweep_plots.Context(design_lines(df, samples, events), scenario_of(df), events,
                              samples)
    skipped = {}
    if plots:
        skipped = sweep_plots.draw_all(df, out / "plots", kpis, variant=variant, grid=grid,
                                       comparison=comp, sensitivity=sens, halts=halts,
                                       buffer=buffer, ctx=ctx)
        for name, why in skipped.items():
            print(f"plot {name} skipped: {why}", flush=True)
    if compare.get("discovery"):  # after the summary it reads
        discovery.run(out, parse_discovery(compare["discovery"]), df, plots=plots)
    n_bad = int((df["status"] != "ok").sum())
    print(f"summary: {len(df)} jobs ({len(df) - n_bad} ok, {n_bad} failed) -> "
          f"{out / 'summary.csv'}", flush=True)
    tables = headline_tables(df, kpis, {**compare, "variant": variant, "grid": grid}, comp,
                             halts, samples, events) \
        if (df["status"] == "ok").any() else []
    print("\n".join(["what the sweep varied:", *(f"  {x}" for x in ctx.design),
                     *headline_lines(tables)]), flush=True)
    path = write_report(out, *sweep_sections(out, ctx, tables, sens, buffer, skipped, n_bad))
    print(f"report: {path}", flush=True)
    return df


def _by_position(key: str | None, events: list) -> str | None:
    """``events.<id>.x`` as the summary's columns name it (``events.<position>.x``)."""
    if not key or not key.startswith("events.") or key.split(".")[1].isdigit():
        return key
    try:
        return resolve_event_key(key, events)
    except ConfigError:
        return key


def events_of(df: pd.DataFrame) -> list:
    """The events of the sweep's first run (to name event keys such as ``events.0.days``)."""
    for f in df["folder"] if "folder" in df else []:
        events = RunFolder(f).config().get("events")
        if events is not None:
            return list(events)
    return []


def failed_lines(failed: pd.DataFrame, total: int, root: Path) -> list[str]:
    """The lines listing a sweep's failed jobs, last of its output."""
    out = [f"failed jobs ({len(failed)} of {total}):"]
    out += [f"  job {r['job']} ({r['overrides']}): {r['error']}" for _, r in failed.iterrows()]
    out.append(f"error: sweep {root}: {len(failed)} of {total} jobs failed (listed above; "
               f"summary in {root / 'summary.csv'})")
    return out
