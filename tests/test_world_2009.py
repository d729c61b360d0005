"""The 2009 world vintage and demand paths (``world.tables=2009``, ``demand.csv``).

The totals below are the cited inputs of ``docs/sources.md`` (rows named in each test):
the tables must add up to them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sim import build
from sim.config import DemandConf, RunConfig, WorldConf
from sim.config.firms import ndfeb_need
from sim.config.resolve import resolve
from sim.config.tables import load_tables, write_tables
from sim.domain.products import BY_CODE, MAGNETS, RAW

from .helpers import load, small_world, steps

# [sources: china-ndfeb-2009] China's sintered NdFeB 2009 and SmCo (600 t in 2010, flat on 2009)
CHINA_SINTERED_2009, CHINA_SMCO_2009 = 52_000.0, 600.0
# [sources: china-ndfeb-2009] magnet exports 13,885.92 t in 2010, up 48.31% on 2009
CHINA_EXPORTS_2009 = 13_885.92 / 1.4831
# [sources: world-ndfeb-2010] world sintered NdFeB 98,200 t (2010): China 79.4%, Japan 19.3%
WORLD_SINTERED, CHINA_SHARE, JAPAN_SHARE = 98_200.0, 0.794, 0.193
# [sources: oica-production] world and national vehicle output, 2008-2012
WORLD_VEHICLES = {2008: 70_520_493, 2009: 61_791_868, 2010: 77_629_127, 2011: 80_064_168,
                  2012: 84_100_000}
NATIONAL_2009 = {"US": 5_731_397, "DE": 5_209_857, "JP": 7_934_057, "KR": 3_512_926}
PLANT_SHARE = 0.365  # [assumption] each plant builds this share of its country's output
# [sources: lynas-lamp, re-prices-2009] LAMP Phase 1 11,000 t REO/yr; Mt Weld NdPr 23.82%
LAMP_REO, MT_WELD_NDPR = 11_000.0, 0.1850 + 0.0532
# [sources: molycorp-phoenix] Phoenix Phase 1 19,050 t REO/yr; NdPr ~15% [assumption]
PHOENIX_REO, MOUNTAIN_PASS_NDPR = 19_050.0, 0.15


@pytest.fixture(scope="module")
def w09():
    return load_tables("2009")


def _total(firms, magnets=("ndfeb", "ndfeb_hre")):
    return sum(f.capacity_tpy.get(m, 0.0) for f in firms for m in magnets)


def test_every_table_of_2024_has_a_2009_version_with_the_same_columns():
    """Same files; the same columns, in the same order, but for the keys of map fields
    (one column per key: ``end_uses.wind``), which follow each vintage's firms."""
    from importlib import resources

    from sim.config.tables import table_classes

    def columns(text: str, cls) -> list[str]:
        maps = set(table_classes()[cls].__dataclass_fields__)
        out = []
        for col in text.splitlines()[0].split(","):
            name = col.partition(" [")[0]
            field = name.split(".")[0]
            out.append(field if "." in name and field in maps else col)
        return list(dict.fromkeys(out))

    root = resources.files("sim.config") / "worlds"
    names24 = sorted(e.name for e in (root / "2024").iterdir() if e.name.endswith(".csv"))
    names09 = sorted(e.name for e in (root / "2009").iterdir() if e.name.endswith(".csv"))
    assert names09 == names24
    for name in names24:
        kind = name.removesuffix(".csv")
        assert columns((root / "2009" / name).read_text(), kind) == \
            columns((root / "2024" / name).read_text(), kind), name


def test_chinese_exporters_sum_to_chinas_2009_output(w09):
    assert _total(w09["exporters"]) == pytest.approx(CHINA_SINTERED_2009)
    assert _total(w09["exporters"], ("smco",)) == pytest.approx(CHINA_SMCO_2009)
    hre = _total(w09["exporters"], ("ndfeb_hre",)) / CHINA_SINTERED_2009
    assert hre == pytest.approx(0.20)  # [assumption] less Dy/Tb grade than 2024's 30%


def test_makers_are_japans_and_the_rests_share_of_world_output(w09):
    jp = [f for f in w09["makers"] if f.country == "JP"]
    assert _total(jp) == pytest.approx(JAPAN_SHARE * WORLD_SINTERED, rel=1e-6)  # 18,953 t
    rest = [f for f in w09["makers"] if f.country not in ("JP", "CN")]
    assert _total(rest) == pytest.approx((1 - CHINA_SHARE - JAPAN_SHARE) * WORLD_SINTERED,
                                         rel=1e-6)
    # Japan's share was larger then: its makers outweigh the 2024 world's non-Chinese makers
    assert _total(jp) > 1.8 * _total(load_tables("2024")["makers"])


def test_automakers_build_the_modelled_share_of_2009_world_output(w09):
    autos = w09["automakers"]
    per_year = sum(a.vehicles_per_day for a in autos) * 365
    assert per_year == pytest.approx(PLANT_SHARE * sum(NATIONAL_2009.values()), rel=1e-4)
    share = per_year / WORLD_VEHICLES[2009]
    assert share == pytest.approx(0.1322, abs=5e-4)  # the 2024 world's 12.23 M / 92.5 M
    for a in autos:
        assert a.ev_share == 0.0  # [assumption] EVs ~0 in 2009
        country = [x for x in autos if x.country == a.country]
        total = sum(x.vehicles_per_day for x in country) * 365
        assert total == pytest.approx(PLANT_SHARE * NATIONAL_2009[a.country], rel=1e-4)


def test_buyers_orders_to_china_match_chinas_2009_exports(w09):
    kg = RunConfig().world.vehicle_magnet_kg["ice"]
    to_china = sum(a.vehicles_per_day * sum(kg.values()) / 1000 * a.china_share
                   for a in w09["automakers"]) * 365
    hre = {r.end_use: r.hre_share for r in w09["end_uses"]}  # NdFeB split by end use
    to_china += sum(sum(v for m, v in ndfeb_need(f, hre).items() if m in MAGNETS) *
                    f.china_share for f in [*w09["industries"], *w09["defense"]]) * 365
    assert to_china == pytest.approx(CHINA_EXPORTS_2009, rel=0.02)
    raw = sum(sum(v * BY_CODE[m].reo for m, v in f.need_tpd.items() if m in RAW)
              for f in w09["industries"]) * 365
    assert raw == pytest.approx(0.93 * (43_900 - 4_000), rel=0.01)  # JP+EU+US 93%


def test_mines_are_projects_with_dates(w09):
    mines = {m.name: m for m in w09["mines"]}
    lynas, mp = mines["Lynas-like"], mines["Mountain Pass"]
    assert lynas.status == "construction" and mp.status == "planned"
    assert lynas.capacity_tpy == pytest.approx(LAMP_REO * MT_WELD_NDPR, rel=1e-4)
    assert mp.capacity_tpy == pytest.approx(PHOENIX_REO * MOUNTAIN_PASS_NDPR)
    first_feed = dt.date(2009, 1, 1) + dt.timedelta(days=lynas.construction_days)
    assert first_feed == dt.date(2011, 9, 30)  # Q3 2011, as announced in December 2010
    assert mp.construction_start == "2010-07-29"  # the IPO (Jul 2010) funds the restart
    start_up = dt.date(2010, 7, 29) + dt.timedelta(days=mp.construction_days)
    assert start_up == dt.date(2012, 5, 3)
    # full rate by the Dec 2012 Phase 1 deadline set at the 2010 launch
    assert start_up + dt.timedelta(days=mp.rampup_days) == dt.date(2012, 12, 31)


def test_demand_path_is_oica_world_output_over_2009(w09):
    steps_ = {d.date: d for d in w09["demand"]}
    for year, v in WORLD_VEHICLES.items():
        row = steps_[f"{year}-01-01"]
        assert row.kind == "automaker"
        assert row.multiplier == pytest.approx(v / WORLD_VEHICLES[2009], abs=1e-4)
    assert load_tables("2024")["demand"] == []  # the default world: baseline unchanged


def test_a_year_on_world_2009_conserves_tonnes_and_runs_its_projects():
    m = build(RunConfig(world=WorldConf(tables="2009"), start="2009-01-01",
                                   days=365))
    assert m.demand.multiplier("automaker") == 1.0
    while m.running:
        m.step()
        if m.steps % 30 == 0:
            assert all(abs(v) < 1e-6 for v in m.imbalance().values()), m.date
    mines = {x.name: x for x in m.of("mine")}
    assert mines["Lynas-like"].status == "construction"
    assert mines["Mountain Pass"].status == "planned"  # not yet funded in 2009
    exports = sum(s.tonnes for s in m.shipments if s.seller_country == "CN"
                  and s.material in MAGNETS and s.delivered_on is not None
                  and s.ordered_on >= m.start)  # magnets; raw materials are REO
    assert 0.8 * CHINA_EXPORTS_2009 < exports < 1.2 * CHINA_EXPORTS_2009


def test_a_demand_step_changes_need_on_its_date_and_not_before():
    cfg = small_world(days=30, start="2025-01-01")
    cfg.world.demand = [
        DemandConf(date="2025-01-11", kind="automaker", multiplier=1.5, note="[assumption]"),
        DemandConf(date="2025-01-21", kind="all", multiplier=0.5, note="[assumption]")]
    m = build(cfg)
    a, ind = m.by_name["A"], m.by_name["I"]
    need_a, need_i, vpd = dict(a.need), dict(ind.need), a.vehicles_per_day
    steps(m, 10)  # 1-10 Jan
    assert a.need == need_a and a.vehicles_per_day == vpd and ind.need == need_i
    steps(m, 1)  # 11 Jan
    assert a.vehicles_per_day == pytest.approx(1.5 * vpd)
    assert a.need == pytest.approx({k: 1.5 * v for k, v in need_a.items()})
    assert ind.need == need_i  # another kind
    steps(m, 9)
    assert a.need == pytest.approx({k: 1.5 * v for k, v in need_a.items()})
    steps(m, 1)  # 21 Jan: "all" multiplies every kind's own step
    assert a.need == pytest.approx({k: 0.75 * v for k, v in need_a.items()})
    assert ind.need == pytest.approx({k: 0.5 * v for k, v in need_i.items()})
    planned = m.tables()["daily"]["planned_vehicles"]
    assert planned.iloc[9] == pytest.approx(vpd)  # 10 Jan: the table size
    assert planned.iloc[10] == pytest.approx(1.5 * vpd)  # 11 Jan: the step


def test_steps_before_the_start_set_the_opening_need_and_stock():
    cfg = small_world(days=5, start="2025-01-01")
    cfg.world.demand = [DemandConf(date="2024-06-01", kind="automaker", multiplier=2.0,
                                   note="[assumption]")]
    m = build(cfg)
    base = build(small_world(days=5, start="2025-01-01")).by_name["A"]
    a = m.by_name["A"]
    assert a.need == pytest.approx({k: 2 * v for k, v in base.need.items()})
    assert a.cover_days == pytest.approx(base.cover_days)  # opening cover kept
    assert m.substitution.base["A"] == pytest.approx(a.need)
    steps(m, 5)
    assert all(abs(v) < 1e-6 for v in m.imbalance().values())


def test_demand_paths_switch_off_keeps_table_sizes():
    cfg = RunConfig(world=WorldConf(tables="2009", demand_paths=False), start="2011-01-01",
                    days=3)
    m = build(cfg)
    on = build(RunConfig(world=WorldConf(tables="2009"), start="2011-01-01",
                                    days=3))
    a_off, a_on = m.by_name["Aichi"], on.by_name["Aichi"]
    assert a_off.vehicles_per_day == pytest.approx(7934.057)
    assert a_on.vehicles_per_day == pytest.approx(7934.057 * WORLD_VEHICLES[2011]
                                                  / WORLD_VEHICLES[2009], rel=1e-4)


def test_a_user_folder_without_demand_csv_works(tmp_path):
    folder = write_tables(resolve(WorldConf(tables="2009")), tmp_path / "w")
    (folder / "demand.csv").unlink()
    w = resolve(WorldConf(tables=str(folder)))
    assert w.demand == [] and len(w.automakers) == 5
    m = build(RunConfig(world=w, start="2009-01-01", days=20))
    vpd = m.by_name["Aichi"].vehicles_per_day
    m.run()
    assert m.by_name["Aichi"].vehicles_per_day == vpd


def test_a_user_demand_table_is_read_and_checked(tmp_path):
    from sim.domain.errors import ConfigError

    folder = write_tables(resolve(WorldConf(tables="2009")), tmp_path / "w")
    assert load_tables(str(folder))["demand"] == load_tables("2009")["demand"]
    text = (folder / "demand.csv").read_text().replace("automaker", "trucks", 1)
    (folder / "demand.csv").write_text(text)
    with pytest.raises(ConfigError, match="demand.csv:2.kind"):
        resolve(WorldConf(tables=str(folder)))


def test_embargo_2010_runs_on_the_2009_world():
    cfg = load("embargo_2010", "days=3")
    assert cfg.world.tables == "2009"
    assert {f.name for f in cfg.world.makers} == {f.name for f in load_tables("2009")["makers"]}
    assert len(cfg.world.demand) == len(WORLD_VEHICLES)


# [sources: china-output-2009, smuggling, ion-clays] China ~120,000 t REO in 2009, 25% of it
# unreported (illegal output 23-30%), ion clays 35% of output
CHINA_REO_2009, UNREPORTED, CLAYS = 120_000.0, 0.25, 0.35


def test_chinas_2009_balance_sums_to_its_cited_output(w09):
    china = {c.element: c for c in w09["china"]}
    assert set(china) == {"ndpr", "dy", "tb", "sm", "other"}
    total = sum(c.mine_tpy * (1 + c.unreported_share) for c in china.values())
    assert total == pytest.approx(CHINA_REO_2009, rel=1e-4)
    reported = sum(c.mine_tpy for c in china.values())
    assert reported == pytest.approx((1 - UNREPORTED) * CHINA_REO_2009, rel=1e-4)
    # Dy and Tb come mostly from the clays (35% of output): more than 90% of each
    for e, light_share in (("dy", 0.00124), ("tb", 0.00068)):
        from_light = (1 - CLAYS) * CHINA_REO_2009 * light_share
        assert from_light < 0.25 * china[e].mine_tpy * (1 + china[e].unreported_share)
    # opening prices: FOB China less the export duty [sources: re-prices-2009, dy-price-2009,
    # export-duties]
    assert china["dy"].price_cn == pytest.approx(91 / 1.25, abs=0.05)
    nd_pr = (19.12 * 18.50 + 18.03 * 5.32) / (18.50 + 5.32)
    assert china["ndpr"].price_cn == pytest.approx(nd_pr / 1.15, abs=0.05)
    assert china["sm"].price_cn == pytest.approx(3.40 / 1.15, abs=0.01)


def test_2009_magnets_carry_more_dy_than_2024(w09):
    def content(rows):
        return {(c.product, c.element): c.t_per_t for c in rows}
    c09, c24 = content(w09["content"]), content(load_tables("2024")["content"])
    # diffusion cut Dy/Tb by 1/2 to 2/3 after 2009 [sources: diffusion]: 2009 = 2x 2024
    for e in ("dy", "tb"):
        assert c09[("ndfeb_hre", e)] == pytest.approx(2 * c24[("ndfeb_hre", e)])
    total = {w: sum(v for (p, _), v in c.items() if p == "ndfeb_hre") for w, c in
             (("2009", c09), ("2024", c24))}
    assert total["2009"] == pytest.approx(total["2024"])  # same rare-earth weight per tonne
    assert all(f.feed for f in w09["makers"] if f.country == "JP")  # Japan's makers buy from China


def test_world_2009_makers_buy_elements_from_china():
    m = build(RunConfig(world=WorldConf(tables="2009"), start="2009-01-01",
                                   days=120)).run()
    raw = sum(s.tonnes for s in m.shipments if s.seller_country == "CN"
              and s.material.endswith("_oxide") and s.buyer == "JP makers")
    assert raw > 500  # NdPr, Dy, Tb for 18,953 t/yr of magnets
    assert all(abs(v) < 1e-6 for v in m.imbalance().values())
