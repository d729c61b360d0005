"""Comparison plots of a sweep, drawn from its summary and the series its jobs keep.

``kpis.png`` (each KPI per variant, n stated), ``fan_charts.png`` (each plant's cover and
the lost vehicles over time: the median, a 10-90% band only with >= `MIN_BAND` runs),
``heatmap_<kpi>.png`` (a 2-D grid's mean per cell, runs per cell), ``paired_differences.png``
(variant minus reference: mean and a 95% CI only from two or more pairs),
``sensitivity.png`` (indices per parameter, every panel labelled), ``halt_probability.png``
(each plant's share of runs with a halt: a probability only for two or more random draws),
``buffer_needed.png`` (share of seeds without a halt per common cover). Every plot says
under it what the sweep sampled or varied and how many runs it has
(`sim.experiments.design`); names and units come from the parameter, event and KPI
registries. A plot with nothing to show is skipped and the reason returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

from sim.experiments.design import num, param_label, scenario_of, shares_are_probabilities

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.kpis import label as kpi_label  # noqa: E402
from sim.outputs.plot_style import Skip  # noqa: E402  (a plot with nothing to show)
from sim.outputs.run_folder import RunFolder  # noqa: E402

MIN_BAND = 10      # runs needed before a 10-90% band is drawn
MAX_FAN_GROUPS = 6  # more grid cells than this: no fan chart (it would be unreadable)
MAX_BAR_GROUPS = 8  # more than this: no halt probability bars
MAX_PLANTS = 8     # fan chart panels for plants at most


@dataclass
class Context:
    """What every sweep plot states: the design lines, the scenario, the events (for
    labels of event keys) and the samples node."""

    design: list[str] = field(default_factory=list)
    scenario: str = ""
    events: list = field(default_factory=list)
    samples: dict | None = None

    def label(self, key: str) -> str:
        return param_label(key, self.events)


def _yfmt(ax, axis: str = "y") -> None:
    """Tick labels rounded, in millions throughout when the axis reaches a million."""
    def f(v, _):
        lim = max(abs(x) for x in (ax.get_ylim() if axis == "y" else ax.get_xlim()))
        return f"{v / 1e6:g} M" if lim >= 1e6 and v else num(v)
    a = ax.yaxis if axis == "y" else ax.xaxis
    a.set_major_locator(mticker.MaxNLocator(5))
    a.set_major_formatter(mticker.FuncFormatter(f))


def _save(fig, path: Path, ctx: Context) -> None:
    """Lay out, state the design under the plot, and write."""
    fig.tight_layout()
    if ctx.design:
        fig.text(0.005, -0.005, "\n".join(ctx.design), fontsize=8, va="top", ha="left",
                 color="0.25", wrap=True)
    _write(fig, path)


def _write(fig, path: Path) -> None:
    fig.savefig(path, dpi=100, bbox_inches="tight", pad_inches=0.15)
    plt.close(fig)


def _title(ctx: Context, text: str) -> str:
    return f"{ctx.scenario}: {text}" if ctx.scenario else text


def groups_of(ok: pd.DataFrame, variant: str | None, grid, ctx: Context,
              limit: int = MAX_FAN_GROUPS) -> list:
    """(name, rows) per variant, or per cell of a designed grid (never pooled)."""
    if variant and f"param.{variant}" in ok:
        col = f"param.{variant}"
        return [(str(v), g) for v, g in ok.groupby(ok[col].astype(str), sort=True)]
    keys = [f"param.{g}" for g in (grid or []) if g != "seed" and f"param.{g}" in ok]
    if keys:
        cells = list(ok.groupby(keys, sort=True))
        if len(cells) > limit:
            raise Skip(f"{len(cells)} grid cells: too many for one chart (see the heatmaps)")
        return [(", ".join(f"{ctx.label(k[6:]).split(' (')[0]} {num(v)}" for k, v in zip(
            keys, c if isinstance(c, tuple) else (c,), strict=False)), g) for c, g in cells]
    return [("all runs", ok)]


# --------------------------------------------------------------------------- plots
def kpi_distributions(df, path: Path, kpis: list[str], variant, grid, ctx: Context) -> None:
    ok = df[df["status"] == "ok"]
    groups = groups_of(ok, variant, grid, ctx, MAX_BAR_GROUPS)
    cols = min(len(kpis), 3)
    rows = -(-len(kpis) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.4 * cols + 0.5, 3.9 * rows),
                             squeeze=False)
    keyed = sum(len(v) for v, _ in groups) > 14 * 3 or max(len(v) for v, _ in groups) > 18
    for ax, k in zip(axes.flat, kpis, strict=False):
        data = [g[f"kpi.{k}"].dropna().to_numpy(float) if f"kpi.{k}" in g else np.array([])
                for _, g in groups]
        ax.boxplot(data, showfliers=False)
        for i, d in enumerate(data, 1):
            ax.scatter(np.full(len(d), i) + np.linspace(-0.12, 0.12, len(d)), d, s=10,
                       alpha=0.6, color="tab:blue", zorder=3)
        names = [v for v, _ in groups] if not keyed else [f"[{i}]" for i in
                                                          range(1, len(groups) + 1)]
        many = len(groups) > 2 and not keyed
        ax.set_xticks(range(1, len(groups) + 1), [f"{v}\n(n={len(d)})" for v, d in
                                                  zip(names, data, strict=True)],
                      rotation=20 if many else 0, ha="right" if many else "center", fontsize=8)
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
    for ax in list(axes.flat)[len(kpis):]:
        ax.set_visible(False)
    what = ctx.label(variant) if variant else ("grid cell (seeds pooled)" if len(groups) > 1
                                               else "sweep")
    fig.suptitle(_title(ctx, f"KPIs per {what} ({len(ok)} runs): box = quartiles, points = "
                        "runs, n under each box"))
    if keyed:  # long group names: numbered, with their key under the plot
        ctx = Context([*(f"[{i}] {v}" for i, (v, _) in enumerate(groups, 1)), *ctx.design],
                      ctx.scenario, ctx.events, ctx.samples)
    _save(fig, path, ctx)


def _plant_series(folder: str, plants: list[str]) -> dict[str, pd.Series] | None:
    """Each plant's days of cover and the cumulative lost vehicles of one run, from the
    plants' daily series every run keeps (``plants_daily.parquet``)."""
    d = RunFolder(folder).read_table("plants_daily", columns=["date", "plant", "cover_days",
                                                              "lost"])
    if d is None:
        return None
    out = {p: g.set_index("date")["cover_days"] for p, g in d.groupby("plant") if p in plants}
    out["lost vehicles"] = d.groupby("date")["lost"].sum().cumsum()
    return out


def fan_charts(df, path: Path, variant, grid, ctx: Context) -> None:
    ok = df[df["status"] == "ok"]
    groups = groups_of(ok, variant, grid, ctx)
    plants = sorted({c.split(".")[2] for c in ok if c.startswith("kpi.plants.")
                     and c.endswith(".kind") and (ok[c] == "automaker").any()})[:MAX_PLANTS]
    if not plants:
        raise Skip("no plants (automakers) in the runs")
    series = [*plants, "lost vehicles"]
    fig, axes = plt.subplots(len(series), 1, figsize=(12, 1.9 * len(series) + 1.2),
                             sharex=True, squeeze=False)
    axes = axes[:, 0]
    drawn = False
    for (name, g), color in zip(groups, plt.cm.tab10.colors, strict=False):
        runs = [s for s in (_plant_series(f, plants) for f in g["folder"]) if s is not None]
        if not runs:
            continue
        drawn = True
        band = len(runs) >= MIN_BAND
        for ax, c in zip(axes, series, strict=True):
            got = [r[c] for r in runs if c in r]
            if not got:
                continue
            m = pd.concat(got, axis=1)
            if band:
                q = m.quantile([0.1, 0.9], axis=1).T
                ax.fill_between(q.index, q[0.1], q[0.9], color=color, alpha=0.18, lw=0)
            else:
                ax.plot(m.index, m.to_numpy(), color=color, lw=0.6, alpha=0.35)
            ax.plot(m.index, m.median(axis=1), color=color, lw=1.8,
                    label=f"{name} (n={len(got)})")
    if not drawn:
        raise Skip("no run kept its plants' daily series (plants_daily.parquet)")
    for ax, c in zip(axes, series, strict=True):
        ax.set_ylabel(f"{c}\ncover (days)" if c in plants else "cumulative\nlost vehicles",
                      fontsize=8)
        ax.set_ylim(bottom=0)
        _yfmt(ax)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    axes[0].set_title(_title(ctx, f"each plant's magnet cover and the lost vehicles: median "
                             f"per group; 10-90% band where n >= {MIN_BAND}, else each run "
                             "as a thin line"), fontsize=10)
    _save(fig, path, ctx)


def heatmap(df, path: Path, kpi: str, x: str, y: str, ctx: Context) -> None:
    ok = df[df["status"] == "ok"]
    kw = {"index": f"param.{y}", "columns": f"param.{x}", "values": f"kpi.{kpi}"}
    t = ok.pivot_table(**kw, aggfunc="mean").sort_index(ascending=False)
    n = ok.pivot_table(**kw, aggfunc="count").reindex_like(t)
    v = t.to_numpy(float)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * t.shape[1] + 3.5),
                                    max(4.0, 0.6 * t.shape[0] + 2.2)))
    im = ax.imshow(v, cmap="magma_r", aspect="auto")
    ax.set_xticks(range(t.shape[1]), [num(c) for c in t.columns], fontsize=10)
    ax.set_yticks(range(t.shape[0]), [num(i) for i in t.index], fontsize=10)
    lo, hi = np.nanmin(v), np.nanmax(v)
    counts = n.to_numpy(float)
    same = np.nanmin(counts) == np.nanmax(counts)
    for (i, j), val in np.ndenumerate(v):
        if not np.isnan(val):
            dark = hi > lo and (val - lo) / (hi - lo) > 0.55
            text = num(val) if same else f"{num(val)}\nn={int(counts[i, j])}"
            ax.text(j, i, text, ha="center", va="center", fontsize=9,
                    color="white" if dark else "black")
    ax.set_xlabel(ctx.label(x))
    ax.set_ylabel(ctx.label(y))
    cb = fig.colorbar(im, ax=ax, label=kpi_label(kpi))
    cb.ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda q, _: num(q)))
    runs = (f"{int(counts.max())} run{'s' if counts.max() != 1 else ''} per cell" if same
            else "n runs per cell as shown")
    ax.set_title(_title(ctx, f"{kpi_label(kpi)}: mean of {runs}"), fontsize=10)
    _save(fig, path, ctx)


def _panels(n: int, w: float, h: float):
    cols = min(n, 3)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(w * cols + 0.5, h * rows), squeeze=False)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat)[:n]


def paired(comp: pd.DataFrame, path: Path, ctx: Context) -> None:
    """Mean paired difference per variant; the 95% CI only from two or more pairs."""
    kpis = list(dict.fromkeys(comp["kpi"]))
    fig, axes = _panels(len(kpis), 4.4, 3.9)
    for ax, k in zip(axes, kpis, strict=False):
        c = comp[comp["kpi"] == k].reset_index(drop=True)
        has_ci = (c["n_pairs"] >= 2) & c["ci95_low"].notna() & c["ci95_high"].notna()
        ci = c[has_ci]
        if len(ci):
            ax.errorbar(ci.index, ci["mean_diff"], yerr=np.vstack(
                [ci["mean_diff"] - ci["ci95_low"], ci["ci95_high"] - ci["mean_diff"]]),
                fmt="o", capsize=4, color="tab:blue", label="mean, 95% CI")
        lone = c[~has_ci]
        if len(lone):
            ax.plot(lone.index, lone["mean_diff"], "x", color="tab:red", ms=8,
                    label="fewer than 2 pairs: no interval")
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xlim(-0.5, len(c) - 0.5)
        ax.set_xticks(c.index, [f"{v}\n(n={n} pair{'s' if n != 1 else ''})" for v, n in zip(
            c["variant"], c["n_pairs"], strict=False)], rotation=20, ha="right", fontsize=8)
        ax.set_title(kpi_label(k), fontsize=9)
        _yfmt(ax)
        ax.grid(alpha=0.3)
        if len(lone):
            ax.legend(fontsize=7, loc="best")
            ax.margins(y=0.15)
    ref = comp["reference"].iloc[0]
    fig.suptitle(_title(ctx, f"difference from {ref} on the same seeds: mean and 95% CI (t) "
                        "where n >= 2 pairs"))
    _save(fig, path, ctx)


INDEX_NAMES = {"mu_star": "Morris mu* (mean |elementary effect|, KPI units)",
               "ST": "Sobol total-order index ST (share of variance)"}


def sensitivity_bars(sens: pd.DataFrame, path: Path, ctx: Context) -> None:
    """One panel per KPI, each sorted by its own index and labelled with its own rows."""
    idx = "ST" if "ST" in sens else "mu_star"
    conf = f"{idx}_conf"
    kpis = list(dict.fromkeys(sens["kpi"]))
    fig, axes = _panels(len(kpis), 6.4, 0.45 * sens["parameter"].nunique() + 1.6)
    for ax, k in zip(axes, kpis, strict=False):
        s = sens[sens["kpi"] == k].sort_values(idx).reset_index(drop=True)
        y = np.arange(len(s))
        err = None
        if conf in s:  # an index is >= 0: its interval is cut at zero; none when unknown
            c = s[conf].where(np.isfinite(s[conf]), 0.0)
            err = np.vstack([np.minimum(c, s[idx]), c])
        ax.barh(y, s[idx], xerr=err, color="tab:blue")
        ax.set_yticks(y, [ctx.label(p) for p in s["parameter"]], fontsize=8)
        ax.set_title(kpi_label(k), fontsize=9)
        ax.set_xlabel(idx if idx == "ST" else "mu*")
        ax.set_xlim(left=0)
        _yfmt(ax, "x")
        ax.grid(alpha=0.3, axis="x")
    fig.suptitle(_title(ctx, f"sensitivity ({sens['method'].iloc[0]}): "
                        f"{INDEX_NAMES.get(idx, idx)}; each panel sorted on its own"))
    _save(fig, path, ctx)


def halt_probability(halts: pd.DataFrame, path: Path, ctx: Context) -> None:
    if halts["variant"].nunique() > MAX_BAR_GROUPS:
        raise Skip(f"{halts['variant'].nunique()} grid cells: too many for bars (see "
                   "halt_probability.csv)")
    t = halts.pivot_table(index="plant", columns="variant", values="halt_probability",
                          sort=False)
    n = halts.groupby("variant")["n_runs"].max()
    prob, words = shares_are_probabilities(int(n.min()), ctx.samples)
    width_in = min(12.0, max(7.0, 1.3 * len(t) * max(1, t.shape[1] / 2) + 3))
    fig, ax = plt.subplots(figsize=(width_in, 4.4))
    width = 0.8 / t.shape[1]
    cells = all("=" in str(v) for v in t.columns)  # grid cells: ordered, sequential colours
    colors = plt.cm.viridis(np.linspace(0, 0.9, t.shape[1])) if cells else plt.cm.tab10.colors
    for j, (v, color) in enumerate(zip(t.columns, colors, strict=False)):
        x = np.arange(len(t)) + (j - (t.shape[1] - 1) / 2) * width
        name = re.sub(r"([\w.]+)=(\S+)", lambda m: f"{ctx.label(m[1])} {m[2]}", str(v))
        bars = ax.bar(x, t[v] * 100, width, color=color,
                      label=f"{name} (n={int(n[v])} run{'s' if n[v] != 1 else ''})")
        if t.shape[1] <= 4:
            for b, val in zip(bars, t[v], strict=False):
                ax.annotate(f"{val:.0%}", (b.get_x() + b.get_width() / 2, b.get_height()),
                            ha="center", va="bottom", fontsize=7, xytext=(0, 1),
                            textcoords="offset points")
    ax.set_xticks(range(len(t)), t.index)
    ax.set_ylim(0, 110)
    ax.set_ylabel("runs with at least one halt (%)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    what = "probability of a production halt per plant" if prob else \
        "share of runs with a production halt per plant"
    ax.set_title(_title(ctx, f"{what}\n({words})"), fontsize=10)
    ax.grid(alpha=0.3, axis="y")
    _save(fig, path, ctx)


def buffer_plot(b: dict, path: Path, ctx: Context) -> None:
    s = pd.Series(b["no_halt_share_by_cover"]).sort_index()
    fig, ax = plt.subplots(figsize=(8, 4.4))
    ax.plot(s.index, s.to_numpy() * 100, marker="o",
            label=f"search seeds {b['search_seeds']} (n={len(b['search_seeds'])})")
    ax.axhline(b["share"] * 100, color="grey", ls="--", lw=1,
               label=f"wanted: no halt in {b['share']:.0%}")
    if b.get("cover_days") is not None:
        ax.axvline(b["cover_days"], color="tab:green", lw=1.2,
                   label=f"smallest cover: {b['cover_days']:g} days")
        if b.get("verify_no_halt_share") is not None:
            ax.plot([b["cover_days"]], [b["verify_no_halt_share"] * 100], marker="s",
                    color="tab:green", ls="none",
                    label=f"fresh seeds (n={len(b.get('verify_seeds') or [])}): "
                    f"{b['verify_no_halt_share']:.0%} without halt")
        title = f"buffer needed: {b['cover_days']:g} days of cover"
    else:
        title = "no cover on the grid suffices"
    ax.set_ylim(-3, 105)
    ax.set_xlim(left=0)
    ax.set_xlabel(ctx.label("world.automaker_cover_days"))
    ax.set_ylabel("seeds without any halt (%)")
    ax.set_title(_title(ctx, title))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.grid(alpha=0.3)
    _save(fig, path, ctx)


def draw_all(df, folder: Path, kpis: list[str], variant=None, grid=None,
             comparison: pd.DataFrame | None = None,
             sensitivity: pd.DataFrame | None = None,
             halts: pd.DataFrame | None = None, buffer: dict | None = None,
             ctx: Context | None = None) -> dict[str, str]:
    """Draw every plot that has something to show; return {plot: reason} for the others."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ctx = ctx or Context(scenario=scenario_of(df))
    skipped: dict[str, str] = {}
    if not (df["status"] == "ok").any():
        return {"all": "no successful run"}
    todo = [("kpis", lambda p: kpi_distributions(df, p, kpis, variant, grid, ctx))
            if kpis else None, ("fan_charts", lambda p: fan_charts(df, p, variant, grid, ctx))]
    if grid and len(grid) == 2 and all(f"param.{g}" in df for g in grid):
        todo += [(f"heatmap_{k}", lambda p, k=k: heatmap(df, p, k, grid[0], grid[1], ctx))
                 for k in kpis]
    if comparison is not None and len(comparison):
        todo.append(("paired_differences", lambda p: paired(comparison, p, ctx)))
    if sensitivity is not None and len(sensitivity):
        todo.append(("sensitivity", lambda p: sensitivity_bars(sensitivity, p, ctx)))
    if halts is not None and len(halts):
        todo.append(("halt_probability", lambda p: halt_probability(halts, p, ctx)))
    if buffer:
        todo.append(("buffer_needed", lambda p: buffer_plot(buffer, p, ctx)))
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
