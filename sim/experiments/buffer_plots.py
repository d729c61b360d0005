"""What the buffer command prints, draws and reports: the common cover search
(`sim.experiments.buffer`) and the per-plant search with its budget split
(`sim.experiments.buffer_plant`). Plots go to ``plots/``, the report through the one
report writer (`sim.outputs.report`)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from sim.kpis.summary import usd  # noqa: E402
from sim.outputs.report import Section  # noqa: E402


def _save(fig, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=100, bbox_inches="tight", pad_inches=0.15)
    plt.close(fig)
    return path


# --------------------------------------------------------------------------- common cover
def common_plot(res, path: Path) -> Path:
    """Share of search seeds without any halt per common cover tried, the wanted share,
    the cover found and its share on fresh seeds."""
    tr = sorted(res.search, key=lambda t: t.cover_days)
    fig, ax = plt.subplots(figsize=(8.5, 4.4))
    n = len(tr[0].seeds) if tr else 0
    ax.plot([t.cover_days for t in tr], [t.ok_share * 100 for t in tr], marker="o",
            label=f"search seeds (n={n}), each cover tried")
    ax.axhline(res.share * 100, color="grey", ls="--", lw=1,
               label=f"wanted: no halt in {res.share:.0%} of seeds")
    if res.cover_days is not None:
        ax.axvline(res.cover_days, color="tab:green", lw=1.2,
                   label=f"smallest common cover: {res.cover_days:g} days")
        if res.verify is not None:
            ax.plot([res.cover_days], [res.verify.ok_share * 100], "s", color="tab:green",
                    label=f"fresh seeds (n={len(res.verify.seeds)}): "
                    f"{res.verify.ok_share:.0%} without a halt")
        title = f"{res.scenario}: {res.cover_days:g} days of each plant's use avoid every halt"
    else:
        title = f"{res.scenario}: no common cover up to {res.high:g} days suffices"
    ax.set_ylim(-3, 105)
    ax.set_xlim(left=0)
    ax.set_xlabel("every plant's cover, replacing its own (days)")
    ax.set_ylabel("seeds without any plant halt (%)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.grid(alpha=0.3)
    return _save(fig, path)


# --------------------------------------------------------------------------- per plant
def plant_table(res) -> pd.DataFrame:
    rate = res.holding_cost_rate
    rows = []
    for a in res.plants:
        rows.append({
            "plant": a.plant, "own cover (days)": a.own_cover_days,
            "cover needed (days)": a.cover_days if a.cover_days is not None else
            f"> {res.high:g}",
            f"no halt, search seeds (n={len(res.seeds)})": f"{a.search_ok_share:.0%}"
            if a.search_ok_share is not None else "-",
            f"no halt, fresh seeds (n={len(res.fresh_seeds)})": f"{a.fresh_ok_share:.0%}"
            if a.fresh_ok_share is not None else "-",
            "holds": "-" if a.fresh_ok_share is None else
            "yes" if a.fresh_ok_share >= res.share else "NO",
            "20% less (days)": a.less_cover_days if a.less_cover_days is not None else "-",
            "no halt at 20% less, fresh seeds": f"{a.less_fresh_ok_share:.0%}"
            if a.less_fresh_ok_share is not None else "-",
            "minimal": "-" if a.less_fresh_ok_share is None else
            "yes" if a.less_fresh_ok_share < res.share else "NO",
            "stock at that cover (USD)": round((a.cover_days or 0.0) * a.value_per_day_usd),
            "carrying cost (USD/yr)": round((a.cover_days or 0.0) * a.value_per_day_usd * rate),
            "its tier-1s (own cover, days)": ", ".join(f"{k} {v:g}" for k, v in
                                                     a.tier1s.items()) or "none"})
    return pd.DataFrame(rows)


def plant_lines(res) -> list[str]:
    out = [f"buffer per plant: {res.scenario}, each plant's smallest own cover with no halt "
           f"of that plant in >= {res.share:.0%} of seeds {res.seeds} (tier-1s keep their "
           "own stock; plants searched together)"]
    out += ["  " + ln for ln in plant_table(res).to_string(index=False).splitlines()]
    s = res.split
    if s and not any(e["lost_revenue_usd"] or e["lost_vehicles"] for e in s["evaluations"]):
        out.append(f"split of {usd(s['budget_usd'])} of stock: no split tried loses anything "
                   f"on the search seeds ({len(s['evaluations'])} splits run: plants only, "
                   "tier-1s only, ...), so holding it at the plants (the per-plant answer) is "
                   "as good as any")
    elif s:
        b = s["best"]
        out.append(f"cheapest split of {usd(s['budget_usd'])} of stock (carrying "
                   f"{usd(s['carrying_cost_usd_per_yr'])}/yr whatever the split): "
                   f"{b['plants_share']:.0%} at the plants, {1 - b['plants_share']:.0%} at "
                   f"their tier-1s: lost revenue {usd(b['lost_revenue_usd'])}, vehicles lost "
                   f"in halts {b['lost_vehicles']:,.0f} (mean of {len(res.seeds)} seeds; "
                   "ranked by lost revenue, then by vehicles lost in halts)")
        out.append(f"  {s['optimiser']}, {len(s['evaluations'])} splits run: " + ", ".join(
            f"{e['plants_share']:.0%} {e['lost_vehicles']:,.0f} veh" for e in s["evaluations"]))
    return out


def per_plant_plot(res, path: Path) -> Path:
    """Left: each plant's own cover and the cover needed, with the fresh-seed checks.
    Right: the budget split tried and the cheapest."""
    fig, axes = plt.subplots(1, 2 if res.split else 1, figsize=(14 if res.split else 8, 4.8),
                             squeeze=False)
    ax = axes[0, 0]
    names = [a.plant for a in res.plants]
    x = range(len(names))
    ax.bar([i - 0.2 for i in x], [a.own_cover_days for a in res.plants], 0.4,
           color="0.7", label="own cover")
    need = [a.cover_days if a.cover_days is not None else res.high for a in res.plants]
    bars = ax.bar([i + 0.2 for i in x], need, 0.4, color="tab:green",
                  label=f"cover needed (no halt in >= {res.share:.0%} of {len(res.seeds)} "
                  "seeds)")
    for b, a in zip(bars, res.plants, strict=True):
        note = "none suffices" if a.cover_days is None else (
            f"fresh {a.fresh_ok_share:.0%}" if a.fresh_ok_share is not None else "")
        if a.less_fresh_ok_share is not None:
            note += f"\n-20%: {a.less_fresh_ok_share:.0%}"
        weak = a.cover_days is None or (a.fresh_ok_share is not None
                                        and a.fresh_ok_share < res.share)
        ax.annotate(note, (b.get_x() + b.get_width() / 2, b.get_height()), ha="center",
                    va="bottom", fontsize=7, xytext=(0, 2), textcoords="offset points",
                    color="tab:red" if weak else "black")
    ax.set_xticks(list(x), names)
    ax.set_ylabel("days of the plant's own magnet use")
    ax.set_ylim(0, max([*need, 1]) * 1.3)
    ax.set_title(f"{res.scenario}: each plant's cover needed\n(fresh: share of fresh seeds "
                 f"(n={len(res.fresh_seeds)}) without a halt; -20%: the same at 20% less)",
                 fontsize=9)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3, axis="y")
    if res.split:
        ax2 = axes[0, 1]
        ev = pd.DataFrame(res.split["evaluations"])
        ax2.plot(ev["plants_share"] * 100, ev["lost_vehicles"], "o-",
                 label=f"split tried (mean of {len(res.seeds)} seeds)")
        b = res.split["best"]
        ax2.plot([b["plants_share"] * 100], [b["lost_vehicles"]], "*", ms=14,
                 color="tab:red", label=f"cheapest: {b['plants_share']:.0%} at the plants "
                 f"(lost revenue {usd(b['lost_revenue_usd'])})")
        ax2.set_xlabel("share of the stock budget held at the plants (%; the rest at their "
                       "tier-1s)")
        ax2.set_ylabel("vehicles lost in halts (mean per seed)")
        ax2.set_ylim(bottom=0)
        ax2.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        none = not any(e["lost_revenue_usd"] or e["lost_vehicles"]
                       for e in res.split["evaluations"])
        ax2.set_title(f"split of {usd(res.split['budget_usd'])} of stock (the same carrying "
                      f"cost, {usd(res.split['carrying_cost_usd_per_yr'])}/yr, for every "
                      "split)" + ("\nno split tried loses anything: any is as good" if none
                                  else ""), fontsize=9)
        ax2.legend(fontsize=8)
        ax2.grid(alpha=0.3)
    return _save(fig, path)


def per_plant_sections(res, plot: Path) -> tuple[str, str, list[Section]]:
    head = Section("Headline", pre="\n".join(plant_lines(res)))
    table = Section("Each plant's cover", tables=[("", plant_table(res))], paragraphs=[
        "Cover needed: the smallest cover (days of the plant's own magnet use, held at the "
        "plant, as components where tier-1s supply it) with no halt of that plant on the "
        "asked share of the search seeds, all plants at their own answers. Fresh seeds "
        "check it holds; '20% less' checks it is minimal (that plant 20% lower, the others "
        "as found, on the fresh seeds)."])
    pics = Section("Plot", images=[(plot.name, plot)])
    sections = [head, table, pics]
    if res.split:
        ev = pd.DataFrame(res.split["evaluations"])[["plants_share", "lost_revenue_usd",
                                                     "lost_vehicles", "plant_halts"]]
        sections.append(Section("The budget split", tables=[("splits run", ev)],
                                paragraphs=[f"Optimiser: {res.split['optimiser']}."]))
    return (f"{res.scenario}: a buffer per plant",
            f"seeds {res.seeds}, fresh {res.fresh_seeds}, share {res.share:.0%}", sections)
