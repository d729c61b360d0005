"""The agents: one module per kind."""

from .automaker import Automaker
from .buyer import Buyer
from .defense import DefensePrime
from .exporter import Exporter
from .industry import IndustrialBuyer
from .maker import MagnetMaker
from .mine import Mine
from .ministry import Ministry

__all__ = ["Automaker", "Buyer", "DefensePrime", "Exporter", "IndustrialBuyer", "MagnetMaker",
           "Mine", "Ministry"]
