"""The one command line: ``magnet-sim`` and ``python -m sim`` are this function.

    magnet-sim --help                          what the tool does, scenarios, parameters
    magnet-sim list scenarios|licensing|experiments|kpis|parameters|events|mechanisms
    magnet-sim [scenario=NAME] [key=value ...] one run (``-m experiment=NAME``: a sweep;
                                               ``--cfg job``: print the composed config)
    magnet-sim buffer scenario=controls_2025   the buffer that would have carried the plants
    magnet-sim replot FOLDER [...]             rebuild a sweep's summary and plots
    magnet-sim ablation [SPEC] [--jobs N]      each replay with each mechanism switched off
    magnet-sim months RUN_FOLDER_OR_SCENARIO   a run month by month (Markdown tables)
    magnet-sim compare scenario=S --observed F runs beside observed series: plots, errors
    magnet-sim calibrate scenario=S --observed F --params P,Q --train A:B --validate C:D
                                               fit uncertain inputs, keep an ensemble
    magnet-sim worlds export|check ...         start or check a folder of world tables
    magnet-sim discover SWEEP_DIR --kpi K --threshold X   PRIM scenario discovery
    magnet-sim dashboard [--port N] [--open FOLDER]       the page in the browser

Every user mistake is one line ``error: <where>: <what>, got <value>`` with exit status 2
and no traceback (``SIM_DEBUG=1`` prints the traceback too); a sweep with failed jobs exits
1 after its summary; Ctrl-C exits 130.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable

from sim.cli.compose import explain, is_user_error
from sim.cli.docs import main as docs_main
from sim.cli.help import LISTS, help_text, list_
from sim.cli.run import run_command
from sim.cli.worlds import main as worlds_main
from sim.domain.errors import ConfigError
from sim.experiments.ablation import main as ablation_main
from sim.experiments.buffer import main as buffer_main
from sim.experiments.calibrate import main as calibrate_main
from sim.experiments.compare import main as compare_main
from sim.experiments.discovery import main as discover_main
from sim.experiments.months import main as months_main
from sim.experiments.replot import main as replot_main
from sim.outputs.dashboard.server import main as dashboard_main


def _listing(args: list[str]) -> int:
    if len(args) != 1:
        raise ConfigError(f"magnet-sim list: name one list ({'|'.join(LISTS)}), got "
                          f"{' '.join(args) or 'none'}")
    print(list_(args[0]))
    return 0


SUBCOMMANDS: dict[str, Callable[[list[str]], int]] = {
    "buffer": buffer_main, "replot": replot_main, "ablation": ablation_main,
    "months": months_main, "worlds": worlds_main, "list": _listing, "docs": docs_main,
    "compare": compare_main, "calibrate": calibrate_main, "discover": discover_main,
    "dashboard": dashboard_main}
"""Each subcommand and the function that takes its arguments."""


def say(line: str) -> None:
    """Print a line on standard error, escaping what the terminal cannot encode (a user's
    bad bytes quoted in a message must not crash the message)."""
    print(line.encode("utf-8", "backslashreplace").decode("utf-8"), file=sys.stderr)


def debug() -> bool:
    """``SIM_DEBUG=1`` (or ``HYDRA_FULL_ERROR=1``): tracebacks are printed too."""
    return any(os.environ.get(v, "") not in ("", "0") for v in ("SIM_DEBUG",
                                                                  "HYDRA_FULL_ERROR"))


def dispatch(args: list[str]) -> int:
    if args and args[0] in ("-h", "--help", "help"):
        print(help_text())
        return 0
    if args and args[0] in SUBCOMMANDS:
        return int(SUBCOMMANDS[args[0]](args[1:]) or 0)
    if not args:
        print(help_text().split("\n\nscenarios:")[0] + "\n\n(no arguments: running the "
              "baseline; magnet-sim --help for more)\n")
    return run_command(args)


def main(argv: list[str] | None = None) -> int:
    """The command line (module docstring); returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return dispatch(args)
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            return int(e.code or 0)
        print(e.code, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - every failure becomes one line

        if debug():
            traceback.print_exc()
        say(f"error: {explain(e)}")
        if not debug() and not is_user_error(e):
            print("(an internal error: SIM_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
