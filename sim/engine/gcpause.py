"""Python's cyclic garbage collector paused while a run's days are simulated.

A run keeps nearly everything it makes (shipments, records) to its end, so the collector's
full passes scan a heap that only grows, to find almost nothing: 18 full passes took 13 s
of a 190 s run of 10,000 firms, and 0.7 s of 11.8 s at 1,000 firms, and after 365 days of
1,000 firms with the collector off a collection found 4,194 objects in cycles (memory peak
unchanged: 346 MB against 345 MB). Reference counting frees everything else as usual; the
collector runs again, with what it had before, when the days are done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector inside the block (if it was on), then restore it."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
