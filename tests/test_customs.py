"""What one licence covers, customs holds, and exports dated at customs clearance.

Products are picked by category (``MAGNETS``, ``RAW`` of `sim.products`), not by code.
"""

import datetime as dt

import pandas as pd
import pytest

from sim import build
from sim.config import DelayConf, EventConf, LicensingConf
from sim.domain.products import MAGNETS, RAW
from sim.trade.shipments import Decision, Licence, Status

from .helpers import run_model, small_world, steps

MAGNET, RAW_PRODUCT = MAGNETS[0], RAW[0]
HOLD_FROM, HOLD_DAYS, LO, HI = 10, 30, 20, 40  # a hold from day 10 for 30 days, 20-40 days


def _lic(**kw) -> LicensingConf:
    """A quick licence clock (5 working days, no RFIs), so controlled orders ship soon."""
    return LicensingConf(delay=DelayConf(dist="fixed", low=5, mode=5, high=5),
                         rfi_prob_per_tier=0.0, **kw)


def _orders(m, seller, materials, tonnes=2.0):
    """Orders from buyer I to ``seller``, one per material, the seller stocked for them."""
    e, b = m.by_name[seller], m.by_name["I"]
    out = []
    for mat in materials:
        e.bring_in(mat, tonnes, "initial")
        out.append(m.orders.new_order(b, e, mat, tonnes, m.date))
        b.on_order[mat] = b.on_order.get(mat, 0.0) + tonnes
    return out


# --------------------------------------------------------------------- what a licence covers
@pytest.mark.parametrize("licensed, other", [(MAGNETS, RAW), (RAW, MAGNETS)])
def test_a_general_licence_covers_only_its_products(licensed, other):
    """Everything is controlled; JL Mag holds a general licence for one category. Orders of
    that category are released under it; orders of the other category apply for an
    individual licence."""
    gl = {} if licensed == MAGNETS else {"materials": list(licensed)}  # default: magnets
    cfg = small_world(days=30, events=[
        EventConf(set="controls", date="2024-12-31", materials=[*MAGNETS, *RAW]),
        EventConf(set="general_licence", date="2024-12-31", firms=["JL Mag"], **gl)])
    m = build(cfg)
    e = m.by_name["JL Mag"]
    mine, theirs = _orders(m, "JL Mag", [licensed[0]]), _orders(m, "JL Mag", [other[0]])
    e.book = [*mine, *theirs]
    e.allocate()
    assert [(s.status, s.licence) for s in mine] == [(Status.APPROVED, Licence.GENERAL)]
    assert [(s.status, s.licence) for s in theirs] == [(Status.QUEUED, Licence.INDIVIDUAL)]
    g = m.ministry.rules.general[0]
    assert g.materials == frozenset(licensed)
    assert m.ministry.rules.general_licence("JL Mag", "DE", "I", 1.0, m.date, other[0]) is None


def test_switch_off_a_general_licence_covers_every_product():
    cfg = small_world(days=30, licensing=LicensingConf(general_licence_by_product=False),
                      events=[EventConf(set="controls", date="2024-12-31",
                                        materials=[*MAGNETS, *RAW]),
                              EventConf(set="general_licence", date="2024-12-31",
                                        firms=["JL Mag"])])
    m = build(cfg)
    e = m.by_name["JL Mag"]
    e.book = _orders(m, "JL Mag", [MAGNET, RAW_PRODUCT])
    e.allocate()
    assert all(s.licence == Licence.GENERAL for s in e.book)


def test_standing_general_licences_of_the_variant_cover_magnets_only():
    cfg = small_world(days=5, licensing=LicensingConf(general_licence_customers=["I"]),
                      events=[EventConf(set="controls", date="2024-12-31",
                                        materials=[*MAGNETS, *RAW])])
    m = build(cfg)
    screen = {s.material: m.ministry.screen(s) for s in _orders(m, "JL Mag",
                                                                [MAGNET, RAW_PRODUCT])}
    assert screen == {MAGNET: "general", RAW_PRODUCT: "licence"}


# --------------------------------------------------------------------- customs holds
def _hold_run(days=90, lic=None, **hold):
    ev = [EventConf(set="controls", day=0, materials=["ndfeb_hre"]),
          EventConf(set="customs_hold", day=HOLD_FROM, days=HOLD_DAYS, delay_min_days=LO,
                    delay_max_days=HI, **hold)]
    cfg = small_world(days=days, events=ev, licensing=lic or _lic())
    return run_model(cfg, check_every=1)


def _cn(m):
    """Chinese shipments released during the run."""
    return [s for s in m.orders.shipments if s.seller_country == "CN"
            and s.shipped_on is not None and s.shipped_on >= m.start]


def _held(m, s) -> int:
    return (s.cleared_on - s.shipped_on).days


def test_a_hold_delays_magnets_controlled_or_not_by_a_draw_in_range():
    m = _hold_run()
    start = m.start
    lo_day, hi_day = start + dt.timedelta(HOLD_FROM), start + dt.timedelta(HOLD_FROM + HOLD_DAYS)
    inside = [s for s in _cn(m) if lo_day <= s.shipped_on < hi_day]
    outside = [s for s in _cn(m) if not lo_day <= s.shipped_on < hi_day]
    assert {s.material for s in inside} >= {"ndfeb", "ndfeb_hre"}  # uncontrolled, controlled
    assert any(s.licence == Licence.INDIVIDUAL for s in inside)
    assert any(s.decision == Decision.NOT_REQUIRED for s in inside)
    held = [_held(m, s) for s in inside]
    assert all(LO <= h <= HI for h in held)
    assert len(set(held)) > 3, "one draw per shipment"
    assert outside and all(_held(m, s) == 0 for s in outside)
    for s in inside:  # transit runs after clearance (jitter 3 days)
        transit = m.cfg.world.transit_days[s.buyer_country]
        assert abs((s.due_on - s.cleared_on).days - transit) <= 3


def test_a_hold_for_named_destinations_only():
    m = _hold_run(destinations=["US"])
    start = m.start
    inside = [s for s in _cn(m) if HOLD_FROM <= (s.shipped_on - start).days
              < HOLD_FROM + HOLD_DAYS]
    us = [s for s in inside if s.buyer_country == "US"]
    de = [s for s in inside if s.buyer_country == "DE"]
    assert us and de
    assert all(_held(m, s) >= LO for s in us) and all(_held(m, s) == 0 for s in de)


def _dispatch_today(m, materials):
    """Release and ship orders of ``materials`` from JL Mag to I today."""
    out = _orders(m, "JL Mag", materials)
    for s in out:
        m.orders.reserve(s)
        m.ministry.release(s, Decision.NOT_REQUIRED)
        m.orders.dispatch(s)
    return out


@pytest.mark.parametrize("named", [False, True])
def test_a_hold_leaves_other_products_alone_unless_named(named):
    hold = {"materials": [RAW_PRODUCT]} if named else {}
    cfg = small_world(days=40, events=[EventConf(set="customs_hold", day=0, delay_min_days=LO,
                                                 delay_max_days=HI, **hold)])
    m = steps(build(cfg), 3)
    mag, raw = _dispatch_today(m, [MAGNET, RAW_PRODUCT])
    held_raw, held_mag = _held(m, raw), _held(m, mag)
    assert (LO <= held_raw <= HI) if named else held_raw == 0
    assert held_mag == 0 if named else LO <= held_mag <= HI
    assert all(abs(v) < 1e-9 for v in m.imbalance().values())


def test_the_switch_ignores_holds():
    m = _hold_run(lic=_lic(customs_holds=False))
    assert all(_held(m, s) == 0 for s in _cn(m))


def test_the_same_order_is_held_as_long_under_every_policy():
    """The hold is keyed by the order, not drawn in sequence: orders common to two runs
    with different licensing get the same hold."""
    a = _hold_run()
    b = _hold_run(lic=_lic(approval_default=0.7))

    def key(s):
        return (s.buyer, s.seller, s.material, s.ordered_on, s.shipped_on)

    ha = {key(s): _held(a, s) for s in _cn(a) if _held(a, s) > 0}
    hb = {key(s): _held(b, s) for s in _cn(b) if _held(b, s) > 0}
    common = set(ha) & set(hb)
    assert len(common) > 5 and all(ha[k] == hb[k] for k in common)


# --------------------------------------------------------------------- exports at clearance
def _daily_vs(m, col):
    t = m.tables()
    d = t["daily"].set_index("date")["exports_t"]
    s = t["shipments"]
    s = s[(s["seller_country"] == "CN") & (s["shipped_on"] >= pd.Timestamp(m.start))]
    by = s.groupby(col)["tonnes"].sum().reindex(d.index, fill_value=0.0)
    return d, by


def test_exports_are_counted_on_the_clearance_day():
    m = _hold_run()
    daily, by_clear = _daily_vs(m, "cleared_on")
    assert (daily - by_clear).abs().max() < 1e-9
    _, by_release = _daily_vs(m, "shipped_on")
    assert (daily - by_release).abs().max() > 1.0
    # nothing shipped in the hold's first LO days is cleared in them
    window = daily.iloc[HOLD_FROM:HOLD_FROM + LO]
    assert window.sum() == 0.0 and by_release.iloc[HOLD_FROM:HOLD_FROM + LO].sum() > 0
    per_mat = m.tables()["daily"][[f"exports_{x}_t" for x in MAGNETS]].sum(axis=1)
    assert (per_mat.to_numpy() - daily.to_numpy()).max() < 1e-9


def test_switch_off_exports_count_on_release():
    m = _hold_run(lic=_lic(date_exports_at_clearance=False))
    daily, by_release = _daily_vs(m, "shipped_on")
    assert (daily - by_release).abs().max() < 1e-9


def test_customs_checks_count_as_customs_time():
    cfg = small_world(days=60, events=[EventConf(set="customs_checks", day=5, days=20,
                                                 destinations=["US"], delay_days=7)])
    m = run_model(cfg, check_every=1)
    us = [s for s in _cn(m) if s.buyer_country == "US"
          and 5 <= (s.shipped_on - m.start).days < 25]
    assert us and all(_held(m, s) == 7 for s in us)
    daily, by_clear = _daily_vs(m, "cleared_on")
    assert (daily - by_clear).abs().max() < 1e-9


def test_held_tonnes_stay_in_the_shipment():
    cfg = small_world(days=90, events=[EventConf(set="customs_hold", day=0, days=40,
                                                 delay_min_days=LO, delay_max_days=HI)])
    m = build(cfg)
    steps(m, 30)
    held = [s for s in _cn(m) if s.cleared_on > m.date]
    assert held and all(s.status == Status.IN_TRANSIT and s.reserved for s in held)
    assert all(abs(v) < 1e-6 for v in m.imbalance().values())
    steps(m, 59)
    assert all(abs(v) < 1e-6 for v in m.imbalance().values())
