"""The run command: ``magnet-sim [-m] [--cfg job] [--config-dir DIR] [key=value ...]``.

It checks the command line and the files it names (`sim.cli.overrides.preflight`), composes
the config (`sim.cli.compose`), then runs one job into a new run folder (never one that
holds anything: `RunFolder.create`) and prints its summary, or with ``-m`` runs a sweep
(`sim.experiments.sweep`). Hydra composes; it runs nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback

from omegaconf import OmegaConf

from sim import validate
from sim.cli.compose import compose_run, run_node, world_shorthand
from sim.cli.overrides import preflight, search_dirs
from sim.config import RunConfig
from sim.domain.errors import ConfigError
from sim.experiments.runner import Job, execute
from sim.experiments.sweep import run_sweep
from sim.kpis import summary_lines
from sim.outputs.run_folder import RunFolder


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, our exit status
        raise ConfigError(f"command line: {message}")


def parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="magnet-sim", add_help=False, allow_abbrev=False)
    ap.add_argument("-m", "--multirun", action="store_true")
    ap.add_argument("-c", "--cfg", choices=("job", "all"))
    ap.add_argument("-cd", "--config-dir")
    ap.add_argument("-cp", "--config-path")
    ap.add_argument("-cn", "--config-name")
    ap.add_argument("overrides", nargs="*")
    return ap


def run_command(argv: list[str]) -> int:
    """Run ``argv`` (no subcommand); the exit status."""
    args = parser().parse_args(argv)
    args.overrides = [world_shorthand(o) for o in args.overrides]
    overrides = preflight(args)
    dirs = search_dirs(args)
    if args.multirun:
        return run_sweep(overrides, dirs)
    composed = compose_run(overrides, dirs, args.config_name or "config")
    node = composed.node
    if args.cfg:
        print(OmegaConf.to_yaml(node if args.cfg == "all" else run_node(node)), end="")
        return 0
    validate(composed.config)  # a bad value makes no folder at all
    explicit = any(o.split("=", 1)[0].lstrip("+") == "hydra.run.dir" for o in overrides)
    rf = RunFolder.create(node.hydra.run.dir, explicit=explicit)
    rc = composed.config
    for line in [*horizon_warnings(rc), *(f"note: {n}" for n in composed.notes)]:
        print(line, file=sys.stderr)
    try:
        out = execute(composed, Job(tuple(overrides), str(rf.path)))
    except ConfigError as e:
        rf.write_failure(str(e))
        raise
    except Exception as e:
        rf.write_failure(f"{type(e).__name__}: {e}", traceback.format_exc())
        raise
    print(f"\n{rc.scenario_name} ({rc.start} + {rc.days} days, seed {rc.seed}, "
          f"licensing {rc.licensing.name})")
    print("\n".join(summary_lines(out)))
    for name, why in (out["meta"].get("plots_skipped") or {}).items():
        print(f"plot {name} skipped: {why}")
    for note in out["meta"].get("notes") or []:
        if note not in composed.notes:  # those were printed before the run
            print(f"note: {note}")
    print(f"report: {rf.path / 'report.html'}")
    print(f"results: {rf.path}")
    return 0


def horizon_warnings(rc: RunConfig) -> list[str]:
    """A warning line for each event dated after the last day (one dated before the start
    takes effect at set-up, `EventSchedule`)."""
    try:
        start = dt.date.fromisoformat(str(rc.start))
        end = start + dt.timedelta(days=int(rc.days) - 1)
    except (ValueError, OverflowError):
        return []  # the validation names a bad start or horizon
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
