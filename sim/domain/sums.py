"""Sums taken in order, as a loop takes them."""

from __future__ import annotations

import numpy as np


def ordered_sum(values: np.ndarray) -> float:
    """The sum of ``values`` as ``total = 0.0; for x in values: total += x`` takes it, to
    the last bit (numpy's ``sum`` adds pairwise, Python's ``sum`` of floats compensates):
    a running sum left to right (``cumsum``), 0.0 for none, and a sum of zeros +0.0."""
    return 0.0 + float(np.cumsum(values)[-1]) if len(values) else 0.0
