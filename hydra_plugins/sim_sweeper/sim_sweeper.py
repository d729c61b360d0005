"""Hydra finds sweepers only in the ``hydra_plugins`` namespace: this is the project's
sweeper (grids + sampled parameters + resuming); its logic is in `sim.sweeper`."""

from sim.experiments.sweeper import SampleSweeper


class SimSweeper(SampleSweeper):
    """``hydra/sweeper: sim`` (see `sim.sweeper`)."""
