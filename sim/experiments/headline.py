"""A sweep's headline comparison, as tables: printed in the terminal when the sweep ends and
put at the top of its report (`sim.experiments.summary.aggregate`).

- variants with a reference: each variant minus the reference on the same seeds (mean, 95%
  CI from two or more pairs, n);
- a 2-D grid: the first KPI's mean per cell (with the runs per cell);
- otherwise: each KPI's median and 10-90% range over the runs (n);
- and each plant's share of runs with a halt, called a probability only when the runs are
  at least two random draws (`sim.experiments.design.shares_are_probabilities`).
"""

from __future__ import annotations

import re

import pandas as pd

from sim.experiments.design import num, param_label, shares_are_probabilities
from sim.kpis import label as kpi_label


def comparison_view(comp: pd.DataFrame) -> pd.DataFrame:
    """Paired differences, one row per variant and KPI, in words."""
    rows = []
    for _, r in comp.iterrows():
        n = int(r["n_pairs"])
        ci = (f"[{num(r['ci95_low'])}, {num(r['ci95_high'])}]" if n >= 2 and
              pd.notna(r["ci95_low"]) else "no interval (n < 2)")
        rows.append({"variant": r["variant"], "KPI": kpi_label(r["kpi"]),
                     "variant mean": num(r["mean_variant"]),
                     f"{r['reference']} mean": num(r["mean_reference"]),
                     "difference": num(r["mean_diff"]), "95% CI": ci, "n pairs": n})
    return pd.DataFrame(rows)


def distribution_view(df: pd.DataFrame, kpis: list[str], group: str | None) -> pd.DataFrame:
    """Median and 10-90% range of each KPI over the runs (per variant when there is one)."""
    ok = df[df["status"] == "ok"]
    col = f"param.{group}" if group and f"param.{group}" in ok else None
    groups = list(ok.groupby(ok[col].astype(str))) if col else [("all runs", ok)]
    rows = []
    for name, g in groups:
        for k in kpis:
            s = pd.to_numeric(g.get(f"kpi.{k}"), errors="coerce").dropna() \
                if f"kpi.{k}" in g else pd.Series(dtype=float)
            if s.empty:
                continue
            rows.append({"group": name, "KPI": kpi_label(k), "median": num(s.median()),
                         "10%": num(s.quantile(0.1)) if len(s) >= 2 else "-",
                         "90%": num(s.quantile(0.9)) if len(s) >= 2 else "-", "n": len(s)})
    return pd.DataFrame(rows)


def grid_view(df: pd.DataFrame, kpi: str, x: str, y: str, events: list | None = None
              ) -> pd.DataFrame:
    """The mean of ``kpi`` per grid cell (rows ``y``, columns ``x``), with n per cell."""
    ok = df[df["status"] == "ok"]
    kw = {"index": f"param.{y}", "columns": f"param.{x}", "values": f"kpi.{kpi}"}
    mean = ok.pivot_table(**kw, aggfunc="mean")
    n = ok.pivot_table(**kw, aggfunc="count").reindex_like(mean)
    out = mean.copy().astype(object)
    for i in mean.index:
        for j in mean.columns:
            out.loc[i, j] = f"{num(mean.loc[i, j])} (n={int(n.loc[i, j])})" \
                if pd.notna(mean.loc[i, j]) else "-"
    out.index = [f"{param_label(y, events)} = {num(i)}" for i in out.index]
    out.columns = [f"{param_label(x, events)} = {num(c)}" for c in out.columns]
    return out.reset_index(names="")


def halt_view(halts: pd.DataFrame, samples: dict | None, events: list | None = None
              ) -> tuple[pd.DataFrame, str]:
    """Each plant's share of runs with a halt per variant, and what that share is."""
    n = int(halts["n_runs"].min()) if len(halts) else 0
    _, words = shares_are_probabilities(n, samples)
    t = halts.pivot_table(index="variant", columns="plant", values="halt_probability",
                          sort=False)
    t = t.map(lambda x: f"{x:.0%}" if pd.notna(x) else "-")
    t.insert(0, "runs", halts.groupby("variant")["n_runs"].max().reindex(t.index))
    t.index = [re.sub(r"([\w.]+)=(\S+?)(,|$)", lambda m: f"{param_label(m[1], events)} "
                      f"{m[2]}{m[3]}", str(v)) for v in t.index]
    return t.reset_index(names="variant"), words


def headline_tables(df: pd.DataFrame, kpis: list[str], compare: dict, comp: pd.DataFrame,
                    halts: pd.DataFrame, samples: dict | None, events: list | None = None
                    ) -> list[tuple[str, pd.DataFrame]]:
    """(caption, table) pairs: the sweep's answer, most important first."""
    out = []
    variant, grid = compare.get("variant"), compare.get("grid")
    if len(comp):
        out.append((f"each {variant} minus {compare.get('reference')} on the same seeds",
                    comparison_view(comp)))
    elif grid and len(grid) == 2 and all(f"param.{g}" in df for g in grid) and kpis \
            and "seed" not in grid:
        out.append((f"{kpi_label(kpis[0])}: mean per grid cell",
                    grid_view(df, kpis[0], grid[0], grid[1], events)))
    else:
        out.append(("each KPI over the runs: median and 10-90% range",
                    distribution_view(df, kpis, variant)))
    if len(halts):
        t, words = halt_view(halts, samples, events)
        out.append((f"share of runs with at least one halt per plant ({words})", t))
    return out


def headline_lines(tables: list[tuple[str, pd.DataFrame]]) -> list[str]:
    """The tables as terminal text."""
    lines = []
    for caption, t in tables:
        lines += ["", f"{caption}:", t.to_string(index=False)]
    return lines
