"""What every run plot shares: the event key and markers, the shock strip, the figure frame
with its title, date axes, number formats and saving (`sim.outputs.plots`).

Events are numbered by date. Events close in time share one marker (``6-11``), and markers
that would touch are stacked on rows above the strip, so no two overlap. The key beside the
plot gives each event's full label (wrapped, never cut). Trade shocks are bars in the strip,
one lane each: embargoes, controls, denials, customs holds and checks for their time in
force; tariffs, quotas and export duties as levels (each new value ends the last), with the
sequence of values written in the lane. A shock that covers only part of the trade (an end
use, named firms, buyer sectors) is hatched and its lane says which part.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import pandas as pd  # noqa: E402

SHOCKS = {"embargo": "tab:red", "controls": "tab:orange", "deny": "tab:brown",
          "quota": "tab:purple", "reo_quota": "tab:purple", "customs_hold": "tab:olive",
          "customs_checks": "tab:olive", "tariff": "tab:blue", "export_duty": "tab:cyan"}
"""Event kinds drawn in the shock strip, with their colours."""
LEVELS = {"tariff": "rate", "reo_quota": "tonnes", "quota": "tonnes per year",
          "export_duty": "rate"}
"""Shocks that are levels: the latest event of a lane replaces the one before (the value
shown is the detail key named here)."""
LIFTS = {"lift_controls": "controls", "lift_embargo": "embargo", "lift_reo_quota": "reo_quota"}
HALT = "#d62728"
KEY_WIDTH = 0.24  # share of the figure's width for the event key
FIG_W = 15.0      # inches
LEFT, GAP = 0.1, 0.02
KEY_CHARS = 40    # label characters per key line (wrapped beyond)
KEY_LINE_IN = 0.158  # one key line at 7.5 pt x 1.5
MARKER_ROW_IN = 0.2


class Skip(Exception):
    """A plot with nothing to show: the message says why."""


# --------------------------------------------------------------------------- events
def _parts(detail: str) -> dict[str, str]:
    """``"rate 145%; importers US"`` -> {"rate": "145%", "importers": "US"}."""
    out = {}
    for bit in (detail or "").split("; "):
        m = re.fullmatch(r"([a-z ]+?) (\S.*)", bit)
        if m:
            out[m[1]] = m[2]
    return out


def event_rows(tables: dict) -> list[dict]:
    """Policy events applied (events table, fired; government levers are events too),
    numbered by date: [{n, date, end, kind, label, what, scope, detail, lift}]."""
    ev = tables.get("events")
    rows = []
    if ev is not None and len(ev):
        for _, e in ev[ev["fired"].astype(bool)].iterrows():
            rows.append({"date": e["date"], "end": e["end"] if pd.notna(e["end"]) else None,
                         "kind": e["kind"], "label": str(e["label"]),
                         "what": f"{e['materials']} to {e['destinations']}",
                         "scope": str(e.get("scope") or ""),
                         "detail": _parts(str(e.get("detail") or "")),
                         "lift": bool(e["lift"]) if "lift" in e and pd.notna(e["lift"])
                         else str(e["label"]).startswith("end of ")})  # older run folders
    rows.sort(key=lambda r: r["date"])
    for i, r in enumerate(rows, 1):
        r["n"] = i
    return rows


def _lane(r: dict) -> str:
    d = r["detail"]
    if r["kind"] == "tariff":
        return f"tariff {d.get('importers', 'all')} on {d.get('origins', 'CN')}"
    if r["kind"] == "reo_quota":
        return f"REO export quota ({d.get('group', 'all')})"
    what = r["what"].replace(",", ", ")
    scope = f" ({r['scope']} only)" if r["scope"] else ""
    return f"{r['kind'].replace('_', ' ')}{scope}: {what}"


def shock_segments(rows: list[dict], start, end) -> dict[str, list[dict]]:
    """Each lane's segments [{start, stop, value, kind, partial}] in time order."""
    lanes: dict[str, list[dict]] = {}
    for r in rows:
        if r["lift"]:
            continue  # the end of a timed event: its start row carries the end
        if r["kind"] in LIFTS:
            target = LIFTS[r["kind"]]
            dest = set(r["what"].split(" to ")[-1].split(","))
            for segs in lanes.values():
                s = segs[-1]
                if s["kind"] != target or s["stop"] is not None:
                    continue
                if target == "reo_quota":
                    hit = r["detail"].get("group", "all") in (s["group"], "all")
                else:
                    hit = "all" in dest or bool(dest & s["dest"])
                if hit:
                    s["stop"] = r["date"]
            continue
        if r["kind"] not in SHOCKS:
            continue
        name = _lane(r)
        mats = set(r["what"].split(" to ")[0].split(","))
        if r["kind"] == "export_duty":  # a duty on the same materials replaces the older
            for segs in lanes.values():
                s = segs[-1]
                if s["kind"] == "export_duty" and s["stop"] is None and s["mats"] <= mats:
                    s["stop"] = r["date"]
        segs = lanes.setdefault(name, [])
        if r["kind"] in LEVELS and segs and segs[-1]["stop"] is None:
            segs[-1]["stop"] = r["date"]
        value = r["detail"].get(LEVELS.get(r["kind"], ""), "")
        if r["kind"] in LEVELS and value in ("0%", "0"):
            continue  # a level set to zero ends the lane and draws nothing
        segs.append({"start": r["date"], "stop": r["end"], "value": value, "kind": r["kind"],
                     "partial": bool(r["scope"]), "group": r["detail"].get("group", "all"),
                     "dest": set(r["what"].split(" to ")[-1].split(",")), "mats": mats})
    for segs in lanes.values():
        for s in segs:
            s["stop"] = min(s["stop"] if s["stop"] is not None else end, end)
    return {k: [s for s in v if s["stop"] >= start] for k, v in lanes.items()
            if any(s["stop"] >= start for s in v)}


def _text_in(text: str) -> float:
    """Width of strip text at 7 pt, in inches (about)."""
    return 0.056 * len(text)


def _sequence(segs: list[dict]) -> str:
    vals = [s["value"] for s in segs if s["value"]]
    if not vals:
        return ""
    if len(vals) > 6:
        vals = [vals[0], vals[1], "...", vals[-1]]
        return ": " + " > ".join(vals) + f" ({len(segs)} values)"
    return ": " + " > ".join(vals)


def shock_strip(ax, rows: list[dict], start, end, width_in: float = 9.6) -> None:
    """Shocks as bars, one lane each, in their own thin axes (module docstring);
    ``width_in``: the axes' width in inches (where text fits)."""
    lanes = shock_segments(rows, start, end)
    per_in = max(mdates.date2num(end) - mdates.date2num(start), 1.0) / width_in
    for lane, (name, segs) in enumerate(lanes.items()):
        for s in segs:
            a = max(s["start"], start)
            color = SHOCKS[s["kind"]]
            ax.barh(lane, mdates.date2num(s["stop"]) - mdates.date2num(a),
                    left=mdates.date2num(a), height=0.8, lw=0.8 if s["partial"] else 0,
                    color=color, alpha=0.2 if s["partial"] else 0.45,
                    hatch="////" if s["partial"] else None,
                    edgecolor=color if s["partial"] else "none")
            if s["kind"] in LEVELS and s is not segs[0]:
                ax.plot([mdates.date2num(a)] * 2, [lane - 0.4, lane + 0.4], color="white",
                        lw=1.2)
        first = max(segs[0]["start"], start)
        text = " " + name + _sequence(segs) + " "
        room = (mdates.date2num(end) - mdates.date2num(first)) / per_in
        if room >= _text_in(text):
            ax.text(first, lane, text, fontsize=7, va="center", ha="left", clip_on=True)
        else:  # a lane that starts late: its text ends at the right edge, whole
            ax.text(1.0, lane, text, fontsize=7, va="center", ha="right", clip_on=False,
                    transform=ax.get_yaxis_transform())
    ax.set_yticks([])
    ax.set_ylim(max(len(lanes), 1) - 0.5, -0.5)
    ax.tick_params(axis="x", labelbottom=False)
    ax.set_xlim(start, end)
    ax.set_ylabel("shocks", fontsize=8)
    if not lanes:
        ax.text(0.5, 0.5, "no trade shocks (embargo, controls, denial, customs, tariff, "
                "quota) in this run", transform=ax.transAxes, fontsize=7, ha="center",
                va="center", color="0.4")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def marker_groups(rows: list[dict], start, end, width_in: float) -> list[dict]:
    """Events in the run grouped into markers: events closer than a marker's half width
    share one (``6-11``); each group gets the lowest row where it touches no other.
    [{x (date num), text, kinds, row, left, right (inches)}]."""
    x0, x1 = mdates.date2num(start), mdates.date2num(end)
    per_in = max(x1 - x0, 1.0) / width_in
    groups: list[dict] = []
    for r in rows:
        if not start <= r["date"] <= end:
            continue
        x = mdates.date2num(r["date"])
        if groups and (x - groups[-1]["x"]) / per_in < 0.09:
            groups[-1]["ns"].append(r["n"])
            groups[-1]["kinds"].append(r["kind"])
        else:
            groups.append({"x": x, "ns": [r["n"]], "kinds": [r["kind"]]})
    rows_right: list[float] = []
    for g in groups:
        ns = g["ns"]
        g["text"] = str(ns[0]) if len(ns) == 1 else f"{ns[0]}-{ns[-1]}"
        w = 0.07 * len(g["text"]) + 0.11
        mid = (g["x"] - x0) / per_in
        g["left"], g["right"] = mid - w / 2, mid + w / 2
        for i, right in enumerate(rows_right):
            if right + 0.03 < g["left"]:
                g["row"] = i
                rows_right[i] = g["right"]
                break
        else:
            g["row"] = len(rows_right)
            rows_right.append(g["right"])
    return groups


def event_markers(ax, groups: list[dict]) -> None:
    """Numbered markers above ``ax`` (one per group, `marker_groups`)."""
    tr = ax.get_xaxis_transform()
    for g in groups:
        kinds = {k for k in g["kinds"] if k in SHOCKS}
        color = SHOCKS[next(iter(kinds))] if len(kinds) == 1 else "0.35"
        ax.annotate(g["text"], (g["x"], 1.0), xycoords=tr,
                    xytext=(0, 3 + MARKER_ROW_IN * 72 * g["row"]), textcoords="offset points",
                    ha="center", va="bottom", fontsize=7, color="white", weight="bold",
                    bbox={"boxstyle": "round,pad=0.25", "fc": color, "lw": 0},
                    annotation_clip=False)


def key_lines(rows: list[dict], start=None) -> list[str]:
    """The event key's lines: number, date and the full label, wrapped."""
    out = []
    for r in rows:
        early = start is not None and r["date"] < start
        head = f"{r['n']:>2}  {r['date']:%Y-%m-%d}{'*' if early else ' '} "
        for i, part in enumerate(textwrap.wrap(r["label"], KEY_CHARS) or [""]):
            out.append((head if i == 0 else " " * len(head)) + part)
    if any(start is not None and r["date"] < start for r in rows):
        out.append("   * in force before the run starts")
    return out or ["none in this run"]


def event_key(fig, rows: list[dict], x0: float, top: float, title: str = "policy events",
              start=None) -> None:
    """The event key in the right-hand column of ``fig``, from ``top`` (figure coords)."""
    lines = key_lines(rows, start)
    h = fig.get_figheight()
    fig.text(x0, top, title, fontsize=9, weight="bold", va="top")
    fig.text(x0, top - 0.3 / h, "\n".join(lines), fontsize=7.5, va="top", family="monospace",
             linespacing=1.5)
    fig._key_bottom = top - (0.3 + (len(lines) + 1) * KEY_LINE_IN) / h
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
    """Save with every artist inside the picture (a legend longer than the figure extends
    it rather than being cut)."""
    fig.savefig(path, dpi=100, bbox_inches="tight", pad_inches=0.15)
    plt.close(fig)


def new_figure(tables: dict, height: float, nrows_ratios: list[float], title: str, what: str,
               free: list[float] = (), legend_lines: int = 0):
    """A figure with a shock strip on top, ``nrows_ratios`` data panels below (shared x),
    ``free`` panels under them (own x axis) and the event key on the right; tall enough for
    the key, the markers and ``legend_lines`` of legend. Returns (fig, strip, panels + free
    panels, rows, start, end)."""
    d = tables["daily"]
    start, end = d["date"].min(), d["date"].max()
    rows = event_rows(tables)
    width_in = FIG_W * (1 - KEY_WIDTH - GAP - LEFT)
    groups = marker_groups(rows, start, end, width_in)
    n_rows = 1 + max((g["row"] for g in groups), default=0)
    n_lanes = len(shock_segments(rows, start, end))
    strip_in = 0.25 + 0.22 * max(1, n_lanes)
    head_in = 0.55 + MARKER_ROW_IN * n_rows  # title and marker rows
    key_in = 0.9 + (len(key_lines(rows, start)) + 1) * KEY_LINE_IN + 0.2 * legend_lines
    height = max(height, key_in, head_in + strip_in + 0.6 + 1.2 * len(nrows_ratios)
                 + 1.6 * len(free))
    free_in = 0.6 * len(free)  # room for a free panel's own x axis
    panel_in = max(1.0, height - head_in - strip_in - 0.7 - free_in) / sum(
        [*nrows_ratios, *free])
    fig = plt.figure(figsize=(FIG_W, height))
    ratios = [strip_in, *(r * panel_in for r in nrows_ratios)]
    for r in free:
        ratios += [0.6, r * panel_in]
    gs = fig.add_gridspec(len(ratios), 1, height_ratios=ratios, left=LEFT,
                          right=1 - KEY_WIDTH - GAP, top=1 - head_in / height,
                          bottom=0.55 / height, hspace=0.12)
    strip = fig.add_subplot(gs[0])
    panels = [fig.add_subplot(gs[i + 1], sharex=strip) for i in range(len(nrows_ratios))]
    extra = [fig.add_subplot(gs[len(nrows_ratios) + 2 + 2 * i]) for i in range(len(free))]
    shock_strip(strip, rows, start, end, width_in)
    event_markers(strip, groups)
    for ax in panels:
        for r in rows:
            if start <= r["date"] <= end:
                ax.axvline(r["date"], color="0.6", lw=0.6, ls=":", zorder=1)
        ax.grid(alpha=0.3)
        ax.tick_params(axis="x", labelbottom=False)
    for r in rows:
        if start <= r["date"] <= end:
            strip.axvline(r["date"], color="0.55", lw=0.6, ls=":", zorder=1)
    panels[-1].tick_params(axis="x", labelbottom=True)
    date_axis(panels[-1])
    fig.suptitle(f"{run_title(tables, title)}: {what}", fontsize=12, x=0.02, ha="left",
                 y=1 - 0.12 / height, va="top")
    event_key(fig, rows, 1 - KEY_WIDTH + 0.035, 1 - 0.55 / height, start=start)
    return fig, strip, panels + extra, rows, start, end
