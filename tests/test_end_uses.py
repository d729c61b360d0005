"""The Dy/Tb-bearing share of each end use's NdFeB (``end_uses.csv``) and the buyers'
NdFeB split by end use (issue 10, item 1): ndfeb_hre = total x sum_u end_uses[u] x
hre_share[u], ndfeb = the rest."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sim import build, validate
from sim.config import RunConfig, WorldConf
from sim.config import tables as worlds
from sim.config.firms import hre_shares, ndfeb_need
from sim.config.tables import VINTAGES, load_tables, write_tables
from sim.domain.errors import ConfigError
from sim.domain.vocab import APPLICATIONS as END_USES

CITED = re.compile(r"\[sources: [a-z0-9-]+(, [a-z0-9-]+)*\]|\[assumption")
# The explicit split each NdFeB buyer had before (need_tpd.ndfeb + need_tpd.ndfeb_hre,
# t/day): the derived split must keep these totals, so the calibration holds.
TOTALS = {
    "2024": {"US-industry": 14.43 + 4.875, "DE-industry": 31.598 + 10.675,
             "JP-industry": 22.348 + 7.55, "KR-industry": 13.024 + 4.4,
             "VN-industry": 23.532 + 7.95, "IN-industry": 18.796 + 6.35,
             "US-defense-prime": 0.4795},
    "2009": {"US-industry": 7.1233 + 2.4658, "DE-industry": 8.2192 + 4.1096,
             "JP-industry": 12.3288 + 12.3288, "KR-industry": 6.5753 + 1.9178,
             "VN-industry": 0.8219 + 0.137, "IN-industry": 0.8219 + 0.137,
             "US-defense-prime": 0.4795},
}


@pytest.mark.parametrize("vintage", VINTAGES)
def test_end_use_tables_load_and_cite(vintage):
    rows = load_tables(vintage)["end_uses"]
    assert sorted(r.end_use for r in rows) == sorted(END_USES)
    for r in rows:
        assert 0 <= r.hre_share <= 1
        assert CITED.search(r.note), f"{vintage} {r.end_use}: {r.note!r} cites nothing"


@pytest.mark.parametrize("vintage", VINTAGES)
def test_derived_split_follows_the_formula_and_keeps_totals(vintage):
    w = WorldConf(tables=vintage)
    share = {r.end_use: r.hre_share for r in w.end_uses}
    firms = {f.name: f for f in [*w.industries, *w.defense]}
    assert set(TOTALS[vintage]) <= set(firms)
    for name, total in TOTALS[vintage].items():
        f = firms[name]
        assert f.end_uses and "ndfeb" not in f.need_tpd and "ndfeb_hre" not in f.need_tpd
        assert f.ndfeb_tpd == pytest.approx(total, abs=1e-3)  # the table's total, unchanged
        need = ndfeb_need(f, hre_shares(w))
        hre = f.ndfeb_tpd * sum(s * share[u] for u, s in f.end_uses.items())
        assert need["ndfeb_hre"] == pytest.approx(hre)
        assert need["ndfeb"] + need["ndfeb_hre"] == pytest.approx(f.ndfeb_tpd)
        assert 0 < need["ndfeb_hre"] < need["ndfeb"] + need["ndfeb_hre"]


def test_buyer_agents_use_the_derived_split():
    cfg = RunConfig(days=1)
    model = build(cfg)
    share = hre_shares(cfg.world)
    for f in [*cfg.world.industries, *cfg.world.defense]:
        need = model.by_name[f.name].need
        assert need == pytest.approx(ndfeb_need(f, share))
        if f.end_uses:
            hre = f.ndfeb_tpd * sum(s * share[u] for u, s in f.end_uses.items())
            assert need["ndfeb_hre"] == pytest.approx(hre)


def test_more_traction_motors_need_more_hre():
    base = RunConfig(days=1)
    more = RunConfig(days=1, world=WorldConf(firm_overrides={"US-industry": {"end_uses": {
        "traction_motor": 0.5, "electronics": 0.1, "wind": 0.05, "air_conditioner": 0.05,
        "other": 0.3}}}))  # maps are updated key by key: every key of the row is given
    old = build(base).by_name["US-industry"].need
    new = build(more).by_name["US-industry"].need
    assert new["ndfeb_hre"] > old["ndfeb_hre"] + 1.0
    assert new["ndfeb"] + new["ndfeb_hre"] == pytest.approx(old["ndfeb"] + old["ndfeb_hre"])


def test_a_higher_hre_share_of_an_end_use_moves_the_split():
    w = WorldConf()
    w.end_uses = [r for r in w.end_uses if r.end_use != "wind"] + [
        type(w.end_uses[0])(end_use="wind", hre_share=0.0, note="[assumption]")]
    us = next(f for f in w.industries if f.name == "US-industry")
    assert us.end_uses.get("wind", 0) > 0
    assert (ndfeb_need(us, hre_shares(w))["ndfeb_hre"]
            < ndfeb_need(us, hre_shares(WorldConf()))["ndfeb_hre"])


def _edit_row(folder, name, column, value):
    path = folder / "industries.csv"
    lines = path.read_text().splitlines()
    cols = lines[0].split(",")
    j = next(i for i, c in enumerate(cols) if c.split(" [")[0] == column)
    for k, line in enumerate(lines):
        if line.startswith(name + ","):
            cells = line.split(",")
            cells[j] = value
            lines[k] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")


def test_write_tables_round_trips_end_uses(tmp_path):
    folder = write_tables(RunConfig().world, tmp_path / "w")
    again = WorldConf(tables=str(folder))
    assert again.end_uses == RunConfig().world.end_uses
    assert [f.end_uses for f in again.industries] == [
        f.end_uses for f in RunConfig().world.industries]


def test_a_row_giving_end_uses_and_an_explicit_split_is_refused(tmp_path):
    folder = tmp_path / "w"
    shutil.copytree(Path(worlds.__file__).parent / "2024", folder)  # has need_tpd.ndfeb
    _edit_row(folder, "US-industry", "need_tpd.ndfeb", "14.43")
    with pytest.raises(ConfigError) as e:
        WorldConf(tables=str(folder))
    msg = str(e.value)
    assert "\n" not in msg
    assert msg.startswith("world.industries[0].end_uses: give either end_uses (with "
                          "ndfeb_tpd) or need_tpd.ndfeb/ndfeb_hre, not both")
    with pytest.raises(ConfigError, match=r"world.industries\[0\].end_uses: give either"):
        WorldConf(firm_overrides={"US-industry": {"need_tpd": {"ndfeb_hre": 1.0}}})


@pytest.mark.parametrize("field,value,message", [
    ("end_uses", {"wind": 0.5, "other": 0.2}, "end_uses: shares must sum to 1, got 0.7"),
    ("ndfeb_tpd", None, "ndfeb_tpd: end_uses needs the total NdFeB use"),
    ("end_uses", {}, "ndfeb_tpd: needs end_uses to split it"),
])
def test_bad_end_use_inputs_are_refused_with_one_line(field, value, message):
    cfg = RunConfig()
    setattr(cfg.world.industries[0], field, value)
    with pytest.raises(ConfigError) as e:
        validate(cfg)
    assert str(e.value).startswith(f"world.industries[0].{message}")
    assert "\n" not in str(e.value)


def test_an_end_use_missing_from_the_table_is_refused(tmp_path):
    folder = write_tables(RunConfig().world, tmp_path / "w")
    lines = (folder / "end_uses.csv").read_text().splitlines()
    (folder / "end_uses.csv").write_text(
        "\n".join(x for x in lines if not x.startswith("wind,")) + "\n")
    with pytest.raises(ConfigError, match=r"end_uses.wind: the world's end-use table "
                       r"\(end_uses.csv\) has no row 'wind'"):
        WorldConf(tables=str(folder))


def test_an_unknown_end_use_key_is_refused():
    cfg = RunConfig()
    cfg.world.industries[0].end_uses = {"wnd": 1.0}
    with pytest.raises(ConfigError, match="end_uses.wnd"):
        validate(cfg)
