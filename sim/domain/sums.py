"""Sums taken in order, as a loop takes them."""

from __future__ import annotations

import numpy as np


def ordered_sum(values: np.ndarray) -> float:
    """The sum of ``values`` as ``total = 0.0; for x in values: total += x`` takes it, to
    the last bit (numpy's ``sum`` adds pairwise, Python's ``sum`` of floats compensates):
    a running sum left to right (``cumsum``), 0.0 for none, and a sum of zeros +0.0."""
    return 0.0 + float(np.cumsum(values)[-1]) if len(values) else 0.0


_ULP_BITS = 1074  # every finite float is a whole number of 2**-1074
_ONE = 1 << _ULP_BITS


class ExactTally:
    """Floats added and taken away per key, kept exactly (as whole numbers of 2**-1074)
    and read correctly rounded: a running total whose value is ``math.fsum`` of the floats
    still in, whatever the order they came and went in; ``count`` is how many are in."""

    __slots__ = ("count", "_sums")

    def __init__(self) -> None:
        self.count = 0
        self._sums: dict = {}

    @staticmethod
    def _whole(x: float) -> int:
        n, d = x.as_integer_ratio()  # d is a power of two
        return n << (_ULP_BITS + 1 - d.bit_length())

    def add(self, key, x: float, count: int = 1) -> None:
        self._sums[key] = self._sums.get(key, 0) + self._whole(x)
        self.count += count

    def take(self, key, x: float, count: int = 1) -> None:
        self._sums[key] -= self._whole(x)
        self.count -= count

    def totals(self) -> dict:
        """Each key's total, correctly rounded (keys whose floats all left: 0.0)."""
        return {k: v / _ONE for k, v in self._sums.items()}
