"""Figures drawn from a run's tables only, so any saved run can be re-plotted.

Every time plot carries the run's policy events as numbered markers along its top edge,
keyed to a table beside the plot (no rotated labels). Shocks (embargo, controls, denial)
are bars in a strip above the data, not shading over it. A plot with nothing to show is
skipped and the reason recorded (`draw_all` returns it; `sim.save` puts it in meta).
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

from sim.kpis.nodes import episodes
from sim.kpis.supply import monthly_exports, partial_months

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import pandas as pd  # noqa: E402

from sim.domain.products import MAGNETS  # noqa: E402
from sim.outputs.plot_style import (  # noqa: E402
    HALT,
    Skip,
    new_figure,
    save_figure,
    side_legend,
    thousands_axis,
)


# --------------------------------------------------------------------------- plots
def inventory(tables: dict, path: Path, title: str) -> None:
    """Each automaker's days of magnet cover in its own panel (zero-based), its target
    cover dashed, every halt episode shaded red and counted; a plant behind tier-1s shows
    its component cover, with each of its tier-1s' own magnet cover dotted and named."""
    agents = tables["agents"]
    auto = agents[agents["kind"] == "automaker"]
    if auto.empty:
        raise Skip("no automakers in this world")
    nodes = (tables.get("meta") or {}).get("nodes", {})
    names = sorted(auto["agent"].unique())
    tiers = {n: sorted({t for ts in (nodes.get(n, {}).get("tier1s") or {}).values()
                        for t in ts}) for n in names}
    tier_rows = agents[agents["agent"].isin({t for ts in tiers.values() for t in ts})]
    sub = ("automakers' magnet cover (days of the scarcest magnet); red = output lost"
           if tier_rows.empty else "plants' component cover (solid) and their tier-1s' "
           "magnet cover (dotted); red = output lost")
    fig, strip, panels, rows, start, end = new_figure(
        tables, 2.0 + 1.35 * len(names), [1.0] * len(names), title, sub)
    top = max([float(auto["cover_days"].max())]
              + ([float(tier_rows["cover_days"].max())] if not tier_rows.empty else []))
    ymax = max(top * 1.35, 1.0)  # headroom for the notes
    for ax, name, color in zip(panels, names, plt.cm.tab10.colors, strict=False):
        g = auto[auto["agent"] == name].sort_values("date")
        labels = []  # (y at the right edge, text, font size): spread apart below
        for t in tiers[name]:
            tg = tier_rows[tier_rows["agent"] == t].sort_values("date")
            ax.plot(tg["date"], tg["cover_days"], lw=0.9, ls=":", color=color, alpha=0.75)
            labels.append((float(tg["cover_days"].iloc[-1]), t, 6.5))
        ax.plot(g["date"], g["cover_days"], lw=1.2, color=color)
        target = nodes.get(name, {}).get("target_cover_days")
        if target:
            ax.axhline(target, color=color, lw=0.9, ls="--", alpha=0.8)
            labels.append((float(target), f"target {target:g} d", 7))
        y_prev = -math.inf
        for y, text, size in sorted(labels):  # at least 11% of the axis apart
            y_prev = max(y, y_prev + 0.11 * ymax)
            ax.annotate(text, (1.0, y_prev), xycoords=("axes fraction", "data"),
                        xytext=(3, 0), textcoords="offset points", fontsize=size,
                        va="center", color=color)
        eps = episodes(g["date"], g["lost"])
        for e in eps:
            ax.axvspan(pd.Timestamp(e["start"]), pd.Timestamp(e["end"]) + pd.Timedelta(days=1),
                       color=HALT, alpha=0.28, lw=0)
        lost = float(g["lost"].sum())
        note = (f"{sum(e['days'] for e in eps)} halt days in {len(eps)} episodes, "
                f"{lost:,.0f} vehicles lost, first {eps[0]['start']}" if eps else "no halt")
        ax.set_ylim(0, ymax)
        ax.text(0.005, 0.93, name, transform=ax.transAxes, fontsize=9, weight="bold",
                va="top", color=color)
        ax.text(0.995, 0.93, note, transform=ax.transAxes, fontsize=8, va="top", ha="right",
                color=HALT if eps else "0.3")
        ax.yaxis.set_major_locator(mticker.MaxNLocator(3, integer=True))
    panels[len(panels) // 2].set_ylabel("days of magnet cover")
    save_figure(fig, path)


def exports(tables: dict, path: Path, title: str) -> None:
    """Monthly Chinese magnet exports by destination (stacked; `monthly_exports`)."""
    m = monthly_exports(tables)
    if m.empty:
        raise Skip("no Chinese magnet exports cleared customs in the run")
    fig, strip, (ax,), rows, start, end = new_figure(
        tables, 6.5, [1.0], title, "Chinese magnet exports by destination (t per month, "
        "dated at customs clearance)", legend_lines=3)
    # step "post" draws each month from its first day to the next point: a last point the
    # day after the run ends gives the last month its width (else it is not drawn at all)
    steps = pd.concat([m, m.iloc[[-1]].set_axis([end + pd.Timedelta(days=1)])])
    ax.stackplot(steps.index, steps.T.values, labels=m.columns, step="post", alpha=0.85)
    ax.set_ylabel("t exported per month")
    ax.set_ylim(bottom=0)
    _mark_partial_months(ax, m, start, end)
    thousands_axis(ax)
    side_legend(fig, ax, "destination (largest first)", ncol=3)
    save_figure(fig, path)


def _mark_partial_months(ax, m: pd.DataFrame, start, end) -> None:
    """Say so over a first or last month the run covers only in part (`partial_months`)."""
    top = m.sum(axis=1)
    for month, (days, of) in partial_months(m.index, start, end).items():
        ax.annotate(f"run covers\n{days} of {of} days", (month, top[month]),
                    xytext=(1, 3), textcoords="offset points", fontsize=7,
                    color="0.25", va="bottom")


def _flat(d: pd.DataFrame, cols: list[str]) -> bool:
    """Every column within 0.5% of its first value all run."""
    return all(d[c].max() - d[c].min() <= 0.005 * abs(d[c].iloc[0]) for c in cols)


def prices(tables: dict, path: Path, title: str) -> None:
    """Magnet prices outside China in USD/kg on a linear axis from zero (skipped when every
    one stays flat; ratios and raw materials are in ``prices_cn.png``)."""
    d = tables["daily"]
    mats = [m for m in MAGNETS if f"price_{m}_ex_cn" in d]
    if not mats:
        raise Skip("no magnet prices recorded")
    cols = [f"price_{m}_ex_cn" for m in mats]
    if _flat(d, cols):
        raise Skip("every magnet price outside China flat all run (" + ", ".join(
            f"{m} {d[c].iloc[0]:g}" for m, c in zip(mats, cols, strict=True)) + " USD/kg)")
    fig, strip, (ax,), rows, start, end = new_figure(
        tables, 6.5, [1.0], title, "magnet prices outside China (USD/kg, axis from zero)",
        legend_lines=len(mats) + 1)
    for m, c in zip(mats, cols, strict=True):
        ax.plot(d["date"], d[c], lw=1.5, label=f"{m} (first day {d[c].iloc[0]:,.0f}, peak "
                f"{d[c].max():,.0f} USD/kg)")
    ax.set_ylim(0, float(d[cols].max().max()) * 1.08)
    ax.set_ylabel("USD/kg (outside China)")
    thousands_axis(ax)
    side_legend(fig, ax, "magnet grade")
    save_figure(fig, path)


def prices_cn(tables: dict, path: Path, title: str) -> None:
    """Prices as multiples of their first day, inside China (dashed) and outside (solid):
    magnets (top), raw oxides (bottom; metals move with their oxides). A log axis, said on
    the axis, once any price has more than quadrupled."""
    d = tables["daily"]
    mats = [c[len("price_"):-len("_ex_cn")] for c in d.columns
            if c.startswith("price_") and c.endswith("_ex_cn")]
    if not mats:
        raise Skip("no prices recorded")
    cols = [c for c in d.columns if c.startswith("price_")]
    if _flat(d, cols):
        raise Skip("every price flat all run (" + ", ".join(
            f"{m} {d[f'price_{m}_ex_cn'].iloc[0]:g}" for m in mats) + " USD/kg)")
    groups = [[m for m in mats if m in MAGNETS],
              [m for m in mats if m not in MAGNETS and m.endswith(("_oxide", "_reo"))]]
    groups = [g for g in groups if g]
    fig, strip, panels, rows, start, end = new_figure(
        tables, 7.5 if len(groups) > 1 else 6.5, [1.0] * len(groups), title,
        "prices inside China (dashed) and outside (solid), as multiples of the first day",
        legend_lines=sum(map(len, groups)) + 2)
    colors = iter(plt.cm.tab10.colors)
    for ax, group, name in zip(panels, groups, ("magnets", "raw materials (oxides)"),
                               strict=False):
        top = 1.0
        for m in group:
            color = next(colors)
            for side, ls in (("ex_cn", "-"), ("cn", "--")):
                col = f"price_{m}_{side}"
                if col not in d:
                    continue
                r = d[col] / d[col].iloc[0]
                top = max(top, float(r.max()))
                p0 = d[col].iloc[0]
                ax.plot(d["date"], r, lw=1.5 if side == "ex_cn" else 1.2, ls=ls, color=color,
                        label=f"{m} ({p0:,.0f} USD/kg)" if side == "ex_cn" else None)
        ax.axhline(1.0, color="0.3", lw=0.8)
        log = top > 4
        if log:
            ax.set_yscale("log")
        else:
            ax.set_ylim(0, max(1.5, top * 1.1))
        ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}x"))
        ax.set_ylabel(f"{name}\nx first day" + (" (log axis)" if log else " (from 0)"),
                      fontsize=9)
    if "china_flooding" in d and d["china_flooding"].any():
        for ax in panels:
            ax.fill_between(d["date"], 0, 1, where=d["china_flooding"].astype(bool),
                            transform=ax.get_xaxis_transform(), color="tab:red",
                            alpha=0.08, label="China cuts prices" if ax is panels[0] else None)
    handles, labels = [], []
    for ax in panels:
        h, lab = ax.get_legend_handles_labels()
        handles += h
        labels += lab
    fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(fig._key_x, fig._key_bottom),
               fontsize=8, frameon=False, title="price outside China on the first day",
               title_fontsize=8, alignment="left")
    save_figure(fig, path)


def licences(tables: dict, path: Path, title: str) -> None:
    """The licence queue over time and the distribution of waits."""
    d, s = tables["daily"], tables["shipments"]
    cols = [c for c in d.columns if c.startswith("licence_queue_")]
    dec = s[s["licence"] == "individual"].dropna(subset=["applied_on", "decided_on"])
    if not len(dec) and not (d[cols].to_numpy() > 1e-9).any():
        raise Skip("no licence applications in the run")
    fig, strip, (a1, a2), rows, start, end = new_figure(
        tables, 9.0, [1.0], title, "tonnes waiting for a licence decision", free=[0.6],
        legend_lines=len(cols) + 1)
    for c in cols:
        if (d[c] > 1e-9).any():
            a1.plot(d["date"], d[c], label=c[len("licence_queue_"):-2])
    a1.set_ylim(bottom=0)
    a1.set_ylabel("t in the licence queue")
    thousands_axis(a1)
    side_legend(fig, a1, "material (those ever queued)")
    wait = (dec["decided_on"] - dec["applied_on"]).dt.days
    if len(wait):
        for outcome, g in dec.assign(wait=wait).groupby("decision"):
            a2.hist(g["wait"], bins=30, alpha=0.6, label=f"{outcome} ({len(g):,})")
        a2.axvline(wait.median(), color="black", ls="--", lw=1,
                   label=f"median {wait.median():.0f} days")
        a2.legend(fontsize=8, loc="upper right", frameon=False)
    else:
        a2.text(0.5, 0.5, "no individual licence decided", ha="center", fontsize=8,
                transform=a2.transAxes)
    a2.set_xlabel("days from application to decision (calendar days)")
    a2.set_ylabel("applications")
    a2.grid(alpha=0.3)
    save_figure(fig, path)


MINE_COLORS = {"planned": "lightgrey", "construction": "tab:brown", "rampup": "tab:olive",
               "operating": "tab:green", "restart": "tab:cyan",
               "care_and_maintenance": "tab:red"}


def mines(tables: dict, path: Path, title: str) -> None:
    """Non-Chinese mine capacity by lifecycle state (stacked, per mine when it changes)."""
    a = tables["agents"]
    m = a[a["kind"] == "mine"]
    if m.empty or "capacity_tpy" not in m:
        raise Skip("no non-Chinese mines")
    if m.groupby("agent")["status"].nunique().max() <= 1 and \
            m.groupby("agent")["capacity_tpy"].nunique().max() <= 1:
        desc = ", ".join(f"{n} {g['capacity_tpy'].iloc[0]:,.0f} t/yr {g['status'].iloc[0]}"
                         for n, g in m.groupby("agent"))
        raise Skip(f"mines unchanged all run ({desc})")
    fig, strip, (ax,), rows, start, end = new_figure(
        tables, 6.5, [1.0], title, "non-Chinese mine capacity by lifecycle state (t NdPr "
        "oxide/yr)")
    t = m.pivot_table(index="date", columns="status", values="capacity_tpy", aggfunc="sum",
                      fill_value=0.0)
    cols = [c for c in MINE_COLORS if c in t.columns]
    ax.stackplot(t.index, t[cols].T.values, labels=cols,
                 colors=[MINE_COLORS[c] for c in cols], step="post", alpha=0.85)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("t NdPr oxide per year")
    thousands_axis(ax)
    side_legend(fig, ax, "state")
    save_figure(fig, path)


def defense(tables: dict, path: Path, title: str) -> None:
    """Defence primes' cover (zero-based, readiness threshold and target marked) and, when
    there is one, the government stockpile."""
    a, d = tables["agents"], tables["daily"]
    primes = a[a["kind"] == "defense"]
    if primes.empty:
        raise Skip("no defence primes")
    gov = a[a["kind"] == "government"]
    stock_cols = [c for c in gov.columns if c.startswith("stock_") and gov[c].max() > 0]
    nodes = (tables.get("meta") or {}).get("nodes", {})
    fig, strip, panels, rows, start, end = new_figure(
        tables, 7.5 if stock_cols else 6.0, [1.0, 0.6] if stock_cols else [1.0], title,
        "defence primes' magnet cover" + (" and the government stockpile" if stock_cols
                                          else ""))
    a1 = panels[0]
    ready = None
    for name, g in primes.groupby("agent"):
        line, = a1.plot(g["date"], g["cover_days"], lw=1.5, label=name)
        info = nodes.get(name, {})
        ready = info.get("readiness_cover_days", ready)
        if info.get("target_cover_days"):
            a1.axhline(info["target_cover_days"], color=line.get_color(), ls="--", lw=0.9,
                       label=f"{name} target {info['target_cover_days']:g} d")
    if ready:
        a1.axhline(ready, color=HALT, lw=1.2, label=f"readiness threshold {ready:g} d")
    if "defense_ready" in d and (~d["defense_ready"].astype(bool)).any():
        a1.fill_between(d["date"], 0, 1, where=~d["defense_ready"].astype(bool),
                        transform=a1.get_xaxis_transform(), color=HALT, alpha=0.15,
                        label="not ready")
    a1.set_ylim(0, max(float(primes["cover_days"].max()), ready or 0) * 1.1)
    a1.set_ylabel("days of cover")
    side_legend(fig, a1)
    if stock_cols:
        a2 = panels[1]
        for c in stock_cols:
            a2.plot(gov["date"], gov[c], lw=1.5, label=c[len("stock_"):])
        a2.set_ylim(bottom=0)
        a2.set_ylabel("stockpile (t)")
        a2.legend(loc="lower left", bbox_to_anchor=(1.0, 0.0), fontsize=8, frameon=False)
    save_figure(fig, path)


PLOTS = {"inventory": inventory, "exports": exports, "prices": prices, "licences": licences,
         "prices_cn": prices_cn, "mines": mines, "defense": defense}


def draw_all(tables: dict, folder: Path, title: str) -> tuple[list[Path], dict[str, str]]:
    """Draw every plot into ``folder/plots``; return their paths (inventory first) and the
    plots skipped with the reason."""
    out = Path(folder) / "plots"
    out.mkdir(parents=True, exist_ok=True)
    paths, skipped = [], {}
    for name, fn in PLOTS.items():
        p = out / f"{name}.png"
        try:
            fn(tables, p, title)
            paths.append(p)
        except Skip as e:
            plt.close("all")
            p.unlink(missing_ok=True)
            skipped[name] = str(e)
    return paths, skipped
