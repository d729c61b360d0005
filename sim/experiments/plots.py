"""Comparison plots of a sweep, drawn from its summary and its jobs' saved tables only.

- ``kpis.png``: each KPI's distribution per variant (box + points)
- ``fan_charts.png``: buyers' magnet cover and cumulative lost vehicles over time per
  variant (or grid cell): the median, and the 10-90% band only with >= `MIN_BAND` runs
- ``heatmap_<kpi>.png``: a 2-D grid's mean KPI per cell
- ``paired_differences.png``: variant minus reference, mean and 95% CI
- ``sensitivity.png``: sensitivity indices per parameter and KPI
- ``halt_probability.png``: each plant's share of runs with a halt, per variant
- ``buffer_needed.png``: share of seeds without a halt per common cover (buffer_needed)

Names and units come from the parameter schema (`sim.config.parameters`) and the KPI
registry (`sim.kpis`). A plot with nothing to show is skipped and the reason returned.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import matplotlib

from sim.config.parameters import table as parameter_table

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.kpis import label as kpi_label  # noqa: E402
from sim.outputs.run_folder import RunFolder  # noqa: E402

FAN_SERIES = {"buyer_cover_ndfeb_hre_days": "buyers' Dy/Tb NdFeB cover (days)",
              "buyer_cover_ndfeb_days": "buyers' NdFeB cover (days)",
              "lost_vehicles": "cumulative lost vehicles"}
MIN_BAND = 10      # runs needed before a 10-90% band is drawn
MAX_FAN_GROUPS = 6  # more grid cells than this: no fan chart (it would be unreadable)
MAX_BAR_GROUPS = 8  # more than this: no halt probability bars


# --------------------------------------------------------------------------- labels
@lru_cache(maxsize=1)
def _units() -> dict[str, str]:
    return {r.path: r.unit for r in parameter_table()}


def param_label(key: str) -> str:
    """``world.automaker_cover_days`` -> ``automaker cover (days)``; ``events.0.days`` ->
    ``event 0 length (days)``."""
    m = re.fullmatch(r"events\.(\d+)\.(\w+)", key)
    if m:
        what = {"days": "length", "day": "start day", "date": "date"}.get(m[2], m[2])
        unit = "days" if m[2] in ("days", "day") else ""
        return f"event {m[1]} {what}" + (f" ({unit})" if unit else "")
    unit = _units().get(key, "")
    name = key.rsplit(".", 1)[-1].replace("_days", "").replace("_", " ")
    return f"{name} ({unit})" if unit else name


def _short(key: str) -> str:
    """A short grid-cell name: ``world.automaker_cover_days`` -> ``automaker cover``."""
    return param_label(key).split(" (")[0]


def num(v: float) -> str:
    """A rounded, readable number: 1.23 M, 45,600, 3.14, 0.0123."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    a = abs(v)
    if a >= 1e9:
        return f"{v / 1e9:.3g} bn"
    if a >= 1e6:
        return f"{v / 1e6:.3g} M"
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"
    return f"{v:.3g}"


def _yfmt(ax, axis: str = "y") -> None:
    """Tick labels rounded, in millions throughout when the axis reaches a million."""
    def f(v, _):
        lim = max(abs(x) for x in (ax.get_ylim() if axis == "y" else ax.get_xlim()))
        return f"{v / 1e6:g} M" if lim >= 1e6 and v else num(v)
    a = ax.yaxis if axis == "y" else ax.xaxis
    a.set_major_locator(mticker.MaxNLocator(5))
    a.set_major_formatter(mticker.FuncFormatter(f))


def _groups(df: pd.DataFrame, variant: str | None):
    col = f"param.{variant}" if variant else None
    if col and col in df:
        return [(str(v), g) for v, g in df.groupby(df[col].astype(str), sort=True)]
    return [("all jobs", df)]


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


class Skip(Exception):
    """A plot with nothing to show: the message says why."""


# --------------------------------------------------------------------------- plots
def kpi_distributions(df, path: Path, kpis: list[str], variant: str | None,
                      grid=None) -> None:
    ok = df[df["status"] == "ok"]
    groups = _fan_groups(ok, variant, grid, MAX_BAR_GROUPS)
    n = len(kpis)
    cols = min(n, 3)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.4 * cols + 0.5, 3.9 * rows),
                             squeeze=False)
    sizes = {len(g) for _, g in groups}
    for ax, k in zip(axes.flat, kpis, strict=False):
        data = [g[f"kpi.{k}"].dropna().to_numpy(float) for _, g in groups]
        ax.boxplot(data, showfliers=False)
        for i, d in enumerate(data, 1):
            ax.scatter(np.full(len(d), i) + np.linspace(-0.12, 0.12, len(d)), d, s=10,
                       alpha=0.6, color="tab:blue", zorder=3)
        names = [v if len(sizes) == 1 else f"{v} (n={len(g)})" for v, g in groups]
        ax.set_xticks(range(1, len(groups) + 1), names, rotation=20 if len(groups) > 2 else 0,
                      ha="right" if len(groups) > 2 else "center", fontsize=8)
        allv = np.concatenate([d for d in data if len(d)]) if any(len(d) for d in data) \
            else np.array([0.0])
        title = kpi_label(k)
        if allv.min() >= 0 and allv.min() < 0.5 * allv.max():
            ax.set_ylim(bottom=0)
        elif allv.min() >= 0 and allv.max() > 0:
            title += "\n(axis not from 0)"
        ax.set_title(title, fontsize=9)
        _yfmt(ax)
        if np.all(np.mod(allv, 1) == 0):  # counts: whole-number ticks
            ax.yaxis.set_major_locator(mticker.MaxNLocator(5, integer=True))
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    per = f", n={sizes.pop()} per group" if len(sizes) == 1 and len(groups) > 1 else ""
    what = param_label(variant) if variant else ("grid cell (seeds pooled)" if len(groups) > 1
                                                 else "sweep")
    fig.suptitle(f"KPIs per {what} "
                 f"({len(ok)} runs{per}): box = quartiles, points = runs")
    _save(fig, path)


def _series(folder: str, cols: list[str]) -> pd.DataFrame | None:
    d = RunFolder(folder).read_table("daily", columns=["date", *cols])
    if d is None:
        return None
    d = d.set_index("date")
    if "lost_vehicles" in d:
        d["lost_vehicles"] = d["lost_vehicles"].cumsum()
    return d


def _fan_groups(ok: pd.DataFrame, variant: str | None, grid,
                limit: int = MAX_FAN_GROUPS) -> list:
    if variant and f"param.{variant}" in ok:
        return _groups(ok, variant)
    keys = [f"param.{g}" for g in (grid or []) if g != "seed" and f"param.{g}" in ok]
    if keys:  # a designed grid: one group per cell, never pooled
        cells = list(ok.groupby(keys, sort=True))
        if len(cells) > limit:
            raise Skip(f"{len(cells)} grid cells: too many for one chart (see the heatmaps)")
        return [(", ".join(f"{_short(k[6:])} {num(v)}" for k, v in zip(
            keys, c if isinstance(c, tuple) else (c,), strict=False)), g) for c, g in cells]
    return [("all runs", ok)]


def fan_charts(df, path: Path, variant: str | None, grid=None) -> None:
    ok = df[df["status"] == "ok"]
    groups = _fan_groups(ok, variant, grid)
    cols = list(FAN_SERIES)
    fig, axes = plt.subplots(len(cols), 1, figsize=(12, 3.2 * len(cols)), sharex=True)
    notes = []
    for (name, g), color in zip(groups, plt.cm.tab10.colors, strict=False):
        runs = [s for s in (_series(f, cols) for f in g["folder"]) if s is not None]
        if not runs:
            continue
        band = len(runs) >= MIN_BAND
        for ax, c in zip(axes, cols, strict=False):
            m = pd.concat([r[c] for r in runs], axis=1)
            if band:
                q = m.quantile([0.1, 0.5, 0.9], axis=1).T
                ax.fill_between(q.index, q[0.1], q[0.9], color=color, alpha=0.18, lw=0)
            else:
                ax.plot(m.index, m.to_numpy(), color=color, lw=0.6, alpha=0.35)
            ax.plot(m.index, m.median(axis=1), color=color, lw=1.8,
                    label=f"{name} (n={len(runs)})")
        notes.append(f"{name}: n={len(runs)}" + ("" if band else " (too few for a band)"))
    for ax, c in zip(axes, cols, strict=False):
        ax.set_ylabel(FAN_SERIES[c], fontsize=9)
        ax.set_ylim(bottom=0)
        _yfmt(ax)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    axes[0].set_title(f"median per group; 10-90% band where n >= {MIN_BAND}, else each run "
                      "as a thin line", fontsize=10)
    _save(fig, path)


def heatmap(df, path: Path, kpi: str, x: str, y: str) -> None:
    ok = df[df["status"] == "ok"]
    t = ok.pivot_table(index=f"param.{y}", columns=f"param.{x}", values=f"kpi.{kpi}",
                       aggfunc="mean").sort_index(ascending=False)
    n = ok.pivot_table(index=f"param.{y}", columns=f"param.{x}", values=f"kpi.{kpi}",
                       aggfunc="count")
    v = t.to_numpy(float)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * t.shape[1] + 3.5),
                                    max(4.0, 0.55 * t.shape[0] + 2.2)))
    im = ax.imshow(v, cmap="magma_r", aspect="auto")
    ax.set_xticks(range(t.shape[1]), [num(c) for c in t.columns], fontsize=10)
    ax.set_yticks(range(t.shape[0]), [num(i) for i in t.index], fontsize=10)
    lo, hi = np.nanmin(v), np.nanmax(v)
    for (i, j), val in np.ndenumerate(v):
        if not np.isnan(val):
            dark = hi > lo and (val - lo) / (hi - lo) > 0.55
            ax.text(j, i, num(val), ha="center", va="center", fontsize=9,
                    color="white" if dark else "black")
    ax.set_xlabel(param_label(x))
    ax.set_ylabel(param_label(y))
    cb = fig.colorbar(im, ax=ax, label=kpi_label(kpi))
    cb.ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda q, _: num(q)))
    runs = int(np.nanmax(n.to_numpy(float))) if n.size else 0
    ax.set_title(f"{kpi_label(kpi)}: mean of {runs} run{'s' if runs != 1 else ''} per cell",
                 fontsize=10)
    _save(fig, path)


def _panels(n: int, w: float, h: float):
    cols = min(n, 3)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(w * cols + 0.5, h * rows), squeeze=False)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat)[:n]


def paired(comp: pd.DataFrame, path: Path) -> None:
    kpis = list(dict.fromkeys(comp["kpi"]))
    fig, axes = _panels(len(kpis), 4.4, 3.9)
    for ax, k in zip(axes, kpis, strict=False):
        c = comp[comp["kpi"] == k].reset_index(drop=True)
        err = np.vstack([c["mean_diff"] - c["ci95_low"], c["ci95_high"] - c["mean_diff"]])
        ax.errorbar(c.index, c["mean_diff"], yerr=np.nan_to_num(err), fmt="o", capsize=4)
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xticks(c.index, [f"{v}\n({n} pairs)" for v, n in zip(
            c["variant"], c["n_pairs"], strict=False)], rotation=20, ha="right", fontsize=8)
        ax.set_title(kpi_label(k), fontsize=9)
        _yfmt(ax)
        ax.grid(alpha=0.3)
    ref = comp["reference"].iloc[0]
    fig.suptitle(f"difference from {ref} on the same seeds: mean and 95% CI (t, scipy)")
    _save(fig, path)


INDEX_NAMES = {"mu_star": "Morris mu* (mean |elementary effect|, KPI units)",
               "ST": "Sobol total-order index ST (share of variance)"}


def sensitivity_bars(sens: pd.DataFrame, path: Path) -> None:
    idx = "ST" if "ST" in sens else "mu_star"
    conf = f"{idx}_conf"
    kpis = list(dict.fromkeys(sens["kpi"]))
    fig, axes = _panels(len(kpis), 5.2, 3.6)
    for i, (ax, k) in enumerate(zip(axes, kpis, strict=False)):
        s = sens[sens["kpi"] == k].sort_values(idx)
        ax.barh([param_label(p) for p in s["parameter"]], s[idx],
                xerr=s[conf] if conf in s else None, color="tab:blue")
        ax.set_title(kpi_label(k), fontsize=9)
        ax.set_xlabel(idx if idx == "ST" else "mu*")
        _yfmt(ax, "x")
        ax.tick_params(axis="y", labelsize=8, labelleft=i % 3 == 0)
        ax.grid(alpha=0.3, axis="x")
    fig.suptitle(f"sensitivity ({sens['method'].iloc[0]}): {INDEX_NAMES.get(idx, idx)}")
    _save(fig, path)


def halt_probability(halts: pd.DataFrame, path: Path) -> None:
    if halts["variant"].nunique() > MAX_BAR_GROUPS:
        raise Skip(f"{halts['variant'].nunique()} grid cells: too many for bars (see "
                   "halt_probability.csv)")
    t = halts.pivot_table(index="plant", columns="variant", values="halt_probability",
                          sort=False)
    n = halts.groupby("variant")["n_runs"].max()
    width_in = min(12.0, max(7.0, 1.3 * len(t) * max(1, t.shape[1] / 2) + 3))
    fig, ax = plt.subplots(figsize=(width_in, 4.4))
    width = 0.8 / t.shape[1]
    cells = all("=" in str(v) for v in t.columns)  # grid cells: ordered, sequential colours
    colors = plt.cm.viridis(np.linspace(0, 0.9, t.shape[1])) if cells else plt.cm.tab10.colors
    for j, (v, color) in enumerate(zip(t.columns, colors, strict=False)):
        x = np.arange(len(t)) + (j - (t.shape[1] - 1) / 2) * width
        name = re.sub(r"([\w.]+)=(\S+)", lambda m: f"{param_label(m[1])} {m[2]}", str(v))
        bars = ax.bar(x, t[v] * 100, width, color=color,
                      label=f"{name} (n={int(n[v])} runs)")
        if t.shape[1] <= 4:
            for b, val in zip(bars, t[v], strict=False):
                ax.annotate(f"{val:.0%}", (b.get_x() + b.get_width() / 2, b.get_height()),
                            ha="center", va="bottom", fontsize=7, xytext=(0, 1),
                            textcoords="offset points")
    ax.set_xticks(range(len(t)), t.index)
    ax.set_ylim(0, 110)
    ax.set_ylabel("runs with at least one halt (%)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title("probability of a production halt per plant")
    ax.grid(alpha=0.3, axis="y")
    _save(fig, path)


def buffer_plot(b: dict, path: Path) -> None:
    s = pd.Series(b["no_halt_share_by_cover"]).sort_index()
    fig, ax = plt.subplots(figsize=(8, 4.4))
    ax.plot(s.index, s.to_numpy() * 100, marker="o", label=f"search seeds {b['search_seeds']}")
    ax.axhline(b["share"] * 100, color="grey", ls="--", lw=1,
               label=f"wanted: no halt in {b['share']:.0%}")
    if b.get("cover_days") is not None:
        ax.axvline(b["cover_days"], color="tab:green", lw=1.2,
                   label=f"smallest cover: {b['cover_days']:g} days")
        if b.get("verify_no_halt_share") is not None:
            ax.plot([b["cover_days"]], [b["verify_no_halt_share"] * 100], marker="s",
                    color="tab:green", ls="none",
                    label=f"fresh seeds: {b['verify_no_halt_share']:.0%} without halt")
        title = f"buffer needed: {b['cover_days']:g} days of cover"
    else:
        title = "no cover on the grid suffices"
    ax.set_ylim(-3, 105)
    ax.set_xlim(left=0)
    ax.set_xlabel(param_label("world.automaker_cover_days"))
    ax.set_ylabel("seeds without any halt (%)")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.grid(alpha=0.3)
    _save(fig, path)


def draw_all(df, folder: Path, kpis: list[str], variant=None, grid=None,
             comparison: pd.DataFrame | None = None,
             sensitivity: pd.DataFrame | None = None,
             halts: pd.DataFrame | None = None, buffer: dict | None = None) -> dict[str, str]:
    """Draw every plot that has something to show; return {plot: reason} for the others."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    skipped: dict[str, str] = {}
    if not (df["status"] == "ok").any():
        return {"all": "no successful run"}
    todo = [("kpis", lambda p: kpi_distributions(df, p, kpis, variant, grid)) if kpis else None,
            ("fan_charts", lambda p: fan_charts(df, p, variant, grid))]
    if grid and len(grid) == 2 and all(f"param.{g}" in df for g in grid):
        todo += [(f"heatmap_{k}", lambda p, k=k: heatmap(df, p, k, grid[0], grid[1]))
                 for k in kpis]
    if comparison is not None and len(comparison):
        todo.append(("paired_differences", lambda p: paired(comparison, p)))
    if sensitivity is not None and len(sensitivity):
        todo.append(("sensitivity", lambda p: sensitivity_bars(sensitivity, p)))
    if halts is not None and len(halts):
        todo.append(("halt_probability", lambda p: halt_probability(halts, p)))
    if buffer:
        todo.append(("buffer_needed", lambda p: buffer_plot(buffer, p)))
    for item in todo:
        if item is None:
            continue
        name, fn = item
        try:
            fn(folder / f"{name}.png")
        except Skip as e:
            plt.close("all")
            (folder / f"{name}.png").unlink(missing_ok=True)  # no stale picture left
            skipped[name] = str(e)
    return skipped
