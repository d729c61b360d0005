"""Typed configuration schema: every parameter with its type, unit, default and source.

Plain dataclasses, free of Hydra: the entry layer (`sim.entry`) registers them in Hydra's
ConfigStore, and a notebook can build them directly (`RunConfig()` is the baseline).
Each field's ``metadata`` holds ``unit`` and ``help``; ``help`` says where the number comes
from: ``FACTS`` points to a row of the project's ``shared/FACTS.md`` (with its source), and
``[assumption]`` marks a number chosen by us that no source pins down.

Default-world firms are data (lists of firm configs); each firm carries a ``note`` field that
cites its numbers or marks them as assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from .config_markets import ChinaPricingConf, GovernmentConf, SubstitutionConf
from .events import EventConf  # noqa: F401 - the event schema lives with its registry
from .fields import p
from .products import MAGNETS, MATERIALS  # noqa: F401 - re-exported for older imports


# --------------------------------------------------------------------------- firms
@dataclass
class ExporterConf:
    """A Chinese magnet maker that exports (JL Mag and peers)."""

    name: str = "exporter"
    country: str = p("CN", help="ISO 3166 alpha-2 country code")
    capacity_tpy: Dict[str, float] = p(
        unit="t/yr", help="output per material per year", factory=dict
    )
    working_stock_days: float = p(
        14.0,
        unit="days of output",
        help="finished stock kept for export orders; the rest is sold in China [assumption]",
    )
    note: str = p("", help="sources of this firm's numbers")


@dataclass
class BuyerConf:
    """Fields shared by every buyer outside China."""

    name: str = "buyer"
    country: str = p("US", help="ISO 3166 alpha-2 country code")
    target_cover_days: float = p(
        30.0, unit="days", help="stock the buyer aims to hold (FACTS: weeks to months) [assumption]"
    )
    review_days: int = p(7, unit="days", help="days between orders [assumption]")
    supply_line_weight: float = p(
        1.0,
        unit="0-1",
        help="how much orders already placed count when ordering (Sterman 1989, FACTS)",
    )
    china_share: float = p(
        1.0, unit="0-1", help="share of orders placed with Chinese exporters [assumption]"
    )
    initial_cover_days: Optional[float] = p(
        None, unit="days", help="opening stock; null means target_cover_days"
    )
    supplier_tiers: int = p(
        1, help="supplier tiers between magnet maker and this buyer; more tiers, more "
        "incomplete end-use files (FACTS: seeds 004) [assumption]"
    )
    cover_response: float = p(
        0.5, unit="days/day", help="extra target cover per day of lead time above the "
        "first estimate [assumption]"
    )
    switch_step: float = p(
        0.05, unit="0-1", help="share moved to non-Chinese makers after each denied Chinese "
        "order [assumption]"
    )
    max_switch: float = p(
        0.3, unit="0-1", help="largest share a buyer can move away from China [assumption]"
    )
    switch_recovery: float = p(
        0.01, unit="1/day", help="daily return toward china_share once supply flows [assumption]"
    )
    note: str = p("", help="sources of this firm's numbers")


@dataclass
class AutomakerConf(BuyerConf):
    """A carmaker with its supplier tiers."""

    vehicles_per_day: float = p(1000.0, unit="vehicles/day", help="planned output [assumption]")
    ev_share: float = p(0.1, unit="0-1", help="share of EVs in output [assumption]")


@dataclass
class IndustryConf(BuyerConf):
    """Other magnet users of a country (motors, electronics, wind), one aggregate agent."""

    need_tpd: Dict[str, float] = p(unit="t/day", help="magnet use per material", factory=dict)


@dataclass
class DefenseConf(BuyerConf):
    """A defence prime: military end use, deep stock."""

    need_tpd: Dict[str, float] = p(unit="t/day", help="magnet use per material", factory=dict)


@dataclass
class MineConf:
    """A non-Chinese mine with separation, producing NdPr oxide."""

    name: str = "mine"
    country: str = p("AU", help="ISO 3166 alpha-2 country code")
    capacity_tpy: float = p(10500.0, unit="t NdPr oxide/yr", help="nameplate output")
    status: str = p("operating", help="planned | construction | rampup | operating at start")
    construction_start: Optional[str] = p(
        None, unit="date", help="date construction starts (status planned)"
    )
    construction_days: int = p(
        2920, unit="days", help="build time: ~8 years for new facilities (FACTS: IEA)"
    )
    rampup_days: int = p(730, unit="days", help="linear ramp to nameplate [assumption]")
    cash_cost: float = p(
        40.0, unit="USD/kg oxide", help="operating cash cost; closes after prices stay below "
        "it [assumption]")
    breakeven_price: float = p(
        70.0, unit="USD/kg oxide", help="full cost incl. capital; invests above it "
        "[assumption]")
    hurdle: float = p(0.15, unit="0-1", help="margin over break-even needed to invest or "
                      "restart [assumption]")
    price_window_days: int = p(90, unit="days", help="moving average of the expected price "
                               "[assumption]")
    invest_days: int = p(180, unit="days", help="days the expected price must clear the "
                         "hurdle before investing or restarting [assumption]")
    close_after_days: int = p(180, unit="days", help="days below cash cost before care and "
                              "maintenance [assumption]")
    restart_days: int = p(365, unit="days", help="restart works before ramp-up [assumption]")
    separation: str = p(
        "domestic", help="domestic | china: where concentrate is separated (Mountain Pass "
        "shipped to China until 2025, FACTS: USGS)")
    separation_ready: Optional[str] = p(
        None, unit="date", help="separation=china: domestic separation takes over from this "
        "date (built over years, FACTS: IEA ~8 years for new facilities)")
    china_takes_concentrate: bool = p(
        True, help="Chinese policy lets concentrate in for separation; if not, a mine "
        "without domestic separation cannot sell [assumption]")
    note: str = p("", help="sources of this mine's numbers")


@dataclass
class MakerConf:
    """A non-Chinese magnet maker turning oxide into magnets."""

    name: str = "maker"
    country: str = p("JP", help="ISO 3166 alpha-2 country code")
    capacity_tpy: Dict[str, float] = p(unit="t/yr", help="output per material", factory=dict)
    oxide_per_t: Dict[str, float] = p(
        unit="t oxide/t magnet",
        help="oxide used per tonne of magnet; 0 means feedstock not modelled",
        factory=dict,
    )
    working_stock_days: float = p(21.0, unit="days of output", help="[assumption]")
    capacity_additions: Dict[str, Dict[str, float]] = p(
        unit="t/yr", help="dated plans {YYYY-MM-DD: {material: t/yr}}; e.g. MP's 10,000 t/yr "
        "magnet plant from 2028 (FACTS: MP Materials/DoD Jul 2025)", factory=dict)
    note: str = p("", help="sources of this firm's numbers")


def _kg(ice: Dict[str, float], ev: Dict[str, float]) -> Dict[str, Dict[str, float]]:
    return {"ice": ice, "ev": ev}


# --------------------------------------------------------------------------- the world
_AUTO_NOTE = (
    "vehicles/day, EV share and cover are assumptions sized to 2024 national output; "
    "magnet kg per vehicle from world.vehicle_magnet_kg"
)


def _default_exporters() -> List[ExporterConf]:
    # China's sintered NdFeB output 170,000 t/yr and SmCo 2,400 t/yr (FACTS: Adamas 2019).
    # Split between firms and the 30% Dy/Tb-bearing share are assumptions.
    total, smco = 170_000.0, 2_400.0
    firms = [("JL Mag", 0.10), ("Ningbo Yunsheng", 0.06), ("Zhong Ke San Huan", 0.06),
             ("Other CN makers", 0.78)]
    return [
        ExporterConf(
            name=n,
            capacity_tpy={"ndfeb": total * s * 0.7, "ndfeb_hre": total * s * 0.3,
                          "smco": smco * s},
            note="FACTS: China NdFeB 170,000 t/yr, SmCo 2,400 t/yr (Adamas 2019); "
            "firm shares and 30% Dy/Tb grades [assumption]",
        )
        for n, s in firms
    ]


def _default_automakers() -> List[AutomakerConf]:
    rows = [  # name, country, vehicles/day, EV share, target cover days, china share
        ("Detroit-A", "US", 6000, 0.08, 21, 1.0),
        ("Detroit-B", "US", 4500, 0.10, 45, 1.0),
        ("Stuttgart", "DE", 8000, 0.20, 35, 0.9),
        ("Aichi", "JP", 9000, 0.05, 60, 0.6),
        ("Ulsan", "KR", 6000, 0.10, 30, 1.0),
    ]
    return [
        AutomakerConf(name=n, country=c, vehicles_per_day=v, ev_share=e,
                      target_cover_days=d, china_share=s, supplier_tiers=3, note=_AUTO_NOTE)
        for n, c, v, e, d, s in rows
    ]


def _mix(t: float) -> Dict[str, float]:
    # Material mix of industrial magnet demand: 74% plain NdFeB, 25% Dy/Tb grades, 1% SmCo
    # (so SmCo exports stay well inside China's 2,400 t/yr SmCo output, FACTS) [assumption].
    return {"ndfeb": round(t * 0.74, 3), "ndfeb_hre": round(t * 0.25, 3),
            "smco": round(t * 0.01, 3)}


def _default_industries() -> List[IndustryConf]:
    # Sized so that, with the automakers and the defence prime, Chinese magnet exports come
    # to ~58,000 t/yr with ~14% to the US (FACTS: China customs HS 850511, 2024). The split
    # among the other destinations is an assumption.
    rows = [("US-industry", "US", 19.5, 1.0), ("DE-industry", "DE", 42.7, 0.9),
            ("JP-industry", "JP", 30.2, 0.6), ("KR-industry", "KR", 17.6, 1.0),
            ("VN-industry", "VN", 31.8, 1.0), ("IN-industry", "IN", 25.4, 1.0)]
    note = ("t/day sized to FACTS 2024 export scale (58,000 t/yr, US ~14%); "
            "other destinations' shares and cover [assumption]")
    return [IndustryConf(name=n, country=c, need_tpd=_mix(t), china_share=s,
                         target_cover_days=30, note=note) for n, c, t, s in rows]


def _default_defense() -> List[DefenseConf]:
    return [
        DefenseConf(
            name="US-defense-prime", country="US",
            need_tpd={"ndfeb": round(175 / 365, 4), "smco": round(50 / 365, 4)},
            target_cover_days=180, china_share=0.5, supplier_tiers=2,
            note="NdFeB 175 t/yr (FACTS: US DoD 2012); SmCo 50 t/yr, 180 days cover, "
            "half sourced outside China [assumption]",
        )
    ]


def _default_mines() -> List[MineConf]:
    return [
        MineConf(name="Lynas-like", country="AU", capacity_tpy=10_500.0, status="operating",
                 cash_cost=30.0,
                 note="NdPr ~10,500 t/yr (FACTS: Lynas); cash cost 30 USD/kg, a low-cost "
                 "incumbent [assumption]"),
    ]


def _default_makers() -> List[MakerConf]:
    # Non-Chinese magnet output ~6% of the world's: 170,000 t x 6/94 ~ 10,850 t/yr (FACTS:
    # 94% share, Adamas 2019); we use 10,000 t/yr in Japan/Europe. 0.3 t NdPr oxide per t of
    # NdFeB [assumption]. US SmCo output 300 t/yr [assumption].
    return [
        MakerConf(name="JP-EU makers", country="JP",
                  capacity_tpy={"ndfeb": 7_500.0, "ndfeb_hre": 2_500.0},
                  oxide_per_t={"ndfeb": 0.3, "ndfeb_hre": 0.3},
                  note="10,000 t/yr from FACTS' 94% China share; oxide ratio [assumption]"),
        MakerConf(name="US-SmCo maker", country="US", capacity_tpy={"smco": 300.0},
                  oxide_per_t={"smco": 0.0}, note="[assumption]"),
    ]


@dataclass
class WorldConf:
    """Who is in the world and the physical constants of trade."""

    exporters: List[ExporterConf] = field(default_factory=_default_exporters)
    automakers: List[AutomakerConf] = field(default_factory=_default_automakers)
    industries: List[IndustryConf] = field(default_factory=_default_industries)
    defense: List[DefenseConf] = field(default_factory=_default_defense)
    mines: List[MineConf] = field(default_factory=_default_mines)
    makers: List[MakerConf] = field(default_factory=_default_makers)
    vehicle_magnet_kg: Dict[str, Dict[str, float]] = p(
        unit="kg/vehicle",
        help="magnet per vehicle type: ICE ~0.1 kg NdFeB (FACTS, seeds); EV traction motor "
        "1.5 kg Dy/Tb-grade NdFeB, middle of FACTS' 1-2 kg [assumption]",
        factory=lambda: _kg({"ndfeb": 0.1}, {"ndfeb": 0.1, "ndfeb_hre": 1.5}),
    )
    automaker_cover_days: Optional[float] = p(
        None, unit="days", help="if set, overrides every automaker's target cover (for sweeps)"
    )
    transit_days: Dict[str, float] = p(
        unit="days",
        help="sea and customs time from China by destination [assumption]",
        factory=lambda: {"US": 30.0, "DE": 35.0, "JP": 7.0, "KR": 5.0, "VN": 6.0, "IN": 18.0},
    )
    transit_days_default: float = p(25.0, unit="days", help="other destinations [assumption]")
    transit_jitter_days: float = p(
        3.0, unit="days", help="transit varies uniformly by +- this [assumption]"
    )
    domestic_transit_days: float = p(
        10.0, unit="days", help="non-Chinese maker to buyer [assumption]"
    )


# --------------------------------------------------------------------------- policy
@dataclass
class DelayConf:
    """Working-day clock of licence decisions."""

    dist: str = p("triangular", help="fixed | uniform | triangular")
    unit: str = p("working", help="working | calendar days")
    low: float = p(20.0, unit="working days", help="[assumption]")
    mode: float = p(35.0, unit="working days", help="[assumption]")
    high: float = p(45.0, unit="working days", help="statutory limit (FACTS: Reuters)")


@dataclass
class LicensingConf:
    """How the Ministry decides licence applications."""

    name: str = p("statutory_45wd", help="name of the licensing variant")
    delay: DelayConf = field(default_factory=DelayConf)
    approval_default: float = p(
        1.0, unit="0-1", help="chance a civil application is approved [assumption]"
    )
    approval_by_destination: Dict[str, float] = p(
        unit="0-1", help="overrides approval_default per destination", factory=dict
    )
    military_approval: float = p(
        0.0, unit="0-1", help="military end use under controls is denied (FACTS: seeds, MOFCOM)"
    )
    approval_by_material: Dict[str, float] = p(
        unit="x", help="multiplies approval odds per material [assumption]", factory=dict
    )
    approval_by_firm: Dict[str, float] = p(
        unit="x", help="multiplies approval odds per applicant exporter [assumption]",
        factory=dict,
    )
    relations_sensitivity: float = p(
        0.5, unit="1", help="approval odds x (1 + this x relations level in [-1, 1]) "
        "[assumption]"
    )
    rfi_prob_per_tier: float = p(
        0.05, unit="0-1", help="chance per supplier tier that the end-use file is incomplete "
        "(FACTS: seeds 004) [assumption]"
    )
    rfi_delay: DelayConf = field(
        default_factory=lambda: DelayConf(dist="uniform", low=5, mode=10, high=15))
    provincial_review: DelayConf = field(
        default_factory=lambda: DelayConf(dist="fixed", low=0, mode=0, high=0))
    """Provincial commerce department's review before MOFCOM accepts a file; the licence
    clock (``delay``) runs from acceptance (docs/sources.md: licensing steps, practitioners'
    guides Jul 2025). Default 0: off. Length [assumption]."""
    first_file_delay: DelayConf = field(
        default_factory=lambda: DelayConf(dist="fixed", low=0, mode=0, high=0))
    """Extra review of the first file for an exporter-customer pair (vetting a new end
    user); repeats skip it. Default 0: off [assumption]."""
    rfi_restarts_clock: bool = p(
        False, help="a request for information stops the clock at the end of the review; "
        "the answer (rfi_delay) is a resubmission and the clock starts again (a fresh "
        "delay draw); false: the answer only adds rfi_delay [assumption]")
    files_per_working_day: Optional[float] = p(
        None, unit="files/working day", help="the Ministry's processing capacity: at most "
        "this many decisions per working day, oldest due first; null: unlimited "
        "[assumption, for sweeps]")
    licence_to_ship_days: int = p(
        5, unit="days", help="from approval to loading, booking and customs [assumption]"
    )
    individual_validity_days: int = p(
        365, unit="days", help="an individual licence is valid one year (FACTS: MOFCOM FAQ)"
    )
    fast_track_whitelist: List[str] = p(
        help="exporters or buyers whose applications take fast_track_delay", factory=list
    )
    fast_track_delay: DelayConf = field(
        default_factory=lambda: DelayConf(dist="fixed", low=10, mode=10, high=10))
    general_licence_customers: List[str] = p(
        help="buyers covered by a standing general licence from every exporter (the "
        "general_licences variant)", factory=list
    )


@dataclass
class MarketConf:
    """Prices outside China (USD/kg)."""

    initial_price: Dict[str, float] = p(
        unit="USD/kg",
        help="opening prices: NdPr oxide 55 (FACTS: Fastmarkets 50-60); magnet prices "
        "ndfeb 60, ndfeb_hre 90, smco 120 [assumption]",
        factory=lambda: {"ndfeb": 60.0, "ndfeb_hre": 90.0, "smco": 120.0, "oxide": 55.0},
    )
    scarcity_elasticity: float = p(
        3.0, unit="1", help="target price rises by this x the cover gap share [assumption]"
    )
    scarcity_reference: float = p(
        0.75, unit="0-1", help="cover share of target below which prices rise [assumption]"
    )
    adjust_per_day: float = p(
        0.05, unit="1/day", help="share of the gap to the target price closed daily [assumption]"
    )
    cn_price_ratio: float = p(
        1.0, unit="x", help="opening price inside China / outside [assumption]")
    glut_discount: float = p(
        0.2, unit="0-1", help="inside-China price falls by this share when all exports of a "
        "material are restricted (tonnes stay home) [assumption]")
    surplus_reference: float = p(
        1.5, unit="x target", help="stock above this multiple of target cover depresses "
        "prices [assumption]")
    surplus_elasticity: float = p(
        0.3, unit="1", help="target price falls by this x the surplus share (capped at 1) "
        "[assumption]")
    china: ChinaPricingConf = field(default_factory=ChinaPricingConf)


@dataclass
class RunConfig:
    """One run: a world, a scenario's events, a licensing regime and a horizon."""

    scenario_name: str = p("baseline", help="name of the scenario (names the results folder)")
    seed: int = p(42, help="the one seed all random streams derive from")
    start: str = p("2025-01-01", unit="date", help="first simulated day")
    days: int = p(1095, unit="days", help="horizon; three years by default")
    world: WorldConf = field(default_factory=WorldConf)
    licensing: LicensingConf = field(default_factory=LicensingConf)
    market: MarketConf = field(default_factory=MarketConf)
    events: List[EventConf] = field(default_factory=list)
    government: GovernmentConf = field(default_factory=GovernmentConf)
    substitution: SubstitutionConf = field(default_factory=SubstitutionConf)
    plots: bool = p(True, help="draw plots into the run folder")
