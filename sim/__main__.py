"""`python -m sim`: the Hydra entry, nothing else (see `sim.entry.cli`)."""

import sys

from sim.cli.app import cli

if __name__ == "__main__":
    sys.exit(cli())
