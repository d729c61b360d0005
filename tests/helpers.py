"""Shared helpers: compose scenarios the way the CLI does, run them in memory."""

from __future__ import annotations

from pathlib import Path

import sim
from sim import build
from sim.config import (
    AutomakerConf,
    IndustryConf,
    RunConfig,
    WorldConf,
)
from sim.config.paths import CONFIG_DIR
from sim.config.resolve import resolve
from sim.engine.model import SupplyChainModel

SCENARIOS = sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))
ROOT = Path(__file__).resolve().parent.parent


def load(scenario: str = "baseline", *overrides: str):
    """The RunConfig the CLI would build for ``scenario=... overrides``."""
    return sim.scenario(scenario, *overrides)


def run_model(cfg, check_every: int = 0) -> SupplyChainModel:
    """Run a model; when ``check_every`` > 0 assert tonnes balance every that many days."""
    m = build(cfg)
    while m.running:
        m.step()
        if check_every and m.steps % check_every == 0:
            bad = {k: v for k, v in m.imbalance().items() if abs(v) > 1e-6}
            assert not bad, f"tonnes not conserved on {m.date}: {bad}"
    return m


def small_world(**kw) -> RunConfig:
    """One US automaker (A) and one German industry buyer (I) on the default Chinese
    exporters; no mines, makers, defence or tier-1s. Keyword arguments go to RunConfig."""
    w = WorldConf(
        automakers=[AutomakerConf(name="A", country="US", vehicles_per_day=1000, ev_share=0.5,
                                  target_cover_days=20)],
        industries=[IndustryConf(name="I", country="DE", need_tpd={"ndfeb": 2.0})],
        defense=[], mines=[], makers=[], tier1s=[])
    return RunConfig(world=w, days=kw.pop("days", 60), **kw)


def steps(m: SupplyChainModel, n: int) -> SupplyChainModel:
    """Advance a model ``n`` days."""
    for _ in range(n):
        m.step()
    return m


def resolved(cfg: RunConfig) -> RunConfig:
    """``cfg`` with its world filled from its tables (as `sim.run` does before a run)."""
    resolve(cfg.world)
    return cfg
