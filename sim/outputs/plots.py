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

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import pandas as pd  # noqa: E402

from sim.domain.products import MAGNETS  # noqa: E402

SHOCKS = {"embargo": "tab:red", "controls": "tab:orange", "deny": "tab:brown",
          "quota": "tab:purple"}
HALT = "#d62728"
KEY_WIDTH = 0.24  # share of the figure's width for the event key


class Skip(Exception):
    """A plot with nothing to show: the message says why."""


# --------------------------------------------------------------------------- events
def event_rows(tables: dict) -> list[dict]:
    """Policy events applied (events table, fired; government levers are events too),
    numbered by date: [{n, date, end, kind, label}]."""
    ev = tables.get("events")
    rows = []
    if ev is not None and len(ev):
        for _, e in ev[ev["fired"].astype(bool)].iterrows():
            rows.append({"date": e["date"], "end": e["end"] if pd.notna(e["end"]) else None,
                         "kind": e["kind"], "label": str(e["label"]),
                         "what": f"{e['materials']} to {e['destinations']}"})
    rows.sort(key=lambda r: r["date"])
    for i, r in enumerate(rows, 1):
        r["n"] = i
    return rows


def _markers(ax, rows: list[dict], start, end) -> None:
    """Numbered circles on the top edge of ``ax`` and faint dotted lines at event dates."""
    tr = ax.get_xaxis_transform()
    last_x, level = None, 0
    for r in rows:
        if not start <= r["date"] <= end:
            continue
        x = mdates.date2num(r["date"])
        level = level + 1 if last_x is not None and x - last_x < (
            mdates.date2num(end) - mdates.date2num(start)) / 60 else 0
        last_x = x
        ax.axvline(r["date"], color="0.55", lw=0.6, ls=":", zorder=1)
        ax.annotate(str(r["n"]), (x, 1.0), xycoords=tr,
                    xytext=(0, 2 + 13 * (level % 3)), textcoords="offset points",
                    ha="center", va="bottom", fontsize=7, color="white", weight="bold",
                    bbox={"boxstyle": "circle,pad=0.25", "fc": SHOCKS.get(r["kind"], "0.35"),
                          "lw": 0}, annotation_clip=False)


def _shock_strip(ax, rows: list[dict], start, end) -> None:
    """Shocks as bars, one lane per kind and target, in their own thin axes."""
    lanes: dict[str, int] = {}
    for r in rows:
        if r["kind"] not in SHOCKS:
            continue
        lane = lanes.setdefault(f"{r['kind']}: {r['what']}", len(lanes))
        stop = r["end"] if r["end"] is not None else end
        s = max(r["date"], start)
        if stop >= start:
            ax.barh(lane, mdates.date2num(stop) - mdates.date2num(s), left=mdates.date2num(s),
                    height=0.8, color=SHOCKS[r["kind"]], alpha=0.45, lw=0)
    for k, lane in lanes.items():
        first = min(max(r["date"], start) for r in rows
                    if f"{r['kind']}: {r['what']}" == k)
        ax.text(first, lane, " " + k.replace(",", ", "), fontsize=7, va="center", ha="left",
                color="black", clip_on=True)
    ax.set_yticks([])
    ax.set_ylim(max(len(lanes), 1) - 0.5, -0.5)
    ax.tick_params(axis="x", labelbottom=False)
    ax.set_xlim(start, end)
    ax.set_ylabel("shocks", fontsize=8)
    if not lanes:
        ax.text(0.5, 0.5, "no trade shocks (embargo, controls, denial) in this run",
                transform=ax.transAxes, fontsize=7, ha="center", va="center", color="0.4")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _key(fig, rows: list[dict], x0: float, title: str = "policy events",
         start=None) -> None:
    """The event key: number, date and label, in the right-hand column of ``fig``."""
    early = [start is not None and r["date"] < start for r in rows]
    lines = [f"{r['n']:>2}  {r['date']:%Y-%m-%d}{'*' if e else ' '} {r['label'][:31]}"
             for r, e in zip(rows, early, strict=True)]
    if any(early):
        lines.append("   * in force before the run starts")
    if not lines:
        lines = ["none in this run"]
    fig.text(x0, 0.93, title, fontsize=9, weight="bold", va="top")
    fig.text(x0, 0.89, "\n".join(lines), fontsize=7.5, va="top", family="monospace",
             linespacing=1.5)
    fig._key_bottom = 0.89 - (len(lines) + 1) * 0.16 / fig.get_figheight()  # figure coords
    fig._key_x = x0


def _side_legend(fig, ax, title: str | None = None, **kw) -> None:
    """The legend of ``ax`` in the right-hand column, under the event key (off the data)."""
    h, lab = ax.get_legend_handles_labels()
    if h:
        fig.legend(h, lab, loc="upper left", bbox_to_anchor=(fig._key_x, fig._key_bottom),
                   fontsize=8, frameon=False, title=title, title_fontsize=8,
                   alignment="left", **kw)


def _dates(ax) -> None:
    loc = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


def _thousands(ax, axis: str = "y") -> None:
    fmt = mticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 10 else f"{v:g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _title(tables: dict, title: str) -> str:
    m = tables.get("meta") or {}
    bits = [f"seed {m['seed']}"] if "seed" in m else []
    if m.get("licensing"):
        bits.append(f"licensing {m['licensing']}")
    return f"{title} ({', '.join(bits)})" if bits else title


def _save(fig, path: Path) -> None:
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _figure(tables: dict, height: float, nrows_ratios: list[float], title: str, what: str):
    """A figure with a shock strip on top, ``nrows_ratios`` data panels below (shared x) and
    the event key on the right. Returns (fig, strip, panels, rows, start, end)."""
    d = tables["daily"]
    start, end = d["date"].min(), d["date"].max()
    rows = event_rows(tables)
    n_lanes = len({(r["kind"], r["what"]) for r in rows if r["kind"] in SHOCKS})
    strip_in = 0.25 + 0.22 * max(1, n_lanes)  # the shock strip in inches, whatever the plot
    panel_in = max(1.0, height - 1.6 - strip_in) / sum(nrows_ratios)
    fig = plt.figure(figsize=(15, height))
    gs = fig.add_gridspec(len(nrows_ratios) + 1, 1,
                          height_ratios=[strip_in, *(r * panel_in for r in nrows_ratios)],
                          left=0.1, right=1 - KEY_WIDTH - 0.02, top=0.88, bottom=0.08,
                          hspace=0.12)
    strip = fig.add_subplot(gs[0])
    panels = [fig.add_subplot(gs[i + 1], sharex=strip) for i in range(len(nrows_ratios))]
    _shock_strip(strip, rows, start, end)
    _markers(strip, rows, start, end)
    for ax in panels:
        for r in rows:
            if start <= r["date"] <= end:
                ax.axvline(r["date"], color="0.6", lw=0.6, ls=":", zorder=1)
        ax.grid(alpha=0.3)
        ax.tick_params(axis="x", labelbottom=False)
    panels[-1].tick_params(axis="x", labelbottom=True)
    _dates(panels[-1])
    fig.suptitle(f"{_title(tables, title)}: {what}", fontsize=12, x=0.02, ha="left", y=0.985)
    _key(fig, rows, 1 - KEY_WIDTH + 0.035, start=start)
    return fig, strip, panels, rows, start, end


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
    fig, strip, panels, rows, start, end = _figure(
        tables, 2.0 + 1.35 * len(names), [1.0] * len(names), title, sub)
    from sim.kpis.plants import episodes
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
    _save(fig, path)


def exports(tables: dict, path: Path, title: str) -> None:
    """Monthly Chinese magnet exports by destination (stacked)."""
    s = tables["shipments"]
    start, end = tables["daily"]["date"].min(), tables["daily"]["date"].max()
    cn = s[(s["seller_country"] == "CN") & s["shipped_on"].between(start, end)
           & s["material"].isin(MAGNETS)]
    if cn.empty:
        raise Skip("no Chinese exports shipped in the run")
    fig, strip, (ax,), rows, start, end = _figure(
        tables, 6.5, [1.0], title, "Chinese magnet exports by destination (t per month)")
    m = (cn.assign(month=cn["shipped_on"].dt.to_period("M").dt.to_timestamp())
         .pivot_table(index="month", columns="buyer_country", values="tonnes",
                      aggfunc="sum", fill_value=0.0))
    m = m[m.sum().sort_values(ascending=False).index]
    ax.stackplot(m.index, m.T.values, labels=m.columns, step="post", alpha=0.85)
    ax.set_ylabel("t shipped per month")
    ax.set_ylim(bottom=0)
    _thousands(ax)
    _side_legend(fig, ax, "destination (largest first)", ncol=3)
    _save(fig, path)


def _price_plot(tables: dict, path: Path, title: str, inside: bool) -> None:
    """Prices as multiples of their first day: magnets (top), raw oxides (bottom; metals
    move with their oxides). A log axis once any price has more than quadrupled."""
    d = tables["daily"]
    mats = [c[len("price_"):-len("_ex_cn")] for c in d.columns
            if c.startswith("price_") and c.endswith("_ex_cn")]
    if not mats:
        raise Skip("no prices recorded")
    cols = [c for c in d.columns if c.startswith("price_")]
    if all(d[c].max() - d[c].min() <= 0.005 * abs(d[c].iloc[0]) for c in cols):
        raise Skip("every price flat all run (" + ", ".join(
            f"{m} {d[f'price_{m}_ex_cn'].iloc[0]:g}" for m in mats) + " USD/kg)")
    groups = [[m for m in mats if m in MAGNETS],
              [m for m in mats if m not in MAGNETS and m.endswith(("_oxide", "_reo"))]]
    groups = [g for g in groups if g]
    what = ("prices inside China (dashed) and outside (solid), x first day" if inside
            else "prices outside China, x first day")
    fig, strip, panels, rows, start, end = _figure(tables, 7.5 if len(groups) > 1 else 6.5,
                                                   [1.0] * len(groups), title, what)
    colors = iter(plt.cm.tab10.colors)
    for ax, group, name in zip(panels, groups, ("magnets", "raw materials (oxides)"),
                               strict=False):
        top = 1.0
        for m in group:
            color = next(colors)
            sides = [("ex_cn", "-")] + ([("cn", "--")] if inside else [])
            for side, ls in sides:
                col = f"price_{m}_{side}"
                if col not in d:
                    continue
                r = d[col] / d[col].iloc[0]
                top = max(top, float(r.max()))
                p0 = d[col].iloc[0]
                ax.plot(d["date"], r, lw=1.5 if side == "ex_cn" else 1.2, ls=ls, color=color,
                        label=f"{m} ({p0:,.0f} USD/kg)" if side == "ex_cn" else None)
        ax.axhline(1.0, color="0.3", lw=0.8)
        if top > 4:
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}x"))
        else:
            ax.set_ylim(0, max(1.5, top * 1.1))
            ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}x"))
        ax.set_ylabel(name, fontsize=9)
    if inside and "china_flooding" in d and d["china_flooding"].any():
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
               title_fontsize=8,
               alignment="left")
    _save(fig, path)


def prices(tables: dict, path: Path, title: str) -> None:
    """Prices outside China per material (zero-based)."""
    _price_plot(tables, path, title, inside=False)


def prices_cn(tables: dict, path: Path, title: str) -> None:
    """Each material's price inside China (dashed) and outside (solid)."""
    _price_plot(tables, path, title, inside=True)


def licences(tables: dict, path: Path, title: str) -> None:
    """The licence queue over time and the distribution of waits."""
    d, s = tables["daily"], tables["shipments"]
    cols = [c for c in d.columns if c.startswith("licence_queue_")]
    dec = s[s["licence"] == "individual"].dropna(subset=["applied_on", "decided_on"])
    if not len(dec) and not (d[cols].to_numpy() > 1e-9).any():
        raise Skip("no licence applications in the run")
    fig, strip, (a1,), rows, start, end = _figure(
        tables, 7.5, [1.0], title, "tonnes waiting for a licence decision")
    for c in cols:
        a1.plot(d["date"], d[c], label=c[len("licence_queue_"):-2])
    a1.set_ylim(bottom=0)
    a1.set_ylabel("t in the licence queue")
    _thousands(a1)
    _side_legend(fig, a1, "material")
    # waits histogram under the key
    a2 = fig.add_axes([1 - KEY_WIDTH + 0.06, 0.1, KEY_WIDTH - 0.09, 0.3])
    wait = (dec["decided_on"] - dec["applied_on"]).dt.days
    if len(wait):
        for outcome, g in dec.assign(wait=wait).groupby("decision"):
            a2.hist(g["wait"], bins=20, alpha=0.6, label=f"{outcome} ({len(g)})")
        a2.axvline(wait.median(), color="black", ls="--", lw=1,
                   label=f"median {wait.median():.0f} d")
        a2.legend(fontsize=7, loc="upper left", frameon=False)
    else:
        a2.text(0.5, 0.5, "no individual licence decided", ha="center", fontsize=8,
                transform=a2.transAxes)
    a2.set_title("application to decision (calendar days)", fontsize=8)
    a2.set_ylabel("applications", fontsize=8)
    a2.tick_params(labelsize=7)
    _save(fig, path)


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
    fig, strip, (ax,), rows, start, end = _figure(
        tables, 6.5, [1.0], title, "non-Chinese mine capacity by lifecycle state (t NdPr "
        "oxide/yr)")
    t = m.pivot_table(index="date", columns="status", values="capacity_tpy", aggfunc="sum",
                      fill_value=0.0)
    cols = [c for c in MINE_COLORS if c in t.columns]
    ax.stackplot(t.index, t[cols].T.values, labels=cols,
                 colors=[MINE_COLORS[c] for c in cols], step="post", alpha=0.85)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("t NdPr oxide per year")
    _thousands(ax)
    _side_legend(fig, ax, "state")
    _save(fig, path)


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
    fig, strip, panels, rows, start, end = _figure(
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
    _side_legend(fig, a1)
    if stock_cols:
        a2 = panels[1]
        for c in stock_cols:
            a2.plot(gov["date"], gov[c], lw=1.5, label=c[len("stock_"):])
        a2.set_ylim(bottom=0)
        a2.set_ylabel("stockpile (t)")
        a2.legend(loc="lower left", bbox_to_anchor=(1.0, 0.0), fontsize=8, frameon=False)
    _save(fig, path)


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
