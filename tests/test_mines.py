"""Mine lifecycle on small timelines, price floor, grants, separation route; the price war
and price floor scenarios."""

import pytest

from sim import build
from sim.config import MineConf, RunConfig
from sim.kpis import kpis

from .helpers import load, run_model


def _run(mine: MineConf, days: int = 60, **gov):
    cfg = RunConfig(days=days)
    cfg.world.mines = [mine]
    for k, v in gov.items():
        setattr(cfg.government, k, v)
    m = run_model(cfg, check_every=20)
    a = m.tables()["agents"]
    g = a[a["agent"] == mine.name]
    return m, list(g.loc[g["status"] != g["status"].shift(), "status"])


def _mine(m):
    """The model's (one) mine."""
    return list(m.of("mine"))[0]


def test_committed_mine_builds_ramps_and_operates():
    mine = MineConf(name="M", country="US", capacity_tpy=3650.0, status="planned",
                    construction_start="2025-01-05", construction_days=10, rampup_days=10)
    m, states = _run(mine, 40)
    assert states == ["planned", "construction", "rampup", "operating"]
    assert _mine(m).produced_today == pytest.approx(10.0)


def test_uncommitted_mine_invests_only_when_price_clears_hurdle():
    ok = MineConf(name="M", status="planned", breakeven_price=40.0, hurdle=0.1,
                  invest_days=20, construction_days=1000)
    _, states = _run(ok, 40)
    assert states == ["planned", "construction"]
    dear = MineConf(name="M", status="planned", breakeven_price=70.0, invest_days=20)
    _, states = _run(dear, 40)
    assert states == ["planned"]


def test_floor_or_grant_triggers_investment():
    dear = MineConf(name="M", status="planned", breakeven_price=70.0, invest_days=20,
                    construction_days=1000)
    m, states = _run(dear, 10, price_floor_usd_per_kg=110.0, price_floor_start="2025-01-01")
    assert states == ["construction"]  # at once: the floor clears the break-even
    assert _mine(m).realised_price() == 110.0
    _, states = _run(dear, 40, capital_grant_share=0.9)  # break-even 40 + 30 x 0.1 = 43
    assert states == ["planned", "construction"]


def test_mine_closes_below_cash_cost_and_restarts():
    mine = MineConf(name="M", status="operating", cash_cost=60.0, close_after_days=15,
                    price_window_days=5, invest_days=10, hurdle=0.0, restart_days=5,
                    rampup_days=5)
    cfg = RunConfig(days=200)
    cfg.world.mines = [mine]
    m = build(cfg)
    for _ in range(30):
        m.step()
    assert _mine(m).status == "care_and_maintenance" and _mine(m).closures == 1
    assert _mine(m).produced_today == 0.0
    _mine(m).conf.cash_cost = 40.0  # prices now clear cash cost: restart
    for _ in range(25):
        m.step()
    assert _mine(m).status in ("rampup", "operating")
    assert all(abs(v) < 1e-6 for v in m.imbalance().values())


def test_concentrate_route_follows_chinese_policy():
    to_china = MineConf(name="M", separation="china")
    m, _ = _run(to_china, 5)
    assert _mine(m).produced_today > 0
    assert _mine(m).to_china_today == pytest.approx(_mine(m).produced_today)
    refused = MineConf(name="M", separation="china", china_takes_concentrate=False,
                       separation_ready="2025-01-04")
    m, _ = _run(refused, 3)
    assert _mine(m).produced_today == 0.0
    m, _ = _run(refused, 5)  # domestic separation built: sells at home again
    assert _mine(m).produced_today > 0


@pytest.fixture(scope="module")
def war_and_floor():
    out = []
    for name in ("price_war", "price_floor"):
        t = run_model(load(name), check_every=60).tables()
        a = t["agents"]
        closed = set(a.loc[(a["kind"] == "mine")
                           & (a["status"] == "care_and_maintenance"), "agent"])
        out.append((kpis(t), closed))
    return out


def test_price_war_closes_a_mine_and_the_floor_keeps_it(war_and_floor):
    (war, war_closed), (floor, floor_closed) = war_and_floor
    assert war["mines_closed"] >= 1 and "US-new-mine" in war_closed
    # the floor keeps the mine it covers; its output then stays on the market, so the
    # incumbent without a floor may close instead (China's balance takes the surplus)
    assert "US-new-mine" not in floor_closed
    assert floor["mines_closed"] <= war["mines_closed"]
    # once the rival is gone, the flood ends and the price recovers toward its opening level
    # (slowly: the stock China's balance took on during the war is worked off first)
    assert war["price_end_ratio_ex_cn"]["ndpr_oxide"] == pytest.approx(1.0, abs=0.1)
