"""The ablation's spec: which scenarios and seeds, the overrides on every run, the no-event
reference, the headline figures and the mechanisms switched off (`sim.config.switches`).

A spec is a plain YAML mapping (``experiments/ablation/replays.yaml``), parsed strictly into
`Spec`: unknown keys, empty lists, bad seeds, unknown KPIs and unknown switches are errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.cli.files import read_yaml
from sim.config.paths import EXPERIMENTS_DIR
from sim.config.switches import BY_NAME as SWITCH_BY_NAME
from sim.config.switches import SWITCHES
from sim.domain.errors import (
    error,
    show,
    suggest,
)
from sim.kpis import REGISTRY, KpiError, check_names

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
    if switches_raw == "all":
        switches_raw = [s.name for s in SWITCHES]
    if isinstance(switches_raw, list):  # names of the switch table's rows
        for name in switches_raw:
            if name not in SWITCH_BY_NAME:
                raise error(f"{where}: switches", f"unknown switch {name!r}"
                            f"{suggest(name, SWITCH_BY_NAME)} (magnet-sim list mechanisms)",
                            show(name))
        switches_raw = {n: list(SWITCH_BY_NAME[n].off) for n in switches_raw}
    if not isinstance(switches_raw, dict):
        raise error(f"{where}: switches", "expected all, a list of switch names or a mapping "
                    "name: [override, ...]", show(switches_raw))
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
                    "(baseline: [\"~events\"])", show([h for h in headline
                                                           if h.endswith(RATIO)]))
    return Spec(scenarios=scenarios, headline=headline, switches=switches, seeds=tuple(seeds),
                overrides=overrides, baseline=baseline)


def load_spec(path: str | Path) -> Spec:
    """Read and parse a spec file (errors name the file)."""

    p = Path(path)
    if not p.is_file():
        raise error("ablation", "no such spec file", str(path))
    return parse_spec(read_yaml(p), str(path))


