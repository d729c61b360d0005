"""The market's sums over a large world's buyers, taken in whole arrays, equal the loop's
to the last bit: the need-weighted restricted share and tariff of each magnet, and the
need-weighted cover gap, under licences, bans and tariffs that differ by country."""

from __future__ import annotations

import pytest

import sim
from sim.domain.products import MAGNETS
from sim.trade.market import Market


@pytest.fixture(scope="module")
def model():
    m = sim.build(sim.scenario("baseline", "world=synthetic", "world.firms=300", days=40,
                               seed=3, plots=False))
    for _ in range(25):
        m.step()
    return m


def _both(model, fn, monkeypatch):
    fast = fn()
    monkeypatch.setattr(Market, "ARRAY_MIN", 10**9)  # the loop
    slow = fn()
    monkeypatch.undo()
    return fast, slow


@pytest.mark.parametrize("own", [False, True])
def test_restricted_share_and_tariff_equal_the_loops(model, monkeypatch, own):
    rules, levers = model.ministry.rules, model.government.levers
    countries = sorted({b.country for b in model.orders.buyers_of("ndfeb")})
    assert len(model.orders.buyers_of("ndfeb")) >= Market.ARRAY_MIN and len(countries) > 2
    licensed = set(countries[::2])
    monkeypatch.setattr(rules, "requires_licence", lambda mat, c: c in licensed)
    monkeypatch.setattr(rules, "barred", lambda mat, c, use: "ban" if use == "military"
                        else "")
    rates = {c: 0.05 * (i + 1) / 3 for i, c in enumerate(countries)}
    monkeypatch.setattr(levers, "tariff_rate",
                        lambda who, origin: 0.1 / 3 if who is None else rates[who])
    monkeypatch.setattr(model.cfg.market, "tariffs_on_landed_cost", own)
    b = model.orders.buyers_of("ndfeb")[7]
    b.china_share["ndfeb"] = 0.3  # one buyer's share differs
    for m in MAGNETS:
        if model.orders.buyers_of(m):
            with monkeypatch.context() as mp:
                fast, slow = _both(model, lambda m=m: model.market.shares(model, m), mp)
            assert fast == slow, m
    r, t = model.market.shares(model, "ndfeb")
    assert 0.0 < r < 1.0 and t > 0.0  # the case is not a trivial one


def test_cover_gap_equals_the_loops(model, monkeypatch):
    holders = (*model.of("buyer"), *model.of("tier1"))
    assert len(holders) >= Market.ARRAY_MIN
    holders[3].stock["ndfeb"] = 0.0  # one buyer short, one in surplus
    holders[5].stock["ndfeb"] *= 40.0
    for m in MAGNETS:
        with monkeypatch.context() as mp:
            fast, slow = _both(model, lambda m=m: model.market.gap_of(holders, m), mp)
        assert fast == slow, m
    assert model.market.gap_of(holders, "ndfeb") != 0.0


def test_firms_whose_needs_do_not_name_a_material_count_for_nothing(model, monkeypatch):
    """The price's gap and shares over the firms whose needs name the material
    (`Market.naming`) are those over every holder and buyer, to the last bit."""
    holders = (*model.of("buyer"), *model.of("tier1"))
    mk = model.market
    for m in MAGNETS:
        named = mk.naming(model, m, "holders")
        assert 0 < len(named) <= len(holders)
        assert mk.gap_of(named, m) == mk.gap_of(holders, m)
        short = mk.shares(model, m)
        with monkeypatch.context() as mp:  # every buyer of it from sellers instead
            mp.setattr(Market, "naming", lambda self, model, mat, who:
                       model.orders.buyers_of(mat) if who == "buyers" else list(holders))
            mp.setattr(mk, "_groups", {})  # its buyers numbered afresh for the other list
            assert mk.shares(model, m) == short
    assert any(len(mk.naming(model, m, "holders")) < len(holders) for m in MAGNETS)


def test_an_ordered_sum_is_the_loops():
    import numpy as np

    from sim.domain.sums import ordered_sum

    rng = np.random.default_rng(5)
    x = rng.random(5000) * 10.0 ** rng.integers(-8, 8, 5000)
    total = 0.0
    for v in x:
        total += float(v)
    assert ordered_sum(x) == total
    assert ordered_sum(x) != float(np.sum(x))  # numpy's pairwise sum differs here
    assert ordered_sum(np.array([])) == 0.0
    z = ordered_sum(np.array([-0.0, -0.0]))
    assert z == 0.0 and str(z) == "0.0"  # +0.0, as the loop from 0.0
