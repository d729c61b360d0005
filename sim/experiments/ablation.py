"""Ablation tables: a replay's headline figures with all mechanisms on, then with each one
switched off in turn.

    magnet-sim ablation                                  # experiments/ablation/replays.yaml
    magnet-sim ablation SPEC.yaml --out DIR --jobs 2 days=365

A spec is a plain YAML file (not a Hydra experiment), checked strictly (`parse_spec`):

.. code-block:: yaml

    scenarios: [controls_2025, embargo_2010]   # names in scenarios/scenario/
    seed: 42                         # or a list: figures are means over the seeds
    overrides: []                    # applied to every run, e.g. [days=365]
    baseline: ["events=[]"]          # the no-shock reference: the scenario without events
    headline:                        # KPI names from the registry (sim.kpis), or
      - lost_vehicles                #   flat names:   price_peak_ratio.ndfeb
      - sum(plants.*.halt_days)      #   patterns:     price_moves.*.cn.peak (one column each)
      - exports_t_per_month/baseline #   sums:         sum(PATTERN); ratios: NAME/baseline
    switches:                        # name: overrides that switch the mechanism off
      provincial_review: ["licensing.provincial_review={dist:fixed,low:0,mode:0,high:0}"]

Each scenario runs with all mechanisms on (the scenario as it is, plus ``overrides``), then
once per switch with that switch's overrides on top, then (if ``baseline`` is given) once as
the no-shock reference; all on the same seed, so variants share their random streams until
the switched mechanism makes them differ. Switching off a mechanism that draws random
numbers shifts the later draws, so one seed mixes its effect with noise: give ``seed`` a
list and every figure is the mean over those seeds (each variant paired with "all on" on
the same seeds). Every override is checked like the command line
(`sim.cli_checks.preflight`) before any run starts. A switch whose run has every KPI equal
to "all on" is flagged "no effect"; one that changes other KPIs but none of the headline
figures is flagged "no effect on these figures".

The functions that build and format tables (`parse_spec`, `figures`, `ablation_table`,
`markdown`) do no file I/O; `run` and `main` write the run folders and tables.
"""

from __future__ import annotations

import argparse
import dataclasses
import fnmatch
import math
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from sim.cli.compose import compose_run, explain
from sim.cli.overrides import check_overrides
from sim.domain.errors import ConfigError, error
from sim.experiments.ablation_spec import (
    ALL_ON,
    DEFAULT_SPEC,
    RATIO,
    REFERENCE,
    SUM,
    Spec,
    load_spec,
)
from sim.experiments.runner import Job, run_many


# --------------------------------------------------------------------------- the runs
@dataclass
class Variant:
    """One run of an ablation: a scenario with extra overrides."""

    scenario: str
    name: str                     # "all on", "without <switch>", or REFERENCE
    switch: str | None = None
    overrides: list[str] = field(default_factory=list)
    seed: int | None = None       # in the folder name when the spec has several seeds

    @property
    def slug(self) -> str:
        s = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.name).strip("_")
        return s if self.seed is None else f"{s}/seed_{self.seed}"


def variants(spec: Spec, extra: list[str] | tuple[str, ...] = ()) -> list[Variant]:
    """Every run of the spec, in table order: per scenario all on, each switch off, the
    reference. ``extra`` overrides (the command line's) go on every run."""
    out = []
    for s in spec.scenarios:
        for seed in spec.seeds:
            common = [f"scenario={s}", f"seed={seed}", *spec.overrides, *extra]
            tag = seed if len(spec.seeds) > 1 else None
            out.append(Variant(s, ALL_ON, None, list(common), tag))
            for name, ovs in spec.switches.items():
                out.append(Variant(s, f"without {name}", name, [*common, *ovs], tag))
            if spec.baseline is not None:
                out.append(Variant(s, REFERENCE, None, [*common, *spec.baseline], tag))
    return out


def _where(v: Variant, spec_name: str) -> str:
    if v.switch is not None:
        return f"{spec_name}: switches.{v.switch}"
    if v.name == REFERENCE:
        return f"{spec_name}: baseline"
    return f"{spec_name}: overrides"


def check_variants(vs: list[Variant], spec_name: str = "ablation spec") -> list[list[str]]:
    """Check every variant's overrides as the command line is checked (unknown keys, wrong
    kinds, unknown scenarios); return them with event ids resolved. Raises ConfigError
    naming the switch."""
    out = []
    for v in vs:
        try:
            out.append(check_overrides(v.overrides))
        except ConfigError as e:
            msg = str(e).removeprefix("command line: ")
            raise ConfigError(f"{_where(v, spec_name)}: {msg}") from None
    return out


def compose(overrides: list[str]):
    """The RunConfig the command line builds for ``overrides``."""
    return compose_run(list(overrides)).config


def flat_kpis(k: dict) -> dict:
    """KPIs flattened with dots (``price_peak_ratio.ndfeb``); lists left out (as sweeps)."""
    if not k:
        return {}
    row = pd.json_normalize(k, sep=".").iloc[0].to_dict()
    return {c: v for c, v in row.items() if not isinstance(v, (list, dict))}


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v)):
        return float(v)
    return None


def _values(flat: dict, text: str) -> dict:
    """One headline entry (no ``/baseline``) read from flat KPIs: ``{column: value}``."""
    m = SUM.match(text)
    pattern = m.group("pattern") if m else text
    if "*" not in pattern and pattern not in flat and any(
            k.startswith(pattern + ".") for k in flat):
        pattern += ".*"  # a map KPI by its name: every key
    keys = [k for k in flat if fnmatch.fnmatchcase(k, pattern)]
    if m:
        return {text: sum(x for k in keys if (x := _num(flat[k])) is not None)}
    return {k: flat[k] for k in keys} or {text: None}


def figures(headline: tuple[str, ...], flat: dict, base: dict | None = None) -> dict:
    """The headline figures of one run (flat KPIs) as ``{column: value}``; ``base`` is the
    reference run's flat KPIs (for NAME/baseline: this run's figure over the reference's)."""
    out: dict[str, Any] = {}
    for h in headline:
        if h.endswith(RATIO):
            text = h[:-len(RATIO)]
            b = _values(base or {}, text)
            for label, v in _values(flat, text).items():
                x, y = _num(v), _num(b.get(label))
                out[f"{label} / baseline"] = x / y if x is not None and y else None
        else:
            out.update(_values(flat, h))
    return out


def _same(a: Any, b: Any) -> bool:
    x, y = _num(a), _num(b)
    if x is not None and y is not None:
        return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return a == b


def _mean(figs: list[dict]) -> dict:
    """Figures of several seeds: numbers averaged, other values kept when all agree."""
    out: dict[str, Any] = {}
    for col in dict.fromkeys(c for f in figs for c in f):
        vals = [f.get(col) for f in figs]
        nums = [_num(v) for v in vals]
        if all(x is not None for x in nums):
            out[col] = sum(nums) / len(nums)
        elif all(_same(v, vals[0]) for v in vals):
            out[col] = vals[0]
        else:
            out[col] = "varies"
    return out


def ablation_table(spec: Spec, scenario: str, results: dict[str, Any]) -> pd.DataFrame:
    """One scenario's table: a row per variant (all on, each switch off, the reference),
    a column per headline figure (the mean over the spec's seeds), ``<figure> diff``
    columns (variant - all on) and a ``note`` ("no effect": every KPI equal to "all on" on
    every seed; "no effect on these figures"; "failed: ...").

    ``results`` maps a variant name to `run_one`'s result, or to a list of them (one per
    seed, in the spec's seed order)."""
    res = {k: (v if isinstance(v, list) else [v]) for k, v in results.items()}
    ok = {k: all("kpis" in r for r in v) for k, v in res.items()}
    base = [r.get("kpis") for r in res[REFERENCE]] if ok.get(REFERENCE) else None

    def figs(name: str) -> list[dict]:
        return [figures(spec.headline, r["kpis"], base[i] if base else None)
                for i, r in enumerate(res[name])]

    names = [ALL_ON, *(f"without {s}" for s in spec.switches)]
    if spec.baseline is not None:
        names.append(REFERENCE)
    on_figs = figs(ALL_ON) if ok.get(ALL_ON) else []
    on_fig = _mean(on_figs) if on_figs else {}
    rows = []
    for name in names:
        row: dict[str, Any] = {"variant": name}
        if not ok.get(name):
            errs = [r.get("error", "not run") for r in res.get(name, [{}]) if "kpis" not in r]
            row["note"] = f"failed: {errs[0] if errs else 'not run'}"
            rows.append(row)
            continue
        per_seed = figs(name)
        fig = _mean(per_seed)
        row.update(fig)
        note = ""
        if name != ALL_ON and on_fig:
            for col, v in fig.items():
                d = _num(v), _num(on_fig.get(col))
                row[f"{col} diff"] = d[0] - d[1] if None not in d else (
                    None if _same(v, on_fig.get(col)) else "changed")
            if name.startswith("without "):
                pairs = list(zip(res[name], res[ALL_ON], strict=True))
                if all(_same(r["kpis"].get(k), o["kpis"].get(k)) for r, o in pairs
                       for k in set(r["kpis"]) | set(o["kpis"])):
                    note = "no effect"
                elif all(_same(v, f0.get(c)) for f, f0 in zip(per_seed, on_figs, strict=True)
                         for c, v in f.items()):
                    note = "no effect on these figures"
        row["note"] = note
        rows.append(row)
    df = pd.DataFrame(rows)
    df.insert(0, "scenario", scenario)
    return df


def fmt(v: Any, signed: bool = False) -> str:
    """A figure as a table shows it: thousands separators, three significant digits for
    small numbers, ``-`` for none."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    x = _num(v)
    if x is None:
        return str(v)
    sign = "+" if signed and x > 0 else ""
    if abs(x) >= 100:
        return f"{sign}{x:,.0f}"
    if x == int(x):
        return f"{sign}{int(x)}"
    return f"{sign}{x:.3g}"


def markdown(df: pd.DataFrame) -> str:
    """A scenario's table as Markdown: each cell the figure, with its difference from "all
    on" in brackets; the note last."""
    if df.empty:
        return ""
    cols = [c for c in df.columns if c not in ("scenario", "variant", "note")
            and not c.endswith(" diff")]
    lines = ["| variant | " + " | ".join(cols) + " | note |",
             "|---|" + "---:|" * len(cols) + "---|"]
    for r in df.to_dict("records"):
        cells = []
        for c in cols:
            v = r.get(c)
            d = r.get(f"{c} diff")
            cell = fmt(v)
            if r["variant"] != ALL_ON and c in r:
                if isinstance(d, str):
                    cell += " (changed)"
                elif _num(d) is not None:
                    cell += " (=)" if _same(d, 0.0) else f" ({fmt(d, signed=True)})"
            cells.append(cell)
        note = r.get("note") or ""
        if isinstance(note, float):
            note = ""
        lines.append(f"| {r['variant']} | " + " | ".join(cells) + f" | {note} |")
    return "\n".join(lines)


def report(spec: Spec, tables: dict[str, pd.DataFrame], extra: list[str] | tuple = ()) -> str:
    """The Markdown document: one section per scenario."""
    seeds = ", ".join(map(str, spec.seeds))
    out = [f"# Ablation (seed {seeds})" if len(spec.seeds) == 1 else
           f"# Ablation (means over seeds {seeds})", ""]
    ovs = [*spec.overrides, *extra]
    if ovs:
        out += [f"Overrides on every run: `{' '.join(ovs)}`.", ""]
    out += ["Each row is the scenario with one mechanism switched off; brackets give the "
            "difference from \"all on\" (`=`: equal)." + (
                f" `{REFERENCE}` is the scenario with `{' '.join(spec.baseline)}`."
                if spec.baseline is not None else ""), ""]
    for s, df in tables.items():
        out += [f"## {s}", "", markdown(df), ""]
    out += ["Switches (overrides that turn each mechanism off):", ""]
    out += [f"- `{n}`: `{' '.join(o)}`" for n, o in spec.switches.items()]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- running
def run(spec: Spec, extra: list[str] | tuple = (), out: Path | None = None,
        jobs_n: int | None = None, progress: bool | None = None,
        spec_name: str = "ablation spec") -> dict[str, pd.DataFrame]:
    """Run every variant of ``spec`` (checked first); with ``out``, save each run's tables
    in ``out/runs/<scenario>/<variant>/``. Returns a table per scenario."""
    vs = variants(spec, list(extra))
    resolved = check_variants(vs, spec_name)
    cfgs = []
    for v, ovs in zip(vs, resolved, strict=True):
        try:
            cfgs.append(compose(ovs))
        except ConfigError as e:
            raise ConfigError(f"{_where(v, spec_name)}: {e}") from None
        except Exception as e:  # noqa: BLE001 - Hydra's refusals, as one line
            raise ConfigError(f"{_where(v, spec_name)}: {explain(e)}") from None
    jobs = [Job(tuple(o), None if out is None else
                str(Path(out) / "runs" / v.scenario / v.slug),
                config=dataclasses.replace(c, plots=False), plots=False)
            for v, c, o in zip(vs, cfgs, resolved, strict=True)]
    bar = tqdm(total=len(jobs), unit="run", desc="ablation",
               disable=None if progress is None else not progress)
    res = run_many(jobs, workers=jobs_n, on_result=lambda r: bar.update())
    bar.close()
    results = [{"kpis": flat_kpis(r.kpis)} if r.status == "ok" else {"error": r.error}
               for r in res]
    tables = {}
    for s in spec.scenarios:
        by_name: dict[str, list[dict]] = {}
        for v, r in zip(vs, results, strict=True):
            if v.scenario == s:
                by_name.setdefault(v.name, []).append(r)
        tables[s] = ablation_table(spec, s, by_name)
    return tables


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (through main)
        raise ConfigError(f"magnet-sim ablation: {message}")


def main(argv: list[str] | None = None) -> int:
    """``magnet-sim ablation [SPEC] [--out DIR] [--jobs N] [key=value ...]``."""
    ap = _Parser(prog="magnet-sim ablation", description=__doc__.split("\n")[0],
                 allow_abbrev=False)
    ap.add_argument("args", nargs="*", help="the spec file (default "
                    "experiments/ablation/replays.yaml), then key=value overrides for "
                    "every run")
    ap.add_argument("--out", type=Path, help="folder for ablation.md, ablation.csv and the "
                    "runs (default results/ablation/<timestamp>)")
    ap.add_argument("--jobs", type=int, default=None, help="parallel runs (default: cores)")
    try:
        a = ap.parse_args(argv)
        specs = [x for x in a.args if "=" not in x]
        extra = [x for x in a.args if "=" in x]
        if len(specs) > 1:
            raise error("magnet-sim ablation", "one spec file at a time", " ".join(specs))
        if a.jobs is not None and a.jobs < 1:
            raise error("--jobs", "expected a whole number >= 1", a.jobs)
        path = Path(specs[0]) if specs else DEFAULT_SPEC
        spec = load_spec(path)
        out = a.out or Path("results/ablation") / time.strftime("%Y-%m-%d_%H-%M-%S")
        t0 = time.time()
        tables = run(spec, extra, out, a.jobs, spec_name=str(path))
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    text = report(spec, tables, extra)
    out.mkdir(parents=True, exist_ok=True)
    (out / "ablation.md").write_text(text)
    pd.concat(tables.values(), ignore_index=True).to_csv(out / "ablation.csv", index=False)
    print(text)
    print(f"({time.time() - t0:.0f} s) -> {out / 'ablation.md'}, ablation.csv; each run's "
          f"tables in {out / 'runs'} (magnet-sim months FOLDER)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
