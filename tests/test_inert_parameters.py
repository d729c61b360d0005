"""No inert parameter: every parameter that ``magnet-sim --help`` lists as most used
(`sim.cli.help.COMMON`) or that an experiment samples or sweeps must change at least one KPI
in the run its registry entry names (``acts_in`` of `sim.config.registry.p`). No allow-list:
a parameter without ``acts_in``, or one that moves no KPI there, fails.

``scenario`` and ``licensing`` in the help are config groups (whole files), not parameters;
event keys an experiment sweeps (``events.embargo.days``) are run in the experiment's own
scenario at the two ends of their range.
"""

from __future__ import annotations

import dataclasses
import functools
import math

import pytest
from omegaconf import OmegaConf

import sim
from sim.cli.help import COMMON
from sim.cli.keys import resolve_event_key
from sim.config.parameters import table
from sim.config.paths import EXPERIMENTS_DIR
from sim.experiments.summary import flat_kpis

GROUPS = ("scenario", "licensing")
ROWS = {r.path: r for r in table()}


def experiment_keys() -> dict[str, tuple[str, list]]:
    """{key: (experiment's scenario, [values or range ends])} over every experiment file."""
    out = {}
    for f in sorted(EXPERIMENTS_DIR.glob("*.yaml")):
        node = OmegaConf.to_container(OmegaConf.load(f), resolve=False)
        scen = next((d["override /scenario"] for d in node.get("defaults", [])
                     if isinstance(d, dict) and "override /scenario" in d), "baseline")
        sw = node.get("hydra", {}).get("sweeper", {})
        for k, v in (sw.get("params") or {}).items():
            vals = [x.strip() for x in str(v).split(",")] if "," in str(v) else [str(v)]
            out.setdefault(k, (scen, vals))
        for k, d in ((sw.get("samples") or {}).get("params") or {}).items():
            out.setdefault(k, (scen, [d["low"], d["high"]]))
    return out


EXPERIMENT_KEYS = experiment_keys()
PARAMS = sorted({k for k in COMMON if k not in GROUPS}
                | {k for k in EXPERIMENT_KEYS if not k.startswith("events.")
                   and k not in GROUPS})
EVENT_KEYS = sorted(k for k in EXPERIMENT_KEYS if k.startswith("events."))


@functools.cache
def kpis_of(overrides: tuple[str, ...]) -> dict:
    scen = next((o.split("=", 1)[1] for o in overrides if o.startswith("scenario=")),
                "baseline")
    rest = [o for o in overrides if not o.startswith("scenario=")]
    cfg = sim.scenario(scen, *rest)
    return flat_kpis(sim.run(dataclasses.replace(cfg, plots=False), progress=False)["kpis"])


def moved(a: dict, b: dict) -> list[str]:
    """The KPIs whose values differ between two runs."""
    out = []
    for k in sorted(set(a) | set(b)):
        x, y = a.get(k), b.get(k)
        if isinstance(x, (int, float)) and isinstance(y, (int, float)):
            if not math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-12) and not (
                    math.isnan(float(x)) and math.isnan(float(y))):
                out.append(k)
        elif x != y:
            out.append(k)
    return out


def with_and_without(acts_in: str) -> tuple[tuple, tuple]:
    """The run of ``acts_in`` without its last override, and with it (an earlier override
    of the same key dropped)."""
    parts = acts_in.split()
    key = parts[-1].split("=", 1)[0]
    base = tuple(parts[:-1])
    return base, tuple(o for o in base if o.split("=", 1)[0] != key) + (parts[-1],)


def test_the_help_and_the_experiments_name_parameters_the_registry_knows():
    assert PARAMS, "nothing listed or sampled"
    unknown = [k for k in PARAMS if k not in ROWS]
    assert not unknown, f"not in the parameter registry: {unknown}"
    assert "world.automaker_cover_scale" in EXPERIMENT_KEYS  # plants keep their own covers
    assert "market.scarcity_elasticity" not in PARAMS  # retired from help and samples


@pytest.mark.parametrize("key", PARAMS)
def test_parameter_changes_a_kpi_where_its_registry_entry_says(key):
    row = ROWS[key]
    assert row.acts_in, f"{key}: its registry entry names no run where it acts (acts_in)"
    assert row.acts_in.split()[-1].split("=", 1)[0] == key, \
        f"{key}: acts_in must end by setting {key}, got {row.acts_in!r}"
    base, changed = with_and_without(row.acts_in)
    assert moved(kpis_of(base), kpis_of(changed)), \
        f"{key}: no KPI changes between {' '.join(base)} and {' '.join(changed)}"


@pytest.mark.parametrize("key", EVENT_KEYS)
def test_swept_event_key_changes_a_kpi_in_its_experiments_scenario(key):
    scen, values = EXPERIMENT_KEYS[key]
    cfg = sim.scenario(scen)
    events = [{"set": e.set, "id": e.id} for e in cfg.events]
    pos = resolve_event_key(key, events)
    lo, hi = min(values, key=float), max(values, key=float)
    a = kpis_of((f"scenario={scen}", "days=400", f"{pos}={int(float(lo))}"))
    b = kpis_of((f"scenario={scen}", "days=400", f"{pos}={int(float(hi))}"))
    assert moved(a, b), f"{key}: no KPI changes between {lo} and {hi} in {scen}"


def test_the_inert_test_can_fail():
    """Negative control: ``plots`` (an output switch, so not in the help's parameters)
    moves no KPI, and the check says so."""
    base = ("scenario=controls_2025", "days=200")
    assert not moved(kpis_of(base), kpis_of((*base, "plots=true")))
    assert "plots" not in PARAMS
