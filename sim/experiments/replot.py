"""Redraw plots and reports from saved folders, without re-running.

    magnet-sim replot results/controls_2025/2026-11-25_02-04-51    # a run: its own plots
    magnet-sim replot results/sweeps/monte_carlo/2026-11-23_16-00-00   # a sweep
    magnet-sim replot results/embargo_us/* --out results/cmp --variant seed   # runs compared
    magnet-sim replot SWEEP --kpis lost_vehicles price_peak_ratio.ndfeb --reference fast_track

One run folder: its own plots (``plots/``), CSV copies and ``report.html`` are redrawn in
place from its tables. One sweep root (a folder with ``multirun.yaml`` or job folders): its
summary, comparison, sensitivity, plots and report are rewritten in place, with the
experiment's ``compare`` settings unless flags override them. Several run folders (or one
run with ``--compare``): they are compared as one set, written to ``--out`` (default
``results/replot/<timestamp>``). Every mistake is one line (exit 2).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import sim
from sim.domain.errors import ConfigError
from sim.experiments.summary import aggregate, job_folders, sweep_settings
from sim.kpis import check_names
from sim.outputs import plots as run_plots
from sim.outputs.report import write_report
from sim.outputs.run_folder import RunFolder
from sim.outputs.run_report import run_sections, write_csv_copies


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (through the command line's main)
        raise ConfigError(f"magnet-sim replot: {message}")


def redraw_run(folder: Path) -> Path:
    """Redraw a run folder's own plots, CSV copies and report from its tables."""
    rf = RunFolder(folder)
    if not rf.has_tables():
        raise ConfigError(f"magnet-sim replot: {folder}: a run folder without its tables "
                          "(daily.parquet): nothing to redraw from")
    out = sim.load(folder)
    meta = out["meta"]
    _, skipped = run_plots.draw_all(out, rf.path, meta.get("scenario", "run"))
    meta["plots_skipped"] = skipped
    rf.write_meta(meta)
    write_csv_copies(out, rf.path)
    path = write_report(rf.path, *run_sections(out, rf.path))
    for name, why in skipped.items():
        print(f"plot {name} skipped: {why}")
    print(f"report: {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = _Parser(prog="magnet-sim replot", description=__doc__.split("\n")[0],
                 allow_abbrev=False)
    ap.add_argument("folders", nargs="+", type=Path, help="a run, a sweep root, or runs")
    ap.add_argument("--out", type=Path, help="where to write a comparison (default: the "
                    "sweep root, or results/replot/<timestamp>)")
    ap.add_argument("--compare", action="store_true", help="compare even a single run")
    ap.add_argument("--kpis", nargs="+", help="KPIs to compare (flat names)")
    ap.add_argument("--variant", help="override key naming the variants (e.g. licensing)")
    ap.add_argument("--reference", help="reference variant for paired differences")
    ap.add_argument("--grid", nargs=2, metavar=("X", "Y"), help="heatmap axes")
    ap.add_argument("--no-plots", action="store_true")
    a = ap.parse_args(argv)

    missing = [str(f) for f in a.folders if not f.is_dir()]
    if missing:
        ap.error(f"not a folder: {', '.join(missing)}")
    check_names(a.kpis, "magnet-sim replot --kpis")
    one = a.folders[0] if len(a.folders) == 1 else None
    if one is not None and RunFolder(one).is_run() and not (a.compare or a.out):
        redraw_run(one)
        return 0
    settings: dict = {}
    if one is not None and not RunFolder(one).is_run():
        folders = job_folders(one)
        settings = sweep_settings(one)
        out = a.out or one
    else:
        folders = [f for f in a.folders if RunFolder(f).is_run()]
        out = a.out or Path("results/replot") / time.strftime("%Y-%m-%d_%H-%M-%S")
    if not folders:
        ap.error("no run folders found (a run folder has meta.json or .hydra/)")
    compare = dict(settings.get("compare") or {})
    for key in ("kpis", "variant", "reference", "grid"):
        if getattr(a, key):
            compare[key] = getattr(a, key)
    samples = settings.get("samples") if out == (a.folders[0] if settings else None) else None
    aggregate(folders, out, compare, samples, plots=not a.no_plots)
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
