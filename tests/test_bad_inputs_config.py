"""Bad inputs refused with one ConfigError naming the bad key or value (issue 9 items 1
and 6): command-line overrides composed as the CLI does, the Python API and world tables.
All in-process: no model runs, so the corpus costs about a second."""

from __future__ import annotations

import dataclasses

import pytest

import sim
from sim import validate
from sim.config import (
    ChinaElementConf,
    ContentConf,
    DemandConf,
    EventConf,
    LicensingConf,
    LinkConf,
    RunConfig,
    WorldConf,
)
from sim.config.tables import write_tables
from sim.domain.errors import ConfigError

from .helpers import load, resolved

EV = "events=[{set: %s, day: 1%s}]"

# (overrides, text the one-line message must contain)
CLI = [
    # the known cases
    (["market.adjust_per_day=5"], "market.adjust_per_day: must be between 0 and 1, got 5"),
    (["world.automaker_cover_days=nan"], "world.automaker_cover_days: must be a finite"),
    (["world.transit_days.US=-3"], "world.transit_days.US: must be between 0 and 36525, got -3"),
    (["world.exporters.0.capacity_tpy.ndfeb=nan"], "world.exporters[0].capacity_tpy.ndfeb"),
    (["world.exporters.0.capacity_tpy.ndfeb=inf"], "must be a finite number, got inf"),
    (["world.mines.0.capacity_tpy=-inf"], "world.mines[0].capacity_tpy"),
    ([EV % ("quota", ", materials: [ndfeb], tonnes_per_year: nan")],
     "events[0].tonnes_per_year: must be a finite number, got nan"),
    (["+licensing.approval_by_firm.Nobody=0.5"],
     "licensing.approval_by_firm.Nobody: no exporter named 'Nobody'"),
    (["seed=-1"], "seed: must be >= 0, got -1"),
    (["start=9999-12-01"], "start: 9999-12-01 is outside the supported range"),
    (["world.automakers.0.initial_cover_days=-5"],
     "world.automakers[0].initial_cover_days: must be between 0 and 36525, got -5"),
    (["world.automakers=[]", "world.industries=[]", "world.defense=[]"],
     "world: the world needs at least one buyer"),
    (["days=1000000"], "days: a run lasts at most 36525 days (100 years), got 1000000"),
    (["world.exporters.0.capacity_tpy.smco=0", "world.exporters.1.capacity_tpy.smco=0",
      "world.exporters.2.capacity_tpy.smco=0", "world.exporters.3.capacity_tpy.smco=0",
      "world.makers=[]"], "world.industries[0].need_tpd.smco: no exporter or maker makes"),
    # horizon and dates
    (["days=0"], "days: must be > 0"),
    (["days=-5"], "days: must be > 0"),
    (["start=2025-13-01"], "start: '2025-13-01' is not a date"),
    (["start=1900-01-01"], "start: 1900-01-01 is outside the supported range"),
    (["start=2200-06-01"], "days: the run would end on"),
    (["government.price_floor_start=2025-02-30"], "government.price_floor_start"),
    (["government.dfars_ban_date=soon"], "government.dfars_ban_date: 'soon' is not a date"),
    (["world.mines.0.construction_start=2025-02-30"], "world.mines[0].construction_start"),
    # world constants
    (["world.transit_days_default=-1"], "world.transit_days_default: must be between 0 and 36525"),
    (["world.domestic_transit_days=-1"], "world.domestic_transit_days: must be between 0 and"),
    (["world.transit_jitter_days=inf"], "world.transit_jitter_days: must be a finite"),
    (["+world.transit_days.XX=5"], "world.transit_days.XX: 'XX' is not an ISO 3166"),
    (["+world.transit_days.EU=5"], "world.transit_days.EU: 'EU' is a region"),
    (["world.vehicle_magnet_kg.ev.ndfeb=-1"], "world.vehicle_magnet_kg.ev.ndfeb: must be >= 0"),
    (["+world.vehicle_magnet_kg.truck={ndfeb: 1}"], "unknown vehicle type 'truck'"),
    (["+world.vehicle_magnet_kg.ev.gold=1"], "world.vehicle_magnet_kg.ev.gold: unknown magnet"),
    (["world.routing_snap_share=1.5"], "world.routing_snap_share: must be between 0 and 1"),
    (["world.tables=nowhere"], "world.tables: no world vintage or folder 'nowhere'"),
    # firms
    (["world.exporters=[]"], "world.exporters: the world needs at least one Chinese exporter"),
    (["world.exporters.0.country=US"], "world.exporters[0].country: exporters are Chinese"),
    (["world.automakers.0.country=CN"],
     "world.automakers[0].country: automakers are outside China, got CN"),
    (["world.automakers.0.country=XX"], "world.automakers[0].country: 'XX' is not an ISO"),
    (["world.automakers.0.country=us"], "world.automakers[0].country: 'us' is not an ISO"),
    (["world.makers.0.country=CN"], "world.makers[0].country: makers are outside China, got CN"),
    (["world.automakers.0.review_days=0"], "world.automakers[0].review_days: must be > 0"),
    (["world.automakers.0.china_share=2"], "world.automakers[0].china_share: must be between"),
    (["world.automakers.0.ev_share=-0.1"], "world.automakers[0].ev_share"),
    (["world.automakers.0.vehicles_per_day=nan"], "world.automakers[0].vehicles_per_day"),
    (["world.automakers.0.lead_smoothing=2"], "world.automakers[0].lead_smoothing"),
    (["world.industries.0.need_tpd.smco=-1"], "world.industries[0].need_tpd.smco"),
    (["+world.industries.0.need_tpd.oxyde=1"], "world.industries[0].need_tpd.oxyde: unknown "
     "material 'oxyde'"),
    (["world.defense.0.target_cover_days=-1"], "world.defense[0].target_cover_days"),
    (["world.mines.0.status=closed"], "world.mines[0].status: 'closed' not in"),
    (["world.mines.0.separation=moon"], "world.mines[0].separation: 'moon' not in"),
    (["world.mines.0.rampup_days=-1"], "world.mines[0].rampup_days: must be between 0 and 36525"),
    (["+world.makers.0.feed.ndfeb_x=true"], "world.makers[0].feed.ndfeb_x: unknown magnet"),
    (["world.add_mines=[{name: Lynas-like}]"], "duplicate firm name 'Lynas-like'"),
    (["world.add_automakers=[{name: New, country: ZZ}]"], "'ZZ' is not an ISO 3166"),
    (["+world.firm_overrides={Nobody: {vehicles_per_day: 1}}"],
     "world.firm_overrides.Nobody: no firm named 'Nobody'"),
    (["+world.firm_overrides={Detroit-A: {vehicles: 1}}"],
     "world.firm_overrides.Detroit-A.vehicles: not a field"),
    (["+world.firm_overrides={Lynas-like: {capacity_tpy: nan}}"],
     "world.mines[0].capacity_tpy: must be a finite number, got nan"),
    (["+world.firm_overrides={Detroit-A: {ev_share: many}}"],
     "world.automakers[0].ev_share: must be a number, got 'many'"),
    # licensing
    (["licensing.approval_default=1.5"], "licensing.approval_default: must be between 0 and 1"),
    (["licensing.military_approval=-0.5"], "licensing.military_approval"),
    (["+licensing.approval_by_destination.ZZ=0.5"], "licensing.approval_by_destination.ZZ"),
    (["+licensing.approval_by_destination.US=2"], "licensing.approval_by_destination.US: must"),
    (["+licensing.approval_by_material.gold=1"], "licensing.approval_by_material.gold: unknown "
     "material 'gold'"),
    (["licensing.fast_track_whitelist=[Nobody]"],
     "licensing.fast_track_whitelist[0]: no firm named 'Nobody'"),
    (["licensing.general_licence_customers=[Detroit-X]"],
     "licensing.general_licence_customers[0]: no buyer named 'Detroit-X'"),
    (["licensing.general_licence_customers=[JL Mag]"],
     "licensing.general_licence_customers[0]: no buyer named 'JL Mag'"),
    (["licensing.delay.dist=normal"], "licensing.delay.dist: 'normal' not in"),
    (["licensing.delay.unit=weeks"], "licensing.delay.unit: 'weeks' not in"),
    (["licensing.delay.low=50"], "licensing.delay: need 0 <= low <= mode <= high"),
    (["licensing.delay.high=nan"], "licensing.delay.high: must be a finite"),
    (["licensing.rfi_prob_per_tier=1.1"], "licensing.rfi_prob_per_tier"),
    (["licensing.individual_validity_days=0"], "licensing.individual_validity_days: must be >"),
    (["licensing.licence_to_ship_days=-1"], "licensing.licence_to_ship_days"),
    # market, government, substitution, metrics
    (["market.china.cut=2"], "market.china.cut: must be between 0 and 1"),
    (["market.initial_price.ndfeb=0"], "market.initial_price.ndfeb: must be > 0"),
    (["market.initial_price.ndfeb=nan"], "market.initial_price.ndfeb: must be a finite"),
    (["+market.initial_price.gold=5"], "market.initial_price.gold: unknown material"),
    (["market.scarcity_elasticity=-1"], "market.scarcity_elasticity"),
    (["market.surplus_elasticity=inf"], "market.surplus_elasticity"),
    (["market.cn_price_ratio=0"], "market.cn_price_ratio: must be > 0"),
    (["market.scarcity_reference=0"], "market.scarcity_reference: must be > 0 and <= 1"),
    (["market.surplus_reference=0"], "market.surplus_reference: must be > 0, got 0"),
    (["government.price_floor_mines=[Nobody]"],
     "government.price_floor_mines[0]: no mine named 'Nobody'"),
    (["government.price_floor_usd_per_kg=-110"], "government.price_floor_usd_per_kg"),
    (["government.tariff_cn_magnets=-0.1"], "government.tariff_cn_magnets: must be >= 0"),
    (["government.capital_grant_share=2"], "government.capital_grant_share"),
    (["+government.stockpile_t.gold=5"], "government.stockpile_t.gold: unknown magnet"),
    (["+government.stockpile_t.smco=-1"],
     "government.stockpile_t.smco: must be between 0 and 1000000000"),
    (["government.release_max_tpd=nan"], "government.release_max_tpd"),
    (["substitution.max_share=1.5"], "substitution.max_share: must be between 0 and 1"),
    (["substitution.recycled_tpd=-1"], "substitution.recycled_tpd"),
    (["metrics.end_window_days=0"], "metrics.end_window_days: must be > 0"),
    # events
    ([EV % ("controls", ", destinations: [XX]")], "events[0].destinations[0]: 'XX' is not"),
    ([EV % ("embargo", ", destinations: [US], anti_diversion: [EU]")],
     "events[0].anti_diversion[0]: 'EU' is a region"),
    ([EV % ("approval", ", prob: 2")], "events[0].prob: must be between 0 and 1, got 2"),
    ([EV % ("approval", ", prob: nan")], "events[0].prob: must be a finite"),
    ([EV % ("relations", ", level: -2")], "events[0].level: must be between -1 and 1"),
    ([EV % ("revoke", ", firms: [Nobody]")], "events[0].firms[0]: no exporter named 'Nobody'"),
    ([EV % ("approval", ", prob: 0.5, firms: [Detroit-A]")],
     "events[0].firms[0]: no exporter named 'Detroit-A'"),
    ([EV % ("general_licence", ", firms: [JL Mag], customers: [Ningbo Yunsheng]")],
     "events[0].customers[0]: no buyer named 'Ningbo Yunsheng'"),
    ([EV % ("deny", ", end_use: bogus")], "events[0].end_use: 'bogus' not in"),
    ([EV % ("controls", ", materials: [gold]")], "events[0].materials[0]: unknown material"),
    ([EV % ("controls", ", days: 0")], "events[0].days: must be > 0"),
    ([EV % ("customs_checks", ", destinations: [US], delay_days: -3")],
     "events[0].delay_days: must be between 0 and 36525"),
    (["events=[{set: controls, day: -1}]"], "events[0].day: must be between 0 and 36525, got -1"),
    (["events=[{set: controls, date: 2025-02-30}]"], "events[0].date: '2025-02-30' is not"),
    (["events=[{set: controls, date: '1900-01-01'}]"], "events[0].date: 1900-01-01 is outside"),
    (["events=[{set: nonsense, day: 1}]"], "events[0].set: unknown event kind 'nonsense'"),
]


@pytest.mark.parametrize("overrides,message", CLI, ids=[" ".join(o) for o, _ in CLI])
def test_cli_override_is_refused_naming_the_key(overrides, message):
    with pytest.raises(ConfigError) as e:
        validate(load("baseline", *overrides))
    text = str(e.value)
    assert message in text
    assert "\n" not in text  # one line


def test_a_large_worlds_unknown_firm_lists_a_readable_few():
    """A synthetic world of 2,000 firms: the message names the firm, suggests the closest,
    and lists 40 names and how many more, not all 2,000 (one line a person can read)."""
    with pytest.raises(ConfigError) as e:
        validate(load("baseline", "world=synthetic", "world.firms=2000",
                      "+world.firm_overrides={Nobody-like: {vehicles_per_day: 1}}"))
    text = str(e.value)
    assert "world.firm_overrides.Nobody-like: no firm named 'Nobody-like'" in text
    assert text.endswith("more]") and "... and 1," in text
    assert len(text) < 1500 and "\n" not in text


# (builder, text the message must contain): the Python API, no Hydra
API = [
    (lambda: RunConfig(days="365"), "days: must be an integer, got '365'"),
    (lambda: RunConfig(seed=1.5), "seed: must be an integer, got 1.5"),
    (lambda: RunConfig(seed=True), "seed: must be an integer, got True"),
    (lambda: RunConfig(start=20250101), "start: must be a string, got 20250101"),
    (lambda: RunConfig(plots="yes"), "plots: must be true or false, got 'yes'"),
    (lambda: RunConfig(events=[{"set": "controls", "day": 1, "bogus": 1}]),
     "events[0].bogus: unknown key"),
    (lambda: RunConfig(events=[{"set": "embargo", "dat": "2025-01-01"}]),
     "events[0].dat: unknown key for EventConf (did you mean 'date'"),
    (lambda: RunConfig(events=["controls"]),
     "events[0]: must be EventConf (a mapping of its fields), got 'controls'"),
    (lambda: RunConfig(events=[{"set": "controls", "day": "1"}]),
     "events[0].day: must be an integer, got '1'"),
    (lambda: WorldConf(mines=[{"name": "M", "capcity_tpy": 5}]),
     "world.mines[0].capcity_tpy: unknown key for MineConf (did you mean 'capacity_tpy'?)"),
    (lambda: RunConfig(world=WorldConf(firm_overrides={"Detroit-A": {"vehicles_per_day":
                                                                     "many"}})),
     "world.automakers[0].vehicles_per_day: must be a number, got 'many'"),
    (lambda: RunConfig(world=WorldConf(transit_days={"US": "30"})),
     "world.transit_days.US: must be a number, got '30'"),
    (lambda: RunConfig(world=WorldConf(tables="1999")), "world.tables: no world vintage"),
    (lambda: RunConfig(licensing={"aproval_default": 0.5}),
     "licensing.aproval_default: unknown key for LicensingConf (did you mean "
     "'approval_default'?)"),
    (lambda: RunConfig(licensing={"delay": {"dist": "normal"}}),
     "licensing.delay.dist: 'normal' not in"),
    (lambda: RunConfig(licensing="strict"), "licensing: must be LicensingConf"),
    (lambda: RunConfig(dayz=5), "dayz: unknown key for RunConfig (did you mean 'days'?)"),
    (lambda: LicensingConf(aproval_default=0.5), "aproval_default: unknown key for "
     "LicensingConf (did you mean 'approval_default'?)"),
    (lambda: WorldConf(mine=[]), "mine: unknown key for WorldConf (did you mean 'mines'"),
    (lambda: RunConfig(world=WorldConf(firm_overrides={
        "JP-EU makers": {"capacity_additions": {"2028-13-01": {"ndfeb": 1.0}}}})),
     "world.makers[0].capacity_additions.2028-13-01: '2028-13-01' is not a date"),
    (lambda: RunConfig(world=WorldConf(content=[
        ContentConf(product="ndfeb", element="ndpr", t_per_t=0.3, note="x")] * 2)),
     "world.content[1]: ndfeb/ndpr given twice"),
    (lambda: RunConfig(world=WorldConf(china=[
        ChinaElementConf(element="dy", note="x")] * 2)),
     "world.china[1].element: 'dy' given twice"),
    (lambda: RunConfig(licensing=LicensingConf(approval_by_firm={"JL Mag": -1.0})),
     "licensing.approval_by_firm.JL Mag: must be >= 0, got -1.0"),
    (lambda: RunConfig(licensing=LicensingConf(approval_by_firm={"JL Mg": 1.0})),
     "licensing.approval_by_firm.JL Mg: no exporter named 'JL Mg'"),
]


@pytest.mark.parametrize("build,message", API, ids=[m.split(":")[0] for _, m in API])
def test_python_api_bad_input_is_a_config_error(build, message):
    with pytest.raises(ConfigError) as e:
        cfg = build()
        if isinstance(cfg, (RunConfig, WorldConf)):
            validate(cfg if isinstance(cfg, RunConfig) else RunConfig(world=cfg))
    assert message in str(e.value)


@pytest.mark.parametrize("attr,value,message", [
    ("days", "10", "days: must be an integer"),
    ("days", 36_526, "days: a run lasts at most 36525 days"),
    ("start", "2025-02-29", "start: '2025-02-29' is not a date"),
    ("seed", -1, "seed: must be >= 0, got -1"),
])
def test_sim_run_refuses_a_config_changed_after_construction(attr, value, message):
    cfg = RunConfig(days=5)
    setattr(cfg, attr, value)
    with pytest.raises(ConfigError, match=message):
        sim.run(cfg)


def test_validate_refuses_what_is_not_a_runconfig():
    with pytest.raises(ConfigError, match="config: must be a RunConfig, got dict"):
        validate({"days": 5})


# ------------------------------------------------------------------ world tables
def _table(folder, kind):
    return (folder / f"{kind}.csv").read_text().splitlines()


def _edit(folder, kind, old, new, line=None):
    lines = _table(folder, kind)
    rng = range(len(lines)) if line is None else [line]
    for i in rng:
        if old in lines[i]:
            lines[i] = lines[i].replace(old, new, 1)
            break
    else:
        raise AssertionError(f"{old!r} not in {kind}.csv")
    (folder / f"{kind}.csv").write_text("\n".join(lines) + "\n")


TABLES = [
    ("exporters", "11900.0", "nan", "exporters.csv:2.capacity_tpy.ndfeb: must be a finite"),
    ("exporters", "11900.0", "-5",
     "exporters.csv:2.capacity_tpy.ndfeb: must be between 0 and 1000000000"),
    ("exporters", "capacity_tpy.ndfeb [t/yr]", "capacity_tpy.ndfeb [kt/yr]",
     "column 'capacity_tpy.ndfeb' is in 't/yr'"),
    ("exporters", "capacity_tpy.ndfeb [t/yr]", "capacity_tpy.ndfeb",
     "column 'capacity_tpy.ndfeb' is in 't/yr'"),
    ("exporters", "working_stock_days", "working_stok_days",
     "unknown column 'working_stok_days' (did you mean 'working_stock_days'?)"),
    ("exporters", "capacity_tpy.ndfeb [t/yr]", "capacity_tpy [t/yr]",
     "column 'capacity_tpy' needs 1 key(s)"),
    ("exporters", "capacity_tpy.smco [t/yr]", "capacity_tpy.gold [t/yr]",
     "exporters.csv:2.capacity_tpy.gold: unknown magnet 'gold'"),
    ("exporters", "JL Mag,CN", "JL Mag,XX", "exporters.csv:2.country: 'XX' is not an ISO"),
    ("automakers", "Detroit-A,US,21.0,7", "Detroit-A,US,21.0,seven",
     "automakers.csv:2.review_days: must be int, got 'seven'"),
    ("automakers", "Detroit-A,US,21.0", "Detroit-A,US,-21.0",
     "automakers.csv:2.target_cover_days: must be between 0 and 36525"),
    ("mines", "operating", "dormant", "mines.csv:2.status: 'dormant' not in"),
    ("mines", ",true,", ",maybe,", "mines.csv:2.china_takes_concentrate: must be bool"),
    ("makers", ",[assumption]", ",", "makers.csv:3: the 'source' cell is empty"),
    ("defense", ",0.137,", ",0.137,extra,", "defense.csv:2: 32 cells for 31 columns"),
    ("mines", "name,country", "name,name", "header: column 'name' appears 2 times"),
]


@pytest.mark.parametrize("kind,old,new,message", TABLES, ids=[t[3] for t in TABLES])
def test_bad_world_table_is_refused(tmp_path, kind, old, new, message):
    folder = write_tables(resolved(RunConfig()).world, tmp_path / "w")
    _edit(folder, kind, old, new)
    cfg = RunConfig(world=WorldConf(tables=str(folder)))  # reads no table yet
    with pytest.raises(ConfigError) as e:
        validate(cfg)  # the world's tables are read (resolved) first
    assert message in str(e.value)


def test_unknown_table_file_is_refused(tmp_path):
    folder = write_tables(resolved(RunConfig()).world, tmp_path / "w")
    (folder / "mines.csv").rename(folder / "mine.csv")
    cfg = RunConfig(world=WorldConf(tables=str(folder)))  # reads no table yet
    with pytest.raises(ConfigError, match=r"mine.csv: unknown table \(did you mean 'mines.csv'"):
        validate(cfg)


def test_world_folder_without_buyers_is_refused_at_load(tmp_path):
    w = resolved(RunConfig()).world
    # no buyers, so no tier-1s either and no links (links naming missing firms are errors)
    folder = write_tables(dataclasses.replace(w, automakers=[], industries=[], defense=[],
                                              tier1s=[], links=[]),
                          tmp_path / "w")
    with pytest.raises(ConfigError, match="world: the world needs at least one buyer"):
        validate(load("baseline", f"world.tables={folder}"))


# ------------------------------------------------------------------ scenario files
BAD_SCENARIOS = [
    ("world:\n  firm_overrides:\n    Nobody: {capacity_tpy: 5}\n",
     "world.firm_overrides.Nobody: no firm named 'Nobody'"),
    ("world:\n  add:\n    mines:\n      - {name: M2, capacity_tpy: .nan}\n",
     "world.add_mines[0].capacity_tpy: must be a finite number, got nan"),
    ("market:\n  adjust_per_day: 5\n", "market.adjust_per_day: must be between 0 and 1"),
    ("licensing:\n  approval_by_firm: {Nobody: 0.5}\n",
     "licensing.approval_by_firm.Nobody: no exporter named 'Nobody'"),
]


@pytest.mark.parametrize("body,message", BAD_SCENARIOS, ids=[m for _, m in BAD_SCENARIOS])
def test_bad_scenario_file_is_refused(tmp_path, body, message):
    import shutil

    from sim.cli.compose import compose_run
    from sim.config.paths import CONFIG_DIR

    conf = tmp_path / "scenarios"
    shutil.copytree(CONFIG_DIR, conf)
    (conf / "scenario" / "bad.yaml").write_text("# @package _global_\nscenario_name: bad\n"
                                                 + body)
    with pytest.raises(ConfigError) as e:
        validate(compose_run(["scenario=bad"], [conf]).config)
    assert message in str(e.value)


def test_cli_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path):
    import os
    import subprocess
    import sys

    from .helpers import ROOT

    r = subprocess.run([sys.executable, "-m", "sim", f"hydra.run.dir={tmp_path / 'run'}",
                        "+licensing.approval_by_firm.Nobody=0.5"], capture_output=True,
                       text=True, cwd=tmp_path, timeout=120,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith(
        "error: licensing.approval_by_firm.Nobody: no exporter named 'Nobody'")


# ------------------------------------------- any value in any field: ConfigError or valid
def _leaf_paths():
    from sim.config.parameters import table
    return [r.path for r in table() if r.source != "see the fields' rows"]


JUNK = ["x", None, [1], {"a": 1}, 1.5, -1, True, float("nan"), "", 10**30]


@pytest.mark.parametrize("path", _leaf_paths())
def test_any_value_in_any_field_is_valid_or_a_config_error(path):
    """Fuzz: no wrongly typed or out-of-range value escapes as a raw Python error."""
    parts = path.split(".")
    for junk in JUNK:
        cfg = resolved(RunConfig())
        obj = cfg
        cfg.events = [EventConf(set="controls", day=1)]
        cfg.world.links = [*cfg.world.links, LinkConf(  # the 2024 world has only tier-1s'
            supplier="JL Mag", customer="US-industry", product="ndfeb", note="[assumption]")]
        cfg.world.demand = [DemandConf(date="2025-06-01", note="[assumption]")]  # nor these
        for part in parts[:-1]:
            obj = getattr(obj, part[:-2])[0] if part.endswith("[]") else getattr(obj, part)
        setattr(obj, parts[-1], junk)
        try:
            validate(cfg)
        except ConfigError as e:
            assert parts[-1] in str(e) or parts[-2].rstrip("[]") in str(e) or "world" in str(e), \
                f"{path}={junk!r}: {e}"
