"""Adding a firm kind or an event kind is one place: these tests add a dummy of each from
here (their module, their registry row, their world table) and show that the whole model
takes them in. Neither name appears anywhere in ``sim/``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import sim
from sim.agents.industry import IndustrialBuyer
from sim.config import EventConf, IndustryConf, RunConfig, WorldConf
from sim.config.firm_kinds import FirmKind, register, unregister
from sim.config.resolve import resolve
from sim.config.tables import write_tables
from sim.policy import kinds as event_kinds

SIM = Path(__file__).resolve().parent.parent / "sim"


def _nowhere_in_sim(word: str) -> None:
    for f in SIM.rglob("*"):
        if f.is_file() and f.suffix in (".py", ".csv", ".yaml"):
            assert word not in f.read_text().lower(), f"{word!r} appears in {f}"


# --------------------------------------------------------------------------- a firm kind
@dataclasses.dataclass
class DistributorConf(IndustryConf):
    """A magnet distributor: stocks NdFeB for resale, buying like an industrial user."""


class Distributor(IndustrialBuyer):
    kind = "distributor"


@pytest.fixture
def distributors(tmp_path):
    register(FirmKind("distributors", "distributor", DistributorConf, Distributor,
                      frozenset({"holder", "party", "buyer"}), "magnet distributors",
                      country="abroad"))
    try:
        world = resolve(WorldConf())
        world.firms["distributors"] = [DistributorConf(
            name="EU-distributor", country="DE", need_tpd={"ndfeb": 1.5},
            target_cover_days=30, note="[assumption] a test firm")]
        yield write_tables(world, tmp_path / "world")  # its table beside the 2024 ones
    finally:
        unregister("distributors")


def test_a_new_firm_kind_is_one_module_one_row_and_one_table(distributors):
    _nowhere_in_sim("distributor")
    assert (distributors / "distributors.csv").exists()
    cfg = RunConfig(world=WorldConf(tables=str(distributors)), days=60, plots=False)
    m = sim.build(cfg)
    d = m.by_name["EU-distributor"]
    assert d in m.of("holder") and d in m.of("buyer") and d.stock["ndfeb"] > 0
    for _ in range(60):
        m.step()
        bad = {k: v for k, v in m.imbalance().items() if abs(v) > 1e-6}
        assert not bad, f"tonnes not conserved on {m.date}: {bad}"  # its stock is counted
    assert m.held()["ndfeb"] >= d.stock["ndfeb"]
    out = sim.run(cfg)
    rows = out["agents"][out["agents"]["agent"] == "EU-distributor"]
    assert len(rows) == 60 and set(rows["kind"]) == {"distributor"}  # in agents.parquet
    s = out["shipments"]
    bought = s[(s["buyer"] == "EU-distributor") & (s["status"] == "delivered")]
    exporters = {f.name for f in cfg.world.firms["exporters"]}
    ordered = s[(s["buyer"] == "EU-distributor") & (s["ordered_on"] >= "2025-01-01")]
    assert len(ordered) and set(ordered["seller"]) <= exporters  # through the order book
    assert len(bought)
    node = out["kpis"]["plants"]["EU-distributor"]  # the per-node KPIs
    assert node["kind"] == "distributor" and node["halt_days"] == 0


# --------------------------------------------------------------------------- an event kind
def _double(m, ev) -> None:
    for b in m.of("buyer"):
        if ev.destinations is None or b.country in ev.destinations:
            b.target_cover *= 2


def _halve(m, ev) -> None:
    for b in m.of("buyer"):
        if ev.destinations is None or b.country in ev.destinations:
            b.target_cover /= 2


@pytest.fixture
def alarm():
    event_kinds.register(event_kinds.kind(
        "stock_alarm", "buyers", "buyers in the destinations double their target cover",
        {"destinations", "days"}, start=_double, end=_halve))
    try:
        yield "stock_alarm"
    finally:
        event_kinds.unregister("stock_alarm")


def test_a_new_event_kind_is_one_row(alarm):
    _nowhere_in_sim("stock_alarm")
    from .helpers import small_world

    cfg = small_world(days=30, events=[EventConf(set=alarm, day=5, days=10,
                                                 destinations=["US"])])
    m = sim.build(cfg)
    a, i = m.by_name["A"], m.by_name["I"]
    covers = []
    for _ in range(30):
        m.step()
        covers.append((a.target_cover, i.target_cover))
    assert [c[0] for c in covers[4:6]] == [20.0, 40.0]  # from day 5 (the 6th day)
    assert [c[0] for c in covers[14:16]] == [40.0, 20.0]  # for 10 days
    assert {c[1] for c in covers} == {i.target_cover}  # German buyers not named
    ev = m.tables()["events"]
    mine = ev[ev["kind"] == alarm]  # its start and its end, both fired
    assert len(mine) == 2 and mine["fired"].all()
    assert list(mine["date"].dt.day) == [6, 16]
    with pytest.raises(sim.ConfigError, match="not used by a 'stock_alarm' event"):
        sim.build(small_world(events=[EventConf(set=alarm, day=1, prob=0.5)]))
