"""A buffer per plant (issue 21, item 5): each plant's cover holds on fresh seeds and is
minimal (20% less fails the asked share on fresh seeds); the budget split spends the whole
budget and the optimiser finds the cheapest split; the command writes its table, plot and
report, and refuses bad flags in one line."""

from __future__ import annotations

import json

import pytest

from sim.cli.main import main
from sim.config import AutomakerConf, EventConf, IndustryConf, RunConfig, WorldConf
from sim.experiments import buffer_plant as bp

from .helpers import load


def small_case() -> RunConfig:
    """Two US plants of different sizes and ordering habits, a 40-day CN->US embargo from
    day 10, no non-Chinese supply: each plant needs its own cover."""
    w = WorldConf(automakers=[
        AutomakerConf(name="A", country="US", vehicles_per_day=1000, ev_share=0.5,
                      target_cover_days=10),
        AutomakerConf(name="B", country="US", vehicles_per_day=400, ev_share=0.1,
                      target_cover_days=10, review_days=14)],
        industries=[IndustryConf(name="I", country="DE", need_tpd={"ndfeb": 2.0})],
        defense=[], mines=[], makers=[])
    return RunConfig(world=w, days=100, events=[EventConf(set="embargo", day=10, days=40,
                                                          destinations=["US"])])


@pytest.fixture(scope="module")
def found():
    return bp.search(small_case(), seeds=[1, 2, 3], fresh=[4, 5, 6], share=1.0, high=150,
                     n_jobs=1, log=None)


def test_each_plants_cover_holds_on_fresh_seeds_and_is_minimal(found):
    covers = {a.plant: a.cover_days for a in found.plants}
    assert all(c is not None and c > 10 for c in covers.values()), covers
    for a in found.plants:
        assert a.fresh_ok_share == 1.0, a  # holds on fresh seeds
        assert a.less_cover_days == pytest.approx(0.8 * a.cover_days)
        assert a.less_fresh_ok_share < found.share, a  # 20% less fails on fresh seeds
    # checked again, independently, on seeds the search never saw
    fresh = [7, 8]
    held = bp.trial(small_case(), covers, fresh, n_jobs=1)
    assert all(held.ok_share(p) == 1.0 for p in covers)
    for p, c in covers.items():
        less = bp.trial(small_case(), {**covers, p: 0.8 * c}, fresh, n_jobs=1)
        assert less.ok_share(p) < found.share, (p, c)


def test_the_split_spends_the_whole_budget_between_plants_and_tier1s():
    cfg = load("controls_2025", "days=30")
    own, supply, value = bp.chain(cfg)
    res = bp.PerPlantResult("x", 0.9, [1], [2], 365, plants=[
        bp.PlantAnswer(p, own[p], own[p] + 10 * (i + 1), {}, value[p])
        for i, p in enumerate(own)])
    budget = 5e6
    for a in (0.0, 0.3, 1.0):
        covers, tiers = bp.split_stock(cfg, res, a, budget)
        at_plants = sum((covers[p] - own[p]) * value[p] for p in own)
        at_tiers = sum(d * value[t] for t, d in tiers.items())
        assert at_plants == pytest.approx(a * budget, rel=1e-9)
        assert at_tiers == pytest.approx((1 - a) * budget, rel=1e-9)
    assert set(tiers) <= {t for s in supply.values() for t in s}


def test_best_split_finds_the_cheapest_share(monkeypatch):
    """A known cost curve (least at 30% held at the plants) in place of the simulation."""
    cfg = load("controls_2025", "days=30")
    own, supply, value = bp.chain(cfg)
    res = bp.PerPlantResult("x", 1.0, [1, 2], [3], 150, plants=[
        bp.PlantAnswer(p, own[p], own[p] + 20, {}, value[p]) for p in own])
    budget = sum(x.extra_value_usd for x in res.plants)
    calls = []

    def fake_trial(cfg, covers, seeds, n_jobs=None, tier_extra=None):
        a = sum((covers[p] - own[p]) * value[p] for p in own) / budget
        calls.append(a)
        lost = 1e6 * (a - 0.3) ** 2 + 5.0
        return bp.PlantTrial(covers, seeds, {p: [False] * 2 for p in own},
                             [lost / 100] * 2, [lost] * 2)

    monkeypatch.setattr(bp, "trial", fake_trial)
    s = bp.best_split(cfg, res, n_jobs=1, log=None)
    assert s["best"]["plants_share"] == pytest.approx(0.3, abs=0.05)
    assert 0.0 in [e["plants_share"] for e in s["evaluations"]]
    assert 1.0 in [e["plants_share"] for e in s["evaluations"]]
    assert len(calls) <= 16 and "minimize_scalar" in s["optimiser"]


def test_the_buffer_command_writes_its_table_plot_and_report(tmp_path, capsys):
    out = tmp_path / "b"
    assert main(["buffer", "--per-plant", "scenario=embargo_us", "days=40", "--seeds", "1",
                 "--verify", "1", "--high", "40", "--tol", "20", "--no-split", "--jobs", "1",
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "buffer per plant: embargo_us" in text and "Detroit-A" in text
    data = json.loads((out / "buffer_per_plant.json").read_text())
    assert {p["plant"] for p in data["plants"]} >= {"Detroit-A", "Detroit-B"}
    assert (out / "buffer_per_plant.csv").exists()
    assert (out / "plots" / "buffer_per_plant.png").exists()
    assert "data:image/png;base64," in (out / "report.html").read_text()


def test_the_common_search_draws_its_plot_too(tmp_path):
    out = tmp_path / "c"
    assert main(["buffer", "scenario=embargo_us", "days=40", "--seeds", "1", "--verify", "0",
                 "--high", "40", "--tol", "20", "--jobs", "1", "--out", str(out)]) == 0
    assert (out / "plots" / "buffer.png").exists() and (out / "report.html").exists()


@pytest.mark.parametrize("args,words", [
    (["--share", "2"], "--share"), (["--budget", "5"], "--per-plant"),
    (["--seeds", "0"], "--seeds"), (["--low", "50", "--high", "10"], "--low")])
def test_bad_buffer_flags_are_one_line(capsys, tmp_path, args, words):
    assert main(["buffer", "scenario=embargo_us", *args, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0]
    assert not (tmp_path / "x").exists()  # nothing written
