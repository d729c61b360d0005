"""``python -m sim``: the same command line as ``magnet-sim`` (`sim.cli.main.main`)."""

import sys

from sim.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
