"""Help and lists of the command line: what the tool does, scenarios, licensing variants,
experiments, KPIs, parameters, event kinds and mechanism switches."""

from __future__ import annotations

from pathlib import Path

from sim.config.observed import DATASETS
from sim.config.parameters import _fmt
from sim.config.parameters import table as parameter_table
from sim.config.paths import CONFIG_DIR, EXPERIMENTS_DIR, LICENSING_DIR, SCENARIOS_DIR
from sim.config.switches import SWITCHES
from sim.domain.errors import ConfigError, suggest
from sim.kpis import table as kpi_table
from sim.kpis.observables import table as observable_table
from sim.policy.kinds import KINDS as EVENT_KINDS

SCENARIOS, LICENSING, EXPERIMENTS = SCENARIOS_DIR, LICENSING_DIR, EXPERIMENTS_DIR
LISTS = ("scenarios", "licensing", "experiments", "kpis", "parameters", "events", "mechanisms",
         "observables", "calibrations")
COMMON = ("scenario", "licensing", "seed", "start", "days", "world.automaker_cover_scale",
          "world.automaker_cover_days", "world.transit_jitter_days",
          "border.demand_elasticity", "government.dfars_ban_date",
          "government.price_floor_usd_per_kg")
"""The parameters ``--help`` lists as most used: each changes a KPI in the run its registry
entry names (``acts_in``; tests/test_inert_parameters.py runs it)."""


def _about(path: Path, width: int = 88) -> str:
    """The first sentence of a YAML file's leading comment."""
    words = []
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            if words:
                break
            continue
        text = line.lstrip("# ").strip()
        if text.startswith("@package"):
            continue
        words.append(text)
    s = " ".join(words)
    if ". " in s:
        s = s[:s.index(". ") + 1]
    return s if len(s) <= width else s[:width - 3] + "..."


def _named(folder: Path) -> list[tuple[str, str]]:
    return [(p.stem, _about(p)) for p in sorted(folder.glob("*.yaml"))]


def parameters() -> list[tuple[str, str, str, str]]:
    """(key, default, unit, description) of every parameter, from the parameter registry
    (`sim.config.parameters`)."""
    return [(r.path, _fmt(r.default), r.unit, r.desc) for r in parameter_table()]


def _table(rows, header) -> str:
    w = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]
    out = []
    for r in [header, *rows]:
        out.append("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r[:-1])) + "  " +
                   str(r[-1]))
    return "\n".join(out)


def list_(what: str) -> str:
    if what == "scenarios":
        return _table(_named(SCENARIOS), ("scenario", "what it is"))
    if what == "licensing":
        return _table(_named(LICENSING), ("licensing", "how the Ministry decides"))
    if what == "experiments":
        return _table(_named(EXPERIMENTS), ("experiment", "question (run: magnet-sim -m "
                                            "experiment=NAME)"))
    if what == "kpis":
        t = kpi_table()
        return _table([(r.name, r.unit or r.keys, r.description) for r in t.itertuples()],
                      ("kpi", "unit / keys", "description"))
    if what == "parameters":
        return _table([(k, d if len(d) < 40 else d[:37] + "...", u, h)
                       for k, d, u, h in parameters()], ("key", "default", "unit", "help"))
    if what == "events":
        return _table([(k.name, k.target, ", ".join(sorted(k.keys)), k.does)
                       for k in EVENT_KINDS.values()], ("event kind", "target", "keys", "does"))
    if what == "mechanisms":
        return _table([(s.name, " ".join(s.off), s.does) for s in SWITCHES],
                      ("switch", "off with", "mechanism"))
    if what == "observables":
        t = observable_table()
        rows = [(r.series, r.unit, r.aggregation, r.description) for r in t.itertuples()]
        rows += [(f"--observed {k}", "", "data set", d.label) for k, d in DATASETS.items()]
        return _table(rows, ("series (observed-data files)", "unit", "per period",
                             "description"))
    if what == "calibrations":
        folder = CONFIG_DIR / "calibration"
        return _table([(p.stem, _about(p)) for p in sorted(folder.glob("*.yaml"))],
                      ("calibration", "what (calibration=NAME; -m: over its ensemble)"))
    raise ConfigError(f"magnet-sim list: unknown list {what!r}{suggest(what, LISTS)}; "
                      f"choose {', '.join(LISTS)}")


def help_text() -> str:
    params = {k: (d, u, h) for k, d, u, h in parameters()}
    common = []
    for k in COMMON:
        if k in ("scenario", "licensing"):
            common.append((k, "", "name", "one of the " + ("scenarios" if k == "scenario"
                                                             else "licensing variants")
                           + " below"))
        elif k in params:
            d, u, h = params[k]
            common.append((k, d, u, h if len(h) < 70 else h[:67] + "..."))
    return "\n".join([
        "magnet-sim: an agent-based simulator of the rare-earth permanent-magnet supply chain",
        "(Chinese export licences, quotas and embargoes; magnet makers, mines, automakers,",
        "industry and defence buyers). One run writes a run folder (tables, kpis.json,",
        "plants.parquet, plots) and prints which plants halt, when, for how long, what it",
        "costs, and what buffer would have carried them.",
        "",
        "usage:",
        "  magnet-sim [scenario=NAME] [licensing=NAME] [key=value ...]   one run",
        "  magnet-sim -m experiment=NAME [key=value ...]                 a sweep",
        "  magnet-sim buffer scenario=NAME [--seeds 5 --share 0.9]       buffer search",
        "  magnet-sim buffer --per-plant scenario=NAME [--budget USD]    a cover per plant",
        "  magnet-sim replot FOLDER [...]                                redraw plots, report",
        "  magnet-sim ablation [SPEC] [--out DIR] [--jobs N] [key=value]  ablation tables",
        "  magnet-sim months RUN_FOLDER_OR_SCENARIO [key=value ...]      month by month",
        "  magnet-sim compare scenario=NAME --observed DATA [--seeds N]  runs vs observations",
        "  magnet-sim calibrate SPEC | scenario=NAME --observed DATA --params P,Q",
        "                     --train A:B --validate C:D                 fit and an ensemble",
        "  magnet-sim worlds export|check FOLDER                         world tables",
        "  magnet-sim discover SWEEP_DIR --kpi K --threshold X           PRIM boxes",
        "  magnet-sim dashboard [--port N] [--open FOLDER]               the browser page",
        "  magnet-sim list " + "|".join(LISTS),
        "  magnet-sim --cfg job [key=value ...]                          the composed config",
        "  (plots=false: no plots; every run writes report.html, plants.csv and kpis.csv)",
        "",
        "scenarios:", _indent(_table(_named(SCENARIOS), ("name", "what it is"))),
        "",
        "licensing variants:", _indent(_table(_named(LICENSING), ("name", "decisions"))),
        "",
        "experiments (sweeps):", _indent(_table(_named(EXPERIMENTS), ("name", "question"))),
        "",
        "most used parameters (all: magnet-sim list parameters):",
        _indent(_table(common, ("key", "default", "unit", "meaning"))),
        "",
        "examples:",
        "  magnet-sim scenario=controls_2025",
        "  magnet-sim scenario=embargo_us days=730 world.automaker_cover_days=60 seed=3",
        "  magnet-sim -m experiment=licensing_policies",
        "  magnet-sim buffer scenario=controls_2025",
    ])


def _indent(s: str) -> str:
    return "\n".join("  " + ln for ln in s.splitlines())


