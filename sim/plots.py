"""Figures drawn from a run's tables only, so any saved run can be re-plotted."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

SHOCKS = {"embargo": "tab:red", "controls": "tab:orange", "deny": "tab:brown"}


def _mark_events(ax, events: pd.DataFrame, end: pd.Timestamp, label: bool = True) -> None:
    """Shade shocks (embargo, controls, ...) and label each event on the time axis."""
    if events is None or events.empty:
        return
    ymax = ax.get_ylim()[1]
    first = pd.Timestamp(mdates.num2date(ax.dataLim.x0)).tz_localize(None).normalize()
    shaded = set()
    for _, e in events.iterrows():
        kind = e["kind"]
        if kind in SHOCKS:
            stop = e["end"] if pd.notna(e["end"]) else end
            what = f"{kind}: {e['materials']} to {e['destinations']}"
            lab = None if what in shaded else what
            shaded.add(what)
            if stop < first:
                continue
            ax.axvspan(max(e["date"], first), stop, color=SHOCKS[kind], alpha=0.12, lw=0,
                       label=lab)
        if label and first <= e["date"] <= end:
            ax.axvline(e["date"], color="grey", lw=0.6, ls=":")
            ax.annotate(str(e["label"])[:28], (e["date"], ymax), rotation=90, fontsize=7,
                        va="top", ha="right", color="dimgrey")


def _finish(fig, ax, path: Path) -> None:
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def inventory(tables: dict, path: Path, title: str) -> None:
    """Each automaker's days of magnet cover, halts marked, shocks shaded."""
    agents, events = tables["agents"], tables.get("events")
    auto = agents[agents["kind"] == "automaker"]
    end = agents["date"].max()
    fig, ax = plt.subplots(figsize=(12.5, 5.5))
    n_halts = 0
    for name, g in auto.groupby("agent", sort=True):
        line, = ax.plot(g["date"], g["cover_days"], lw=1.4, label=name)
        halted = g[g["lost"] > 1e-9]
        if len(halted):
            first = halted.iloc[0]
            ax.plot(first["date"], 0, marker="X", ms=11, color=line.get_color(),
                    markeredgecolor="black", zorder=5)
            ax.annotate(f"{name} halts {first['date']:%d %b %Y}", (first["date"], 0),
                        xytext=(6, 10 + 14 * n_halts), textcoords="offset points",
                        fontsize=8, color=line.get_color(),
                        bbox={"fc": "white", "alpha": 0.85, "lw": 0, "pad": 1})
            n_halts += 1
    ax.set_ylim(bottom=-2)
    _mark_events(ax, events, end)
    ax.set_title(f"{title}: automakers' magnet cover (X = production halts)")
    ax.set_ylabel("days of magnet cover (scarcest magnet type)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, borderaxespad=0)
    _finish(fig, ax, path)


def exports(tables: dict, path: Path, title: str) -> None:
    """Monthly Chinese magnet exports by destination (stacked)."""
    s = tables["shipments"]
    start, end = tables["daily"]["date"].min(), tables["daily"]["date"].max()
    cn = s[(s["seller_country"] == "CN") & s["shipped_on"].between(start, end)]
    fig, ax = plt.subplots(figsize=(11, 5))
    if len(cn):
        m = (cn.assign(month=cn["shipped_on"].dt.to_period("M").dt.to_timestamp())
             .pivot_table(index="month", columns="buyer_country", values="tonnes",
                          aggfunc="sum", fill_value=0.0))
        ax.stackplot(m.index, m.T.values, labels=m.columns, step="post", alpha=0.85)
    _mark_events(ax, tables.get("events"), end)
    ax.set_title(f"{title}: Chinese magnet exports by destination")
    ax.set_ylabel("tonnes shipped per month")
    ax.legend(loc="upper left", fontsize=8, ncol=3)
    _finish(fig, ax, path)


def prices(tables: dict, path: Path, title: str) -> None:
    """Prices outside China per material."""
    d = tables["daily"]
    fig, ax = plt.subplots(figsize=(11, 5))
    for c in [c for c in d.columns if c.startswith("price_") and c.endswith("_ex_cn")]:
        ax.plot(d["date"], d[c], label=c[len("price_"):].replace("_ex_cn", " (outside CN)"))
    _mark_events(ax, tables.get("events"), d["date"].max(), label=False)
    ax.set_title(f"{title}: magnet prices")
    ax.set_ylabel("USD/kg")
    ax.legend(loc="upper left", fontsize=8)
    _finish(fig, ax, path)


def licences(tables: dict, path: Path, title: str) -> None:
    """The licence queue over time and the distribution of waits."""
    d, s = tables["daily"], tables["shipments"]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 5), gridspec_kw={"width_ratios": [2, 1]})
    cols = [c for c in d.columns if c.startswith("licence_queue_")]
    for c in cols:
        a1.plot(d["date"], d[c], label=c[len("licence_queue_"):-2])
    _mark_events(a1, tables.get("events"), d["date"].max())
    a1.set_title(f"{title}: tonnes waiting for a licence decision")
    a1.set_ylabel("tonnes in the licence queue")
    a1.legend(fontsize=8)
    a1.xaxis.set_major_formatter(mdates.ConciseDateFormatter(a1.xaxis.get_major_locator()))
    a1.grid(alpha=0.3)
    dec = s[s["licence"] == "individual"].dropna(subset=["applied_on", "decided_on"])
    wait = (dec["decided_on"] - dec["applied_on"]).dt.days
    if len(wait):
        for outcome, g in dec.assign(wait=wait).groupby("decision"):
            a2.hist(g["wait"], bins=30, alpha=0.6, label=f"{outcome} ({len(g)})")
        a2.axvline(wait.median(), color="black", ls="--", lw=1, label=f"median {wait.median():.0f}")
        a2.legend(fontsize=8)
    else:
        a2.text(0.5, 0.5, "no licence applications", ha="center", transform=a2.transAxes)
    a2.set_title("individual licences: application to decision")
    a2.set_xlabel("calendar days")
    a2.set_ylabel("applications")
    a2.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def prices_cn(tables: dict, path: Path, title: str) -> None:
    """Each material's price inside China (dashed) and outside (solid), China's price
    cuts shaded."""
    d = tables["daily"]
    mats = [c[len("price_"):-len("_ex_cn")] for c in d.columns
            if c.startswith("price_") and c.endswith("_ex_cn")]
    fig, ax = plt.subplots(figsize=(11, 5))
    for m in mats:
        line, = ax.plot(d["date"], d[f"price_{m}_ex_cn"], lw=1.5, label=f"{m} outside China")
        if f"price_{m}_cn" in d:
            ax.plot(d["date"], d[f"price_{m}_cn"], lw=1.2, ls="--", color=line.get_color(),
                    label=f"{m} inside China")
    if "china_flooding" in d and d["china_flooding"].any():
        ax.fill_between(d["date"], 0, 1, where=d["china_flooding"].astype(bool),
                        transform=ax.get_xaxis_transform(), color="tab:red", alpha=0.1,
                        label="China cuts prices")
    _mark_events(ax, tables.get("events"), d["date"].max(), label=False)
    ax.set_title(f"{title}: prices inside and outside China")
    ax.set_ylabel("USD/kg")
    ax.legend(loc="upper left", fontsize=7, ncol=2)
    _finish(fig, ax, path)


MINE_COLORS = {"planned": "lightgrey", "construction": "tab:brown", "rampup": "tab:olive",
               "operating": "tab:green", "restart": "tab:cyan",
               "care_and_maintenance": "tab:red"}


def mines(tables: dict, path: Path, title: str) -> None:
    """Non-Chinese mine capacity by lifecycle state (stacked)."""
    a = tables["agents"]
    m = a[a["kind"] == "mine"]
    fig, ax = plt.subplots(figsize=(11, 4.5))
    if len(m) and "capacity_tpy" in m:
        t = m.pivot_table(index="date", columns="status", values="capacity_tpy",
                          aggfunc="sum", fill_value=0.0)
        cols = [c for c in MINE_COLORS if c in t.columns]
        ax.stackplot(t.index, t[cols].T.values, labels=cols,
                     colors=[MINE_COLORS[c] for c in cols], step="post", alpha=0.85)
    ax.set_title(f"{title}: non-Chinese mine capacity by lifecycle state")
    ax.set_ylabel("t NdPr oxide per year")
    ax.legend(loc="upper left", fontsize=8)
    _finish(fig, ax, path)


def defense(tables: dict, path: Path, title: str) -> None:
    """Defence primes' days of cover (scarcest magnet) and the government stockpile."""
    a, d = tables["agents"], tables["daily"]
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(11, 7), sharex=True)
    for name, g in a[a["kind"] == "defense"].groupby("agent"):
        a1.plot(g["date"], g["cover_days"], lw=1.5, label=name)
    if "defense_ready" in d:
        a1.fill_between(d["date"], 0, 1, where=~d["defense_ready"].astype(bool),
                        transform=a1.get_xaxis_transform(), color="tab:red", alpha=0.12,
                        label="not ready (cover below threshold)")
    _mark_events(a1, tables.get("events"), d["date"].max(), label=False)
    a1.set_ylabel("days of cover")
    a1.set_title(f"{title}: defence cover and government stockpile")
    a1.legend(loc="upper right", fontsize=8)
    a1.grid(alpha=0.3)
    gov = a[a["kind"] == "government"]
    for c in [c for c in gov.columns if c.startswith("stock_")]:
        if gov[c].max() > 0:
            a2.plot(gov["date"], gov[c], lw=1.5, label=c[len("stock_"):])
    a2.set_ylabel("stockpile (t)")
    if a2.get_legend_handles_labels()[0]:
        a2.legend(loc="upper right", fontsize=8)
    _finish(fig, a2, path)


PLOTS = {"inventory": inventory, "exports": exports, "prices": prices, "licences": licences,
         "prices_cn": prices_cn, "mines": mines, "defense": defense}


def draw_all(tables: dict, folder: Path, title: str) -> list[Path]:
    """Draw every plot into ``folder/plots``; return their paths (inventory first)."""
    out = Path(folder) / "plots"
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, fn in PLOTS.items():
        p = out / f"{name}.png"
        fn(tables, p, title)
        paths.append(p)
    return paths
