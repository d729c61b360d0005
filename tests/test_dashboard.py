"""The dashboard without a browser: each lever means the config the command line would
compose, the variant runs beside a cached baseline of the same seed (common random
numbers), saved run folders and sweep roots open read-only, the tables download as a zip,
the figures draw, and ``magnet-sim dashboard`` refuses bad flags in one line.
(The page itself, in Chromium: tests/test_dashboard_browser.py.)"""

from __future__ import annotations

import io
import socket
import zipfile

import pandas as pd
import pytest
from omegaconf import OmegaConf

import sim
from sim.cli.main import main as cli
from sim.domain.errors import ConfigError
from sim.experiments.summary import aggregate
from sim.outputs.dashboard import figures
from sim.outputs.dashboard.levers import Levers, policy_overrides, scenario_embargo
from sim.outputs.dashboard.session import (
    Runner,
    compose,
    open_folder,
    open_job,
    prim_rows,
    summary_rows,
    tables_zip,
)


def variant(lv: Levers):
    """The variant config of ``lv`` (as `Runner` composes it) and its overrides."""
    base = compose(lv.scenario, [f"seed={lv.seed}"])
    ov = policy_overrides(lv, base.events, str(base.start), scenario_embargo(base))
    return compose(lv.scenario, [f"seed={lv.seed}", *ov]), ov


def test_no_lever_moved_means_the_scenario_itself():
    assert not Levers().moved() and Levers(approval=0.5).moved()
    cfg, ov = variant(Levers(scenario="embargo_us"))
    assert ov == [] and cfg == compose("embargo_us", ["seed=1"])


def test_each_lever_is_the_config_the_command_line_composes():
    cfg, ov = variant(Levers(
        scenario="controls_2025", controls=("ndfeb", "oxide"), controls_start=45,
        approval=0.4, licence_delay=30, ministry_files_per_day=12, cover_days=75,
        cover_plant="Detroit-A", stockpile_t=250, price_floor=95))
    assert "licensing.approval_default=0.4" in ov
    lic = cfg.licensing
    assert lic.approval_default == 0.4 and lic.files_per_working_day == 12
    assert (lic.delay.dist, lic.delay.low, lic.delay.mode, lic.delay.high) == \
        ("fixed", 30, 30, 30)
    covers = {a.name: a.target_cover_days for a in cfg.world.automakers}
    plain = {a.name: a.target_cover_days for a in compose("controls_2025", []).world.automakers}
    assert covers["Detroit-A"] == 75 and {k: v for k, v in covers.items() if k != "Detroit-A"} \
        == {k: v for k, v in plain.items() if k != "Detroit-A"}
    assert cfg.government.stockpile_t == {"ndfeb_hre": 250.0, "smco": 250.0}
    assert cfg.government.price_floor_usd_per_kg == 95
    added = [e for e in cfg.events if e.label == "dashboard controls"]
    assert len(added) == 1 and added[0].day == 45 and added[0].materials == ["ndfeb", "oxide"]
    assert len(cfg.events) == len(compose("controls_2025", []).events) + 1  # scenario's kept
    every, _ = variant(Levers(scenario="embargo_us", cover_days=20))
    assert {a.target_cover_days for a in every.world.automakers} == {20}


def test_the_scenarios_embargo_is_edited_and_one_is_added_where_there_is_none():
    cfg, ov = variant(Levers(scenario="embargo_us", embargo_start=45, embargo_days=90,
                             embargo_to=("US", "DE")))
    assert ov == ["events.0.day=45", "events.0.days=90", "events.0.destinations=[US, DE]"]
    (e,) = cfg.events
    assert (e.day, e.days, e.destinations) == (45, 90, ["US", "DE"])
    # a scenario that dates its embargo: the start moves as a date
    c10 = compose("embargo_2010", [])
    emb = scenario_embargo(c10)
    assert emb.by_date
    cfg, ov = variant(Levers(scenario="embargo_2010", embargo_start=emb.start_day + 10))
    assert len(ov) == 1 and ov[0].startswith(f"events.{emb.position}.date=")
    assert str(cfg.events[emb.position].date) > str(c10.events[emb.position].date)
    # none in the scenario: a new one, and the scenario's events dropped when asked
    cfg, _ = variant(Levers(scenario="baseline", embargo=True, embargo_start=20,
                            embargo_days=60, embargo_to=("JP",), keep_events=False))
    (e,) = cfg.events
    assert (e.set, e.day, e.days, e.destinations) == ("embargo", 20, 60, ["JP"])


@pytest.mark.parametrize("lv, words", [
    (Levers(licensing="fast_trak"), ["licensing", "fast_trak", "fast_track"]),
    (Levers(licensing="fast_track hydra.run.dir=/"), ["licensing"]),
    (Levers(controls=("ndfeb; rm",)), ["controls material"]),
    (Levers(world="1999"), ["world", "1999"]),
])
def test_a_lever_value_outside_its_list_is_refused(lv, words):
    with pytest.raises(ConfigError) as e:
        Runner().run(lv)
    assert all(w in str(e.value) for w in words), str(e.value)


def test_text_from_the_page_is_data_never_an_override():
    """A destination is a value inside the event: text that would be an override or code
    is refused by the config's checks, never run."""
    with pytest.raises(ConfigError):
        variant(Levers(scenario="embargo_us", embargo_to=("US], seed=[7",)))


def test_variant_beside_a_cached_baseline_with_common_random_numbers():
    r, seen = Runner(), []
    short = dict(scenario="embargo_us", days=365, seed=3)
    first = r.run(Levers(**short), lambda what, share: seen.append((what, share)))
    assert first.same and first.variant is first.baseline and not first.baseline_cached
    assert seen[-1] == ("drawing", 1.0) and seen[1][1] <= seen[-2][1]
    second = r.run(Levers(**short, embargo_days=300))
    assert second.baseline_cached and second.baseline is first.baseline
    assert second.overrides[-1] == "events.0.days=300"
    v, b = second.variant["daily"], second.baseline["daily"]
    assert v["lost_vehicles"].sum() > b["lost_vehicles"].sum()  # a longer embargo
    # same seed, same draws: identical until the scenario's embargo ends (day 30 + 180)
    cols = ["buyer_stock_ndfeb_t", "price_ndfeb_ex_cn", "planned_vehicles"]
    pd.testing.assert_frame_equal(v[cols].iloc[:205], b[cols].iloc[:205])
    assert not v[cols].iloc[210:].equals(b[cols].iloc[210:])
    other_seed = r.run(Levers(scenario="embargo_us", days=60, seed=4))
    assert not other_seed.baseline_cached


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """Two short saved runs, and a sweep root made of them."""
    root = tmp_path_factory.mktemp("saved")
    runs = []
    for seed in (1, 2):
        out = sim.run(sim.scenario("embargo_us", days=60, seed=seed))
        folder = sim.save(out, root / "sweep" / str(seed - 1), plots=False)
        (folder / ".hydra").mkdir()
        OmegaConf.save(OmegaConf.create([f"seed={seed}"]), folder / ".hydra" / "overrides.yaml")
        runs.append((folder, out))
    aggregate([f for f, _ in runs], root / "sweep", plots=False)
    return root, runs


def test_a_saved_run_and_a_sweep_root_open_read_only(saved):
    root, runs = saved
    o = open_folder(str(runs[0][0]))
    assert o.kind == "run" and o.run["kpis"] == runs[0][1]["kpis"]
    pd.testing.assert_frame_equal(o.run["daily"], runs[0][1]["daily"], check_dtype=False)
    s = open_folder(str(root / "sweep"))
    assert s.kind == "sweep" and s.jobs == ["0", "1"] and len(s.summary) == 2
    rows = summary_rows(s.summary)
    assert [str(r["seed"]) for r in rows] == ["1", "2"] and "lost_vehicles" in rows[0]
    assert open_job(s, "1")["meta"]["seed"] == 2
    before = sorted(p.name for p in (root / "sweep").rglob("*"))
    with pytest.raises(ConfigError, match="no job '7'"):
        open_job(s, "7")
    for bad, words in (("", "give a folder"), (str(root / "nope"), "no such folder"),
                       (str(root), "not a run folder")):
        with pytest.raises(ConfigError, match=words):
            open_folder(bad)
    assert sorted(p.name for p in (root / "sweep").rglob("*")) == before  # nothing written


def test_prim_boxes_of_a_sweep_show_their_restricted_inputs():
    prim = pd.DataFrame([
        {"box": 1, "input": "events.0.days", "label": "embargo length (days)",
         "restricted": True, "low": 190.0, "high": 330.0, "values": None, "full_low": 31.0,
         "full_high": 330.0, "qp_low": 1e-9, "qp_high": None, "coverage": 0.81,
         "density": 0.98, "runs": 62},
        {"box": 1, "input": "market.scarcity_elasticity", "label": "scarcity", "restricted":
         False, "low": 1.0, "high": 6.0, "values": None, "full_low": 1.0, "full_high": 6.0,
         "qp_low": None, "qp_high": None, "coverage": 0.81, "density": 0.98, "runs": 62}])
    (row,) = prim_rows(prim)
    assert row["input"] == "embargo length (days)" and row["in the box"] == "190 .. 330"
    assert row["quasi-p"] == "1e-09" and row["density"] == "0.98"


def test_the_tables_download_as_one_zip(saved):
    _, runs = saved
    out = runs[0][1]
    z = zipfile.ZipFile(io.BytesIO(tables_zip(out, ["scenario=embargo_us", "seed=1"])))
    names = set(z.namelist())
    assert {"daily.parquet", "agents.parquet", "shipments.parquet", "events.parquet",
            "plants.parquet", "daily.csv", "plants.csv", "kpis.json", "meta.json",
            "overrides.txt"} <= names
    back = pd.read_parquet(io.BytesIO(z.read("daily.parquet")))
    pd.testing.assert_frame_equal(back, out["daily"], check_dtype=False)
    assert z.read("overrides.txt").decode().split() == ["scenario=embargo_us", "seed=1"]


def test_figures_and_tables_compare_the_run_with_its_baseline():
    r = Runner()
    o = r.run(Levers(scenario="controls_2025", days=250, seed=1, approval=0.3))
    for name in ("inventory", "exports", "prices", "licences"):
        fig = getattr(figures, name)(o.variant, o.baseline)
        assert figures.png(fig)[:8] == b"\x89PNG\r\n\x1a\n"
        # each figure draws the baseline too (dashed lines beside the run's)
        assert any(ln.get_linestyle() == "--" for ax in fig.axes for ln in ax.get_lines())
    rows = {r["kpi"]: r for r in figures.kpi_rows(o.variant, o.baseline)}
    lost = rows["lost vehicles"]
    v, b = o.variant["kpis"]["lost_vehicles"], o.baseline["kpis"]["lost_vehicles"]
    assert lost["this run"] == f"{v:,.0f}" and lost["difference"] == f"{v - b:+,.0f}"
    plants = figures.plant_rows(o.variant, o.baseline)
    assert {p["plant"] for p in plants} == {a.name for a in compose(
        "controls_2025", []).world.automakers}
    assert all("(" in p["halt days"] for p in plants)  # this run (baseline)
    alone = figures.kpi_rows(o.variant, None)
    assert set(alone[0]) == {"kpi", "value"}


@pytest.mark.parametrize("args, words", [
    (["--port", "0"], ["--port", "0"]),
    (["--port", "abc"], ["--port", "abc"]),
    (["--open", "/no/such/folder"], ["--open", "no such folder"]),
    (["--colour", "red"], ["unrecognized", "--colour"]),
])
def test_dashboard_flags_are_checked_in_one_line(args, words, capsys):
    assert cli(["dashboard", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: magnet-sim dashboard"), err
    assert all(w in err[0] for w in words), err


def test_a_port_in_use_is_one_line(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert cli(["dashboard", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err
