"""Comparison plots of a sweep, drawn from its summary and its jobs' saved tables only.

- ``kpis.png``: each KPI's distribution per variant (box + points)
- ``fan_charts.png``: buyers' magnet cover and cumulative lost vehicles over time, median
  and 10-90% band per variant (inventory depletion under uncertainty)
- ``heatmap_<kpi>.png``: a 2-D grid's mean KPI per cell
- ``paired_differences.png``: variant minus reference, mean and 95% CI
- ``sensitivity.png``: sensitivity indices per parameter and KPI
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

FAN_SERIES = {"buyer_cover_ndfeb_hre_days": "buyers' Dy/Tb NdFeB cover (days)",
              "buyer_cover_ndfeb_days": "buyers' NdFeB cover (days)",
              "lost_vehicles": "cumulative lost vehicles"}


def _groups(df: pd.DataFrame, variant: str | None):
    col = f"param.{variant}" if variant else None
    if col and col in df:
        return [(str(v), g) for v, g in df.groupby(df[col].astype(str), sort=True)]
    return [("all jobs", df)]


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def kpi_distributions(df, path: Path, kpis: list[str], variant: str | None) -> None:
    ok = df[df["status"] == "ok"]
    groups = _groups(ok, variant)
    n = len(kpis)
    fig, axes = plt.subplots(1, n, figsize=(3.2 * n + 1, 4.2), squeeze=False)
    for ax, k in zip(axes[0], kpis, strict=False):
        data = [g[f"kpi.{k}"].dropna().to_numpy(float) for _, g in groups]
        ax.boxplot(data, showfliers=False)
        for i, d in enumerate(data, 1):
            ax.scatter(np.full(len(d), i) + np.linspace(-0.12, 0.12, len(d)), d, s=9,
                       alpha=0.6, color="tab:blue", zorder=3)
        ax.set_xticks(range(1, len(groups) + 1), [v for v, _ in groups], rotation=30,
                      ha="right", fontsize=8)
        ax.set_title(k, fontsize=9)
        ax.grid(alpha=0.3)
    fig.suptitle(f"KPIs per {variant or 'sweep'} ({len(ok)} ok jobs)")
    _save(fig, path)


def _series(folder: str, cols: list[str]) -> pd.DataFrame | None:
    f = Path(folder) / "daily.parquet"
    if not f.exists():
        return None
    d = pd.read_parquet(f, columns=["date", *cols]).set_index("date")
    if "lost_vehicles" in d:
        d["lost_vehicles"] = d["lost_vehicles"].cumsum()
    return d


def fan_charts(df, path: Path, variant: str | None) -> None:
    ok = df[df["status"] == "ok"]
    groups = _groups(ok, variant)
    cols = list(FAN_SERIES)
    fig, axes = plt.subplots(len(cols), 1, figsize=(11, 3.3 * len(cols)), sharex=True)
    for (name, g), color in zip(groups, plt.cm.tab10.colors, strict=False):
        runs = [s for s in (_series(f, cols) for f in g["folder"]) if s is not None]
        if not runs:
            continue
        for ax, c in zip(axes, cols, strict=False):
            m = pd.concat([r[c] for r in runs], axis=1)
            q = m.quantile([0.1, 0.5, 0.9], axis=1).T
            ax.fill_between(q.index, q[0.1], q[0.9], color=color, alpha=0.2, lw=0)
            ax.plot(q.index, q[0.5], color=color, lw=1.5, label=f"{name} (n={len(runs)})")
    for ax, c in zip(axes, cols, strict=False):
        ax.set_ylabel(FAN_SERIES[c], fontsize=9)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8, loc="best")
    axes[0].set_title("median and 10-90% band across jobs")
    _save(fig, path)


def heatmap(df, path: Path, kpi: str, x: str, y: str) -> None:
    ok = df[df["status"] == "ok"]
    t = ok.pivot_table(index=f"param.{y}", columns=f"param.{x}", values=f"kpi.{kpi}",
                       aggfunc="mean").sort_index(ascending=False)
    fig, ax = plt.subplots(figsize=(1.3 * t.shape[1] + 3, 0.8 * t.shape[0] + 2))
    im = ax.imshow(t.to_numpy(float), cmap="magma_r", aspect="auto")
    ax.set_xticks(range(t.shape[1]), t.columns)
    ax.set_yticks(range(t.shape[0]), t.index)
    for (i, j), v in np.ndenumerate(t.to_numpy(float)):
        if not np.isnan(v):
            ax.text(j, i, f"{v:.3g}", ha="center", va="center", fontsize=8, color="grey")
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    fig.colorbar(im, ax=ax, label=kpi)
    ax.set_title(f"{kpi} (mean over seeds)")
    _save(fig, path)


def paired(comp: pd.DataFrame, path: Path) -> None:
    kpis = list(dict.fromkeys(comp["kpi"]))
    fig, axes = plt.subplots(1, len(kpis), figsize=(3.2 * len(kpis) + 1, 4), squeeze=False)
    for ax, k in zip(axes[0], kpis, strict=False):
        c = comp[comp["kpi"] == k].reset_index(drop=True)
        err = np.vstack([c["mean_diff"] - c["ci95_low"], c["ci95_high"] - c["mean_diff"]])
        ax.errorbar(c.index, c["mean_diff"], yerr=np.nan_to_num(err), fmt="o", capsize=4)
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xticks(c.index, c["variant"], rotation=30, ha="right", fontsize=8)
        ax.set_title(k, fontsize=9)
        ax.grid(alpha=0.3)
    ref = comp["reference"].iloc[0]
    fig.suptitle(f"paired differences vs {ref} (same seeds), mean and 95% CI")
    _save(fig, path)


def sensitivity_bars(sens: pd.DataFrame, path: Path) -> None:
    idx = "ST" if "ST" in sens else "mu_star"
    conf = f"{idx}_conf"
    kpis = list(dict.fromkeys(sens["kpi"]))
    fig, axes = plt.subplots(1, len(kpis), figsize=(4 * len(kpis) + 1, 4), squeeze=False)
    for ax, k in zip(axes[0], kpis, strict=False):
        s = sens[sens["kpi"] == k].sort_values(idx)
        ax.barh(s["parameter"], s[idx], xerr=s[conf] if conf in s else None, color="tab:blue")
        ax.set_title(k, fontsize=9)
        ax.set_xlabel(idx)
        ax.tick_params(axis="y", labelsize=8)
        ax.grid(alpha=0.3, axis="x")
    fig.suptitle(f"sensitivity ({sens['method'].iloc[0]}: {idx})")
    _save(fig, path)


def draw_all(df, folder: Path, kpis: list[str], variant=None, grid=None,
             comparison: pd.DataFrame | None = None,
             sensitivity: pd.DataFrame | None = None,
             halts: pd.DataFrame | None = None) -> None:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if not (df["status"] == "ok").any():
        return
    if kpis:
        kpi_distributions(df, folder / "kpis.png", kpis, variant)
    fan_charts(df, folder / "fan_charts.png", variant)
    if grid and len(grid) == 2 and all(f"param.{g}" in df for g in grid):
        for k in kpis:
            heatmap(df, folder / f"heatmap_{k}.png", k, grid[0], grid[1])
    if comparison is not None and len(comparison):
        paired(comparison, folder / "paired_differences.png")
    if sensitivity is not None and len(sensitivity):
        sensitivity_bars(sensitivity, folder / "sensitivity.png")
