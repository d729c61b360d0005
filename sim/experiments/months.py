"""Month by month: what a run's tables say each calendar month.

    magnet-sim months results/controls_2025/2026-11-24_21-22-00    # a saved run folder
    magnet-sim months controls_2025 days=365                       # or run a scenario now
    magnet-sim months embargo_2010 --out months.md --csv months.csv

Sections (one row per calendar month of the run, the same rows in each):

- **Chinese exports by product** and **by destination** (t): shipments sold by a seller in
  China, dated at customs clearance (``cleared_on``) when the shipments table has that
  column, else at shipping (``shipped_on``); only dates within the run;
- **prices** inside and outside China per product (USD/kg, monthly mean of the daily
  ``price_<product>_cn`` / ``price_<product>_ex_cn``), a table per product category;
- **licence queue**: monthly mean tonnes waiting per product (``licence_queue_<product>_t``)
  and applications pending (mean, and on the month's last day);
- **halts and events**: lost vehicles, which buyers lost output and on how many days of the
  month (agents table, ``lost`` > 0), and the policy events that took effect or ended.

Products are those of `sim.products.PRODUCTS` that the tables hold; nothing is hard-coded.
`sections` and `markdown` do no file I/O; `main` reads or runs, prints and writes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

import sim
from sim.cli.compose import compose_run
from sim.cli.overrides import check_overrides
from sim.domain.errors import ConfigError, error
from sim.domain.products import PRODUCTS
from sim.domain.vocab import NODE_KINDS
from sim.kpis.supply import export_date, is_cn_export
from sim.outputs.run_folder import RunFolder

EPS = 1e-9
SECTIONS = ("exports by product (t)", "exports by destination (t)",
            "prices (USD/kg, monthly mean)", "licence queue", "halts and events")


def chinese_exports(tables: dict) -> pd.DataFrame:
    """The shipments China exported within the run (`sim.kpis.supply.is_cn_export`, dated
    by `export_date`), with a ``month`` column."""
    s, d = tables["shipments"], tables["daily"]
    when = pd.to_datetime(export_date(s))
    start, end = pd.to_datetime(d["date"]).min(), pd.to_datetime(d["date"]).max()
    keep = is_cn_export(s) & when.between(start, end)
    out = s[keep].copy()
    out["month"] = when[keep].dt.to_period("M").astype(str)
    return out


def _products(columns, prefix: str, suffix: str) -> list[str]:
    return [p.code for p in PRODUCTS if f"{prefix}{p.code}{suffix}" in columns]


def _pivot(df: pd.DataFrame, by: str, order: list[str], months: list[str]) -> pd.DataFrame:
    t = df.pivot_table(index="month", columns=by, values="tonnes", aggfunc="sum",
                       fill_value=0.0) if len(df) else pd.DataFrame(index=months)
    cols = [c for c in order if c in t.columns] + sorted(c for c in t.columns if c not in order)
    t = t.reindex(index=months, columns=cols, fill_value=0.0).fillna(0.0)
    t["total"] = t.sum(axis=1)
    t.columns.name = None
    return t


def _event_lines(events: pd.DataFrame | None, months: list[str], start, end) -> dict:
    out: dict[str, list[str]] = {m: [] for m in months}
    if events is None or not len(events):
        return out
    for e in events.to_dict("records"):
        label = e.get("label") or e.get("kind")
        date, stop = pd.to_datetime(e.get("date")), pd.to_datetime(e.get("end"))
        fired = e.get("fired", True)
        if pd.notna(date) and date < start and fired:
            out[months[0]].append(f"in force from {date.date()}: {label} [{e['kind']}]")
        elif pd.notna(date) and start <= date <= end and fired:
            out[date.strftime("%Y-%m")].append(f"{date:%d %b}: {label} [{e['kind']}]")
        if pd.notna(stop) and start <= stop <= end and (pd.isna(date) or date <= end):
            out[stop.strftime("%Y-%m")].append(f"{stop:%d %b} ends: {label}")
    return out


def sections(tables: dict) -> dict[str, pd.DataFrame]:
    """The month-by-month tables of a run (see the module docstring), indexed by month
    (``YYYY-MM``), in `SECTIONS` order (prices: one per product category,
    ``"prices (USD/kg, monthly mean): magnet"``)."""

    daily = tables["daily"].copy()
    daily["date"] = pd.to_datetime(daily["date"])
    daily["month"] = daily["date"].dt.to_period("M").astype(str)
    months = list(dict.fromkeys(daily["month"]))
    start, end = daily["date"].min(), daily["date"].max()
    codes = [p.code for p in PRODUCTS]
    ex = chinese_exports(tables)
    out: dict[str, pd.DataFrame] = {
        SECTIONS[0]: _pivot(ex, "material", codes, months),
        SECTIONS[1]: _pivot(ex, "buyer_country", [], months),
    }
    g = daily.groupby("month", sort=False)
    cat = {p.code: p.category for p in PRODUCTS}
    for category in dict.fromkeys(cat.values()):  # one prices table per product category
        prices = pd.DataFrame(index=months)
        for p in _products(daily.columns, "price_", "_cn"):
            if cat[p] == category and f"price_{p}_ex_cn" in daily.columns:
                prices[f"{p} CN"] = g[f"price_{p}_cn"].mean()
                prices[f"{p} ex-CN"] = g[f"price_{p}_ex_cn"].mean()
        out[f"{SECTIONS[2]}: {category}"] = prices
    queue = pd.DataFrame(index=months)
    for p in _products(daily.columns, "licence_queue_", "_t"):
        queue[f"{p} t (mean)"] = g[f"licence_queue_{p}_t"].mean()
    if "licence_applications_pending" in daily.columns:
        queue["files pending (mean)"] = g["licence_applications_pending"].mean()
        queue["files pending (month end)"] = g["licence_applications_pending"].last()
    out[SECTIONS[3]] = queue
    halts = pd.DataFrame(index=months)
    if "lost_vehicles" in daily.columns:
        halts["lost vehicles"] = g["lost_vehicles"].sum()
    a = tables["agents"]
    a = a[a["kind"].isin(NODE_KINDS) & (a["lost"] > EPS)].copy()
    a["month"] = pd.to_datetime(a["date"]).dt.to_period("M").astype(str)
    days = a.groupby(["month", "agent"]).size().reset_index(name="days")
    halts["halted (days in month)"] = [
        ", ".join(f"{r.agent} {r.days}" for r in days[days["month"] == m].sort_values(
            ["days", "agent"], ascending=[False, True]).itertuples()) for m in months]
    ev = _event_lines(tables.get("events"), months, start, end)
    halts["events"] = ["; ".join(ev[m]) for m in months]
    out[SECTIONS[4]] = halts
    return out


def frame(secs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """All sections side by side (columns ``<section>: <column>``), e.g. for a CSV."""
    parts = [df.add_prefix(f"{name}: ") for name, df in secs.items()]
    out = pd.concat(parts, axis=1)
    out.index.name = "month"
    return out


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "-"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if abs(v) >= 100:
            return f"{v:,.0f}"
        r = round(float(v), 1)
        return f"{int(r)}" if r == int(r) else f"{r:,.1f}"
    return str(v).replace("|", "/")


def md_table(df: pd.DataFrame, index: str = "month") -> str:
    """A DataFrame as a Markdown table, its index first; numbers right-aligned."""
    cols = list(df.columns)
    num = [pd.api.types.is_numeric_dtype(df[c]) for c in cols]
    lines = [f"| {index} | " + " | ".join(map(str, cols)) + " |",
             "|---|" + "".join("---:|" if n else "---|" for n in num)]
    for i, row in df.iterrows():
        lines.append(f"| {i} | " + " | ".join(_cell(row[c]) for c in cols) + " |")
    return "\n".join(lines)


def markdown(secs: dict[str, pd.DataFrame], title: str = "") -> str:
    """The sections as one Markdown document (a table per section, month rows)."""
    out = [f"# {title}", ""] if title else []
    for name, df in secs.items():
        if df.shape[1] == 0:
            continue
        out += [f"## {name[0].upper()}{name[1:]}", "", md_table(df), ""]
    return "\n".join(out)


def title_of(tables: dict) -> str:
    meta = tables.get("meta") or {}
    d = pd.to_datetime(tables["daily"]["date"])
    bits = [str(meta.get("scenario") or "run"), f"{d.min().date()} to {d.max().date()}"]
    if meta.get("seed") is not None:
        bits.append(f"seed {meta['seed']}")
    return f"Month by month: {', '.join(bits)}"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (through main)
        raise ConfigError(f"magnet-sim months: {message}")


def _tables(target: str, extra: list[str]) -> dict:
    """A run folder's tables, or a scenario run now (``target`` a scenario name)."""
    p = Path(target)
    if p.is_dir():
        rf = RunFolder(p)
        if not rf.has_tables():
            raise error("magnet-sim months", "not a run folder (no daily.parquet)", target)
        if extra:
            raise error("magnet-sim months", "overrides go with a scenario, not a saved run",
                        " ".join(extra))
        return rf.read()
    if "/" in target or target.startswith("."):
        raise error("magnet-sim months", "no such run folder", target)
    overrides = ([target] if "=" in target else [f"scenario={target}"]) + list(extra)
    try:
        cfg = compose_run(check_overrides(overrides)).config
    except ConfigError as e:
        raise ConfigError(f"magnet-sim months: {str(e).removeprefix('command line: ')}") \
            from None
    cfg.plots = False
    return sim.run(cfg)


def main(argv: list[str] | None = None) -> int:
    """``magnet-sim months RUN_FOLDER_OR_SCENARIO [key=value ...] [--out F] [--csv F]``."""
    ap = _Parser(prog="magnet-sim months", description=__doc__.split("\n")[0],
                 allow_abbrev=False)
    ap.add_argument("target", help="a run folder, or a scenario name (run now)")
    ap.add_argument("overrides", nargs="*", help="key=value overrides (with a scenario)")
    ap.add_argument("--out", type=Path, help="write the Markdown here too")
    ap.add_argument("--csv", type=Path, help="write all sections as one CSV")
    try:
        a = ap.parse_args(argv)
        bad = [o for o in a.overrides if "=" not in o]
        if bad:
            raise error("magnet-sim months", "overrides are key=value", " ".join(bad))
        tables = _tables(a.target, a.overrides)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    secs = sections(tables)
    text = markdown(secs, title_of(tables))
    print(text)
    for path, write in ((a.out, lambda p: p.write_text(text)),
                        (a.csv, lambda p: frame(secs).to_csv(p))):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            write(path)
            print(f"-> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
