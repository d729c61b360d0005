"""Rebuild a sweep's summary and comparison plots from saved folders, without re-running.

    python -m sim.replot results/sweeps/monte_carlo/2026-11-23_16-00-00
    python -m sim.replot results/embargo_us/* --out results/compare_embargo --variant seed
    python -m sim.replot SWEEP --kpis lost_vehicles price_peak_ratio.ndfeb --reference fast_track

One sweep root (a folder with ``multirun.yaml`` or job folders): its summary, comparison,
sensitivity and plots are rewritten in place, with the experiment's ``compare`` settings
unless flags override them. Several run folders (or one that is itself a run): they are
compared as one set, written to ``--out`` (default ``results/replot/<timestamp>``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sim.experiments.summary import aggregate, job_folders, sweep_settings
from sim.kpis import KpiError, check_names
from sim.outputs.run_folder import RunFolder


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sim.replot", description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="+", type=Path, help="a sweep root, or run folders")
    ap.add_argument("--out", type=Path, help="where to write (default: the sweep root)")
    ap.add_argument("--kpis", nargs="+", help="KPIs to compare (flat names)")
    ap.add_argument("--variant", help="override key naming the variants (e.g. licensing)")
    ap.add_argument("--reference", help="reference variant for paired differences")
    ap.add_argument("--grid", nargs=2, metavar=("X", "Y"), help="heatmap axes")
    ap.add_argument("--no-plots", action="store_true")
    a = ap.parse_args(argv)

    missing = [str(f) for f in a.folders if not f.is_dir()]
    if missing:
        ap.error(f"not a folder: {', '.join(missing)}")
    try:
        check_names(a.kpis, "--kpis")
    except KpiError as e:
        ap.error(str(e))
    settings: dict = {}
    if len(a.folders) == 1 and not RunFolder(a.folders[0]).is_run():
        root = a.folders[0]
        folders = job_folders(root)
        settings = sweep_settings(root)
        out = a.out or root
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
