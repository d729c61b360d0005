"""Defence: military end use never licensed under controls, the dated ban on Chinese
magnets, the stockpile's release rule, readiness."""

import pandas as pd
import pytest

from sim.config import EventConf, RunConfig
from sim.kpis import kpis

from .helpers import load, run_model

BAN = pd.Timestamp("2027-01-01")


@pytest.fixture(scope="module")
def defense_2027():
    m = run_model(load("defense_2027"), check_every=60)
    return m, m.tables()


def _military_cn(ships):
    return ships[(ships["end_use"] == "military") & (ships["seller_country"] == "CN")]


def test_no_chinese_magnet_reaches_military_use_after_the_ban(defense_2027):
    _, t = defense_2027
    mil = _military_cn(t["shipments"])
    assert mil[mil["delivered_on"] >= BAN].empty
    assert mil[mil["ordered_on"] >= BAN].empty
    assert not mil[mil["delivered_on"] < BAN].empty  # uncontrolled NdFeB flowed before
    # nothing is still on its way or waiting for a licence at the end
    assert not mil["status"].isin(["ordered", "queued", "approved", "in_transit"]).any()


def test_military_end_use_never_licensed_under_controls(defense_2027):
    _, t = defense_2027
    mil = _military_cn(t["shipments"])
    licensed = mil[mil["licence"] != "none"]
    assert len(licensed) and (licensed["decision"] != "approved").all()


def test_stockpile_draws_down_and_readiness_falls(defense_2027):
    _, t = defense_2027
    a = t["agents"]
    gov = a[a["kind"] == "government"].set_index("date")
    assert gov["stock_smco"].iloc[0] == 25.0
    assert gov["stock_smco"].iloc[-1] < 1.0  # drawn down to the primes
    assert gov["released"].sum() > 20.0
    k = kpis(t)
    assert k["defense_min_cover_days"] < 60 and k["defense_days_not_ready"] > 0


def test_release_rule_tops_up_a_short_prime():
    cfg = RunConfig(days=3)
    cfg.government.stockpile_t = {"smco": 10.0}
    cfg.government.release_cover_days, cfg.government.release_max_tpd = 400.0, 2.0
    m = run_model(cfg, check_every=1)
    assert m.government.stock["smco"] == pytest.approx(10.0 - 3 * 2.0)
    assert all(abs(v) < 1e-6 for v in m.imbalance().values())


def test_stockpile_buys_from_non_chinese_makers():
    cfg = RunConfig(days=30)
    cfg.government.stockpile_buy_tpd = {"smco": 0.1}
    m = run_model(cfg, check_every=5)
    assert 0 < m.government.stock["smco"] <= 3.0 + 1e-9
    assert all(abs(v) < 1e-6 for v in m.imbalance().values())


def test_ban_without_controls_keeps_prime_supplied():
    """Default world, ban inside a short horizon: the prime switches to non-Chinese makers
    and loses nothing."""
    cfg = RunConfig(start="2026-10-01", days=240)
    m = run_model(cfg, check_every=30)
    t = m.tables()
    mil = _military_cn(t["shipments"])
    assert mil[mil["delivered_on"] >= BAN].empty
    prime = t["agents"][t["agents"]["kind"] == "defense"]
    assert prime["lost"].sum() == 0


def test_ban_can_be_switched_off():
    cfg = RunConfig(start="2026-12-01", days=90,
                    events=[EventConf(set="relations", day=1, level=0.0)])
    cfg.government.dfars_ban_date = None
    s = run_model(cfg).tables()["shipments"]
    mil = _military_cn(s)
    assert not mil[mil["ordered_on"] >= BAN].empty
