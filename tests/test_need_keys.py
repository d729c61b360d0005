"""Needs change in size (demand steps, substitution), never in what they name: the order
book's `users_of` (the buyers of a raw material, kept for the run), the market's `naming`
(the buyers and tier-1s whose needs name a magnet) and the stockpiles' buyers rest on it."""

import sim
from sim.domain.products import MATERIALS


def test_needs_change_in_size_never_in_what_they_name():
    cfg = sim.scenario("controls_2025", "world.demand_paths=true", days=400, seed=2,
                       plots=False)
    m = sim.build(cfg)
    names = {b.name: set(b.need) for b in (*m.of("buyer"), *m.of("tier1"))}
    sizes = {b.name: dict(b.need) for b in m.of("buyer")}
    m.run()
    assert {b.name: set(b.need) for b in (*m.of("buyer"), *m.of("tier1"))} == names
    assert any(b.need != sizes[b.name] for b in m.of("buyer"))  # sizes did change
    for mat in MATERIALS:
        assert m.orders.users_of(mat) == [b for b in m.of("buyer") if mat in b.need]
    assert any(m.orders.users_of(mat) for mat in MATERIALS)
    holders = (*m.of("buyer"), *m.of("tier1"))
    assert m.market._naming  # the run kept them
    for mat, who in m.market._naming:
        firms = m.orders.buyers_of(mat) if who == "buyers" else holders
        assert m.market.naming(m, mat, who) == [b for b in firms if mat in b.need]
    for sp in m.of("state"):
        for mat, kept in getattr(sp, "_naming", {}).items():
            assert kept == [b for b in m.of("buyer") if b.country == sp.country
                            and mat in b.need]
