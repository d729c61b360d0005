"""Needs change in size (demand steps, substitution), never in what they name: the order
book's `users_of` (the buyers of a raw material, kept for the run) rests on it."""

import sim
from sim.domain.products import MATERIALS


def test_needs_change_in_size_never_in_what_they_name():
    cfg = sim.scenario("controls_2025", "world.demand_paths=true", days=400, seed=2,
                       plots=False)
    m = sim.build(cfg)
    names = {b.name: set(b.need) for b in m.of("buyer")}
    sizes = {b.name: dict(b.need) for b in m.of("buyer")}
    m.run()
    assert {b.name: set(b.need) for b in m.of("buyer")} == names
    assert any(b.need != sizes[b.name] for b in m.of("buyer"))  # sizes did change
    for mat in MATERIALS:
        assert m.orders.users_of(mat) == [b for b in m.of("buyer") if mat in b.need]
    assert any(m.orders.users_of(mat) for mat in MATERIALS)
