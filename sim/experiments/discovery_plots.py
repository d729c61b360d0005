"""The plots of a scenario discovery (`sim.experiments.discovery`):

- ``prim_tradeoff.png``: each box's peeling trajectory, coverage against density, coloured by
  the number of restricted inputs, the kept box ringed and the runs' base rate marked;
- ``prim_box.png``: each box's range of every input within its sampled range (restricted
  inputs in colour with their limits and quasi-p values), beside the runs over the first
  box's two most restricted inputs, cases of interest in red, the box drawn.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

from sim.experiments.plots import param_label

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

BOX_COLORS = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b")
CASE = "#d62728"
EVENT_FIELDS = {"days": "length (days)", "day": "start day", "date": "start date",
                "destinations": "destinations", "prob": "approval probability",
                "tonnes_per_year": "quota (t/yr)", "rate": "rate", "usd_per_kg": "USD/kg"}


def label_for(key: str, events: list) -> str:
    """An input's name for a reader: ``events.0.days`` -> ``embargo length (days)`` (the
    event's kind from the sweep's scenario), else the parameter's name and unit."""
    m = re.fullmatch(r"events\.(\d+)\.(\w+)", key)
    if m and int(m[1]) < len(events) and isinstance(events[int(m[1])], dict):
        kind = events[int(m[1])].get("set", f"event {m[1]}")
        return f"{kind} {EVENT_FIELDS.get(m[2], m[2])}"
    text = param_label(key).replace(" (1)", "")
    section = key.split(".")[0]
    return text if section in ("world", "events") or "." not in key else f"{section} {text}"


def _case_text(found) -> str:
    s = found.spec
    v = f"{s.threshold:.0%}" if "share" in s.kpi and 0 < s.threshold < 1 else f"{s.threshold:g}"
    return f"{s.kpi} {'>' if s.direction == 'above' else '<'} {v}"


def _fmt(v: float) -> str:
    a = abs(v)
    return f"{v:,.0f}" if a >= 100 else f"{v:.0f}" if float(v).is_integer() else \
        f"{v:.2g}" if a < 1 else f"{v:.3g}"


def tradeoff_plot(found, path: Path) -> None:
    """Coverage against density along each box's peeling trajectory."""
    n = len(found.boxes)
    fig, axes = plt.subplots(1, n, figsize=(5.2 * n + 1.2, 4.8), squeeze=False)
    top = max(int(b.trajectory["res_dim"].max()) for b in found.boxes)
    cmap = plt.get_cmap("viridis", top + 1)
    for ax, b in zip(axes[0], found.boxes, strict=True):
        t = b.trajectory
        ax.plot(t["coverage"], t["density"], color="0.75", lw=0.8, zorder=1)
        sc = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap=cmap, vmin=-0.5,
                        vmax=top + 0.5, s=22, zorder=2, edgecolor="none")
        k = t.loc[b.chosen]
        ax.scatter([k["coverage"]], [k["density"]], s=160, facecolor="none",
                   edgecolor="black", lw=1.5, zorder=3, label=f"chosen step: coverage "
                   f"{k['coverage']:.2f}, density {k['density']:.2f}")
        if int(k["res_dim"]) != len(b.restricted):  # restrictions chance explains dropped
            ax.scatter([b.coverage], [b.density], marker="*", s=150, color="black", zorder=4,
                       label=f"after dropping {int(k['res_dim']) - len(b.restricted)} "
                       f"restrictions chance explains: {b.coverage:.2f}, {b.density:.2f}")
        ax.legend(loc="best", fontsize=8, framealpha=0.9,
                  title=f"box {b.number}: {len(b.restricted)} inputs restricted",
                  title_fontsize=8)
        base = float(t["density"].iloc[0])  # the runs PRIM started this box from
        ax.axhline(base, color=CASE, lw=0.9, ls="--")
        ax.text(0.02, base - 0.01, f"{'all runs' if b.number == 1 else 'runs left'}: "
                f"{base:.0%} are cases", color=CASE, fontsize=8, va="top",
                transform=ax.get_yaxis_transform())
        ax.set_xlim(0, 1.04)
        ax.set_ylim(0, 1.06)
        ax.set_xlabel("coverage (share of the cases inside the box)")
        ax.set_ylabel("density (share of the box's runs that are cases)")
        ax.set_title(f"box {b.number}: peeling from {'all runs' if b.number == 1 else 'the runs '
                     'left'} (right) inward (left)", fontsize=9)
        ax.grid(alpha=0.3)
    cb = fig.colorbar(sc, ax=axes[0].tolist(), ticks=range(top + 1), fraction=0.04, pad=0.02)
    cb.set_label("inputs restricted")
    fig.suptitle(f"PRIM peeling trade-off: runs with {_case_text(found)} "
                 f"({int(found.y.sum())} of {len(found.y)})", fontsize=11)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def _norm(v: float, full: tuple) -> float:
    lo, hi = full
    return 0.5 if hi == lo else (v - lo) / (hi - lo)


def _order(found) -> list[str]:
    """Inputs, the first box's restricted ones first (narrowest first), then the rest."""
    b = found.boxes[0]
    width = {c: _norm(b.limits[c][1], found.full[c]) - _norm(b.limits[c][0], found.full[c])
             for c in b.restricted if not isinstance(found.full[c], (set, frozenset))}
    first = sorted(b.restricted, key=lambda c: width.get(c, 0.5))
    return first + [c for c in found.x.columns if c not in first]


def _limits_panel(ax, found, names: list[str]) -> None:
    nb = len(found.boxes)
    h = 0.7 / nb
    for i, c in enumerate(names):
        y0 = len(names) - 1 - i
        ax.add_patch(Rectangle((0, y0 - 0.4), 1, 0.8, color="0.93", lw=0))
        full = found.full[c]
        cat = isinstance(full, (set, frozenset))
        if not cat:
            ax.text(0, y0 - 0.47, _fmt(full[0]), fontsize=7, color="0.45", ha="left",
                    va="top")
            ax.text(1, y0 - 0.47, _fmt(full[1]), fontsize=7, color="0.45", ha="right",
                    va="top")
        for j, b in enumerate(found.boxes):
            yb = y0 + 0.35 - (j + 0.5) * h
            color = BOX_COLORS[j % len(BOX_COLORS)]
            if c not in b.restricted:
                ax.plot([0, 1], [yb, yb], color=color, lw=1, alpha=0.35, ls=":")
                continue
            if cat:
                ax.text(0.5, yb, "{" + ", ".join(sorted(map(str, b.limits[c]))) + "}",
                        ha="center", va="center", fontsize=8, color=color)
                continue
            lo, hi = (_norm(v, full) for v in b.limits[c])
            ax.add_patch(Rectangle((lo, yb - h * 0.4), hi - lo, h * 0.8, color=color,
                                   alpha=0.85, lw=0))
            qlo, qhi = b.qp[c]
            if qlo >= 0:  # a restricted side: its limit and quasi-p value
                ax.text(lo - 0.01, yb, f"{_fmt(b.limits[c][0])}", ha="right", va="center",
                        fontsize=8, color=color)
            ax.text(hi + 0.01, yb, (_fmt(b.limits[c][1]) if qhi >= 0 else "") +
                    f"  (quasi-p {max(qlo, qhi):.0e})", ha="left", va="center",
                    fontsize=8, color=color)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels([found.labels.get(c, c) for c in reversed(names)], fontsize=9)
    ax.set_xlim(-0.22, 1.45)
    ax.set_ylim(-0.75, len(names) - 0.4)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    handles = [Rectangle((0, 0), 1, 1, color=BOX_COLORS[j % len(BOX_COLORS)])
               for j in range(nb)]
    ax.legend(handles, [f"box {b.number}: coverage {b.coverage:.2f}, density {b.density:.2f}"
                        f" ({b.runs} runs)" for b in found.boxes],
              loc="upper center", bbox_to_anchor=(0.5, -0.02), fontsize=8, frameon=False)
    ax.set_title("each input's range in the box (grey: the range sampled; dotted: not "
                 "restricted)", fontsize=9)


def _scatter_panel(ax, found, names: list[str]) -> None:
    num = [c for c in names if not isinstance(found.full[c], (set, frozenset))]
    if len(num) < 2:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "fewer than two numeric inputs", ha="center", transform=ax.transAxes)
        return
    cx, cy = num[0], num[1]
    x, y, case = found.x[cx].to_numpy(float), found.x[cy].to_numpy(float), found.y
    ax.scatter(x[~case], y[~case], s=14, color="0.6", alpha=0.7, lw=0,
               label=f"other runs ({int((~case).sum())})")
    ax.scatter(x[case], y[case], s=16, color=CASE, alpha=0.85, lw=0,
               label=f"{_case_text(found)} ({int(case.sum())})")
    for j, b in enumerate(found.boxes):
        lims = [b.limits[c] if c in b.restricted else found.full[c] for c in (cx, cy)]
        ax.add_patch(Rectangle((lims[0][0], lims[1][0]), lims[0][1] - lims[0][0],
                               lims[1][1] - lims[1][0], fill=False, lw=1.6, ls="--",
                               color=BOX_COLORS[j % len(BOX_COLORS)],
                               label=f"box {b.number}"))
    ax.set_xlabel(found.labels.get(cx, cx))
    ax.set_ylabel(found.labels.get(cy, cy))
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2,
              frameon=False)
    ax.set_title("the runs over the box's two most restricted inputs", fontsize=9)
    ax.grid(alpha=0.3)


def box_plot(found, path: Path) -> None:
    """Each box's ranges (left) beside the runs in its two most restricted inputs."""
    names = _order(found)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, max(4.8, 1.6 + 0.75 * len(names))),
                                 gridspec_kw={"width_ratios": [1.35, 1]})
    _limits_panel(a1, found, names)
    _scatter_panel(a2, found, names)
    fig.suptitle(f"PRIM boxes: where the runs with {_case_text(found)} are "
                 f"({int(found.y.sum())} of {len(found.y)} runs)", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
