"""Typed schema of markets, China's pricing strategy, government levers and substitution.

Kept apart from `sim.config` (which imports these) so that each schema module stays small.
As there, every field's ``help`` cites ``FACTS`` (the project's ``shared/FACTS.md``) or says
``[assumption]``. Dates are ``YYYY-MM-DD`` strings; ``None`` switches a lever off.
"""

# ruff: noqa: UP006, UP035, UP045  (OmegaConf structured configs need typing generics)
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional

from .fields import p


@dataclass
class ChinaPricingConf:
    """China's pricing response: cut prices (flood the market) against rivals."""

    enabled: bool = p(False, help="off in the default world; on in price_war/price_floor")
    capacity_trigger_tpy: float = p(
        5000.0, unit="t oxide/yr", help="flood when non-Chinese mine capacity ramping or "
        "operating exceeds its opening level by this (FACTS: 1990s-2015 predation) "
        "[assumption: size]")
    band_high: float = p(
        1.6, unit="x opening", help="flood also when the outside oxide price leaves the band "
        "above this multiple of its opening level [assumption]")
    response_days: int = p(60, unit="days", help="lag from trigger to price cut [assumption]")
    cut: float = p(0.4, unit="0-1", help="share cut from every target price while flooding "
                   "[assumption]")
    hold_days: int = p(180, unit="days", help="flooding lasts this long after the trigger "
                       "clears [assumption]")


@dataclass
class GovernmentConf:
    """A Western government (US): floor with offtake, grants, tariffs, stockpile, DFARS."""

    price_floor_usd_per_kg: Optional[float] = p(
        None, unit="USD/kg NdPr oxide", help="guaranteed price to covered mines; 110 in the "
        "2025 DoD-MP deal (FACTS: MP Materials/DoD); null: no floor")
    price_floor_start: str = p("2025-07-10", unit="date", help="floor begins (FACTS: Jul 2025)")
    price_floor_years: float = p(10.0, unit="years", help="floor length (FACTS: 10 years)")
    price_floor_mines: List[str] = p(
        help="mines covered by the floor with offtake; empty means every mine", factory=list)
    capital_grant_share: float = p(
        0.0, unit="0-1", help="share of capital cost paid by grants; lowers the break-even "
        "of investment decisions [assumption]")
    tariff_cn_magnets: float = p(
        0.0, unit="0-1", help="ad-valorem tariff on Chinese magnets, raising outside prices "
        "by it times the Chinese share of orders [assumption]")
    stockpile_t: Dict[str, float] = p(
        unit="t", help="government stockpile at the start (a ledger source) [assumption]",
        factory=dict)
    stockpile_buy_tpd: Dict[str, float] = p(
        unit="t/day", help="purchases made from non-Chinese makers' spare capacity [assumption]",
        factory=dict)
    release_cover_days: float = p(
        90.0, unit="days", help="release to a defence prime whose cover of a magnet falls "
        "below this [assumption]")
    release_max_tpd: float = p(1.0, unit="t/day", help="largest daily release per magnet "
                               "[assumption]")
    dfars_ban_date: Optional[str] = p(
        "2027-01-01", unit="date", help="from this date no Chinese-origin magnet enters "
        "defence supply (issue 4; DFARS 252.225-7052 style) [assumption: not in FACTS]; "
        "null: no ban")
    dfars_lead_days: int = p(
        45, unit="days", help="primes stop Chinese orders and cancel unshipped ones this long "
        "before the ban, so nothing Chinese arrives after it (> US transit 30+-3) "
        "[assumption]")
    readiness_cover_days: float = p(
        60.0, unit="days", help="a prime is not ready on days its cover is below this "
        "[assumption]")


@dataclass
class SubstitutionConf:
    """Automakers move to rare-earth-free designs; recycling adds supply."""

    price_trigger: float = p(
        1.5, unit="x opening", help="outside price multiple that counts as a shortage signal "
        "[assumption]")
    lag_days: int = p(180, unit="days", help="signal must persist this long before designs "
                      "change (redesign and qualification) [assumption]")
    rate_per_year: float = p(0.1, unit="1/yr", help="largest yearly shift of demand "
                             "[assumption]")
    max_share: float = p(0.3, unit="0-1", help="cap on the substituted share [assumption]")
    recycled_tpd: float = p(
        0.5, unit="t oxide/day", help="recycled oxide to non-Chinese makers at opening prices "
        "(small: ~180 t/yr) [assumption]")
    recycling_elasticity: float = p(
        1.0, unit="1", help="recycled supply scales with (oxide price/opening)^this "
        "[assumption]")
