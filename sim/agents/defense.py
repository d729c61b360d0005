"""Defence primes: military end use, deep stock."""

from __future__ import annotations

from ..config import DefenseConf
from .industry import IndustrialBuyer


class DefensePrime(IndustrialBuyer):
    """A defence contractor. Its orders carry military end use, which the Ministry denies
    whenever the material is under control; ``output``/``lost`` are tonnes of magnet use."""

    kind = "defense"
    end_use = "military"

    def __init__(self, model, conf: DefenseConf, index: int) -> None:
        super().__init__(model, conf, index)
