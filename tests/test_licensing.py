"""The Ministry's rules one by one, the licensing variants and the historical scenarios."""

import datetime as dt

import pandas as pd
import pytest

from sim import build
from sim.config import DelayConf, EventConf, LicensingConf
from sim.kpis import kpis
from sim.trade.shipments import Status

from .helpers import (
    ROOT,
    load,
    run_model,
    small_world,
    steps,
)

VARIANTS = sorted(p.stem for p in (ROOT / "scenarios" / "licensing").glob("*.yaml"))


def test_events_fire_on_their_dates():
    cfg = small_world(events=[EventConf(set="embargo", date="2025-01-20", destinations=["DE"])])
    m = build(cfg)
    steps(m, 19)
    assert m.date == dt.date(2025, 1, 19) and "DE" not in m.ministry.embargoes
    steps(m, 1)
    assert m.date == dt.date(2025, 1, 20) and "DE" in m.ministry.embargoes


def test_general_licence_skips_the_queue():
    cfg = small_world(events=[
        EventConf(set="controls", day=0),
        EventConf(set="general_licence", day=0, firms=["JL Mag"], customers=["A"])])
    m = steps(build(cfg), 30)
    s = m.tables()["shipments"]
    gen = s[s["licence"] == "general"]
    assert len(gen) and (gen["seller"] == "JL Mag").all() and (gen["buyer"] == "A").all()
    assert (gen["applied_on"] == gen["decided_on"]).all()
    # the buyer routes controlled orders to the exporter that holds the licence
    a_orders = s[(s["buyer"] == "A") & (s["ordered_on"] >= "2025-01-01")]
    assert (a_orders["seller"] == "JL Mag").all()
    # other buyers still queue for individual licences
    assert (s[s["buyer"] == "I"]["licence"].isin(["individual", "none"])).all()


def test_general_licence_volume_cap_and_validity():
    cfg = small_world(days=40, events=[
        EventConf(set="controls", day=0),
        EventConf(set="general_licence", day=0, firms=["JL Mag"], customers=["A"],
                  tonnes=20.0, days=20)])
    m = build(cfg).run()
    gen = [s for s in m.shipments if s.licence == "general"]
    assert sum(s.tonnes for s in gen) <= 20.0 + 1e-9
    assert all(s.decided_on < dt.date(2025, 1, 21) for s in gen)


def test_revocation_cancels_approved_unshipped_licences_and_suspends_general():
    lic = LicensingConf(delay=DelayConf(dist="fixed", low=1, mode=1, high=1),
                        rfi_prob_per_tier=0.0, licence_to_ship_days=10)
    cfg = small_world(licensing=lic, events=[
        EventConf(set="controls", day=0),
        EventConf(set="general_licence", day=0, firms=["Ningbo Yunsheng"], customers=["I"]),
        EventConf(set="revoke", day=6)])
    m = build(cfg)
    steps(m, 6)
    waiting = [s for s in m.shipments if s.status == Status.APPROVED and s.licence == "individual"]
    assert waiting, "approved licences wait licence_to_ship_days before loading"
    steps(m, 1)
    assert all(s.status == Status.REVOKED and s.reason == "revoked" for s in waiting)
    assert all(g.suspended for g in m.ministry.rules.general)
    steps(m, 10)
    assert not any(s.licence == "general" and s.decided_on >= dt.date(2025, 1, 7)
                   for s in m.shipments)
    assert all(abs(v) < 1e-6 for v in m.imbalance().values())


def test_anti_diversion_denies_third_countries():
    cfg = small_world(events=[EventConf(set="embargo", day=0, destinations=["US"],
                                        anti_diversion=["DE"], days=30)])
    m = build(cfg).run()
    s = m.tables()["shipments"]
    during = s[(s["ordered_on"] >= "2025-01-01") & (s["ordered_on"] < "2025-01-31")
               & (s["seller_country"] == "CN")]
    de = during[during["buyer_country"] == "DE"]
    assert len(de) and (de["reason"] == "anti_diversion").all()
    later = s[(s["buyer_country"] == "DE") & (s["shipped_on"] >= "2025-02-01")]
    assert len(later), "trade to the third country resumes when the embargo ends"


def test_military_end_use_denied_and_end_use_ban():
    m = build(small_world(events=[EventConf(set="controls", day=0)]))
    s = m.orders.new_order(m.by_name["A"], list(m.of("china_seller"))[0], "ndfeb", 1.0, m.date)
    s.end_use = "military"
    assert m.ministry.approval_prob(s) == 0.0
    m2 = build(small_world(events=[
        EventConf(set="deny", day=0, destinations=["US"], end_use="military")]))
    steps(m2, 1)
    s2 = m2.orders.new_order(m2.by_name["A"], list(m2.of("china_seller"))[0], "ndfeb",
                             1.0, m2.date)
    s2.end_use = "military"
    assert m2.ministry.screen(s2) == "military_end_use_banned"
    s2.end_use = "civil"
    assert m2.ministry.screen(s2) == "ok"


def test_relations_shift_approval_odds():
    cfg = small_world(events=[EventConf(set="relations", day=0, destinations=["US"],
                                        level=-1.0, days=10)])
    m = steps(build(cfg), 1)
    s = m.orders.new_order(m.by_name["A"], list(m.of("china_seller"))[0], "ndfeb", 1.0, m.date)
    base = m.ministry.conf.approval_default
    assert m.ministry.approval_prob(s) == pytest.approx(
        base * (1 - m.ministry.conf.relations_sensitivity))
    steps(m, 10)
    assert m.ministry.approval_prob(s) == pytest.approx(base)


def test_incomplete_files_grow_with_supplier_tiers():
    lic = LicensingConf(rfi_prob_per_tier=0.2)
    cfg = small_world(days=200, licensing=lic, events=[EventConf(set="controls", day=0)])
    cfg.world.automakers[0].supplier_tiers = 4
    cfg.world.industries[0].supplier_tiers = 1
    s = build(cfg).run().tables()["shipments"]
    app = s.dropna(subset=["applied_on"])
    share = app.groupby("buyer")["rfi"].mean()
    assert share["A"] > share["I"]
    wait = (app["decided_on"] - app["applied_on"]).dt.days
    assert wait[app["rfi"]].mean() > wait[~app["rfi"]].mean()


def test_customs_checks_delay_shipments():
    cfg = small_world(events=[EventConf(set="customs_checks", day=0, destinations=["US"],
                                        delay_days=20, days=15)])
    cfg.world.transit_jitter_days = 0.0
    s = build(cfg).run().tables()["shipments"]
    us = s[(s["buyer_country"] == "US") & s["shipped_on"].notna()
           & (s["shipped_on"] >= "2025-01-01")]
    transit = (us["due_on"] - us["shipped_on"]).dt.days
    inside = us["shipped_on"] < "2025-01-16"
    assert (transit[inside] == 50).all() and (transit[~inside] == 30).all()


def test_quota_per_destination_and_topup():
    cfg = small_world(days=90, events=[
        EventConf(set="quota", day=0, materials=["ndfeb"], destinations=["US"],
                  tonnes_per_year=5.0),
        EventConf(set="quota_topup", day=40, materials=["ndfeb"], destinations=["US"],
                  tonnes=5.0)])
    m = build(cfg).run()
    us = [s for s in m.shipments if s.material == "ndfeb" and s.buyer_country == "US"
          and s.shipped_on and s.shipped_on >= m.start]
    de = [s for s in m.shipments if s.material == "ndfeb" and s.buyer_country == "DE"
          and s.shipped_on and s.shipped_on >= m.start]
    assert sum(s.tonnes for s in us) <= 10.0 + 1e-9
    assert sum(s.tonnes for s in us if s.shipped_on < dt.date(2025, 2, 10)) <= 5.0 + 1e-9
    assert sum(s.tonnes for s in de) > 10.0


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_runs_on_controls_2025(variant):
    m = run_model(load("controls_2025", f"licensing={variant}", "days=150"), check_every=30)
    assert m.cfg.licensing.name == variant
    assert any(s.licence != "none" for s in m.shipments)


def test_fast_track_median_wait_shorter_than_statutory():
    def p50(v):
        return kpis(run_model(load("controls_2025", f"licensing={v}", "days=200")).tables())[
            "licence_wait_days_p50"]
    assert p50("fast_track") < p50("statutory_45wd")


def test_random_delay_counts_calendar_days():
    s = run_model(load("controls_2025", "licensing=random_delay", "days=200",
                       "licensing.provincial_review={dist:fixed,low:0,mode:0,high:0}",
                       "licensing.first_file_delay={dist:fixed,low:0,mode:0,high:0}")
                  ).tables()["shipments"]
    dec = s[(s["licence"] == "individual") & s["decided_on"].notna() & ~s["rfi"]]
    wait = (dec["decided_on"] - dec["applied_on"]).dt.days
    assert wait.min() >= 30 and wait.max() <= 90


@pytest.fixture(scope="module")
def controls_2025():
    m = run_model(load("controls_2025"))
    return m, m.tables()


def test_controls_2025_decides_90pct_within_45_working_days(controls_2025):
    m, t = controls_2025
    s = t["shipments"]
    dec = s[(s["licence"] == "individual") & s["decided_on"].notna()]
    controlled = {"ndfeb_hre", "smco", "dy_oxide", "dy_metal", "tb_oxide", "tb_metal",
                  "sm_oxide"}
    assert set(dec["material"]) <= controlled  # only controlled products
    # the statutory clock runs from MOFCOM's acceptance of a complete file
    # [sources: licensing-steps]; a request for information restarts it
    clean = dec[~dec["rfi"]]
    wd = [m.calendar.working_days_between(a.date(), d.date())
          for a, d in zip(clean["accepted_on"], clean["decided_on"], strict=True)]
    assert len(wd) > 100 and max(wd) <= 45
    assert (dec["accepted_on"] > dec["applied_on"]).all(), "the provincial review comes first"


def test_controls_2025_no_military_licence_and_general_licences_after_2_dec(controls_2025):
    _, t = controls_2025
    s = t["shipments"]
    mil = s[(s["end_use"] == "military") & (s["licence"] != "none")]
    assert not (mil["decision"] == "approved").any()
    gen = s[s["licence"] == "general"]
    assert len(gen) > 10 and (gen["shipped_on"] >= "2025-12-02").all()
    assert gen["seller"].isin(["JL Mag", "Ningbo Yunsheng", "Zhong Ke San Huan"]).all()
    # before the controls, nothing needed a licence
    # (an order placed on 3 Apr is screened on 4 Apr, under the controls)
    assert (s[s["ordered_on"] < "2025-04-03"]["licence"] == "none").all()


def test_controls_2025_hre_price_rises_more_than_plain_ndfeb(controls_2025):
    _, t = controls_2025
    k = kpis(t)
    assert k["price_peak_ratio"]["ndfeb_hre"] > k["price_peak_ratio"]["ndfeb"] + 0.5


def test_embargo_2010_halts_japan_only_during_the_embargo():
    m = run_model(load("embargo_2010", "days=730"))
    s = m.tables()["shipments"]
    jp = s[(s["seller_country"] == "CN") & (s["buyer_country"] == "JP")]
    start, end = pd.Timestamp("2010-09-21"), pd.Timestamp("2010-11-20")
    assert jp[(jp["shipped_on"] >= start) & (jp["shipped_on"] < end)].empty
    assert len(jp[(jp["shipped_on"] >= "2009-01-01") & (jp["shipped_on"] < start)]) > 50
    assert len(jp[jp["shipped_on"] >= end]) > 5, "trade with Japan resumes"
    kr = s[(s["seller_country"] == "CN") & (s["buyer_country"] == "KR")
           & (s["shipped_on"] >= start) & (s["shipped_on"] < end)]
    assert kr.empty, "anti-diversion holds Korea too"
    # the aggregate quota cut of July 2010 binds: some raw-material orders are refused
    assert (s["reason"] == "reo_quota").any()
