"""``magnet-sim worlds``: start or check a folder of world tables.

    magnet-sim worlds export my_world          # the 2024 tables, to edit
    magnet-sim worlds check my_world           # typed, bounded, sourced? (exit 2 if not)
    magnet-sim world.tables=my_world           # run it
"""

from __future__ import annotations

import argparse
import sys

from sim import validate
from sim.config import FIRM_KINDS, RunConfig, WorldConf
from sim.config.resolve import resolve
from sim.config.tables import VINTAGES, write_tables
from sim.domain.errors import ConfigError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="magnet-sim worlds", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("export", help="write a vintage's tables into a folder")
    ex.add_argument("folder")
    ex.add_argument("--vintage", default=VINTAGES[-1], choices=VINTAGES)
    ck = sub.add_parser("check", help="load and check a folder (or vintage) of tables")
    ck.add_argument("tables")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "export":
            folder = write_tables(resolve(WorldConf(tables=args.vintage)), args.folder)
            print(f"wrote the {args.vintage} world tables to {folder}")
        else:
            cfg = RunConfig(world=WorldConf(tables=args.tables))
            validate(cfg)  # resolves the world from its tables first
            counts = ", ".join(f"{len(getattr(cfg.world, k))} {k}" for k in FIRM_KINDS)
            print(f"ok: {args.tables}: {counts}")
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
