"""Structural stocks from cited ranges, Japan's national stockpile, and dated Chinese
capacity growth."""

from __future__ import annotations

import pytest

import sim
from sim.config import RunConfig, WorldConf
from sim.config.resolve import resolve
from sim.config.stocks import values
from sim.config.tables import load, write_tables
from sim.domain.errors import ConfigError

from .helpers import small_world, steps


def _covers(world: WorldConf) -> dict:
    return {"plant": {f.component_cover_days for f in world.firms["automakers"]},
            "tier1": {f.target_cover_days for f in world.firms["tier1s"]},
            "maker": {f.working_stock_days for f in world.firms["makers"]},
            "raw": {f.oxide_cover_days for f in world.firms["makers"]},
            "jogmec": {f.cover_days for f in world.firms["stockpiles"]}}


@pytest.mark.parametrize("vintage", ["2024", "2009"])
def test_every_world_takes_the_one_set_of_ranges(vintage):
    rows = {r.stock: r for r in load(vintage).rows["stocks"]}
    assert set(rows) == {"plant_components", "tier1_magnets", "maker_magnets", "maker_raw",
                         "national_stockpile"}
    assert all("[sources:" in r.note for r in rows.values())  # both ends cited
    mid = _covers(resolve(WorldConf(tables=vintage)))
    for key, stock in [("plant", "plant_components"), ("tier1", "tier1_magnets"),
                       ("maker", "maker_magnets"), ("raw", "maker_raw"),
                       ("jogmec", "national_stockpile")]:
        r = rows[stock]
        assert mid[key] == {(r.low + r.high) / 2}, (key, mid[key])
    drawn = _covers(resolve(WorldConf(tables=vintage, stock_draw=3)))
    want = values(list(load(vintage).rows["stocks"]), 3)
    assert drawn["tier1"] == {want["tier1_magnets"]} != mid["tier1"]
    assert all(rows[s].low <= v <= rows[s].high for s, v in want.items())


def test_the_switch_the_edits_and_the_callers_firms_win():
    own = resolve(WorldConf(stock_ranges=False))
    assert {f.target_cover_days for f in own.firms["tier1s"]} == {
        f.target_cover_days for f in load("2024").rows["tier1s"]}
    edited = resolve(WorldConf(firm_overrides={"DE-tier1": {"target_cover_days": 5.0}}))
    assert {f.name: f.target_cover_days for f in edited.firms["tier1s"]}["DE-tier1"] == 5.0
    cfg = small_world()
    resolve(cfg.world)
    assert cfg.world.firms["automakers"][0].target_cover_days == 20  # given, not from tables


def test_a_bad_stocks_table_is_refused_in_one_line(tmp_path):
    folder = write_tables(resolve(WorldConf()), tmp_path / "w")
    text = (folder / "stocks.csv").read_text()
    for bad, repl, expect in [
            ("tier1s,target_cover_days", "tier2s,target_cover_days", "unknown firm kind"),
            ("tier1s,target_cover_days", "tier1s,ev_share", "not a field in days"),
            ("tier1s,target_cover_days,45.0,75.0", "tier1s,target_cover_days,75.0,45.0",
             "low must not exceed high")]:
        assert bad in text
        (folder / "stocks.csv").write_text(text.replace(bad, repl, 1))
        with pytest.raises(ConfigError, match=expect) as e:
            resolve(WorldConf(tables=str(folder)))
        assert "\n" not in str(e.value)
    (folder / "stocks.csv").write_text(text)


def test_japans_stockpile_releases_to_japanese_users_and_conserves_tonnes():
    cfg = sim.scenario("controls_2025", days=240, seed=1)
    m = sim.build(cfg)
    jp = m.by_name["JOGMEC"]
    opening = dict(jp.opening)
    use = sum(u for _, u in jp.users("dy_oxide"))
    assert opening["dy_oxide"] == pytest.approx(jp.conf.cover_days * use) and use > 0
    released = 0.0
    for _ in range(240):
        m.step()
        released += jp.released_today
        assert jp.released_today <= sum(jp.conf.release_share_per_day * v
                                        for v in opening.values()) + 1e-9
    assert released > 0  # the April controls on Dy/Tb oxides make Japanese users short
    bad = {k: v for k, v in m.imbalance().items() if abs(v) > 1e-6}
    assert not bad


def test_chinese_capacity_grows_on_its_dates():
    cfg = RunConfig(days=30, plots=False, world=WorldConf(firm_overrides={
        "JL Mag": {"capacity_additions": {"2025-01-10": {"ndfeb": 3650.0}}}}))
    m = sim.build(cfg)
    jl = m.by_name["JL Mag"]
    before = jl.capacity_tpd["ndfeb"]
    steps(m, 9)
    assert jl.capacity_tpd["ndfeb"] == before
    steps(m, 1)
    assert jl.capacity_tpd["ndfeb"] == pytest.approx(before + 10.0)
