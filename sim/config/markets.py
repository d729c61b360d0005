"""Market configs: prices outside China, China's pricing strategy, substitution."""

# ruff: noqa: UP006, UP035, UP045  (OmegaConf structured configs need typing generics)
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List

from sim.config.registry import group, p
from sim.domain.vocab import SECTORS


@dataclass
class ChinaPricingConf:
    """China's pricing response: cut prices (flood the market) against rivals."""

    enabled: bool = p(False, unit="-", desc="China floods the market against rivals (on in "
                      "price_war/price_floor)", source="[sources: predation]")
    capacity_trigger_tpy: float = p(
        5000.0, unit="t/yr", desc="flood when non-Chinese mine capacity (oxide) ramping or "
        "operating exceeds its opening level by this",
        source="[sources: predation] [assumption: size]", lo=0)
    band_high: float = p(
        1.6, unit="x", desc="flood also when the outside oxide price leaves the band above "
        "this multiple of its opening level", source="[assumption]", lo=0)
    response_days: int = p(60, unit="days", desc="lag from trigger to price cut",
                           source="[assumption]", lo=0)
    cut: float = p(0.4, unit="0-1", desc="share cut from every target price while flooding",
                   source="[assumption]", lo=0, hi=1)
    hold_days: int = p(180, unit="days", desc="flooding lasts this long after the trigger "
                       "clears", source="[assumption]", lo=0)


@dataclass
class MarketConf:
    """Prices outside China (USD/kg)."""

    initial_price: Dict[str, float] = p(
        unit="USD/kg", desc="opening prices per material",
        source="magnets ndfeb 60, ndfeb_hre 90, smco 120 [assumption]; raw materials "
        "default to the world's inside price (china.csv) x REO per t x (1 + duty)", lo=0,
        lo_open=True, keys=("material",),
        factory=lambda: {"ndfeb": 60.0, "ndfeb_hre": 90.0, "smco": 120.0})
    scarcity_elasticity: float = p(
        3.0, unit="1", desc="the price response of the capped linear rule "
        "(border.rationing_prices=false): the target price rises by this x the cover gap "
        "share. With rationing prices (the default) it sets no price response; it only "
        "weights buyers in surplus against buyers short of cover (surplus_elasticity / "
        "this), a small effect, so it is neither in --help nor sampled",
        source="[assumption]", lo=0,
        acts_in="scenario=controls_2025 days=200 border.rationing_prices=false "
        "market.scarcity_elasticity=6")
    scarcity_reference: float = p(0.75, unit="0-1", desc="cover share of target below which "
                                  "prices rise (> 0: a divisor)", source="[assumption]", lo=0,
                                  lo_open=True, hi=1)
    adjust_per_day: float = p(0.05, unit="1/day", desc="share of the gap to the target "
                              "price closed daily", source="[assumption]", lo=0, hi=1,
                              acts_in="scenario=controls_2025 days=200 "
                              "market.adjust_per_day=0.15")
    cn_price_ratio: float = p(1.0, unit="x", desc="opening price inside China / outside",
                              source="[assumption]", lo=0, lo_open=True)
    glut_discount: float = p(
        0.2, unit="0-1", desc="inside-China price falls by this share when all exports of a "
        "material are restricted (tonnes stay home)", source="[assumption]", lo=0, hi=1)
    surplus_reference: float = p(
        1.5, unit="x", desc="stock above this multiple of target cover depresses prices "
        "(> 0: a divisor)", source="[assumption]", lo=0, lo_open=True)
    surplus_elasticity: float = p(
        0.3, unit="1", desc="target price falls by this x the surplus share (capped at 1)",
        source="[assumption]", lo=0, hi=1)
    tariffs_on_landed_cost: bool = p(
        True, unit="-", desc="tariff events raise buyers' landed cost of the goods they hit "
        "and so move buyers' order split (BuyerConf.tariff_*); false: tariffs only move the "
        "outside price index", source="[assumption]: a mechanism switch for the ablation")
    china: ChinaPricingConf = group(ChinaPricingConf, "China's pricing strategy")


@dataclass
class SubstitutionConf:
    """Automakers move to rare-earth-free designs; recycling adds supply."""

    price_trigger: float = p(
        1.5, unit="x", desc="outside price multiple of the opening price that counts as a "
        "shortage signal", source="[assumption]", lo=0)
    kinds: List[str] = p(
        unit="-", desc="buyer kinds that thrift and substitute (automaker, industry, "
        "defense); default automakers only, as in the first version; industrial users can "
        "move to diffusion (Dy-lean) grades and rare-earth-free motors too",
        source="[assumption]", choices=SECTORS,
        factory=lambda: ["automaker"])
    lag_days_by_kind: Dict[str, float] = p(
        unit="days", desc="lag_days per buyer kind where it differs (e.g. defence "
        "qualification takes longer); missing kinds use lag_days", source="[assumption]",
        lo=0, keys=("sector",), factory=dict)
    lag_days: int = p(180, unit="days", desc="signal must persist this long before designs "
                      "change (redesign and qualification)", source="thrifting by grade and "
                      "process (diffusion) first [sources: diffusion]; full redesign takes "
                      "years [sources: redesign-lag], hence the slow rate [assumption: days]",
                      lo=0)
    rate_per_year: float = p(0.1, unit="1/yr", desc="largest yearly shift of demand",
                             source="[assumption]", lo=0, acts_in="scenario=controls_2025 "
                             "days=400 substitution.rate_per_year=0.5")
    max_share: float = p(0.3, unit="0-1", desc="cap on the substituted share",
                         source="[assumption]", lo=0, hi=1)
    recycled_tpd: float = p(
        0.5, unit="t/day", desc="recycled oxide to non-Chinese makers at opening prices "
        "(small: ~180 t/yr)", source="[assumption]", lo=0)
    recycling_elasticity: float = p(
        1.0, unit="1", desc="recycled supply scales with (oxide price/opening)^this",
        source="[assumption]", lo=0)
