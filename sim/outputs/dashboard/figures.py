"""The dashboard's figures and tables, drawn live from a run's tables beside its baseline
(same seed): the variant in colour, the baseline grey or dashed, so what a lever did is
the gap between them. Figures are `matplotlib.figure.Figure` objects (no pyplot state, so
several sessions can draw at once) rendered to PNG bytes in memory (`png`).

- `inventory`: each plant's days of magnet cover, halts shaded (variant red, baseline grey);
- `exports`: Chinese magnet exports per month by destination;
- `prices`: magnet prices outside China and inside;
- `licences`: tonnes waiting for a licence decision, by magnet;
- `kpi_rows` and `plant_rows`: the headline numbers and the per-plant table.
"""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.ticker  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from sim.domain.products import MAGNETS  # noqa: E402
from sim.kpis.nodes import episodes  # noqa: E402
from sim.kpis.supply import monthly_exports, partial_months  # noqa: E402

HALT = "#d62728"
BASE = "0.55"
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def png(fig: Figure, dpi: int = 80) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _dates(ax) -> None:
    loc = mdates.AutoDateLocator(maxticks=7)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    ax.grid(alpha=0.25)


def _legend_pair(ax, baseline: bool) -> None:
    if baseline:
        ax.plot([], [], color="0.2", lw=1.6, label="this run")
        ax.plot([], [], color="0.2", lw=1.1, ls="--", label="baseline (same seed)")


def _note(fig: Figure, text: str) -> Figure:
    fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=11, color="0.35")
    return fig


def inventory(var: dict, base: dict | None) -> Figure:
    """Each plant's days of magnet cover; halts shaded: this run red, baseline grey."""
    agents = var.get("agents")
    if agents is None or agents.empty or (agents["kind"] == "automaker").sum() == 0:
        return _note(Figure(figsize=(10, 2)), "no plant series in this run (a sweep job "
                     "that kept only its summary)")
    auto = agents[agents["kind"] == "automaker"]
    names = sorted(auto["agent"].unique())
    b_auto = None if base is None else base["agents"][base["agents"]["kind"] == "automaker"]
    fig = Figure(figsize=(10, 1.25 + 1.2 * len(names)))
    axes = fig.subplots(len(names), 1, sharex=True, squeeze=False)[:, 0]
    top = max(float(auto["cover_days"].max()),
              float(b_auto["cover_days"].max()) if b_auto is not None else 0.0, 1.0)
    for ax, name, color in zip(axes, names, COLORS * 3, strict=False):
        g = auto[auto["agent"] == name].sort_values("date")
        eps = episodes(g["date"], g["lost"])
        note = f"{sum(e['days'] for e in eps)} halt days, {g['lost'].sum():,.0f} vehicles lost"
        if b_auto is not None:
            bg = b_auto[b_auto["agent"] == name].sort_values("date")
            for e in episodes(bg["date"], bg["lost"]):
                ax.axvspan(pd.Timestamp(e["start"]), pd.Timestamp(e["end"]) +
                           pd.Timedelta(days=1), ymin=0, ymax=0.12, color=BASE, alpha=0.6,
                           lw=0)
            ax.plot(bg["date"], bg["cover_days"], color=BASE, lw=1.0, ls="--")
            b_days = sum(e["days"] for e in episodes(bg["date"], bg["lost"]))
            note += f" (baseline {b_days} d, {bg['lost'].sum():,.0f})"
        for e in eps:
            ax.axvspan(pd.Timestamp(e["start"]), pd.Timestamp(e["end"]) + pd.Timedelta(days=1),
                       color=HALT, alpha=0.25, lw=0)
        ax.plot(g["date"], g["cover_days"], color=color, lw=1.5)
        ax.set_ylim(0, top * 1.3)
        ax.text(0.005, 0.9, name, transform=ax.transAxes, fontsize=9, weight="bold",
                color=color, va="top")
        ax.text(0.995, 0.9, note, transform=ax.transAxes, fontsize=8, va="top", ha="right",
                color=HALT if eps else "0.3")
        ax.set_yticks([0, round(top / 2), round(top)])
        _dates(ax)
    axes[len(axes) // 2].set_ylabel("days of magnet cover")
    fig.suptitle("Plants' magnet cover: red = this run's halts"
                 + ("; dashed line and grey strip = the baseline's" if base else ""),
                 fontsize=10, x=0.01, ha="left")
    fig.subplots_adjust(left=0.07, right=0.99, top=1 - 0.5 / fig.get_figheight(),
                        bottom=0.3 / fig.get_figheight() + 0.02, hspace=0.12)
    return fig


def _monthly_exports(out: dict) -> pd.DataFrame:
    s = out.get("shipments")
    if s is None or s.empty:
        return pd.DataFrame()
    return monthly_exports(out)


def exports(var: dict, base: dict | None) -> Figure:
    """Chinese magnet exports per month, one panel per destination (the largest five and
    the rest): this run solid, the baseline dashed."""
    m = _monthly_exports(var)
    if m.empty:
        return _note(Figure(figsize=(10, 2)), "no Chinese magnet exports in this run "
                     "(or no shipments table saved)")
    b = _monthly_exports(base) if base is not None else pd.DataFrame()
    order = list(m.sum().sort_values(ascending=False).index)
    groups = [[c] for c in order[:5]] + ([order[5:]] if len(order) > 5 else [])
    dates = var["daily"]["date"]
    part = partial_months(m.index, dates.min(), dates.max())
    fig = Figure(figsize=(10, 4.2))
    axes = fig.subplots(2, 3, sharex=True, squeeze=False).ravel()
    for ax, cols, color in zip(axes, groups, COLORS, strict=False):
        name = cols[0] if len(cols) == 1 else f"other ({len(cols)})"
        y = m[[c for c in cols if c in m]].sum(axis=1)
        ax.plot(y.index, y.values, color=color, lw=1.6, marker="o", ms=2.5)
        if part:  # a month the run covers in part: a hollow marker (its total is low)
            ax.plot(list(part), y[list(part)].values, ls="none", marker="o", ms=6,
                    mfc="white", mec=color, mew=1.4)
        title = f"{name}: {y.sum():,.0f} t"
        if not b.empty:
            yb = b[[c for c in cols if c in b]].sum(axis=1)
            ax.plot(yb.index, yb.values, color=color, lw=1.0, ls="--")
            title += f" (baseline {yb.sum():,.0f})"
        ax.set_title(title, fontsize=9, loc="left", color=color)
        ax.set_ylim(bottom=0)
        _dates(ax)
        ax.tick_params(labelsize=8)
    for ax in axes[len(groups):]:
        ax.set_visible(False)
    axes[0].set_ylabel("t per month")
    axes[3].set_ylabel("t per month")
    fig.suptitle("Chinese magnet exports by destination (t per month"
                 + ("; dashed: the baseline" if not b.empty else "")
                 + ("; hollow: " + ", ".join(f"{k:%b %Y} has {d} of {n} days in the run"
                                            for k, (d, n) in sorted(part.items()))
                    if part else "") + ")", fontsize=10, x=0.01, ha="left")
    fig.subplots_adjust(left=0.07, right=0.99, top=0.86, bottom=0.08, hspace=0.45,
                        wspace=0.18)
    return fig


def prices(var: dict, base: dict | None) -> Figure:
    """Magnet prices outside China (left) and inside (right), USD/kg."""
    d = var["daily"]
    mats = [m for m in MAGNETS if f"price_{m}_ex_cn" in d]
    if not mats:
        return _note(Figure(figsize=(10, 2)), "no prices in this run's tables")
    fig = Figure(figsize=(10, 3.4))
    axes = fig.subplots(1, 2)
    for ax, side, what in zip(axes, ("ex_cn", "cn"), ("outside China", "inside China"),
                              strict=True):
        for m, color in zip(mats, COLORS, strict=False):
            col = f"price_{m}_{side}"
            if col not in d:
                continue
            ax.plot(d["date"], d[col], color=color, lw=1.6, label=m)
            if base is not None and col in base["daily"]:
                ax.plot(base["daily"]["date"], base["daily"][col], color=color, lw=1.0,
                        ls="--")
        ax.set_title(f"magnet prices {what}", fontsize=10, loc="left")
        ax.set_ylim(bottom=0)
        _dates(ax)
    axes[0].set_ylabel("USD/kg")
    axes[1].set_ylabel("USD/kg")
    _legend_pair(axes[1], base is not None)
    axes[1].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    fig.subplots_adjust(left=0.07, right=0.82, top=0.9, bottom=0.1, wspace=0.22)
    return fig


def licences(var: dict, base: dict | None) -> Figure:
    """Tonnes waiting for a licence decision, by magnet."""
    d = var["daily"]
    cols = [f"licence_queue_{m}_t" for m in MAGNETS if f"licence_queue_{m}_t" in d]
    busy = [c for c in cols if (d[c] > 1e-9).any() or (
        base is not None and c in base["daily"] and (base["daily"][c] > 1e-9).any())]
    if not busy:
        return _note(Figure(figsize=(10, 1.6)), "no magnet waited for a licence in this run "
                     "or its baseline (no controls in force)")
    fig = Figure(figsize=(10, 3.2))
    ax = fig.subplots()
    for c, color in zip(busy, COLORS, strict=False):
        ax.plot(d["date"], d[c], color=color, lw=1.6, label=c[len("licence_queue_"):-2])
        if base is not None and c in base["daily"]:
            ax.plot(base["daily"]["date"], base["daily"][c], color=color, lw=1.0, ls="--")
    _legend_pair(ax, base is not None)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("t waiting")
    ax.set_title("The licence queue: tonnes waiting for a decision", fontsize=10, loc="left")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    _dates(ax)
    fig.subplots_adjust(left=0.09, right=0.82, top=0.9, bottom=0.1)
    return fig


# --------------------------------------------------------------------------- tables
KPIS = (("lost_vehicles", "lost vehicles", "{:,.0f}"),
        ("lost_vehicle_share", "lost share of plan", "{:.2%}"),
        ("plants_halted", "plants halted", "{:.0f}"),
        ("lost_revenue_usd", "lost revenue (USD bn)", "bn"),
        ("extra_magnet_spend_usd", "extra magnet spend (USD bn)", "bn"),
        ("licence_wait_days_p50", "licence wait p50 (days)", "{:.0f}"),
        ("exports_t_per_month", "Chinese exports (t/month)", "{:,.0f}"),
        ("defense_days_not_ready", "defence days not ready", "{:.0f}"))


def _fmt(v, f: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return f"{v / 1e9:,.2f}" if f == "bn" else f.format(v)


def _diff(a, b, f: str) -> str:
    if a is None or b is None or any(isinstance(x, float) and math.isnan(x) for x in (a, b)):
        return ""
    d = a - b
    if abs(d) < 1e-12:
        return "="
    text = f"{d / 1e9:+,.2f}" if f == "bn" else (
        f"{d * 100:+.2f} pt" if f.endswith("%}") else f.replace("{:", "{:+").format(d))
    return text


def kpi_rows(var: dict, base: dict | None) -> list[dict]:
    """The headline numbers: this run, the baseline and the difference."""
    out = []
    for key, label, f in KPIS:
        a = var.get("kpis", {}).get(key)
        if base is None:
            out.append({"kpi": label, "value": _fmt(a, f)})
            continue
        b = base.get("kpis", {}).get(key)
        out.append({"kpi": label, "this run": _fmt(a, f), "baseline": _fmt(b, f),
                    "difference": _diff(a, b, f)})
    return out


PLANT_COLS = (("halt_days", "halt days", "{:.0f}"), ("n_halts", "halts", "{:.0f}"),
              ("lost_vehicles", "lost vehicles", "{:,.0f}"),
              ("lost_revenue_usd", "lost revenue (USD bn)", "bn"),
              ("buffer_needed_days", "buffer needed (days)", "{:.0f}"))


def plant_rows(var: dict, base: dict | None) -> list[dict]:
    """Per plant: halt days, halts, lost vehicles, money and the buffer that would have
    carried it, this run and (in brackets) the baseline."""
    p = var.get("plants")
    if p is None or p.empty:
        return []
    p = p[p["kind"] == "automaker"].set_index("node")
    b = None
    if base is not None and base.get("plants") is not None:
        b = base["plants"][base["plants"]["kind"] == "automaker"].set_index("node")
    rows = []
    for node, r in p.iterrows():
        first = r.get("first_halt")
        row = {"plant": node, "first halt": first if isinstance(first, str) else "-"}
        for col, label, f in PLANT_COLS:
            a = r.get(col)
            a = 0.0 if a is None or (isinstance(a, float) and math.isnan(a)) else a
            text = _fmt(a, f)
            if b is not None and node in b.index:
                bv = b.at[node, col]
                bv = 0.0 if bv is None or (isinstance(bv, float) and math.isnan(bv)) else bv
                text += f" ({_fmt(bv, f)})"
            row[label] = text
        rows.append(row)
    return rows
