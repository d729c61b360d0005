"""The buffer search: finds a cover when one suffices, says so plainly when none does."""

from sim.experiments.buffer import search

from .helpers import load


def test_a_cover_suffices_under_a_short_embargo():
    cfg = load("embargo_us", "days=90")  # embargo to the US from day 30
    r = search(cfg, seeds=[1, 2], share=1.0, low=0, high=120, tol=10, verify_seeds=[3],
               log=None)
    assert r.cover_days is not None and 0 < r.cover_days <= 120
    assert r.verified is True and r.verify.ok_share == 1.0
    assert r.carrying_cost_usd_per_yr > 0
    worse = [t for t in r.search if t.cover_days < r.cover_days]
    assert worse and all(t.ok_share < 1.0 for t in worse)  # smaller covers halted
    assert "cover needed" in "\n".join(r.lines())


def test_no_cover_suffices_says_so():
    cfg = load("embargo_us", "days=200", "world.stock_ranges=false")  # the tables' own stocks
    r = search(cfg, seeds=[1], share=1.0, low=0, high=10, tol=5, log=None)
    assert r.cover_days is None and len(r.search) == 1
    text = "\n".join(r.lines())
    assert "NO COVER SUFFICES" in text and "10 days" in text
