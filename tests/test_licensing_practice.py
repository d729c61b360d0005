"""Licensing as practised: provincial review before acceptance, first files slower than
repeats, requests for information that restart the clock, finite Ministry capacity and
approval odds by buyer sector."""

import statistics

from sim import build
from sim.config import DelayConf, EventConf, LicensingConf
from sim.trade.shipments import Status

from .helpers import small_world

FIXED = dict(dist="fixed", unit="working")


def _run(days=150, events=None, **lic):
    lic.setdefault("rfi_prob_per_tier", 0.0)
    cfg = small_world(days=days, licensing=LicensingConf(
        delay=DelayConf(low=10, mode=10, high=10, **FIXED), **lic),
        events=events or [EventConf(set="controls", day=0)])
    return build(cfg).run()


def _waits(m, pair=None):
    return [(s.decided_on - s.applied_on).days for s in m.shipments
            if s.licence == "individual" and s.decided_on is not None
            and (pair is None or (s.seller, s.buyer) == pair)]


def test_provincial_review_comes_before_the_clock():
    base = statistics.median(_waits(_run()))
    slow = statistics.median(_waits(_run(provincial_review=DelayConf(low=15, mode=15,
                                                                     high=15, **FIXED))))
    assert slow >= base + 15  # 15 working days are at least 15 calendar days


def test_first_file_for_a_pair_takes_longer_than_a_repeat():
    m = _run(days=200, first_file_delay=DelayConf(low=20, mode=20, high=20, **FIXED))
    pair = next((s.seller, s.buyer) for s in m.shipments if s.licence == "individual"
                and s.decision == "approved")
    ordered = sorted((s.applied_on, (s.decided_on - s.applied_on).days) for s in m.shipments
                     if (s.seller, s.buyer) == pair and s.licence == "individual"
                     and s.decided_on is not None)
    first, later = ordered[0][1], [w for _, w in ordered[1:]]
    assert later, "the pair filed again"
    approved_on = min(s.decided_on for s in m.shipments if (s.seller, s.buyer) == pair
                      and s.decision == "approved")
    repeats = [w for a, w in ordered if a > approved_on]
    assert repeats and first >= max(repeats) + 20


def test_request_for_information_restarts_the_clock():
    add = statistics.median(_waits(_run(rfi_prob_per_tier=1.0)))
    restart = statistics.median(_waits(_run(rfi_prob_per_tier=1.0, rfi_restarts_clock=True)))
    assert restart >= add + 10  # a second full clock of 10 working days


def test_capacity_makes_a_surge_queue_longer():
    free = _run(days=120)
    tight = _run(days=120, files_per_working_day=0.5)
    assert statistics.mean(_waits(tight)) > statistics.mean(_waits(free)) + 5
    per_day = {}
    for s in tight.shipments:
        if s.licence == "individual" and s.decided_on is not None:
            per_day[s.decided_on] = per_day.get(s.decided_on, 0) + 1
    assert max(per_day.values()) <= 1
    cal = tight.calendar
    assert all(cal.is_working_day(d) for d in per_day)


def test_approval_odds_by_sector():
    m = _run(days=150, approval_default=0.0, events=[
        EventConf(set="controls", day=0),
        EventConf(set="approval", day=0, sectors=["automaker"], prob=1.0)])
    by_buyer = {}
    for s in m.shipments:
        if s.licence == "individual" and s.decided_on is not None:
            by_buyer.setdefault(s.buyer, set()).add(str(s.decision))
    assert by_buyer["A"] == {"approved"}  # the automaker
    assert by_buyer["I"] == {"denied"}  # the industry buyer
    assert any(s.status == Status.DENIED and s.reason == "not_approved" for s in m.shipments)
