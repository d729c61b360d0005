"""Spot trades taken from a heap of sellers (most surplus first) are the trades of sorting
every seller for each short buyer (the rule as first written, kept here): same sellers,
same tonnes, same order, to the last bit, in a world of hundreds of buyers made short and
long at random."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.trade.spot import short_of, surplus_of


def _sorted_rule(spot) -> None:
    """SpotMarket.trade as first written: every seller sorted for each short buyer."""
    spot.traded_today = 0.0
    for f in spot.firms:
        f.spot_today_t = f.spot_today_usd = 0.0
    conf = spot.model.cfg.behaviour
    price = spot.model.market.price
    via_tier = spot.model.orders.via_tier
    for m in sorted({m for f in spot.firms for m in f.need}):
        firms = [f for f in spot.firms if not via_tier(f.name, m)]
        short = short_of(firms, m)  # who is short is unchanged; how they buy is the rule
        if not short:
            continue
        surplus = {name: (extra, f)
                   for extra, name, f in surplus_of(firms, m, conf.spot_sell_above)}
        if not surplus:
            continue
        unit = price.get(m, 0.0) * 1000.0 * (1.0 + conf.spot_premium)
        for want, _, buyer in sorted(short, key=lambda x: (-x[0], x[1])):
            for name in sorted(surplus, key=lambda k: (-surplus[k][0], k)):
                left, seller = surplus[name]
                if seller is buyer or left <= 1e-9 or want <= 1e-9:
                    continue
                if seller.country == "CN" and buyer.country != "CN":
                    continue
                q = min(want, left)
                seller.move(m, q, buyer)
                surplus[name] = (left - q, seller)
                want -= q
                buyer.spot_today_t += q
                buyer.spot_today_usd += q * unit
                spot.traded_today += q


def _world(seed: int):
    m = sim.build(sim.scenario("controls_2025", "world=synthetic", "world.firms=300",
                               days=30, seed=2, plots=False))
    for _ in range(10):
        m.step()
    rng = np.random.default_rng(seed)
    for f in m.spot.firms:  # short or long at random
        for mat, n in f.need.items():
            f.stock[mat] = float(n * rng.choice([0.0, 0.5, 3.0, 60.0, 200.0]) * rng.random())
    return m


@pytest.mark.parametrize("seed", [1, 2])
def test_heap_trades_are_the_sorted_rules(seed):
    new, old = _world(seed), _world(seed)
    assert [f.name for f in new.spot.firms] == [f.name for f in old.spot.firms]
    assert new.spot.active
    assert {f.country == "CN" for f in new.spot.firms} == {True, False}  # both sides
    new.spot.trade()
    _sorted_rule(old.spot)
    assert new.spot.traded_today == old.spot.traded_today > 0
    for a, b in zip(new.spot.firms, old.spot.firms, strict=True):
        assert a.stock == b.stock, a.name
        assert (a.spot_today_t, a.spot_today_usd) == (b.spot_today_t, b.spot_today_usd)
    assert sum(f.spot_today_t > 0 for f in new.spot.firms) > 20  # many buyers served
