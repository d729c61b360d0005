"""The agents: one module per kind."""

from sim.agents.automaker import Automaker
from sim.agents.buyer import Buyer
from sim.agents.defense import DefensePrime
from sim.agents.exporter import Exporter
from sim.agents.industry import IndustrialBuyer
from sim.agents.maker import MagnetMaker
from sim.agents.mine import Mine
from sim.agents.ministry import Ministry

__all__ = ["Automaker", "Buyer", "DefensePrime", "Exporter", "IndustrialBuyer", "MagnetMaker",
           "Mine", "Ministry"]
