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
import fnmatch
import math
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.config.paths import EXPERIMENTS_DIR
from sim.domain.errors import (
    ConfigError,
    error,
    show,
    suggest,
)

DEFAULT_SPEC = EXPERIMENTS_DIR / "ablation" / "replays.yaml"
SPEC_KEYS = ("scenarios", "seed", "overrides", "baseline", "headline", "switches")
ALL_ON = "all on"
REFERENCE = "reference: no events"
SUM = re.compile(r"^sum\((?P<pattern>[^()]+)\)$")
RATIO = "/baseline"


# --------------------------------------------------------------------------- the spec
@dataclass(frozen=True)
class Spec:
    """A parsed ablation spec (see the module docstring)."""

    scenarios: tuple[str, ...]
    headline: tuple[str, ...]
    switches: dict[str, tuple[str, ...]]
    seeds: tuple[int, ...] = (42,)
    overrides: tuple[str, ...] = ()
    baseline: tuple[str, ...] | None = None


def _strings(raw: Any, where: str, empty_ok: bool = True) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise error(where, "expected a list of strings", show(raw))
    if not raw and not empty_ok:
        raise error(where, "needs at least one entry", show(raw))
    return tuple(raw)


def _check_headline(name: str, where: str) -> None:
    """A headline figure names a registered KPI (flat name, pattern, sum or ratio)."""
    from sim.kpis import REGISTRY, KpiError, check_names

    text = name[:-len(RATIO)] if name.endswith(RATIO) else name
    m = SUM.match(text)
    if m:
        text = m.group("pattern")
    if "(" in text or ")" in text:
        raise error(where, "a headline figure is NAME, NAME.key, a pattern with *, "
                    "sum(PATTERN) or NAME/baseline", show(name))
    base, _, rest = text.partition(".")
    if "*" in base:
        raise error(where, f"a pattern starts with a KPI name{suggest(base, REGISTRY)}",
                    show(name))
    if "*" in rest:
        if not REGISTRY.get(base) or not REGISTRY[base].keys:
            raise error(where, f"{base!r} is not a KPI with keys (a pattern needs one)"
                        f"{suggest(base, [k for k, v in REGISTRY.items() if v.keys])}",
                        show(name))
        return
    try:
        check_names([text], where)
    except KpiError as e:
        raise error(where, f"unknown KPI {text!r}{suggest(base, REGISTRY)}; list them with "
                    "magnet-sim list kpis", show(name)) from e


def parse_spec(raw: Any, where: str = "ablation spec") -> Spec:
    """The spec's data as a `Spec`; any unknown key or bad value is one `ConfigError`.
    (Override keys are checked against the schema by `check_overrides`.)"""
    if not isinstance(raw, dict):
        raise error(where, "expected a mapping (" + ", ".join(SPEC_KEYS) + ")", show(raw))
    for k in raw:
        if k not in SPEC_KEYS:
            raise error(where, f"unknown key {str(k)!r}{suggest(k, SPEC_KEYS)} (keys: "
                        f"{', '.join(SPEC_KEYS)})", show(k))
    for k in ("scenarios", "headline", "switches"):
        if k not in raw:
            raise error(where, f"needs {k!r}", None)
    scenarios = _strings(raw["scenarios"], f"{where}: scenarios", empty_ok=False)
    seed = raw.get("seed", 42)
    seeds = seed if isinstance(seed, list) else [seed]
    if not seeds or not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0
                            for x in seeds) or len(set(seeds)) < len(seeds):
        raise error(f"{where}: seed", "expected a whole number >= 0, or a list of distinct "
                    "ones (figures are then means over the seeds)", show(seed))
    headline = _strings(raw["headline"], f"{where}: headline", empty_ok=False)
    for i, h in enumerate(headline):
        _check_headline(h, f"{where}: headline[{i}]")
    switches_raw = raw["switches"]
    if not isinstance(switches_raw, dict):
        raise error(f"{where}: switches", "expected a mapping name: [override, ...]",
                    show(switches_raw))
    switches = {}
    for name, ovs in switches_raw.items():
        if not isinstance(name, str) or not re.match(r"^[A-Za-z0-9_.-]+$", name):
            raise error(f"{where}: switches", "a switch name is letters, digits, _ . -",
                        show(name))
        ovs = _strings(ovs, f"{where}: switches.{name}", empty_ok=False)
        for o in ovs:
            if "=" not in o:
                raise error(f"{where}: switches.{name}", f"{o!r} is not key=value", show(o))
        switches[name] = ovs
    overrides = _strings(raw.get("overrides") or [], f"{where}: overrides")
    base = raw.get("baseline")
    baseline = None if base is None else _strings(base, f"{where}: baseline")
    if baseline is None and any(h.endswith(RATIO) for h in headline):
        raise error(f"{where}: headline", "a NAME/baseline figure needs a baseline run "
                    "(baseline: [\"events=[]\"])", show([h for h in headline
                                                           if h.endswith(RATIO)]))
    return Spec(scenarios=scenarios, headline=headline, switches=switches, seeds=tuple(seeds),
                overrides=overrides, baseline=baseline)


def load_spec(path: str | Path) -> Spec:
    """Read and parse a spec file (errors name the file)."""
    from sim.cli.files import read_yaml

    p = Path(path)
    if not p.is_file():
        raise error("ablation", "no such spec file", str(path))
    return parse_spec(read_yaml(p), str(path))


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


def check_overrides(vs: list[Variant], spec_name: str = "ablation spec") -> list[list[str]]:
    """Check every variant's overrides as the command line is checked (unknown keys, wrong
    kinds, unknown scenarios); return them with event ids resolved. Raises ConfigError
    naming the switch."""
    from sim.cli.app import _parser
    from sim.cli.overrides import preflight

    out = []
    for v in vs:
        try:
            out.append(preflight(_parser().parse_args(v.overrides)))
        except ConfigError as e:
            msg = str(e).removeprefix("command line: ")
            raise ConfigError(f"{_where(v, spec_name)}: {msg}") from None
    return out


def compose(overrides: list[str]):
    """The RunConfig the CLI builds for ``overrides`` (Hydra's compose API)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim.cli.app import CONFIG_DIR, to_config

    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            return to_config(hydra_compose(config_name="config", overrides=list(overrides)))
    finally:
        GlobalHydra.instance().clear()


def flat_kpis(k: dict) -> dict:
    """KPIs flattened with dots (``price_peak_ratio.ndfeb``); lists left out (as sweeps)."""
    if not k:
        return {}
    row = pd.json_normalize(k, sep=".").iloc[0].to_dict()
    return {c: v for c, v in row.items() if not isinstance(v, (list, dict))}


def run_one(cfg, folder: str | Path | None = None, overrides: list[str] | None = None) -> dict:
    """Run one config; return ``{"kpis": flat KPIs}`` or ``{"error": one line}``. With a
    ``folder``, the run's tables are saved there (no plots) with its overrides."""
    import traceback

    from sim import run, save

    try:
        cfg.plots = False
        out = run(cfg, progress=False)
    except ConfigError as e:
        return {"error": str(e)}
    except Exception as e:  # noqa: BLE001 - one failed variant must not lose the others
        return {"error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()}
    if folder is not None:
        from omegaconf import OmegaConf
        save(out, folder, plots=False)
        hyd = Path(folder) / ".hydra"
        hyd.mkdir(exist_ok=True)
        OmegaConf.save(OmegaConf.create(list(overrides or [])), hyd / "overrides.yaml")
    return {"kpis": flat_kpis(out["kpis"])}


# --------------------------------------------------------------------------- the tables
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


# --------------------------------------------------------------------------- inputs
EVENT_META = ("set", "id", "date", "day", "label", "source")


def _flat(d: Any, prefix: str = "") -> dict:
    if isinstance(d, dict) and d:
        out = {}
        for k, v in d.items():
            out.update(_flat(v, f"{prefix}{k}."))
        return out
    return {prefix[:-1]: d}


def _show(v: Any) -> str:
    if isinstance(v, list):
        return ", ".join(map(_show, v))
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_show(x)}" for k, x in v.items())
    if isinstance(v, float) and v == int(v):
        v = int(v)
    return f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10000 \
        else str(v)


def _firm_changes(flat: dict, ref: dict, tables) -> list[str]:
    """Field-by-field changes to named firms of the same world tables (overrides)."""
    out = []
    for key in sorted(tables):
        rows, was_rows = flat.get(key) or [], ref.get(key) or []
        if not all(isinstance(f, dict) and "name" in f for f in [*rows, *was_rows]):
            if rows != was_rows:  # a table of rows without names (content, china, ...)
                out.append(f"`{key}` edited")
            continue
        old = {f.get("name"): f for f in was_rows}
        for firm in rows:
            was = old.get(firm.get("name"))
            if was is None:
                out.append(f"`{key}` adds {firm.get('name')}")
                continue
            diff = [f"{k} {_show(v)}" for k, v in firm.items() if was.get(k) != v]
            if diff:
                out.append(f"{firm['name']}: " + ", ".join(diff))
    return out


def scenario_inputs(names: tuple[str, ...] | list[str], reference: str = "baseline") -> str:
    """What each scenario puts in (inputs only, no outcomes), as Markdown: its horizon and
    world, the settings it changes from ``scenario=<reference>``, and its events with dates
    and sources. Composed as a run composes it (the README's generated ``replays`` block)."""
    import datetime as dt

    from omegaconf import OmegaConf

    from sim.config.tables import TABLES

    def plain(name: str) -> dict:
        return OmegaConf.to_container(OmegaConf.structured(compose([f"scenario={name}"])))

    ref = _flat({k: v for k, v in plain(reference).items() if k != "events"})
    out = []
    for name in names:
        d = plain(name)
        end = dt.date.fromisoformat(str(d["start"])) + dt.timedelta(days=int(d["days"]) - 1)
        out += [f"**`scenario={name}`**: {d['start']} to {end} ({d['days']} days), world "
                f"`{d['world']['tables']}`, licensing variant `{d['licensing']['name']}`.", ""]
        flat = _flat({k: v for k, v in d.items() if k != "events"})
        tables = {f"world.{t}" for t in TABLES}
        changed = [k for k in flat if k not in ("scenario_name", "start", "days")
                   and k not in tables and flat[k] != ref.get(k)]
        notes = [f"`{k}` = {_show(flat[k])}" for k in changed]
        if d["world"]["tables"] == plain(reference)["world"]["tables"]:
            notes += _firm_changes(flat, ref, tables)
        if notes:
            out.append("Settings changed from the baseline: " + "; ".join(notes) + ".")
            out.append("")
        out += ["| date | event | what | label | source |", "|---|---|---|---|---|"]
        for e in d.get("events") or []:
            when = e.get("date") or (f"day {e['day']}" if e.get("day") is not None else "")
            what = "; ".join(f"{k.replace('_', ' ')} {_show(v)}" for k, v in e.items()
                             if k not in EVENT_META and v is not None)
            cells = [when, e["set"], what, e.get("label") or "", e.get("source") or ""]
            out.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
        out.append("")
    return "\n".join(out).rstrip("\n")


# --------------------------------------------------------------------------- running
def run(spec: Spec, extra: list[str] | tuple = (), out: Path | None = None, jobs: int = 1,
        progress: bool | None = None, spec_name: str = "ablation spec"
        ) -> dict[str, pd.DataFrame]:
    """Run every variant of ``spec`` (checked first); with ``out``, save each run's tables
    in ``out/runs/<scenario>/<variant>/``. Returns a table per scenario."""
    from tqdm.auto import tqdm

    vs = variants(spec, list(extra))
    resolved = check_overrides(vs, spec_name)
    cfgs = []
    for v, ovs in zip(vs, resolved, strict=True):
        try:
            cfgs.append(compose(ovs))
        except ConfigError as e:
            raise ConfigError(f"{_where(v, spec_name)}: {e}") from None
        except Exception as e:  # noqa: BLE001 - Hydra's refusals, as one line
            from sim.cli.overrides import explain
            raise ConfigError(f"{_where(v, spec_name)}: {explain(e)}") from None
    folders = [None if out is None else Path(out) / "runs" / v.scenario / v.slug for v in vs]
    args = list(zip(cfgs, folders, resolved, strict=True))
    bar = tqdm(total=len(args), unit="run", desc="ablation",
               disable=None if progress is None else not progress)
    if jobs != 1 and len(args) > 1:
        from joblib import Parallel, delayed
        gen = Parallel(n_jobs=jobs, return_as="generator")(
            delayed(run_one)(c, f, o) for c, f, o in args)
    else:
        gen = (run_one(c, f, o) for c, f, o in args)
    results: list[dict] = []
    for r in gen:
        results.append(r)
        bar.update()
    bar.close()
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
    ap = _Parser(prog="magnet-sim ablation", description=__doc__.split("\n")[0])
    ap.add_argument("args", nargs="*", help="the spec file (default "
                    "experiments/ablation/replays.yaml), then key=value overrides for "
                    "every run")
    ap.add_argument("--out", type=Path, help="folder for ablation.md, ablation.csv and the "
                    "runs (default results/ablation/<timestamp>)")
    ap.add_argument("--jobs", type=int, default=1, help="parallel runs (joblib)")
    try:
        a = ap.parse_args(argv)
        specs = [x for x in a.args if "=" not in x]
        extra = [x for x in a.args if "=" in x]
        if len(specs) > 1:
            raise error("magnet-sim ablation", "one spec file at a time", " ".join(specs))
        if a.jobs < 1:
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
