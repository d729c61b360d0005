"""The event registry: every kind stacks with itself, lifts end only what they name,
contradictions and untimed kinds given a duration are refused, levers become events."""

import pytest

from sim import build
from sim.config import (
    EventConf,
    MineConf,
    RunConfig,
    WorldConf,
)
from sim.domain.errors import ConfigError
from sim.domain.products import RAW
from sim.policy.kinds import KINDS, kinds_table

from .helpers import small_world, steps

LONG, SHORT = 100, 20  # A: days 0-100; B: days 10-30


def _world(**kw) -> RunConfig:
    cfg = small_world(days=120, **kw)
    cfg.world.mines = [MineConf(name="M", country="AU")]
    return cfg


# kind -> (keys of the long event A, keys of the short event B, probe(model) -> value)
STACKING = {
    "controls": ({}, {}, lambda m: m.ministry.rules.requires_licence("ndfeb", "US")),
    "embargo": ({"destinations": ["US"]}, {"destinations": ["US"]},
                lambda m: m.ministry.rules.barred("ndfeb", "US", "civil") == "embargo"),
    "approval": ({"prob": 0.3}, {"prob": 0.8},
                 lambda m: m.ministry.rules.approval_override("JL Mag", "US")),
    "relations": ({"level": -0.5}, {"level": 0.5},
                  lambda m: m.ministry.rules.relations_level("US")),
    "customs_checks": ({"destinations": ["US"], "delay_days": 5},
                       {"destinations": ["US"], "delay_days": 20},
                       lambda m: m.ministry.rules.customs_delay("US")),
    "customs_hold": ({"delay_min_days": 30, "delay_max_days": 60},
                     {"delay_min_days": 5, "delay_max_days": 10},
                     lambda m: m.ministry.rules.customs_hold("ndfeb", "US")),
    "deny": ({"end_use": "civil"}, {"end_use": "civil"},
             lambda m: m.ministry.rules.barred("ndfeb", "US", "civil") != ""),
    "export_duty": ({"materials": [RAW[0]], "rate": 0.15}, {"materials": [RAW[0]], "rate": 0.25},
                    lambda m: m.border.duty(RAW[0])),
    "crackdown": ({"rate": 0.2}, {"rate": 0.5}, lambda m: m.border.china.crackdown),
    "price_floor": ({"usd_per_kg": 80.0}, {"usd_per_kg": 110.0},
                    lambda m: m.government.floor_for("M")),
    "tariff": ({"rate": 0.1}, {"rate": 0.5}, lambda m: m.government.levers.tariff()),
    "stockpile_buy": ({"tonnes_per_day": {"smco": 0.1}}, {"tonnes_per_day": {"smco": 0.5}},
                      lambda m: m.government.levers.buy_tpd().get("smco")),
}
NONE = {"controls": False, "embargo": False, "approval": None, "relations": 0.0,
        "customs_checks": 0, "customs_hold": None, "deny": False, "price_floor": None,
        "tariff": 0.0, "stockpile_buy": None, "export_duty": 0.0, "crackdown": 0.0}


def test_every_timed_kind_is_covered():
    timed = {k for k, v in KINDS.items() if v.end is not None}
    assert timed == set(STACKING)


@pytest.mark.parametrize("kind", sorted(STACKING))
def test_overlapping_events_stack(kind):
    """A short event inside a long one: while both hold the latest wins; the short one's
    end leaves the long one in force; after the long one ends, nothing is."""
    a_keys, b_keys, probe = STACKING[kind]
    m = build(_world(events=[
        EventConf(set=kind, day=0, days=LONG, **a_keys),
        EventConf(set=kind, day=10, days=SHORT, **b_keys)]))
    steps(m, 5)
    in_a = probe(m)
    steps(m, 10)  # day 15: both
    in_both = probe(m)
    steps(m, 25)  # day 40: B ended, A holds
    assert probe(m) == in_a, f"{kind}: the end of B also ended A"
    steps(m, 70)  # day 110: both ended
    assert probe(m) == NONE[kind]
    if kind in ("approval", "relations", "customs_checks", "customs_hold", "price_floor",
                "tariff", "stockpile_buy", "export_duty", "crackdown"):
        assert in_both != in_a, "the latest event in force wins"


def test_explicit_lift_ends_only_what_it_names():
    m = build(_world(events=[
        EventConf(set="embargo", day=0, destinations=["US", "DE"]),
        EventConf(set="lift_embargo", day=5, destinations=["DE"]),
        EventConf(set="controls", day=0, materials=["ndfeb", "smco"]),
        EventConf(set="lift_controls", day=5, materials=["smco"])]))
    steps(m, 6)
    r = m.ministry.rules
    assert r.barred("ndfeb", "US", "civil") == "embargo"
    assert r.barred("ndfeb", "DE", "civil") == ""
    assert r.requires_licence("ndfeb", "US") and not r.requires_licence("smco", "US")


def test_short_embargo_does_not_end_a_longer_one():
    """Before events stacked, the 30-day embargo's lift ended the 100-day one."""
    m = build(_world(events=[
        EventConf(set="embargo", day=0, days=100, destinations=["US"]),
        EventConf(set="embargo", day=10, days=30, destinations=["US"])]))
    steps(m, 60)
    assert "US" in m.ministry.embargoes
    ships = m.tables()["shipments"]
    us = ships[(ships["buyer_country"] == "US") & (ships["seller_country"] == "CN")]
    left = us["shipped_on"].dropna()
    assert not ((left >= "2025-01-01") & (left < "2025-03-01")).any()


@pytest.mark.parametrize("a, b", [
    ({"set": "embargo", "destinations": ["US"]}, {"set": "lift_embargo", "destinations": ["US"]}),
    ({"set": "controls"}, {"set": "lift_controls", "materials": ["ndfeb"]}),
    ({"set": "relations", "level": 0.5}, {"set": "relations", "level": -0.5}),
    ({"set": "quota", "materials": ["ndfeb"], "tonnes_per_year": 10.0},
     {"set": "quota", "materials": ["ndfeb"], "tonnes_per_year": 20.0}),
    ({"set": "tariff", "rate": 0.1}, {"set": "tariff", "rate": 0.2}),
    ({"set": "customs_hold", "delay_min_days": 30, "delay_max_days": 60},
     {"set": "customs_hold", "delay_min_days": 10, "delay_max_days": 60}),
])
def test_contradictions_on_one_day_are_errors(a, b):
    cfg = _world(events=[EventConf(day=3, **a), EventConf(day=3, **b)])
    with pytest.raises(ConfigError, match=r"events\[1\].*contradicts"):
        build(cfg)


def test_untimed_kind_given_days_is_an_error():
    cfg = _world(events=[EventConf(set="quota", day=0, materials=["ndfeb"],
                                   tonnes_per_year=1.0, days=10)])
    with pytest.raises(ConfigError, match=r"events\[0\]: key\(s\) \['days'\] not used"):
        build(cfg)


def test_levers_compile_into_events_in_the_events_table():
    cfg = RunConfig(days=30)
    cfg.government.tariff_cn_magnets = 0.25
    cfg.government.dfars_ban_date = "2025-01-20"
    cfg.government.dfars_lead_days = 10
    cfg.world.mines = [MineConf(name="M", country="AU")]
    m = steps(build(cfg), 12)
    ev = m.tables()["events"]
    assert {"tariff", "defense_ban"} <= set(ev["kind"])
    assert m.government.levers.tariff() == 0.25
    prime = next(b for b in m.of("buyer") if b.kind == "defense")
    assert prime.china_barred  # ban on day 19, lead 10 days: barred from day 9


def test_dict_events_and_unknown_kinds():
    cfg = _world(events=[{"set": "embargo", "day": 2, "destinations": ["US"]}])
    assert build(cfg).policy.events[0].kind == "embargo"
    with pytest.raises(ConfigError, match="unknown event kind 'embrago'"):
        build(_world(events=[EventConf(set="embrago", day=0)]))


def test_kinds_table_lists_every_kind():
    table = kinds_table()
    assert all(f"`{k}`" in table for k in KINDS)


def test_world_without_mines_rejects_mine_names():
    cfg = RunConfig(days=10, world=WorldConf(mines=[]), events=[
        EventConf(set="concentrate_route", day=0, mines=["Nope"], open=False)])
    with pytest.raises(ConfigError, match="no mine named 'Nope'"):
        build(cfg)


def test_customs_hold_keys_are_checked():
    bad = _world(events=[EventConf(set="customs_hold", day=0, delay_min_days=60,
                                   delay_max_days=30)])
    with pytest.raises(ConfigError, match=r"events\[0\]\.delay_max_days: must be >= "):
        build(bad)
    with pytest.raises(ConfigError, match=r"needs \['delay_max_days'\]"):
        build(_world(events=[EventConf(set="customs_hold", day=0,
                                                  delay_min_days=5)]))


def test_customs_holds_on_one_day_for_different_products_are_not_contradictions():
    m = build(_world(events=[
        EventConf(set="customs_hold", day=0, delay_min_days=30, delay_max_days=60),
        EventConf(set="customs_hold", day=0, materials=[RAW[0]], delay_min_days=5,
                  delay_max_days=10)]))
    r = steps(m, 1).ministry.rules
    assert r.customs_hold("ndfeb", "US") == (30, 60)
    assert r.customs_hold(RAW[0], "US") == (5, 10)
