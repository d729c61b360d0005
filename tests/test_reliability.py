"""Reliability (issue 22): nothing lost or silently swapped, an embargo acts at customs,
every bad input bounded and named. Each test reproduces a failure found from a clone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.cli.main import main as cli
from sim.config import EventConf, RunConfig, WorldConf
from sim.config.resolve import resolve
from sim.config.tables import write_tables
from sim.domain.errors import ConfigError
from sim.kpis import summary_lines

from .helpers import ROOT

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _run(args, cwd, timeout=300, **kw):
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True,
                          text=True, env=ENV, cwd=cwd, timeout=timeout, **kw)


# ------------------------------------------------------------------ 1. one folder per run
def test_three_runs_started_together_keep_three_folders(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-m", "sim", "days=20", f"seed={s}",
                               "plots=false"], cwd=tmp_path, env=ENV, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for s in (1, 2, 3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    folders = {line.split("results: ")[1].strip() for o, _ in outs
               for line in o.splitlines() if line.startswith("results: ")}
    assert len(folders) == 3
    for f in folders:
        meta = json.loads((tmp_path / f / "meta.json").read_text())
        seed = int(meta["seed"])
        overrides = (tmp_path / f / ".hydra" / "overrides.yaml").read_text()
        assert f"seed={seed}" in overrides  # each folder holds its own run's files


# ------------------------------------------------------------------ 2. vintages keep theirs
def test_a_list_position_override_acts_on_the_scenarios_own_world():
    base = sim.scenario("embargo_2010")
    cfg = sim.scenario("embargo_2010", "days=5", "world.makers.0.working_stock_days=5",
                       "world.automakers.0.review_days=5")
    names = [f.name for f in cfg.world.makers]
    assert names == [f.name for f in base.world.makers]  # the 2009 makers, not 2024's
    assert cfg.world.makers[0].working_stock_days == 5
    assert cfg.world.automakers[0].vehicles_per_day == base.world.automakers[0].vehicles_per_day
    assert cfg.world.automakers[0].review_days == 5


def test_a_list_position_override_keeps_a_users_own_plants(tmp_path):
    world = resolve(WorldConf())
    old = world.firms["automakers"][0].name
    world.firms["automakers"] = world.firms["automakers"][:1]
    world.firms["automakers"][0].name = "My-plant"
    world.links = [x for x in world.links if x.customer == old]
    for x in world.links:
        x.customer = "My-plant"
    world.firms["tier1s"] = [f for f in world.firms["tier1s"]
                             if f.name in {x.supplier for x in world.links}]
    folder = write_tables(world, tmp_path / "w")
    cfg = sim.scenario("baseline", f"world={folder}", "world.automakers.0.review_days=5")
    assert [f.name for f in cfg.world.automakers] == ["My-plant"]
    assert cfg.world.automakers[0].review_days == 5


# ------------------------------------------------------------------ 3. no silent pruning
def _user_world(tmp_path):
    return write_tables(resolve(WorldConf()), tmp_path / "w")


def test_a_link_to_an_unknown_firm_is_an_error_naming_file_and_line(tmp_path):
    w = _user_world(tmp_path)
    text = (w / "links.csv").read_text().replace("Detroit-A,", "Detroit-AA,", 1)
    (w / "links.csv").write_text(text)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "Detroit-AA" in x)
    with pytest.raises(ConfigError, match=rf"links.csv:{line}.customer: no firm named "
                       "'Detroit-AA'"):
        sim.validate(RunConfig(world=WorldConf(tables=str(w))))


def test_a_tier1_without_links_is_an_error(tmp_path):
    w = _user_world(tmp_path)
    lines = (w / "links.csv").read_text().splitlines()
    (w / "links.csv").write_text("\n".join(x for x in lines if "US-tier1" not in x) + "\n")
    with pytest.raises(ConfigError, match="tier1s.csv:2.name: no link in links.csv names "
                       "'US-tier1'"):
        sim.validate(RunConfig(world=WorldConf(tables=str(w))))


def test_a_missing_column_is_an_error_not_a_default(tmp_path):
    w = _user_world(tmp_path)
    df = pd.read_csv(w / "automakers.csv").drop(columns=["vehicles_per_day [vehicles/day]"])
    df.to_csv(w / "automakers.csv", index=False)
    with pytest.raises(ConfigError, match=r"automakers.csv: header: missing column\(s\) "
                       r"\['vehicles_per_day'\]"):
        sim.validate(RunConfig(world=WorldConf(tables=str(w))))


@pytest.mark.parametrize("content,message", [
    (b"name\x00x,country\n", "a NUL byte"),
    ("name,country,source\nA,US,x\n".encode("utf-16"), "UTF-16 text"),
    (b"name,country,source\n\xff\xfe\xfa,US,x\n", "not UTF-8 text"),
    (b"name," + b"x" * 21_000_000 + b"\n", "more than the 20,000,000 read"),
])
def test_bad_bytes_in_a_world_table_are_named(tmp_path, content, message):
    w = _user_world(tmp_path)
    (w / "mines.csv").write_bytes(content)
    with pytest.raises(ConfigError, match=message) as e:
        sim.validate(RunConfig(world=WorldConf(tables=str(w))))
    assert "mines.csv" in str(e.value)


def test_a_fifo_named_like_a_table_is_refused_without_blocking(tmp_path):
    w = _user_world(tmp_path)
    (w / "links.csv").unlink()
    os.mkfifo(w / "links.csv")
    with pytest.raises(ConfigError, match="links.csv: not a regular file"):
        sim.validate(RunConfig(world=WorldConf(tables=str(w))))


# ------------------------------------------------------------------ 4. embargo at customs
def test_an_embargo_stops_goods_already_at_customs():
    cfg = sim.scenario("baseline", "days=120", "events=[{set: customs_hold, day: 0, "
                       "delay_min_days: 30, delay_max_days: 40, destinations: [US]}, "
                       "{set: embargo, day: 20, destinations: [US], days: 60}]")
    out = sim.run(cfg)
    s = out["shipments"]
    us = s[(s.buyer_country == "US") & (s.seller_country == "CN") & ~s.component]
    start, lift = pd.Timestamp("2025-01-21"), pd.Timestamp("2025-03-22")
    assert not us["cleared_on"].between(start, lift, inclusive="left").any()
    held = us[us["held_days"] > 0]
    assert len(held) and (held["cleared_on"] >= lift).all()  # released when it lifts
    assert (held["delivered_on"].dropna() > held["cleared_on"].dropna().min()).all()
    assert out["kpis"]["held_at_customs_t"]["US"] > 0
    d = out["daily"].set_index("date")["held_at_customs_t"]
    assert d.loc["2025-02-15"] > 0 and d.iloc[-1] == 0
    assert "held at customs by bars" in "\n".join(summary_lines(out))


def test_goods_held_at_customs_keep_their_tonnes():
    from .helpers import run_model
    cfg = sim.scenario("baseline", "days=90", "events=[{set: customs_hold, day: 0, "
                       "delay_min_days: 20, delay_max_days: 30}, {set: embargo, day: 10, "
                       "destinations: [US, DE, JP]}]")
    m = run_model(cfg, check_every=5)  # conservation every 5 days
    assert m.orders.held_tonnes() > 0


# ------------------------------------------------------------------ 5. nothing overwritten
def test_a_failing_run_pointed_at_a_run_folder_changes_nothing(tmp_path):
    good = tmp_path / "good"
    assert cli(["days=5", "plots=false", f"hydra.run.dir={good}"]) == 0
    before = {p: p.read_bytes() for p in good.rglob("*") if p.is_file()}
    assert cli(["days=-1", f"hydra.run.dir={good}"]) == 2
    assert cli(["days=5", "plots=false", f"hydra.run.dir={good}"]) == 2  # even a good one
    assert {p: p.read_bytes() for p in good.rglob("*") if p.is_file()} == before


def test_worlds_export_refuses_a_folder_with_tables(tmp_path, capsys):
    assert cli(["worlds", "export", str(tmp_path / "w")]) == 0
    assert cli(["worlds", "check", str(tmp_path / "w")]) == 0  # the whole 2024 world
    assert "5 automakers" in capsys.readouterr().out
    (tmp_path / "w" / "mines.csv").write_text("edited\n")
    assert cli(["worlds", "export", str(tmp_path / "w")]) == 2
    assert "already holds world tables" in capsys.readouterr().err
    assert (tmp_path / "w" / "mines.csv").read_text() == "edited\n"


def test_a_sweep_summary_covers_exactly_its_job_list(tmp_path, capsys):
    root = tmp_path / "sweep"
    args = ["-m", f"hydra.sweep.dir={root}", "days=5", "plots=false", "seed=1,2,3"]
    assert cli(args) == 0
    (root / "7").mkdir()  # a stale job folder of some other, larger sweep
    (root / "7" / ".hydra").mkdir()
    import shutil
    shutil.rmtree(root / "1")  # a job deleted after the sweep
    assert cli(args) == 0  # resumes: job 1 runs again, job 7 is not the sweep's
    s = pd.read_csv(root / "summary.csv")
    assert list(s["job"].astype(str)) == ["0", "1", "2"] and (s["status"] == "ok").all()
    assert cli([*args[:-1], "seed=1,2,3,4"]) == 2  # another sweep: refused, nothing lost
    assert "holds another sweep" in capsys.readouterr().err


# ------------------------------------------------------------------ 6. bounded work
BOMB = "\n".join(["# @package _global_", 'a: &a ["x","x","x","x","x","x","x","x","x"]',
                  *(f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]"
                    for p, c in zip("abcdefg", "bcdefgh", strict=False))]) + "\n"


def _limited(args, cwd, seconds=60, gb=2):
    """A command line run with at most ``gb`` of memory and ``seconds`` of wall time."""
    def limit():
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (gb << 30, gb << 30))
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                       env=ENV, cwd=cwd, timeout=seconds, preexec_fn=limit)
    return r, time.perf_counter() - t0


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    import shutil
    conf = tmp_path / "conf"
    shutil.copytree(ROOT / "scenarios", conf)
    (conf / "scenario" / "bomb.yaml").write_text(BOMB)
    r, _ = _limited(["scenario=bomb", "days=5", f"--config-dir={conf}"], tmp_path)
    assert r.returncode == 2 and "expands to more than" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args,message", [
    (["-m", "seed=range(0,50000000)", "days=5"], "sweeps over 50,000,000 values"),
    (["-m", "experiment=monte_carlo", "hydra.sweeper.samples.n=100000000"],
     "hydra.sweeper.samples.n: at most 100,000 jobs"),
    (["world.exporters.0.capacity_tpy.ndfeb=1e308", "days=5"],
     "world.exporters[0].capacity_tpy.ndfeb: must be between 0 and 1000000000"),
    (["seed=100000000000000000000000000000", "days=5"], "seed: must be at most"),
])
def test_huge_requests_are_refused_in_bounded_time_and_memory(tmp_path, args, message):
    r, _ = _limited(args, tmp_path)
    assert r.returncode == 2 and message in r.stderr, r.stderr
    assert not (tmp_path / "results").exists() or not any((tmp_path / "results").rglob("*.parquet"))


def test_many_events_compile_in_near_linear_time():
    import datetime as dt

    from sim.policy.schedule import compile_events
    evs = [EventConf(set="relations", day=i % 3000, level=0.1, destinations=["US"],
                     id=f"e{i}") for i in range(8000)]
    t0 = time.perf_counter()
    with pytest.raises(ConfigError, match="contradicts"):  # same day, two levels
        compile_events([*evs, EventConf(set="relations", day=0, level=0.2,
                                        destinations=["US"])], dt.date(2025, 1, 1))
    out = compile_events(evs, dt.date(2025, 1, 1))
    assert len(out) == 8000 and time.perf_counter() - t0 < 30  # was 191 s (quadratic)


# ------------------------------------------------------------------ 7. messages name things
@pytest.mark.parametrize("args,message", [
    (["start=9999-12-31"], "start: 9999-12-31 is outside the supported range"),
    (["seed=${nope}"], "Interpolation key 'nope' not found"),
    (["world.transit_days.BR=20", "events=[{set: embargo, day: 1, destinations: [US]}]",
      "days=3"], None),
    (["events=[{set: embargo, day: 1, destinations: [US], id: a}, {set: embargo, day: 2, "
      "destinations: [JP], id: a}]"], "the id 'a' is given to more than one event"),
    (["government.tariff_cn_magnets=0.1", "events=[{set: tariff, day: 0, rate: 0.2}]"],
     "government.tariff_cn_magnets: a 'tariff' event on"),
])
def test_messages_name_the_key_and_value(tmp_path, args, message, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = cli(["plots=false", "days=3", *args])
    err = capsys.readouterr().err
    if message is None:  # a valid map override beside an events override
        assert code == 0, err
        return
    assert code == 2 and message in err, err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("bad", ["baseline", 5, {"days": 5}, None])
def test_a_wrong_type_to_the_api_is_one_line(bad):
    with pytest.raises(ConfigError, match="config: must be a RunConfig"):
        sim.run(bad)


# ------------------------------------------------------------------ 8. leakage is reported
def test_leakage_is_reported_and_controls_have_their_own_share():
    base = ["days=400", "border.leakage=0.5"]
    out = sim.run(sim.scenario("embargo_2010", *base))
    smuggled = out["kpis"]["smuggled_t"]
    assert smuggled and all(t > 0 for by in smuggled.values() for t in by.values())
    assert "smuggled (leakage)" in "\n".join(summary_lines(out))
    s = out["shipments"]
    assert (s.loc[s["reason"] == "smuggled", "decision"] == "smuggled").all()
    controlled = ["events=[{set: controls, day: 0, materials: [dy_oxide, tb_oxide, "
                  "dy_metal, tb_metal, ndpr_oxide, ndpr_metal, sm_oxide, other_reo]}]"]
    out = sim.run(sim.scenario("embargo_2010", *base, *controlled))
    assert not out["kpis"]["smuggled_t"]  # under controls only leakage_controls leaks
    out = sim.run(sim.scenario("embargo_2010", *base, *controlled,
                               "border.leakage_controls=0.5"))
    assert out["kpis"]["smuggled_t"]


# ------------------------------------------------------------------ 9. no orphan workers
def _children(pid: int) -> set[int]:
    out = set()
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if int((p / "stat").read_text().split(")")[-1].split()[1]) == pid:
                    out.add(int(p.name))
            except (OSError, ValueError, IndexError):
                pass
    return out


def test_killing_a_sweeps_main_process_leaves_no_workers(tmp_path):
    p = subprocess.Popen([sys.executable, "-m", "sim", "-m", "days=400", "plots=false",
                          "seed=range(1,9)", "hydra.sweeper.workers=2",
                          f"hydra.sweep.dir={tmp_path / 's'}"], cwd=tmp_path, env=ENV,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    for _ in range(300):  # wait until the pool's workers run
        time.sleep(0.1)
        workers = _children(p.pid)
        if len(workers) >= 2:
            break
    assert workers, "no workers started"
    time.sleep(0.5)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    for _ in range(100):
        if not any(Path(f"/proc/{w}").exists() and "Z" not in
                   (Path(f"/proc/{w}/stat").read_text().split(")")[-1].split()[0:1] or [""])[0]
                   for w in workers):
            break
        time.sleep(0.1)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()
             and (Path(f"/proc/{w}/stat").read_text().split(")")[-1].split()[0] != "Z")]
    assert not alive, f"workers left running: {alive}"
