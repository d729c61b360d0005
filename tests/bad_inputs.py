"""The command-line bad-input corpus: CLI overrides, scenario/licensing/experiment files and
sweep specs that a user can get wrong. Each case must end with a one-line error naming what
is wrong (``expect``), a non-zero exit and no traceback.

Used by ``tests/test_bad_inputs_cli.py`` (in-process through `sim.cli.main.main`, a few as
subprocesses) and by ``scripts/bad_inputs_count.py`` (every case as a subprocess against any
source tree, to count clear errors before and after a change).

A case: ``(id, args, expect, files)``. ``files`` are written under a temporary config folder
that is passed as ``--config-dir`` (``scenario/NAME.yaml``, ``licensing/NAME.yaml``,
``experiment/NAME.yaml``). Every case also gets ``hydra.run.dir``/``hydra.sweep.dir`` in a
temporary folder.
"""

from __future__ import annotations

from pathlib import Path

H = "# @package _global_\n"  # the header a scenario or experiment file needs
SWEEP_SMALL = ["hydra/launcher=basic", "days=5"]
EXP_SWEEP = "defaults:\n  - override /hydra/sweeper: sim\n  - override /hydra/launcher: basic\n"
MC = ["-m", "experiment=monte_carlo", "hydra.sweeper.samples.n=2", *SWEEP_SMALL]
SA = ["-m", "experiment=sensitivity", "hydra.sweeper.samples.n=2", *SWEEP_SMALL]
SP = "hydra.sweeper.samples.params"
EVB = ["-m", "experiment=embargo_vs_buffer", *SWEEP_SMALL]
LP = ["-m", "experiment=licensing_policies", "seed=1", *SWEEP_SMALL]
GRID = ["-m", "hydra/sweeper=sim", *SWEEP_SMALL]
DISC = ["-m", "experiment=discovery", "hydra.sweeper.samples.n=2", *SWEEP_SMALL]
DS = "hydra.sweeper.compare.discovery"


def _c(id_, args, expect, files=None):
    return (id_, list(args), list(expect), dict(files or {}))


CASES = [
    # ------------------------------------------------------------- command-line overrides
    _c("unknown_key", ["no_such_key=1"], ["no_such_key"]),
    _c("typo_days", ["dayz=10"], ["dayz", "days"]),
    _c("typo_seed", ["sed=3"], ["sed", "seed"]),
    _c("typo_nested", ["licensing.aproval_default=0.5"], ["aproval_default", "approval_default"]),
    _c("typo_market", ["market.adjust_per_dya=0.1"], ["adjust_per_dya", "adjust_per_day"]),
    _c("typo_section", ["markets.adjust_per_day=0.1"], ["markets", "market"]),
    _c("typo_list_item", ["world.automakers.0.vehicle_per_day=5"],
       ["vehicle_per_day", "vehicles_per_day"]),
    _c("list_index_out_of_range", ["world.automakers.9.ev_share=0.5"], ["automakers", "9"]),
    _c("list_index_not_int", ["world.automakers.x.ev_share=0.5"], ["automakers", "x"]),
    _c("plus_unknown", ["+foo=1"], ["foo"]),
    _c("plus_existing", ["+days=5"], ["+days", "days=5"]),
    _c("plusplus_typo", ["++dayz=5"], ["dayz", "days"]),
    _c("delete_required", ["~days"], ["days"]),
    _c("no_equals", ["days"], ["days", "key=value"]),
    _c("unclosed_list", ["days=[1,2"], ["days"]),
    _c("empty_key", ["=5"], ["=5"]),
    _c("unknown_flag", ["--frobnicate"], ["--frobnicate"]),
    _c("days_not_int", ["days=abc"], ["days", "abc"]),
    _c("seed_float", ["seed=1.5"], ["seed", "1.5"]),
    _c("days_null", ["days=null"], ["days", "null"]),
    _c("plots_not_bool", ["plots=maybe"], ["plots", "maybe"]),
    _c("cover_not_float", ["world.automaker_cover_days=abc"], ["automaker_cover_days", "abc"]),
    _c("approval_not_float", ["licensing.approval_default=high"], ["approval_default", "high"]),
    _c("delay_low_not_float", ["licensing.delay.low=abc"], ["licensing.delay.low", "abc"]),
    _c("section_given_value", ["world=5"], ["world", "5"]),
    _c("value_given_section", ["days={a: 1}"], ["days"]),
    _c("events_not_list", ["events=notalist"], ["events", "notalist"]),
    _c("start_bad_month", ["start=2025-13-01"], ["start", "2025-13-01"]),
    _c("start_not_date", ["start=tomorrow"], ["start", "tomorrow"]),
    _c("days_zero", ["days=0"], ["days", "0"]),
    _c("approval_above_one", ["licensing.approval_default=2"],
       ["licensing.approval_default", "2"]),
    _c("delay_dist_unknown", ["licensing.delay.dist=gaussian"], ["gaussian"]),
    _c("delay_unit_unknown", ["licensing.delay.unit=weeks"], ["weeks"]),
    _c("delay_order", ["licensing.delay.low=50"], ["licensing.delay", "50"]),
    _c("mine_status_unknown", ["world.mines.0.status=closed"], ["closed"]),
    _c("transit_country_bad", ["world.transit_days.usa=3"], ["usa"]),
    _c("approval_country_bad", ["licensing.approval_by_destination.usa=0.5"], ["usa"]),
    _c("whitelist_unknown_firm", ["licensing.fast_track_whitelist=[Nobody]"], ["Nobody"]),
    _c("scenario_unknown", ["scenario=atlantis"], ["atlantis", "embargo_us"]),
    _c("scenario_typo", ["scenario=embargo_u"], ["embargo_u", "embargo_us"]),
    _c("scenario_path", ["scenario=../licensing/fast_track"], ["../licensing/fast_track"]),
    _c("scenario_empty", ["scenario="], ["scenario"]),
    _c("licensing_unknown", ["licensing=fasttrack"], ["fasttrack", "fast_track"]),
    _c("licensing_typo_group", ["licencing=fast_track"], ["licencing", "licensing"]),
    _c("launcher_unknown", ["-m", "hydra/launcher=nope", "seed=1,2"], ["nope", "basic"]),
    _c("sweeper_unknown", ["-m", "hydra/sweeper=nope", "seed=1,2"], ["nope", "sim"]),
    _c("sweep_without_m", ["seed=1,2"], ["seed=1,2", "-m"]),
    _c("experiment_without_m", ["experiment=monte_carlo"], ["experiment=monte_carlo", "-m"]),
    _c("experiment_unknown", ["-m", "experiment=nope"], ["nope", "monte_carlo"]),
    _c("experiment_typo", ["-m", "experiment=monte_carl"], ["monte_carl", "monte_carlo"]),
    _c("config_dir_missing", ["--config-dir=/nonexistent/conf"], ["/nonexistent/conf"]),
    _c("config_name_unknown", ["--config-name=nope"], ["nope"]),
    _c("cfg_with_typo", ["--cfg", "job", "dayz=1"], ["dayz", "days"]),
    # events on the command line
    _c("event_on_key", ["events=[{on: 2025-02-01, set: embargo, destinations: [US]}]"],
       ["on", "date:"]),
    _c("event_unknown_key", ["+events=[{day: 1, set: embargo, destinations: [US], color: red}]"],
       ["color"]),
    _c("event_typo_key", ["events=[{dat: 2025-01-02, set: embargo, destinations: [US]}]"],
       ["dat", "date"]),
    _c("event_unknown_kind", ["events=[{day: 1, set: blockade, destinations: [US]}]"],
       ["blockade"]),
    _c("event_kind_typo", ["events=[{day: 1, set: embargoo, destinations: [US]}]"],
       ["embargoo", "embargo"]),
    _c("event_missing_required", ["events=[{day: 1, set: embargo}]"], ["destinations"]),
    _c("event_date_and_day", ["events=[{day: 1, date: '2025-01-05', set: embargo, "
                              "destinations: [US]}]"], ["date", "day"]),
    _c("event_no_date", ["events=[{set: embargo, destinations: [US]}]"], ["date"]),
    _c("event_bad_country", ["events=[{day: 1, set: embargo, destinations: [USA]}]"], ["USA"]),
    _c("event_bad_date", ["events=[{date: '2025-02-30', set: embargo, destinations: [US]}]"],
       ["2025-02-30"]),
    _c("event_days_not_int", ["events=[{day: 1, set: embargo, destinations: [US], days: x}]"],
       ["days", "x"]),
    _c("event_index_missing", ["events.0.days=30"], ["events.0"]),
    _c("event_index_too_big", ["scenario=embargo_us", "events.5.days=30"], ["events.5"]),
    _c("event_id_unknown", ["scenario=embargo_us", "events.blockade.days=30"],
       ["blockade", "embargo"]),
    _c("event_field_typo", ["scenario=embargo_us", "events.0.dayz=30"], ["dayz", "days"]),
    # ------------------------------------------------------------- scenario files
    _c("yaml_indent", ["scenario=bad"], ["bad.yaml", "line 4"],
       {"scenario/bad.yaml": H + "scenario_name: bad\ndays: 10\n  seed: 3\n"}),
    _c("yaml_unclosed", ["scenario=bad"], ["bad.yaml", "line 3"],
       {"scenario/bad.yaml": H + "events:\n  - {day: 1, set: embargo, destinations: [US}\n"}),
    _c("yaml_tab", ["scenario=bad"], ["bad.yaml", "line 3"],
       {"scenario/bad.yaml": H + "scenario_name: bad\n\tdays: 10\n"}),
    _c("yaml_duplicate_key", ["scenario=bad"], ["bad.yaml", "days"],
       {"scenario/bad.yaml": H + "days: 10\ndays: 20\n"}),
    _c("yaml_colon_in_value", ["scenario=bad"], ["bad.yaml", "line 2"],
       {"scenario/bad.yaml": H + "scenario_name: a: b\n"}),
    _c("yaml_not_utf8", ["scenario=bad"], ["bad.yaml"],
       {"scenario/bad.yaml": b"# @package _global_\nscenario_name: \xff\xfe\n"}),
    _c("yaml_top_list", ["scenario=bad"], ["bad.yaml"],
       {"scenario/bad.yaml": H + "- days: 10\n"}),
    _c("no_header", ["scenario=bad"], ["bad.yaml", "@package _global_"],
       {"scenario/bad.yaml": "scenario_name: bad\ndays: 10\n"}),
    _c("header_typo", ["scenario=bad"], ["bad.yaml", "@package _global_"],
       {"scenario/bad.yaml": "# @package global\nscenario_name: bad\n"}),
    _c("file_on_key", ["scenario=bad"], ["on", "date:"],
       {"scenario/bad.yaml": H + "events:\n  - {on: 2025-02-01, set: embargo, "
        "destinations: [US]}\n"}),
    _c("file_on_key_block", ["scenario=bad"], ["on", "date:"],
       {"scenario/bad.yaml": H + "events:\n  - set: embargo\n    on: 2025-02-01\n"
        "    destinations: [US]\n"}),
    _c("file_unknown_top_key", ["scenario=bad"], ["dayz", "days"],
       {"scenario/bad.yaml": H + "dayz: 10\n"}),
    _c("file_unknown_nested_key", ["scenario=bad"], ["aproval_default", "approval_default"],
       {"scenario/bad.yaml": H + "licensing:\n  aproval_default: 0.5\n"}),
    _c("file_unknown_firm_key", ["scenario=bad"], ["vehicle_per_day", "vehicles_per_day"],
       {"scenario/bad.yaml": H + "world:\n  firms:\n    automakers:\n      - {name: X, "
        "country: US, vehicle_per_day: 10}\n"}),
    _c("file_wrong_type", ["scenario=bad"], ["days", "abc"],
       {"scenario/bad.yaml": H + "days: abc\n"}),
    _c("file_seed_float", ["scenario=bad"], ["seed", "1.5"],
       {"scenario/bad.yaml": H + "seed: 1.5\n"}),
    _c("file_list_for_float", ["scenario=bad"], ["transit_jitter_days"],
       {"scenario/bad.yaml": H + "world:\n  transit_jitter_days: [1, 2]\n"}),
    _c("file_event_kind", ["scenario=bad"], ["blockade"],
       {"scenario/bad.yaml": H + "events:\n  - {day: 1, set: blockade, destinations: [US]}\n"}),
    _c("file_event_unknown_key", ["scenario=bad"], ["color"],
       {"scenario/bad.yaml": H + "events:\n  - {day: 1, set: embargo, destinations: [US], "
        "color: red}\n"}),
    _c("file_event_typo_key", ["scenario=bad"], ["destination", "destinations"],
       {"scenario/bad.yaml": H + "events:\n  - {day: 1, set: embargo, destination: [US]}\n"}),
    _c("file_events_mapping", ["scenario=bad"], ["events"],
       {"scenario/bad.yaml": H + "events: {day: 1, set: embargo, destinations: [US]}\n"}),
    _c("file_event_string", ["scenario=bad"], ["events", "embargo"],
       {"scenario/bad.yaml": H + "events: [embargo]\n"}),
    _c("file_event_destinations_string", ["scenario=bad"], ["destinations", "US"],
       {"scenario/bad.yaml": H + "events:\n  - {day: 1, set: embargo, destinations: US}\n"}),
    _c("file_start_bad", ["scenario=bad"], ["start", "2025-13-01"],
       {"scenario/bad.yaml": H + "start: '2025-13-01'\n"}),
    _c("file_value_out_of_range", ["scenario=bad"], ["licensing.approval_default", "2"],
       {"scenario/bad.yaml": H + "licensing: {approval_default: 2}\n"}),
    _c("file_defaults_unknown_licensing", ["scenario=bad"], ["nope", "fast_track"],
       {"scenario/bad.yaml": H + "defaults:\n  - override /licensing: nope\n"}),
    _c("licensing_file_yaml", ["licensing=bad"], ["bad.yaml", "line 2"],
       {"licensing/bad.yaml": "name: bad\ndelay: {dist: triangular, low: 20\n"}),
    _c("licensing_file_unknown_key", ["licensing=bad"], ["delays", "delay"],
       {"licensing/bad.yaml": "name: bad\ndelays: {dist: fixed}\n"}),
    _c("licensing_file_bad_dist", ["licensing=bad"], ["gaussian"],
       {"licensing/bad.yaml": "name: bad\ndelay: {dist: gaussian}\n"}),
    _c("licensing_file_wrong_type", ["licensing=bad"], ["approval_default", "high"],
       {"licensing/bad.yaml": "name: bad\napproval_default: high\n"}),
    # ------------------------------------------------------------- experiment files
    _c("experiment_file_yaml", ["-m", "experiment=bad"], ["bad.yaml", "line 7"],
       {"experiment/bad.yaml": H + EXP_SWEEP + "hydra:\n  sweeper:\n    params: {seed: 1,2\n"}),
    _c("experiment_file_no_header", ["-m", "experiment=bad"], ["bad.yaml", "@package _global_"],
       {"experiment/bad.yaml": EXP_SWEEP + "days: 5\n"}),
    _c("experiment_file_sweeper_key", ["-m", "experiment=bad"], ["sample", "samples"],
       {"experiment/bad.yaml": H + EXP_SWEEP + "days: 5\nhydra:\n  sweeper:\n"
        "    sample: {n: 2}\n"}),
    _c("experiment_file_dist", ["-m", "experiment=bad"], ["days", "low", "high"],
       {"experiment/bad.yaml": H + EXP_SWEEP + "hydra:\n  sweeper:\n    samples:\n      n: 2\n"
        "      params:\n        days: {dist: uniform, low: 50, high: 10}\n"}),
    _c("experiment_file_grid", ["-m", "experiment=bad"], ["days", "abc"],
       {"experiment/bad.yaml": H + EXP_SWEEP + "hydra:\n  sweeper:\n    params:\n"
        "      days: 5,abc\n"}),
    _c("experiment_file_param_key", ["-m", "experiment=bad"], ["transit_jitter_dayz"],
       {"experiment/bad.yaml": H + EXP_SWEEP + "days: 5\nhydra:\n  sweeper:\n    samples:\n"
        "      n: 2\n      params:\n        world.transit_jitter_dayz: {low: 1, high: 2}\n"}),
    _c("experiment_file_top_key", ["-m", "experiment=bad"], ["dayz", "days"],
       {"experiment/bad.yaml": H + EXP_SWEEP + "dayz: 5\n"}),
    _c("experiment_file_compare_key", ["-m", "experiment=bad"], ["kpi", "kpis"],
       {"experiment/bad.yaml": H + EXP_SWEEP + "days: 5\nhydra:\n  sweeper:\n    params:\n"
        "      seed: 1,2\n    compare: {kpi: [lost_vehicles]}\n"}),
    # ------------------------------------------------------------- sweep specs
    _c("samples_n_zero", [*MC, "hydra.sweeper.samples.n=0"], ["n", "0"]),
    _c("samples_n_negative", [*MC, "hydra.sweeper.samples.n=-3"], ["n", "-3"]),
    _c("samples_n_text", [*MC, "hydra.sweeper.samples.n=abc"], ["n", "abc"]),
    _c("samples_method", [*MC, "hydra.sweeper.samples.method=latin"], ["latin", "monte_carlo"]),
    _c("samples_seeds", [*MC, "hydra.sweeper.samples.seeds=per_jobs"], ["seeds", "per_jobs"]),
    _c("samples_seed_text", [*MC, "hydra.sweeper.samples.seed=abc"], ["seed", "abc"]),
    _c("samples_first_seed_negative", [*MC, "hydra.sweeper.samples.first_seed=-1"],
       ["first_seed", "-1"]),
    _c("samples_unknown_key", [*MC, "+hydra.sweeper.samples.nn=3"], ["nn"]),
    _c("samples_not_mapping", [*MC, "hydra.sweeper.samples=5"], ["samples", "5"]),
    _c("samples_params_none", [*MC, f"{SP}=null"], ["params"]),
    _c("dist_unknown", [*MC, f"{SP}={{days: {{dist: gaussian, low: 1, high: 5}}}}"],
       ["gaussian", "uniform"]),
    _c("uniform_low_above_high", [*MC, f"{SP}={{days: {{dist: uniform, low: 9, high: 6}}}}"],
       ["days", "low", "9"]),
    _c("uniform_low_equals_high", [*MC, f"{SP}={{days: {{dist: uniform, low: 6, high: 6}}}}"],
       ["days", "low", "6"]),
    _c("uniform_missing_high", [*MC, f"{SP}={{days: {{dist: uniform, low: 6}}}}"],
       ["days", "high"]),
    _c("triangular_mode_outside", [*MC, f"{SP}={{days: {{dist: triangular, low: 5, mode: 50, "
                                       "high: 10}}"], ["days", "mode", "50"]),
    _c("normal_sd_zero", [*MC, f"{SP}={{days: {{dist: normal, mean: 10, sd: 0}}}}"],
       ["days", "sd", "0"]),
    _c("normal_missing_mean", [*MC, f"{SP}={{days: {{dist: normal, sd: 2}}}}"],
       ["days", "mean"]),
    _c("lognormal_sigma_negative", [*MC, f"{SP}={{days: {{dist: lognormal, mu: 1, "
                                        "sigma: -1}}"], ["days", "sigma", "-1"]),
    _c("choice_empty", [*MC, f"{SP}={{licensing.approval_default: {{dist: choice, "
                            "values: []}}"], ["approval_default", "values"]),
    _c("fixed_missing_value", [*MC, f"{SP}={{days: {{dist: fixed}}}}"], ["days", "value"]),
    _c("spec_unknown_key", [*MC, f"{SP}={{days: {{dist: uniform, lo: 1, high: 5}}}}"],
       ["lo", "low"]),
    _c("spec_integer_text", [*MC, f"{SP}={{days: {{low: 1, high: 5, integer: maybe}}}}"],
       ["integer", "maybe"]),
    _c("spec_not_mapping", [*MC, f"{SP}={{days: 5}}"], ["days", "5"]),
    _c("spec_param_unknown", [*MC, f"{SP}={{world.transit_jitter_dayz: {{low: 1, high: 2}}}}"],
       ["transit_jitter_dayz", "transit_jitter_days"]),
    _c("spec_value_bad_type", [*MC, f"{SP}={{licensing.approval_default: {{dist: choice, "
                                  "values: [high, low]}}"], ["approval_default", "high"]),
    _c("spec_seed_per_job", [*MC, f"{SP}={{seed: {{dist: choice, values: [1, 2]}}}}"],
       ["seed", "per_job"]),
    _c("spec_range_invalid", [*MC, f"{SP}={{licensing.approval_default: {{low: 0.5, "
                                  "high: 3}}"], ["licensing.approval_default", "3"]),
    _c("morris_levels", [*SA, "hydra.sweeper.samples.levels=1"], ["levels", "1"]),
    _c("morris_needs_bounds", [*SA, f"{SP}={{days: {{dist: choice, values: [5, 6]}}}}"],
       ["days", "low"]),
    _c("sobol_n_not_power_of_two", [*SA, "hydra.sweeper.samples.method=sobol",
                                    "hydra.sweeper.samples.n=3"], ["n", "3"]),
    _c("grid_unknown_key", [*GRID, "dayz=1,2"], ["dayz", "days"]),
    _c("grid_bad_value", [*GRID, "days=5,abc"], ["days", "abc"]),
    _c("grid_bad_seed", [*GRID, "seed=1,2.5"], ["seed", "2.5"]),
    _c("grid_bad_option", [*GRID, "licensing=fast_track,nope"], ["nope", "statutory_45wd"]),
    _c("grid_bad_scenario", [*GRID, "scenario=baseline,atlantis"], ["atlantis"]),
    _c("grid_bad_range", [*GRID, "seed=range(1,x)"], ["seed", "range(1,x)"]),
    _c("grid_value_invalid", [*GRID, "start=2025-01-01,2025-13-01"], ["start", "2025-13-01"]),
    _c("grid_event_missing", [*GRID, "events.0.days=10,20"], ["events.0"]),
    _c("grid_event_id_unknown", [*EVB, 'hydra.sweeper.params={events.blockade.days:"1,2"}'],
       ["blockade", "embargo"]),
    _c("sweeper_unknown_key", [*GRID, "seed=1,2", "+hydra.sweeper.sample.n=2"],
       ["sample", "samples"]),
    _c("sweeper_batch_zero", [*GRID, "seed=1,2", "hydra.sweeper.batch=0"], ["batch", "0"]),
    _c("sweeper_batch_text", [*GRID, "seed=1,2", "hydra.sweeper.batch=abc"], ["batch", "abc"]),
    _c("sweeper_workers_zero", [*GRID, "seed=1,2", "hydra.sweeper.workers=0"],
       ["workers", "0"]),
    _c("sweeper_old_batch_key", [*GRID, "seed=1,2", "hydra.sweeper.max_batch_size=2"],
       ["max_batch_size"]),
    _c("compare_unknown_key", [*LP, "+hydra.sweeper.compare.kpi=[lost_vehicles]"],
       ["kpi", "kpis"]),
    _c("compare_kpi_unknown", [*LP, "hydra.sweeper.compare.kpis=[lost_vehicle]"],
       ["lost_vehicle", "lost_vehicles"]),
    _c("compare_variant_not_swept", [*LP, "hydra.sweeper.compare.variant=world"],
       ["variant", "world"]),
    _c("compare_reference_unknown", [*LP, "hydra.sweeper.compare.reference=nope"],
       ["reference", "nope"]),
    _c("compare_grid_not_swept", [*EVB, "hydra.sweeper.compare.grid=[days,seed]"],
       ["grid", "days"]),
    _c("compare_grid_length", [*EVB, "hydra.sweeper.compare.grid=[events.0.days]"],
       ["grid"]),
    _c("discovery_unknown_key", [*DISC, f"+{DS}.treshold=0.1"], ["treshold", "threshold"]),
    _c("discovery_kpi_unknown", [*DISC, f"{DS}.kpi=lost_vehicle_shar"],
       ["discovery.kpi", "lost_vehicle_shar", "lost_vehicle_share"]),
    _c("discovery_threshold_text", [*DISC, f"{DS}.threshold=high"], ["threshold", "high"]),
    _c("discovery_direction", [*DISC, f"{DS}.direction=up"], ["direction", "up"]),
    _c("discovery_min_coverage", [*DISC, f"{DS}.min_coverage=1.5"], ["min_coverage", "1.5"]),
    _c("discovery_boxes_zero", [*DISC, f"{DS}.boxes=0"], ["boxes", "0"]),
    _c("discovery_inputs_not_swept", [*DISC, f"{DS}.inputs=[days]"], ["inputs", "days"]),
    _c("discovery_not_mapping", [*DISC, f"{DS}=5"], ["discovery", "5"]),
]

# Cases also run as a subprocess (``python -m sim``), end to end.
SUBPROCESS = ["typo_days", "yaml_indent", "experiment_without_m", "grid_bad_value",
              "uniform_low_above_high"]


def argv_for(case, tmp: Path) -> list[str]:
    """The command line of a case: its files written under ``tmp/conf`` (passed with
    ``--config-dir``), its arguments, and run/sweep folders inside ``tmp``."""
    _, args, _, files = case
    head = []
    if files:
        conf = tmp / "conf"
        for rel, text in files.items():
            f = conf / rel
            f.parent.mkdir(parents=True, exist_ok=True)
            (f.write_bytes if isinstance(text, bytes) else f.write_text)(text)
        head = [f"--config-dir={conf}"]
    return [*head, *args, f"hydra.run.dir={tmp / 'run'}", f"hydra.sweep.dir={tmp / 'sweep'}"]
