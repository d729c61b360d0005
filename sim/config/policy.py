"""Policy configs: China's licensing regime, dated policy events, a Western government.

Dates are ``YYYY-MM-DD`` strings; ``None`` switches a lever off.
"""

# ruff: noqa: UP006, UP035, UP045  (OmegaConf structured configs need typing generics)
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional

from sim.config.registry import group, p
from sim.domain.products import MAGNETS
from sim.domain.vocab import SECTORS

DISTS = ("fixed", "uniform", "triangular")


@dataclass
class DelayConf:
    """Working-day clock of licence decisions."""

    dist: str = p("triangular", unit="-", desc="distribution of the delay",
                  source="[assumption]", choices=DISTS)
    unit: str = p("working", unit="-", desc="the delay counts working or calendar days",
                  source="45 working days [sources: licence-processing]",
                  choices=("working", "calendar"))
    low: float = p(20.0, unit="working days", desc="shortest delay", source="[assumption]",
                   lo=0)
    mode: float = p(35.0, unit="working days", desc="most likely delay (triangular)",
                    source="[assumption]", lo=0)
    high: float = p(45.0, unit="working days", desc="longest delay",
                    source="statutory limit [sources: licence-processing]", lo=0)


@dataclass
class LicensingConf:
    """How the Ministry decides licence applications."""

    name: str = p("statutory_45wd", unit="-", desc="name of the licensing variant",
                  source="scenarios/licensing/*.yaml")
    delay: DelayConf = group(DelayConf, "clock of licence decisions")
    approval_default: float = p(1.0, unit="0-1", desc="chance a civil application is "
                                "approved", source="[assumption]", lo=0, hi=1)
    approval_by_destination: Dict[str, float] = p(
        unit="0-1", desc="overrides approval_default per destination country",
        source="[assumption]", lo=0, hi=1, keys=("country",), factory=dict)
    military_approval: float = p(
        0.0, unit="0-1", desc="chance a military end use under controls is approved",
        source="denied [sources: military]", lo=0, hi=1)
    approval_by_material: Dict[str, float] = p(
        unit="x", desc="multiplies approval odds per material", source="[assumption]",
        lo=0, keys=("material",), factory=dict)
    approval_by_firm: Dict[str, float] = p(
        unit="x", desc="multiplies approval odds per applicant exporter",
        source="[assumption]", lo=0, keys=("exporter",), factory=dict)
    relations_sensitivity: float = p(
        0.5, unit="1", desc="approval odds x (1 + this x relations level in [-1, 1])",
        source="[assumption]", lo=0)
    rfi_prob_per_tier: float = p(
        0.05, unit="0-1", desc="chance per supplier tier that the end-use file is incomplete",
        source="[sources: documents] [assumption]", lo=0, hi=1)
    rfi_delay: DelayConf = group(lambda: DelayConf(dist="uniform", low=5, mode=10, high=15),
                                 "delay a request for information adds")
    provincial_review: DelayConf = group(
        lambda: DelayConf(dist="fixed", low=0, mode=0, high=0),
        "the provincial commerce department's review before MOFCOM accepts a file; the "
        "licence clock runs from acceptance [sources: licensing-steps]; default 0: "
        "off [assumption: length]")
    first_file_delay: DelayConf = group(
        lambda: DelayConf(dist="fixed", low=0, mode=0, high=0),
        "extra review of the first file for an exporter-customer pair; repeats skip it; "
        "default 0: off [assumption]")
    rfi_restarts_clock: bool = p(
        False, unit="-", desc="a request for information is answered by a resubmission and "
        "the clock starts again (a fresh delay draw); false: the answer only adds rfi_delay",
        source="[assumption]")
    files_per_working_day: Optional[float] = p(
        None, unit="files/working day", desc="the Ministry's capacity: at most this many "
        "decisions per working day, oldest due first; null: unlimited",
        source="[assumption, for sweeps]", lo=0, lo_open=True)
    licence_to_ship_days: int = p(5, unit="days", desc="from approval to loading, booking "
                                  "and customs", source="[assumption]", lo=0)
    individual_validity_days: int = p(
        365, unit="days", desc="validity of an individual licence",
        source="one year [sources: licence-processing]", lo=0, lo_open=True)
    fast_track_whitelist: List[str] = p(
        unit="-", desc="exporters or buyers whose applications take fast_track_delay",
        source="[assumption]", kind="firm", factory=list)
    fast_track_delay: DelayConf = group(
        lambda: DelayConf(dist="fixed", low=10, mode=10, high=10), "clock of fast-track files")
    general_licence_by_product: bool = p(
        True, unit="-", desc="a general licence covers only the products its event names "
        "(default: all magnets), so a magnet licence moves no oxide; false: every product",
        source="one licence per product and end user [sources: licence-scope]")
    customs_holds: bool = p(
        True, unit="-", desc="customs_hold events hold shipments at customs; false: they "
        "are ignored (ablation)", source="[sources: customs-holds]")
    customs_hold_share: float = p(
        1.0, unit="0-1", desc="share of the shipments a customs_hold event covers that customs "
        "holds (inspects); the rest clear as usual", source="customs inspected shipments "
        "declared as magnets, controlled or not [sources: customs-holds]; the share inspected "
        "is not reported [assumption]", lo=0, hi=1)
    date_exports_at_clearance: bool = p(
        True, unit="-", desc="Chinese exports count on the day customs clears them (after "
        "customs checks and holds); false: on the day the seller releases them",
        source="exports are recorded by customs [assumption]")
    general_licence_customers: List[str] = p(
        unit="-", desc="buyers covered by a standing general licence from every exporter "
        "(the general_licences variant)", source="[sources: general-licences]", kind="buyer",
        factory=list)


@dataclass
class EventConf:
    """A dated policy event. Give ``date`` (YYYY-MM-DD) or ``day`` (days after start).

    Kinds (``set``) and the keys each takes are the registry ``sim.policy.kinds.KINDS``
    (``magnet-sim list events`` and docs/model.md list them).
    (The key is ``date``, not ``on``: YAML reads a bare ``on`` as the boolean true.)
    """

    set: str = p("", unit="-", desc="event kind (sim.policy.kinds.KINDS)", source="scenario")
    id: Optional[str] = p(None, unit="-", desc="name by which sweeps address the event "
                          "(events.<id>.days); default: its kind, or kind_k when repeated",
                          source="scenario")
    date: Optional[str] = p(None, unit="date", desc="day the event takes effect",
                            source="scenario", kind="date")
    day: Optional[int] = p(None, unit="days", desc="days after the start the event takes "
                           "effect", source="scenario", lo=0)
    days: Optional[int] = p(None, unit="days", desc="length of a timed event",
                            source="scenario", lo=0, lo_open=True)
    materials: Optional[List[str]] = p(None, unit="-", desc="materials covered",
                                       source="scenario", kind="material")
    destinations: Optional[List[str]] = p(None, unit="-", desc="destination countries "
                                          "(null: all)", source="scenario", kind="country")
    anti_diversion: Optional[List[str]] = p(None, unit="-", desc="third countries whose "
                                            "orders are held", source="scenario",
                                            kind="country")
    tonnes_per_year: Optional[float] = p(None, unit="t/yr", desc="annual export quota",
                                         source="scenario", lo=0)
    prob: Optional[float] = p(None, unit="0-1", desc="approval chance", source="scenario",
                              lo=0, hi=1)
    level: Optional[float] = p(None, unit="1", desc="relations level", source="scenario",
                               lo=-1, hi=1)
    delay_days: Optional[int] = p(None, unit="days", desc="extra customs days",
                                  source="scenario", lo=0)
    delay_min_days: Optional[int] = p(None, unit="days", desc="shortest customs hold of a "
                                      "customs_hold event", source="scenario", lo=0)
    delay_max_days: Optional[int] = p(None, unit="days", desc="longest customs hold of a "
                                      "customs_hold event", source="scenario", lo=0)
    tonnes: Optional[float] = p(None, unit="t", desc="tonnes added or allowed",
                                source="scenario", lo=0)
    firms: Optional[List[str]] = p(None, unit="-", desc="exporters the event names (the "
                                   "applicants or licence holders)", source="scenario",
                                   kind="exporter")
    customers: Optional[List[str]] = p(None, unit="-", desc="named customers (buyers) of a "
                                       "general licence", source="scenario", kind="buyer")
    end_use: Optional[str] = p(None, unit="-", desc="end use refused",
                               source="scenario", choices=("military", "civil", "all"))
    sectors: Optional[List[str]] = p(None, unit="-", desc="buyer sectors an approval event "
                                     "covers (automaker, industry, defense)",
                                     source="scenario",
                                     choices=SECTORS)
    usd_per_kg: Optional[float] = p(None, unit="USD/kg", desc="guaranteed oxide price of a "
                                    "price floor", source="scenario", lo=0)
    mines: Optional[List[str]] = p(None, unit="-", desc="mines a price floor or concentrate "
                                   "route covers (null: all)", source="scenario", kind="mine")
    rate: Optional[float] = p(None, unit="0-1", desc="a rate: ad-valorem tariff (0.1 = 10%) "
                              "the importers levy on goods of the origins, export duty, or "
                              "share of unreported output cut",
                              source="scenario", lo=0, hi=10)
    importers: Optional[List[str]] = p(None, unit="-", desc="countries levying a tariff "
                                       "(null: every importer)", source="scenario",
                                       kind="country")
    origins: Optional[List[str]] = p(None, unit="-", desc="countries whose goods a tariff "
                                     "hits (null: CN, the tariff's meaning before these keys)",
                                     source="scenario", kind="country")
    tonnes_per_day: Optional[Dict[str, float]] = p(
        None, unit="t/day", desc="stockpile purchases per magnet", source="scenario", lo=0,
        keys=("magnet",))
    open: Optional[bool] = p(None, unit="-", desc="whether China takes the mines' "
                             "concentrate", source="scenario")
    lead_days: Optional[int] = p(None, unit="days", desc="defence primes stop Chinese orders "
                                 "this long before a defence ban", source="scenario", lo=0)
    group: Optional[str] = p(None, unit="-", desc="quota group of a reo_quota event "
                             "(default all)", source="scenario",
                             choices=("light", "heavy", "all"))
    label: Optional[str] = p(None, unit="-", desc="label in plots", source="scenario")
    source: Optional[str] = p(None, unit="-", desc="citation of the event",
                              source="scenario")


EVENT_META = ("set", "id", "date", "day", "label", "source")
"""Keys every event takes whatever its kind: what it is, its id, when, and its label."""
EVENT_DEFAULTS = {"materials": MAGNETS, "anti_diversion": (), "origins": ("CN",), "lead_days": 0}
"""What a compiled event holds for a key its entry leaves out, where that is not null:
every magnet, tariffs on Chinese goods, no lead."""


@dataclass
class GovernmentConf:
    """A Western government (US): floor with offtake, grants, tariffs, stockpile, DFARS."""

    price_floor_usd_per_kg: Optional[float] = p(
        None, unit="USD/kg", desc="guaranteed NdPr oxide price to covered mines; null: no "
        "floor", source="110 in the 2025 DoD-MP deal [sources: price-floor]", lo=0,
        acts_in="scenario=price_floor government.price_floor_usd_per_kg=null")
    price_floor_start: str = p("2025-07-10", unit="date", desc="floor begins",
                               source="Jul 2025 [sources: price-floor]", kind="date")
    price_floor_years: float = p(10.0, unit="years", desc="floor length",
                                 source="10 years [sources: price-floor]", lo=0, hi=100)
    price_floor_mines: List[str] = p(
        unit="-", desc="mines covered by the floor with offtake; empty means every mine",
        source="[assumption]", kind="mine", factory=list)
    capital_grant_share: float = p(
        0.0, unit="0-1", desc="share of capital cost paid by grants; lowers the break-even "
        "of investment decisions", source="[assumption]", lo=0, hi=1)
    tariff_cn_magnets: float = p(
        0.0, unit="0-1", desc="ad-valorem tariff on Chinese magnets, raising outside prices "
        "by it times the Chinese share of orders", source="[assumption]", lo=0)
    stockpile_t: Dict[str, float] = p(
        unit="t", desc="government stockpile per magnet at the start (a ledger source)",
        source="[assumption]", lo=0, keys=("magnet",), factory=dict)
    stockpile_buy_tpd: Dict[str, float] = p(
        unit="t/day", desc="purchases from non-Chinese makers' spare capacity",
        source="[assumption]", lo=0, keys=("magnet",), factory=dict)
    release_cover_days: float = p(
        90.0, unit="days", desc="release to a defence prime whose cover of a magnet falls "
        "below this", source="[assumption]", lo=0)
    release_max_tpd: float = p(1.0, unit="t/day", desc="largest daily release per magnet",
                               source="[assumption]", lo=0)
    dfars_ban_date: Optional[str] = p(
        "2027-01-01", unit="date", desc="from this date no Chinese-origin magnet enters "
        "defence supply; null: no ban", source="DFARS 252.225-7052 style [sources: dfars] "
        "[assumption: the date]", kind="date",
        acts_in="scenario=defense_2027 government.dfars_ban_date=2025-06-01")
    dfars_lead_days: int = p(
        45, unit="days", desc="primes stop Chinese orders and cancel unshipped ones this long "
        "before the ban, so nothing Chinese arrives after it (> US transit 30+-3)",
        source="[assumption]", lo=0)
    readiness_cover_days: float = p(60.0, unit="days", desc="a prime is not ready on days "
                                    "its cover is below this", source="[assumption]", lo=0)
