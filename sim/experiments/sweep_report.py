"""A sweep's report sections, from its summary and the series the sweep keeps only.

The headline comparison (`sim.experiments.headline`), what the sweep sampled or varied
(`sim.experiments.design`), its plots, the experiment's settings (``multirun.yaml``), the
scenario's dated inputs with their sources (the first run's events table, when the sweep
kept it) and where the tables are. Written by the one report writer
(`sim.outputs.report.write_report`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.experiments.plots import Context
from sim.outputs.report import Section
from sim.outputs.run_folder import RunFolder
from sim.outputs.run_report import events_view

PLOT_TEXT = {
    "kpis": "each KPI's distribution per variant (box = quartiles, points = runs, n stated)",
    "fan_charts": "each plant's magnet cover and the cumulative lost vehicles over time",
    "paired_differences": "each variant minus the reference on the same seeds, mean and 95% "
    "CI from two or more pairs",
    "sensitivity": "sensitivity indices per parameter, one panel per KPI",
    "halt_probability": "each plant's share of runs with at least one halt",
    "buffer_needed": "share of seeds without a halt per common cover"}


def _inputs(root: Path) -> Section:
    s = Section("Inputs and their sources")
    f = root / "multirun.yaml"
    if f.exists():
        s.paragraphs.append("The experiment as composed (multirun.yaml; ranges marked "
                            "[assumption] in the experiment file are assumptions):")
        text = f.read_text()
        i = text.find("  sweeper:")
        s.pre = (text[i:] if i >= 0 else text)[:4000]
    summary = pd.read_csv(root / "summary.csv") if (root / "summary.csv").exists() else None
    if summary is not None and len(summary):
        for folder in summary["folder"]:
            rf = RunFolder(folder)
            ev = rf.read_table("events")
            if ev is not None:
                view = events_view({"events": ev})
                if len(view):
                    s.tables.append((f"Dated inputs of the scenario (run {rf.path.name}; "
                                     "every run of the sweep has them unless the sweep "
                                     "varies them)", view))
                break
    s.paragraphs.append("Parameter sources: docs/parameters.md; cited facts: "
                        "docs/sources.md.")
    return s


def sweep_sections(root: Path, ctx: Context, tables: list, sens: pd.DataFrame,
                   buffer: dict | None, skipped: dict, n_failed: int
                   ) -> tuple[str, str, list[Section]]:
    """(title, subtitle, sections) of a sweep's report."""
    root = Path(root)
    title = f"{root.parent.name if root.name[:4].isdigit() else root.name}: sweep report"
    subtitle = f"{ctx.scenario or 'runs'}; folder {root}"
    head = Section("Headline comparison", tables=list(tables))
    if buffer:
        head.facts["buffer needed (days)"] = str(buffer.get("cover_days"))
        if buffer.get("verify_no_halt_share") is not None:
            head.facts["fresh seeds without a halt"] = f"{buffer['verify_no_halt_share']:.0%}"
    if n_failed:
        head.paragraphs.append(f"{n_failed} job(s) failed: see summary.csv (status, error); "
                               "the tables above use the others.")
    design = Section("What was sampled or varied", paragraphs=list(ctx.design))
    plots = Section("Plots")
    for p in sorted((root / "plots").glob("*.png")):
        base = "heatmap" if p.stem.startswith("heatmap_") else p.stem
        what = PLOT_TEXT.get(base, f"mean of {p.stem[8:]} per grid cell" if base == "heatmap"
                             else "")
        plots.images.append((f"{p.name}: {what}", p))
    plots.paragraphs += [f"{k}.png skipped: {v}" for k, v in skipped.items()]
    files = Section("Tables", paragraphs=[
        "summary.csv / summary.parquet: one row per run (overrides, seed, status, KPIs); "
        "comparison.csv: paired differences; halt_probability.csv: each plant's share of "
        "runs with a halt; samples.csv: the sampled values per run; sensitivity.csv: "
        "indices (Morris/Sobol); buffer_needed.json (buffer grid)."])
    if len(sens):
        files.tables.append(("sensitivity indices", sens.round(4)))
    return title, subtitle, [head, design, plots, _inputs(root), files]
