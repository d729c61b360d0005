"""A scenario that names base firms runs on a synthetic world: an override of a base firm
changes each of its copies (sizes split among them), and a buyer named in an event or the
licensing lists stands for its copies. With one copy, the world is the base one renamed:
controls_2025 (which names firms in both ways) gives the base world's KPIs."""

from __future__ import annotations

import pytest

import sim
from sim.config.synthetic import copies_of, per_copy
from sim.domain.errors import ConfigError


def _firms(cfg) -> dict:
    return {f.name: f for items in cfg.world.firms.values() for f in items}


def test_copies_are_found_in_copy_order():
    names = ["Aichi#10", "Aichi#2", "Aichi-x#1", "Aichi", "Aichi#a", "Ulsan#0"]
    assert copies_of("Aichi", names) == ["Aichi#2", "Aichi#10"]
    assert copies_of("Nobody", names) == []


def test_sizes_are_split_among_copies_and_other_fields_kept():
    got = per_copy({"vehicles_per_day": 1000, "need_tpd": {"ndfeb": 2.0},
                    "target_cover_days": 30.0, "signal_cover_days": 0.0}, 4)
    assert got == {"vehicles_per_day": 250.0, "need_tpd": {"ndfeb": 0.5},
                   "target_cover_days": 30.0, "signal_cover_days": 0.0}


def test_a_base_firms_override_changes_each_copy():
    base = _firms(sim.scenario("baseline", "world=synthetic", "world.firms=100", plots=False))
    cfg = sim.scenario("baseline", "world=synthetic", "world.firms=100",
                       "+world.firm_overrides={Aichi: {vehicles_per_day: 2000.0, "
                       "target_cover_days: 9.0}}", plots=False)
    firms = _firms(cfg)
    aichi = copies_of("Aichi", firms)
    assert len(aichi) == 4
    assert sum(firms[n].vehicles_per_day for n in aichi) == pytest.approx(2000.0)
    assert all(firms[n].target_cover_days == 9.0 for n in aichi)
    ulsan = copies_of("Ulsan", firms)  # other plants as they were
    assert [firms[n].vehicles_per_day for n in ulsan] == \
        [base[n].vehicles_per_day for n in ulsan]


def test_an_unknown_firm_is_still_refused():
    with pytest.raises(ConfigError, match="world.firm_overrides.Nobody: no firm named"):
        sim.validate(sim.scenario("baseline", "world=synthetic", "world.firms=100",
                                  "+world.firm_overrides={Nobody: {signal_cover_days: 0}}",
                                  plots=False))


def test_controls_2025_runs_on_a_synthetic_world_naming_each_copy():
    cfg = sim.scenario("controls_2025", "world=synthetic", "world.firms=100", days=5,
                       plots=False)
    firms = _firms(cfg)
    primes = copies_of("US-defense-prime", firms)
    assert len(primes) == 4 and all(firms[n].signal_cover_days == 0.0 for n in primes)
    named = [e.customers for e in cfg.events if e.customers]
    assert named and set(copies_of("Detroit-A", firms)) <= set(named[0])
    assert "Detroit-A" not in named[0]
    out = sim.run(cfg, progress=False)
    assert len(out["daily"]) == 5


def test_one_copy_is_the_base_world_renamed():
    def kpis(*extra):
        k = sim.run(sim.scenario("controls_2025", *extra, days=200, seed=2, plots=False),
                    progress=False)["kpis"]
        return {n: v for n, v in k.items() if not isinstance(v, (dict, list))}

    base, one = kpis(), kpis("world=synthetic", "world.firms=23")
    assert one == base
    assert base["lost_vehicles"] > 0  # the controls stop plants within 200 days
