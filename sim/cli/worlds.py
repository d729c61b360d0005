"""``magnet-sim worlds``: start or check a folder of world tables.

    magnet-sim worlds export my_world          # the 2024 tables, to edit (a new folder)
    magnet-sim worlds check my_world           # typed, bounded, sourced? (exit 2 if not)
    magnet-sim world=my_world                  # run it
"""

from __future__ import annotations

import argparse

from sim import validate
from sim.config import FIRM_KINDS, RunConfig, WorldConf
from sim.config.resolve import resolve
from sim.config.tables import VINTAGES, write_tables
from sim.domain.errors import ConfigError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (through the command line's main)
        raise ConfigError(f"magnet-sim worlds: {message}")


def main(argv: list[str] | None = None) -> int:
    ap = _Parser(prog="magnet-sim worlds", description=__doc__, allow_abbrev=False,
                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True, parser_class=_Parser)
    ex = sub.add_parser("export", help="write a vintage's tables into a new folder")
    ex.add_argument("folder")
    ex.add_argument("--vintage", default=VINTAGES[-1], choices=VINTAGES)
    ck = sub.add_parser("check", help="load and check a folder (or vintage) of tables")
    ck.add_argument("tables")
    args = ap.parse_args(argv)
    if args.cmd == "export":
        folder = write_tables(resolve(WorldConf(tables=args.vintage)), args.folder)
        print(f"wrote the {args.vintage} world tables to {folder}")
        return 0
    cfg = RunConfig(world=WorldConf(tables=args.tables))
    validate(cfg)
    counts = ", ".join(f"{len(cfg.world.firms[k])} {k}" for k in FIRM_KINDS)
    print(f"ok: {args.tables}: {counts}")
    return 0
