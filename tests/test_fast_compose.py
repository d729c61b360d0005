"""A sweep's jobs composed from a cached base (`sim.cli.fast_compose.Composer`) are the
same configs as composed one by one by Hydra (`sim.cli.compose.compose_run`)."""

from __future__ import annotations

import pytest

from sim.cli.compose import compose_run
from sim.cli.fast_compose import Composer
from sim.config.paths import EXPERIMENTS_DIR
from sim.experiments.sweep import plan

EXPERIMENTS = sorted(p.stem for p in EXPERIMENTS_DIR.glob("*.yaml"))


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_cached_composition_equals_hydras(name):
    p = plan([f"experiment={name}", "days=30"])
    composer = Composer()
    picks = {0, 1, len(p.jobs) // 2, len(p.jobs) - 1}
    for i in sorted(picks):
        job = p.jobs[i]
        assert composer(job).config == compose_run(job).config, (name, job)


@pytest.mark.parametrize("overrides", [
    ["scenario=embargo_2010", "world.tables=2024", "seed=3"],  # structural: not a leaf
    ["scenario=controls_2025", "world.automaker_cover_days=60", "market.adjust_per_day=0.1",
     "world.transit_days.BR=20", "licensing.approval_default=0.5", "plots=false"],
    ["world.automakers.0.review_days=5", "seed=2"],
    ["events=[{set: embargo, day: 3, destinations: [US]}]", "days=20"],
])
def test_leaves_and_structure_compose_alike(overrides):
    assert Composer()(overrides).config == compose_run(overrides).config
