"""The bad-input matrix (issue 22): for every source of input, at least one case of every
kind of wrongness. Each case must end in one clear line naming what is wrong, a non-zero
exit (or a `ConfigError` from the Python API), in bounded time and memory, with nothing
written outside ``results/`` and nothing that existed changed.

A case: ``(source, kind, id, run, expect, files)``. ``run`` is either a list of
command-line arguments (``{tmp}`` is replaced by the case's folder) or a function of the
case's folder that calls the Python API. ``files`` are written into the case's folder
before it runs (relative path -> text or bytes; ``FIFO`` makes a named pipe, ``world/``
starts from an exported 2024 world).
"""

from __future__ import annotations

import sim
from sim.config import EventConf, RunConfig, WorldConf

SOURCES = ("command line", "scenario file", "sweep spec", "world table", "observed data",
           "python api")
KINDS = ("type", "range", "unknown key", "unknown name", "contradiction", "size",
         "encoding", "file type", "collision")
H = "# @package _global_\n"
EXP = H + "defaults:\n  - override /hydra/sweeper: sim\n  - _self_\n"
SCN = ["--config-dir={tmp}/conf", "scenario=bad", "days=3", "plots=false"]
SWP = ["-m", "--config-dir={tmp}/conf", "experiment=bad", "days=3",
       "hydra.sweep.dir={tmp}/results/sweep"]
WLD = ["world={tmp}/world", "days=3", "plots=false"]
BOMB = H + 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefg", "bcdefgh",
                                                                  strict=False))
FIFO = object()  # a named pipe instead of a file
BIG = b"x" * 21_000_000
OBS = ["compare", "scenario=baseline", "days=40", "--seeds", "1", "--workers", "1",
       "--observed", "{tmp}/obs.csv", "--out", "{tmp}/results/compare"]
OH = "date,series,value,unit,source\n"
OK = "2025-01-01,cn_magnet_exports_t,6357,t,customs\n"


def _c(source, kind, id_, run, expect, files=None):
    assert source in SOURCES and kind in KINDS, (source, kind)
    return (source, kind, id_, run, list(expect), dict(files or {}))


def _edit(path: str, old: str, new: str):
    """A world-table edit: replace ``old`` by ``new`` once in ``world/<path>``."""
    return ("edit", path, old, new)


def _api_events(_tmp):
    sim.validate(RunConfig(days=5, events=[
        EventConf(set="embargo", day=1, destinations=["US"]),
        EventConf(set="lift_embargo", day=1, destinations=["US"])]))


def _api_many_events(_tmp):
    sim.validate(RunConfig(days=5, events=[EventConf(set="relations", day=i % 3, level=0.1,
                                                     id=f"e{i}") for i in range(20_001)]))


def _api_save_over(tmp):
    out = sim.run(RunConfig(days=3, plots=False))
    (tmp / "results" / "run").mkdir(parents=True)
    (tmp / "results" / "run" / "meta.json").write_text("{}")
    sim.save(out, tmp / "results" / "run", plots=False)


CASES = [
    # ------------------------------------------------------------------- command line
    _c("command line", "type", "cli_days_text", ["days=abc"], ["days", "abc"]),
    _c("command line", "range", "cli_days_negative", ["days=-1"], ["days", "-1"]),
    _c("command line", "unknown key", "cli_typo", ["dayz=5"], ["dayz", "days"]),
    _c("command line", "unknown name", "cli_scenario", ["scenario=controls_2052"],
       ["controls_2052", "controls_2025"]),
    _c("command line", "contradiction", "cli_events_clash",
       ["days=5", "events=[{set: embargo, day: 1, destinations: [US]}, "
        "{set: lift_embargo, day: 1, destinations: [US]}]"], ["contradicts", "embargo"]),
    _c("command line", "size", "cli_huge_sweep", ["-m", "seed=range(0,50000000)", "days=3"],
       ["seed", "50,000,000"]),
    _c("command line", "encoding", "cli_bad_bytes", ["scenario=\udcff"], ["scenario"]),
    _c("command line", "file type", "cli_config_dir_is_a_file",
       ["--config-dir={tmp}/afile", "days=3"], ["--config-dir", "afile"],
       {"afile": "not a folder\n"}),
    _c("command line", "collision", "cli_run_dir_taken",
       ["days=3", "plots=false", "hydra.run.dir={tmp}/results/taken"],
       ["taken", "not empty"], {"results/taken/meta.json": "{}\n"}),
    # ------------------------------------------------------------------- scenario files
    _c("scenario file", "type", "scn_days_text", SCN, ["days", "abc"],
       {"conf/scenario/bad.yaml": H + "days: abc\n"}),
    _c("scenario file", "range", "scn_adjust", SCN, ["market.adjust_per_day", "5"],
       {"conf/scenario/bad.yaml": H + "market:\n  adjust_per_day: 5\n"}),
    _c("scenario file", "unknown key", "scn_typo", SCN, ["dayz", "days"],
       {"conf/scenario/bad.yaml": H + "dayz: 5\n"}),
    _c("scenario file", "unknown name", "scn_firm", SCN, ["Nobody"],
       {"conf/scenario/bad.yaml": H + "licensing:\n  approval_by_firm: {Nobody: 0.5}\n"}),
    _c("scenario file", "contradiction", "scn_events", SCN, ["contradicts"],
       {"conf/scenario/bad.yaml": H + "events:\n  - {set: controls, day: 1}\n"
        "  - {set: lift_controls, day: 1}\n"}),
    _c("scenario file", "size", "scn_alias_bomb", SCN, ["expands to more than"],
       {"conf/scenario/bad.yaml": BOMB}),
    _c("scenario file", "encoding", "scn_utf16", SCN, ["bad.yaml", "UTF-16"],
       {"conf/scenario/bad.yaml": (H + "days: 5\n").encode("utf-16")}),
    _c("scenario file", "file type", "scn_fifo", SCN, ["bad.yaml", "not a regular file"],
       {"conf/scenario/bad.yaml": FIFO}),
    _c("scenario file", "collision", "scn_duplicate_firm", SCN,
       ["duplicate firm name", "Lynas-like"],
       {"conf/scenario/bad.yaml": H + "world:\n  add:\n    mines:\n      - {name: Lynas-like, "
        "note: '[assumption]'}\n"}),
    # ------------------------------------------------------------------- sweep specs
    _c("sweep spec", "type", "swp_n_text", SWP, ["samples.n", "abc"],
       {"conf/experiment/bad.yaml": EXP + "hydra:\n  sweeper:\n    samples:\n      n: abc\n"
        "      params: {seed: {dist: uniform, low: 1, high: 2}}\n      seeds: fixed\n"}),
    _c("sweep spec", "range", "swp_n_zero", SWP, ["samples.n", "0"],
       {"conf/experiment/bad.yaml": EXP + "hydra:\n  sweeper:\n    samples:\n      n: 0\n"
        "      params: {world.transit_jitter_days: {low: 1, high: 2}}\n"}),
    _c("sweep spec", "unknown key", "swp_typo", SWP, ["samples", "nn"],
       {"conf/experiment/bad.yaml": EXP + "hydra:\n  sweeper:\n    samples:\n      nn: 2\n"}),
    _c("sweep spec", "unknown name", "swp_param", SWP, ["market.nope"],
       {"conf/experiment/bad.yaml": EXP + "hydra:\n  sweeper:\n    samples:\n      n: 2\n"
        "      params: {market.nope: {dist: uniform, low: 1, high: 2}}\n"}),
    _c("sweep spec", "contradiction", "swp_low_high", SWP, ["low < high"],
       {"conf/experiment/bad.yaml": EXP + "hydra:\n  sweeper:\n    samples:\n      n: 2\n"
        "      params: {world.transit_jitter_days: {dist: uniform, low: 5, high: 1}}\n"}),
    _c("sweep spec", "size", "swp_n_huge", SWP, ["samples.n", "100,000"],
       {"conf/experiment/bad.yaml": EXP + "hydra:\n  sweeper:\n    samples:\n"
        "      n: 100000000\n      params: {world.transit_jitter_days: {low: 1, high: 2}}\n"}),
    _c("sweep spec", "encoding", "swp_bytes", SWP, ["bad.yaml", "UTF-8"],
       {"conf/experiment/bad.yaml": EXP.encode() + b"x: \xff\xfe\xfa\n"}),
    _c("sweep spec", "file type", "swp_fifo", SWP, ["bad.yaml", "not a regular file"],
       {"conf/experiment/bad.yaml": FIFO}),
    _c("sweep spec", "collision", "swp_dir_taken", [*SWP[:-1], "seed=1,2",
                                                    "hydra.sweep.dir={tmp}/results/sw"],
       ["holds another sweep"], {"conf/experiment/bad.yaml": EXP,
                                 "results/sw/sweep.json": '{"jobs": ["other"]}\n'}),
    # ------------------------------------------------------------------- world tables
    _c("world table", "type", "wld_review_text", WLD, ["automakers.csv:2.review_days",
                                                       "seven"],
       {"world/": [_edit("automakers.csv", "Detroit-A,US,21.0,7,", "Detroit-A,US,21.0,seven,")]}),
    _c("world table", "range", "wld_cover_negative", WLD,
       ["automakers.csv:2.target_cover_days", "-21"],
       {"world/": [_edit("automakers.csv", "Detroit-A,US,21.0", "Detroit-A,US,-21.0")]}),
    _c("world table", "unknown key", "wld_column", WLD, ["working_stok_days"],
       {"world/": [_edit("exporters.csv", "working_stock_days", "working_stok_days")]}),
    _c("world table", "unknown name", "wld_link", WLD, ["links.csv", "Detroit-AA"],
       {"world/": [_edit("links.csv", ",Detroit-A,", ",Detroit-AA,")]}),
    _c("world table", "contradiction", "wld_buyer_in_china", WLD,
       ["automakers", "country", "CN"],
       {"world/": [_edit("automakers.csv", "Detroit-A,US,", "Detroit-A,CN,")]}),
    _c("world table", "size", "wld_big", WLD, ["mines.csv", "20,000,000"],
       {"world/": [], "world/mines.csv": BIG}),
    _c("world table", "encoding", "wld_utf16", WLD, ["mines.csv", "UTF-16"],
       {"world/": [], "world/mines.csv": "name,country,source\nM,AU,x\n".encode("utf-16")}),
    _c("world table", "file type", "wld_fifo", WLD, ["links.csv", "not a regular file"],
       {"world/": [], "world/links.csv": FIFO}),
    _c("world table", "collision", "wld_duplicate", WLD, ["duplicate firm name",
                                                         "Detroit-B"],
       {"world/": [_edit("automakers.csv", "Detroit-A,US,", "Detroit-B,US,")]}),
    # ------------------------------------------------------------------- the Python API
    # ------------------------------------------------------------------- observed data
    _c("observed data", "type", "obs_value_text", OBS, ["obs.csv:2", "value", "lots"],
       {"obs.csv": OH + "2025-01-01,cn_magnet_exports_t,lots,t,customs\n"}),
    _c("observed data", "range", "obs_negative", OBS, ["obs.csv:2", "not be negative"],
       {"obs.csv": OH + "2025-01-01,cn_magnet_exports_t,-5,t,customs\n"}),
    _c("observed data", "unknown key", "obs_column", OBS, ["obs.csv:1", "valu"],
       {"obs.csv": "date,series,valu,unit,source\n" + OK}),
    _c("observed data", "unknown name", "obs_series", OBS, ["obs.csv:2", "cn_magnet_export_t"],
       {"obs.csv": OH + "2025-01-01,cn_magnet_export_t,6357,t,customs\n"}),
    _c("observed data", "contradiction", "obs_unit", OBS, ["obs.csv:2", "unit", "kg"],
       {"obs.csv": OH + "2025-01-01,cn_magnet_exports_t,6357,kg,customs\n"}),
    _c("observed data", "size", "obs_big", OBS, ["obs.csv", "20,000,000"], {"obs.csv": BIG}),
    _c("observed data", "encoding", "obs_utf16", OBS, ["obs.csv", "UTF-16"],
       {"obs.csv": (OH + OK).encode("utf-16")}),
    _c("observed data", "file type", "obs_fifo", OBS, ["obs.csv", "not a regular file"],
       {"obs.csv": FIFO}),
    _c("observed data", "collision", "obs_twice", OBS, ["obs.csv:3", "twice"],
       {"obs.csv": OH + OK + OK}),
    _c("python api", "type", "api_days_text", lambda t: sim.run(RunConfig(days="x")),
       ["days", "integer"]),
    _c("python api", "range", "api_seed", lambda t: sim.validate(RunConfig(seed=-1)),
       ["seed", "-1"]),
    _c("python api", "unknown key", "api_typo", lambda t: RunConfig(dayz=5), ["dayz", "days"]),
    _c("python api", "unknown name", "api_scenario", lambda t: sim.scenario("controls_2052"),
       ["controls_2052", "controls_2025"]),
    _c("python api", "contradiction", "api_events", _api_events, ["contradicts"]),
    _c("python api", "size", "api_many_events", _api_many_events, ["events", "20,000"]),
    _c("python api", "encoding", "api_nul_name", lambda t: sim.scenario("base\x00line"),
       ["scenario"]),
    _c("python api", "file type", "api_world_device",
       lambda t: sim.validate(RunConfig(world=WorldConf(tables="/dev/null"))),
       ["world.tables", "/dev/null"]),
    _c("python api", "collision", "api_save_over", _api_save_over, ["holds a run already"]),
]
