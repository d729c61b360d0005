"""The Hydra entry: compose a scenario, run it, write the run folder, print KPIs.

`cli` is ``python -m sim``: it checks the command line and the files it names
(`sim.cli_checks.preflight`), runs Hydra, and turns every user mistake into one line
``error: <where>: <what>, got <value>`` with exit status 2, no traceback. ``SIM_DEBUG=1``
(or ``HYDRA_FULL_ERROR=1``) prints the traceback as well. A sweep whose jobs failed exits 1
after its summary (`sim.sweep.SweepSummary`). ``SIM_EXPERIMENTS_DIR`` adds a folder of
experiment files to ``experiments/``.

The schema dataclasses of `sim.config` are registered in Hydra's ConfigStore, so an unknown
key or a wrongly typed value fails while the config is composed. Errors in the scenario's
values (`sim.errors.ConfigError`) are recorded in the run folder.

Folder names made from data (``scenario_name``) go through the ``${safe:...}`` resolver:
nothing a scenario says can write outside ``results/`` unless ``hydra.run.dir`` or
``hydra.sweep.dir`` are set explicitly.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
import traceback
from pathlib import Path

import hydra
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from sim import run, save
from sim.config import RunConfig
from sim.config.paths import CONFIG_DIR, EXPERIMENTS_DIR, ROOT
from sim.config.resolve import resolve
from sim.domain.errors import ConfigError
from sim.kpis import summary_lines

ConfigStore.instance().store(name="schema", node=RunConfig)


def safe_name(name: object) -> str:
    """A name from data as one safe folder name: characters other than letters, digits,
    ``-``, ``_`` and ``.`` become ``_``; leading dots go (no ``..``, no hidden folders)."""
    s = re.sub(r"[^A-Za-z0-9_.-]", "_", str(name)).lstrip(".")[:100]
    return s or "unnamed"


if not OmegaConf.has_resolver("safe"):
    OmegaConf.register_new_resolver("safe", safe_name)


def register_experiments(folder: Path = EXPERIMENTS_DIR) -> list[Path]:
    """Each ``experiments/NAME.yaml`` becomes ``experiment=NAME`` (a global override file;
    its sweeper, ``hydra/sweeper: sim``, is registered by `sim.sweep_specs`).

    A file that does not load is skipped here (returned), so it breaks only the command
    that names it: `sim.cli_checks.preflight` reports it then, with file and line."""
    import hydra_plugins
    from sim.experiments import specs as sweep_specs  # noqa: F401 - registers hydra/sweeper=sim

    # the sweeper plugin lives in ROOT/hydra_plugins: findable from any working directory
    if (ROOT / "hydra_plugins").is_dir() and str(ROOT / "hydra_plugins") not in list(
            hydra_plugins.__path__):
        hydra_plugins.__path__.append(str(ROOT / "hydra_plugins"))
    skipped = []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            node = OmegaConf.load(path)
        except Exception:  # noqa: BLE001 - reported when the experiment is named
            skipped.append(path)
            continue
        ConfigStore.instance().store(group="experiment", name=path.stem, node=node,
                                     package="_global_")
    return skipped


register_experiments()


def to_config(cfg: DictConfig) -> RunConfig:
    """The composed DictConfig as the typed RunConfig the model takes."""
    plain = OmegaConf.masked_copy(cfg, [k for k in cfg if k != "experiment"]) \
        if "experiment" in cfg else cfg
    rc = OmegaConf.to_object(plain)
    resolve(rc.world)
    return rc


def run_job(cfg: DictConfig) -> dict | None:
    """Run one composed config into Hydra's output folder. Errors are recorded, not
    raised: a user mistake prints one line; an unexpected failure also writes its
    traceback to ``error.txt`` and ``meta.json`` in the job folder."""
    from sim.outputs.run_folder import write_json

    folder = Path(HydraConfig.get().runtime.output_dir)
    for noisy in ("MESA", "matplotlib"):  # Mesa logs every step at INFO
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        rc = to_config(cfg)
        for line in horizon_warnings(rc):
            print(line, file=sys.stderr)
        out = run(rc)
        save(out, folder, plots=rc.plots)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        write_json(folder / "meta.json", {"status": "failed", "error": str(e)})
        return None
    except Exception as e:  # noqa: BLE001 - recorded so a sweep keeps its other jobs
        (folder / "error.txt").write_text(traceback.format_exc())
        write_json(folder / "meta.json", {"status": "failed",
                                          "error": f"{type(e).__name__}: {e}"})
        print(f"error: {type(e).__name__}: {e} (traceback in {folder / 'error.txt'})",
              file=sys.stderr)
        return None
    if HydraConfig.get().mode.name == "MULTIRUN":  # one line per job in a sweep
        k = out["kpis"]
        print(f"job {folder.name}: lost vehicles {k['lost_vehicles']:,.0f}, exports "
              f"{k['exports_t_per_month']:,.0f} t/month -> {folder}")
        return out["kpis"]
    print(f"\n{rc.scenario_name} ({rc.start} + {rc.days} days, seed {rc.seed}, "
          f"licensing {rc.licensing.name})")
    print("\n".join(summary_lines(out)))
    for name, why in (out["meta"].get("plots_skipped") or {}).items():
        print(f"plot {name} skipped: {why}")
    print(f"results: {folder}")
    return out["kpis"]


def horizon_warnings(rc: RunConfig) -> list[str]:
    """A warning line for each event dated after the last day (one dated before the start
    takes effect at set-up, `EventSchedule`)."""
    try:
        start = dt.date.fromisoformat(str(rc.start))
    except ValueError:
        return []  # the validation names a bad start
    end = start + dt.timedelta(days=int(rc.days) - 1)
    out = []
    for i, ev in enumerate(rc.events):
        try:
            when = (dt.date.fromisoformat(str(ev.date)) if ev.date is not None
                    else start + dt.timedelta(days=int(ev.day)) if ev.day is not None else None)
        except (ValueError, TypeError, OverflowError):
            continue  # the validation names a bad date
        if when is not None and when > end:
            name = f" ({ev.label})" if ev.label else f" ({ev.set})"
            out.append(f"warning: events[{i}]{name}: on {when}, after the run's last day "
                       f"({end}); it never takes effect")
    return out


def _task(cfg: DictConfig) -> dict | None:
    kpis = run_job(cfg)
    if kpis is None and not HydraConfig.get().mode.name == "MULTIRUN":
        sys.exit(2)
    return kpis


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def main(cfg: DictConfig) -> None:
    """`python -m sim [scenario=NAME] [key=value ...]` (through `cli`, which checks first)."""
    _task(cfg)


def _debug() -> bool:
    return any(os.environ.get(v, "") not in ("", "0") for v in ("SIM_DEBUG",
                                                                  "HYDRA_FULL_ERROR"))


def _parser():
    from hydra._internal.utils import get_args_parser

    parser = get_args_parser()

    def refuse(message: str) -> None:
        raise ConfigError(f"command line: {message}")

    parser.error = refuse  # type: ignore[method-assign]
    return parser


def world_shorthand(override: str) -> str:
    """``world=2009`` or ``world=PATH`` (a vintage or a folder of world tables) means
    ``world.tables=...``; ``world={...}`` and every other override pass unchanged."""
    key, sep, value = override.partition("=")
    if sep and key == "world" and value and not value.lstrip().startswith("{"):
        return f"world.tables={value}"
    return override


def cli(argv: list[str] | None = None) -> int:
    """``python -m sim ARGS``: check, run, and return the exit status (0 ok, 1 a sweep with
    failed jobs, 2 a user mistake or a failed run)."""
    from hydra._internal.utils import _run_hydra

    from sim.cli.overrides import explain, preflight

    argv = list(sys.argv[1:] if argv is None else argv)
    debug = _debug()
    saved = os.environ.get("HYDRA_FULL_ERROR")
    try:
        parser = _parser()
        args = parser.parse_args(argv)
        experiments = Path(os.environ.get("SIM_EXPERIMENTS_DIR") or EXPERIMENTS_DIR)
        if experiments != EXPERIMENTS_DIR:
            register_experiments(experiments)
        args.overrides = [world_shorthand(o) for o in args.overrides]
        if not (args.help or args.hydra_help or args.info or args.shell_completion):
            args.overrides = preflight(args, experiments=experiments)
        os.environ["HYDRA_FULL_ERROR"] = "1"  # exceptions reach us, not Hydra's printer
        _run_hydra(args=args, args_parser=parser, task_function=_task,
                   config_path=str(CONFIG_DIR), config_name="config")
        return 0
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            return int(e.code or 0)
        print(e.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - every failure becomes one line
        if debug:
            traceback.print_exc()
        print(f"error: {explain(e)}", file=sys.stderr)
        if not debug and not _is_user_error(e):
            print("(an internal error: SIM_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 2
    finally:
        if saved is None:
            os.environ.pop("HYDRA_FULL_ERROR", None)
        else:
            os.environ["HYDRA_FULL_ERROR"] = saved


def _is_user_error(e: BaseException) -> bool:
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    return isinstance(e, (ConfigError, HydraException, OmegaConfBaseException))
