"""Plots of runs against observations (the compare report) and of a calibration (its loss
history and its ensemble's spread). Each writes one PNG and returns its path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.cli.compose import safe_name
from sim.outputs.plot_style import date_axis, plt, save_figure, thousands_axis

WINDOW_COLOURS = {"train": "#d9ead3", "validation": "#fde5cc"}


def series_plot(name: str, observed: pd.Series, band: pd.DataFrame, windows: list,
                folder: Path, title: str, n_runs: int, unit: str = "",
                others: dict[str, pd.Series] | None = None, period: str = "month") -> Path:
    """Observations as points, the runs' mean and 10-90% band, the training and validation
    windows shaded; ``others``: more mean lines (e.g. before calibration), dashed. Monthly
    values are drawn at mid-month, inside the month they count."""
    folder.mkdir(parents=True, exist_ok=True)
    mid = pd.Timedelta(days=14.5 if period == "month" else 0)
    observed = observed.set_axis(observed.index + mid)
    band = band.set_axis(band.index + mid)
    others = {k: s.set_axis(s.index + mid) for k, s in (others or {}).items()}
    fig, ax = plt.subplots(figsize=(11, 5.2))
    for w in windows:
        ax.axvspan(w.start, w.end + pd.Timedelta(days=1), color=WINDOW_COLOURS.get(
            w.name, "#eeeeee"), alpha=0.8, lw=0, zorder=0,
            label=f"{w.name} window {w.start:%b %Y}-{w.end:%b %Y}")
    x = band.index
    if n_runs > 1:
        ax.fill_between(x, band["p10"], band["p90"], color="tab:blue", alpha=0.2, lw=0,
                        label=f"model 10-90% ({n_runs} runs)", step=None)
    ax.plot(x, band["mean"], color="tab:blue", lw=2, marker=".",
            label=f"model mean ({n_runs} runs)" if n_runs > 1 else "model")
    for i, (label, s) in enumerate(others.items()):
        ax.plot(s.index, s.values, color=["0.45", "tab:purple", "tab:brown"][i % 3], lw=1.4,
                ls="--", label=label)
    ax.plot(observed.index, observed.values, "o", color="black", ms=6, zorder=5,
            label="observed")
    ax.set_ylim(bottom=0)
    ax.set_ylabel(f"{name} ({unit})" if unit else name)
    ax.grid(alpha=0.3)
    date_axis(ax)
    thousands_axis(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, fontsize=8.5,
              frameon=False)
    ax.set_title(f"{title}: {name}", fontsize=11, loc="left")
    fig.tight_layout()
    path = folder / f"{safe_name(name)}.png"
    save_figure(fig, path)
    return path


def loss_history_plot(trials: pd.DataFrame, tolerance: float, path: Path,
                      title: str, first_is_scenario: bool = False) -> Path:
    """Each trial's loss, the running best and the ensemble's threshold."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    t = trials.dropna(subset=["loss"]).sort_values("number")
    best = t["loss"].cummin()
    cut = best.iloc[-1] * (1 + tolerance)
    inside = t["loss"] <= cut
    ax.scatter(t["number"][~inside], t["loss"][~inside], s=14, color="0.6", label="trial")
    ax.scatter(t["number"][inside], t["loss"][inside], s=18, color="tab:green",
               label=f"in the ensemble ({int(inside.sum())})")
    ax.step(t["number"], best, where="post", color="tab:blue", lw=1.8, label="best so far")
    ax.axhline(cut, color="tab:green", ls="--", lw=1,
               label=f"best x (1 + {tolerance:g}): ensemble threshold")
    first = t[t["number"] == t["number"].min()]
    if len(first) and first_is_scenario:
        ax.scatter(first["number"], first["loss"], s=60, marker="*", color="tab:red",
                   zorder=5, label="before calibration (trial 0)")
    ax.set_xlabel("trial")
    ax.set_ylabel("loss (MAE of ratios, training window)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8.5, frameon=False)
    ax.set_title(title, fontsize=11, loc="left")
    fig.tight_layout()
    save_figure(fig, path)
    return path


def spread_plot(table: pd.DataFrame, params: list[str], bounds: dict[str, tuple],
                best: dict, path: Path, title: str) -> Path:
    """Each parameter's ensemble values within its search range (one row per parameter)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(len(params), 1, figsize=(10, 0.9 + 0.85 * len(params)),
                             squeeze=False)
    rng = np.random.default_rng(0)
    for ax, k in zip(axes[:, 0], params, strict=True):
        lo, hi = bounds[k]
        v = table[k].to_numpy(float)
        ax.scatter(v, rng.uniform(-0.25, 0.25, len(v)), s=16, color="tab:green", alpha=0.7)
        ax.axvline(best[k], color="tab:blue", lw=2)
        ax.set_xlim(lo, hi)
        ax.set_ylim(-0.6, 0.6)
        ax.set_yticks([])
        ax.set_ylabel(k, rotation=0, ha="right", va="center", fontsize=8.5)
        ax.grid(alpha=0.3, axis="x")
        ax.tick_params(axis="x", labelsize=8)
    axes[0, 0].set_title(f"{title}: ensemble members (green) and the best (blue line) within "
                         "each search range", fontsize=10, loc="left")
    fig.tight_layout()
    save_figure(fig, path)
    return path
