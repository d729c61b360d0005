"""What every run plot shares: the event key and markers, the shock strip, the figure frame
with its title, date axes, number formats and atomic saving (`sim.outputs.plots`)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import pandas as pd  # noqa: E402

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


def event_markers(ax, rows: list[dict], start, end) -> None:
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


def shock_strip(ax, rows: list[dict], start, end) -> None:
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


def event_key(fig, rows: list[dict], x0: float, title: str = "policy events",
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


def side_legend(fig, ax, title: str | None = None, **kw) -> None:
    """The legend of ``ax`` in the right-hand column, under the event key (off the data)."""
    h, lab = ax.get_legend_handles_labels()
    if h:
        fig.legend(h, lab, loc="upper left", bbox_to_anchor=(fig._key_x, fig._key_bottom),
                   fontsize=8, frameon=False, title=title, title_fontsize=8,
                   alignment="left", **kw)


def date_axis(ax) -> None:
    loc = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


def thousands_axis(ax, axis: str = "y") -> None:
    fmt = mticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 10 else f"{v:g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def run_title(tables: dict, title: str) -> str:
    m = tables.get("meta") or {}
    bits = [f"seed {m['seed']}"] if "seed" in m else []
    if m.get("licensing"):
        bits.append(f"licensing {m['licensing']}")
    return f"{title} ({', '.join(bits)})" if bits else title


def save_figure(fig, path: Path) -> None:
    fig.savefig(path, dpi=100)
    plt.close(fig)


def new_figure(tables: dict, height: float, nrows_ratios: list[float], title: str, what: str):
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
    shock_strip(strip, rows, start, end)
    event_markers(strip, rows, start, end)
    for ax in panels:
        for r in rows:
            if start <= r["date"] <= end:
                ax.axvline(r["date"], color="0.6", lw=0.6, ls=":", zorder=1)
        ax.grid(alpha=0.3)
        ax.tick_params(axis="x", labelbottom=False)
    panels[-1].tick_params(axis="x", labelbottom=True)
    date_axis(panels[-1])
    fig.suptitle(f"{run_title(tables, title)}: {what}", fontsize=12, x=0.02, ha="left", y=0.985)
    event_key(fig, rows, 1 - KEY_WIDTH + 0.035, start=start)
    return fig, strip, panels, rows, start, end


