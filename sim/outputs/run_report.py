"""A run's report sections and its CSV copies (`sim.save` writes both).

The sections (`run_sections`) are the headline figures, the plants table, the plots, what
the run changed (overrides, notes, settings that differ from the schema's defaults), the
inputs and their sources (policy events with their citations, economic inputs, the world
tables) and the run's facts. They go to the one report writer, `sim.outputs.report`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.kpis import flat_table
from sim.kpis.summary import kpi_lines, summary_lines
from sim.outputs.report import Section
from sim.outputs.run_folder import RunFolder

PLANT_COLUMNS = {
    "node": "plant / buyer", "kind": "kind", "country": "country", "first_halt": "first halt",
    "halt_days": "halt days", "n_halts": "episodes", "lost_vehicles": "lost vehicles",
    "lost_vehicles_net": "never made up", "lost_demand_t": "lost demand (t)",
    "lost_revenue_usd": "lost revenue (USD)", "extra_magnet_spend_usd": "extra magnet spend (USD)",
    "min_cover_days": "min cover (days)", "target_cover_days": "target cover (days)",
    "buffer_needed_days": "buffer needed (days)",
    "buffer_carrying_cost_usd_per_yr": "its carrying cost (USD/yr)"}
"""The plants table as the report shows it (all columns are in ``plants.csv``)."""


def write_csv_copies(out: dict, folder: Path) -> None:
    """``plants.csv`` (the plants table) and ``kpis.csv`` (every KPI, flat, with its unit
    and description) beside the parquet tables, for a spreadsheet."""
    folder = Path(folder)
    if out.get("plants") is not None:
        out["plants"].to_csv(folder / "plants.csv", index=False)
    if out.get("kpis"):
        flat_table(out["kpis"]).to_csv(folder / "kpis.csv", index=False)


def plants_view(plants: pd.DataFrame | None) -> pd.DataFrame:
    """Plants first (by first halt), then the other buyers; readable column names."""
    if plants is None or plants.empty:
        return pd.DataFrame()
    p = plants.copy()
    p["_order"] = (p["kind"] != "automaker").astype(int)
    p = p.sort_values(["_order", "first_halt", "node"], na_position="last")
    cols = [c for c in PLANT_COLUMNS if c in p]
    return p[cols].rename(columns=PLANT_COLUMNS)


def _caption(name: str) -> str:
    from sim.outputs.plots import PLOTS  # matplotlib only when a report is written

    doc = (PLOTS[name].__doc__ or "").strip().split("\n\n")[0]
    return f"{name}.png: " + " ".join(doc.replace("``", "").replace("`", "").split())


def events_view(out: dict) -> pd.DataFrame:
    ev = out.get("events")
    if ev is None or ev.empty:
        return pd.DataFrame()
    ev = ev[ev["fired"].astype(bool)] if "fired" in ev else ev
    keep = [c for c in ("date", "end", "kind", "label", "materials", "destinations", "scope",
                        "detail", "source") if c in ev]
    v = ev[keep].sort_values("date").copy()
    for c in ("date", "end"):
        if c in v:
            v[c] = pd.to_datetime(v[c]).dt.strftime("%Y-%m-%d").fillna("")
    return v


def run_sections(out: dict, folder: Path) -> tuple[str, str, list[Section]]:
    """(title, subtitle, sections) of a run's report."""
    meta, k = out.get("meta") or {}, out.get("kpis") or {}
    rf = RunFolder(folder)
    name = meta.get("scenario", "run")
    title = f"{name}: what the run says"
    subtitle = (f"{meta.get('start')} to {meta.get('end')} ({meta.get('days')} days), seed "
                f"{meta.get('seed')}, licensing {meta.get('licensing')}; folder {rf.path}")
    head = Section("Headline", pre="\n".join(kpi_lines(k)) if k else None)
    head.paragraphs += [f"Note: {n}" for n in meta.get("notes") or []]
    plants = Section("Plants", paragraphs=[
        "Each assembly plant (then every other buyer): its halts, lost output and what it "
        "costs; 'buffer needed' is the extra stock, in days of the plant's use, that would "
        "have covered all its lost output in this run. All columns: plants.csv."])
    view = plants_view(out.get("plants"))
    if len(view):
        plants.tables.append(("", view))
    pics = Section("Plots")
    from sim.outputs.plots import PLOTS  # matplotlib only when a report is written

    for p in sorted(rf.plots_dir.glob("*.png"), key=lambda p: (p.stem != "inventory", p.stem)):
        if p.stem in PLOTS:
            pics.images.append((_caption(p.stem), p))
    for plot, why in (meta.get("plots_skipped") or {}).items():
        pics.paragraphs.append(f"{plot}.png skipped: {why}")
    changed = Section("What this run changed")
    overrides = rf.overrides()
    changed.facts["command-line overrides"] = " ".join(overrides) or "none"
    changed.paragraphs += [f"Note: {n}" for n in meta.get("notes") or []]
    diff = pd.DataFrame(meta.get("changed") or [])
    if len(diff):
        changed.tables.append(("Settings that differ from the schema's defaults (the "
                               "scenario file's comments cite the values it sets)", diff))
    inputs = Section("Inputs and their sources", paragraphs=[
        f"World tables: vintage or folder {rf.config().get('world', {}).get('tables', '2024')!r}"
        " (sim/config/worlds/<vintage>/*.csv; every row cites its source). Parameter "
        "sources: docs/parameters.md; cited facts: docs/sources.md."])
    ev = events_view(out)
    if len(ev):
        inputs.tables.append(("Policy events applied (dated inputs)", ev))
    econ = meta.get("economics") or {}
    if econ:
        inputs.facts.update({f"economics.{a}": str(b) for a, b in econ.items()})
    facts = Section("The run", facts={
        "version": str(meta.get("version")), "git commit": str(meta.get("git_commit")),
        "wall time": f"{meta.get('wall_time_s')} s", "status": str(meta.get("status"))})
    facts.paragraphs.append("Files: meta.json, kpis.json and kpis.csv (every KPI), "
                            "plants.parquet and plants.csv, daily/agents/shipments/events "
                            ".parquet, plots/.")
    full = Section("Full terminal summary", pre="\n".join(summary_lines(out))
                   if k and "daily" in out else None)
    return title, subtitle, [head, plants, pics, changed, inputs, facts, full]
