"""Firm configs: one dataclass per firm kind, each field declared in the registry. The
worlds' firms are data (``sim/config/worlds/<vintage>/*.csv``); these classes are their
schema, and `sim.config.firm_kinds` declares each kind once around its class.
"""

# ruff: noqa: UP006, UP035, UP045  (OmegaConf structured configs need typing generics)
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional

from sim.config.registry import p
from sim.domain.vocab import APPLICATIONS, DEMAND_KINDS, MINE_STATES

_ISO = "ISO 3166-1 alpha-2"
_NAME = dict(unit="-", desc="unique firm name (used by events, licences and overrides)",
             source="[assumption]: a label")
_NOTE = dict(unit="-", desc="sources of this firm's numbers, or [assumption]",
             source="the firm's own citation")


@dataclass
class ExporterConf:
    """A Chinese magnet maker that exports (JL Mag and peers)."""

    name: str = p("exporter", **_NAME)
    country: str = p("CN", unit="-", desc="country of the firm (exporters are Chinese)",
                     source=_ISO, kind="country")
    capacity_tpy: Dict[str, float] = p(
        unit="t/yr", desc="output per magnet per year", source="[sources: china-output-2019]",
        lo=0, keys=("magnet",), factory=dict)
    working_stock_days: float = p(
        14.0, unit="days", desc="days of output kept as finished stock for export orders; "
        "the rest is sold in China", source="[assumption]", lo=0)
    capacity_additions: Dict[str, Dict[str, float]] = p(
        unit="t/yr", desc="dated capacity growth {YYYY-MM-DD: {magnet: t/yr}}",
        source="the world table's row (2009 world: China's output by year "
        "[sources: china-ndfeb-2009, world-ndfeb-2010, china-ndfeb-2023])", lo=0,
        keys=("date", "magnet"), factory=dict)
    note: str = p("", **_NOTE)


@dataclass(slots=True)
class BuyerConf:
    """Fields shared by every buyer outside China."""

    name: str = p("buyer", **_NAME)
    country: str = p("US", unit="-", desc="country of the buyer (outside China)",
                     source=_ISO, kind="country")
    target_cover_days: float = p(
        30.0, unit="days", desc="stock the buyer aims to hold, in days of use",
        source="weeks to months [sources: buffers] [assumption]", lo=0)
    review_days: int = p(7, unit="days", desc="days between orders", source="[assumption]",
                         lo=0, lo_open=True)
    supply_line_weight: float = p(
        1.0, unit="0-1", desc="how much orders already placed count when ordering",
        source="[sources: sterman]", lo=0, hi=1)
    china_share: float = p(1.0, unit="0-1", desc="share of orders placed with Chinese "
                           "exporters", source="[assumption]", lo=0, hi=1)
    initial_cover_days: Optional[float] = p(
        None, unit="days", desc="opening stock in days of use; null means target_cover_days",
        source="[assumption]", lo=0)
    supplier_tiers: int = p(
        1, unit="1", desc="supplier tiers between magnet maker and this buyer; more tiers, "
        "more incomplete end-use files", source="[sources: documents] [assumption]", lo=0)
    component_cover_days: Optional[float] = p(
        None, unit="days", desc="with tier-1 suppliers (world.tiers on and links from a "
        "tier-1 to this buyer): the stock of magnet-bearing components the plant aims to "
        "hold, in days of use, instead of target_cover_days (then the cover of its whole "
        "chain); null: target_cover_days", source="just-in-time plants hold days to a few "
        "weeks of critical components [sources: buffers] [assumption]", lo=0)
    cover_response: float = p(
        0.5, unit="days/day", desc="extra target cover per day of lead time above the "
        "first estimate", source="[assumption]", lo=0)
    switch_step: float = p(0.05, unit="0-1", desc="share moved to non-Chinese makers after "
                           "each denied Chinese order", source="[assumption]", lo=0, hi=1)
    max_switch: float = p(0.3, unit="0-1", desc="largest share a buyer can move away from "
                          "China", source="[assumption]", lo=0, hi=1)
    switch_recovery: float = p(0.01, unit="1/day", desc="daily return toward china_share "
                               "once supply flows", source="[assumption]", lo=0, hi=1)
    lead_smoothing: float = p(
        0.25, unit="0-1", desc="weight of each observed lead time in the buyer's lead-time "
        "estimate (exponential smoothing; was LEAD_SMOOTHING in sim/agents/buyer.py)",
        source="[assumption]", lo=0, hi=1)
    freight_cn_usd_per_kg: float = p(
        1.0, unit="USD/kg", desc="freight and insurance on a magnet from a Chinese exporter, "
        "added to its landed cost", source="[assumption]", lo=0)
    freight_local_usd_per_kg: float = p(
        0.5, unit="USD/kg", desc="freight and insurance on a magnet from a non-Chinese maker, "
        "added to its landed cost", source="[assumption]", lo=0)
    tariff_switch_elasticity: float = p(
        0.5, unit="1", desc="share of orders moved away from Chinese exporters per unit "
        "rise of the ratio of landed costs (Chinese / non-Chinese) over its tariff-free level "
        "(negative when tariffs hit the other source)", source="[assumption]", lo=0)
    max_tariff_switch: float = p(
        0.3, unit="0-1", desc="largest share of orders landed costs move between Chinese and "
        "non-Chinese sellers, either way", source="[assumption]", lo=0, hi=1)
    tariff_lag_days: float = p(
        90.0, unit="days", desc="time constant of the move toward the landed-cost split "
        "(finding and qualifying another supplier takes months)", source="[assumption]",
        lo=0, lo_open=True)
    signal_cover_days: Optional[float] = p(
        None, unit="days", desc="extra target cover held after a signal event (announced "
        "controls on other goods) naming the buyer's country or all; 0: the buyer does not "
        "read signals; null: behaviour.signal_cover_days",
        source="[assumption]", lo=0)
    signal_days: float = p(
        90.0, unit="days", desc="how long the extra cover of a signal is held after its "
        "announcement", source="[assumption]", lo=0)
    price_cover_days: Optional[float] = p(
        None, unit="days", desc="precautionary hoarding on prices: extra target cover per "
        "unit of the outside price's rise over its opening level (price / opening - 1), a "
        "signal every buyer can observe; 0: prices do not move the target; null: "
        "behaviour.price_cover_days",
        source="[assumption]", lo=0)
    price_cover_max_days: float = p(
        60.0, unit="days", desc="cap on the extra cover hoarding on prices adds",
        source="[assumption]", lo=0)
    expedite_below_days: Optional[float] = p(
        None, unit="days", desc="expediting: on a review day with cover (days of use of its "
        "scarcest material) below this, the buyer moves its orders not yet shipped and not "
        "yet licensed to air freight (a licence fixes the freight mode); 0: never expedites; "
        "null: behaviour.expedite_below_days",
        source="[assumption]; freight mode fixed on the 2025 licence "
        "[sources: licence-scope]", lo=0)
    air_transit_days: float = p(
        7.0, unit="days", desc="door-to-door transit of an expedited (air-freighted) order, "
        "instead of the sea or domestic transit; customs days still apply",
        source="5-10 days Europe-China air freight [sources: air-freight] [assumption]",
        lo=0, lo_open=True)
    air_cost_usd_per_kg: float = p(
        5.0, unit="USD/kg", desc="extra cost of air freight per kg of an expedited order "
        "(recorded in the KPI expedite_cost_usd, not in prices)",
        source="China-US ~6.3, China-Europe ~3.5 USD/kg general air cargo "
        "[sources: air-freight] [assumption: a round figure between]", lo=0)
    spot_below_days: Optional[float] = p(
        None, unit="days", desc="spot purchases: with cover of a material below this, the "
        "buyer buys other buyers' surplus at a premium up to this cover (sim.spot); 0: never; "
        "null: behaviour.spot_below_days", source="[assumption]", lo=0)
    note: str = p("", **_NOTE)


@dataclass(slots=True)
class AutomakerConf(BuyerConf):
    """A carmaker with its supplier tiers."""

    vehicles_per_day: float = p(1000.0, unit="vehicles/day", desc="planned output",
                                source="[assumption]", lo=0)
    ev_share: float = p(0.1, unit="0-1", desc="share of EVs in output", source="[assumption]",
                        lo=0, hi=1)
    makeup_capacity: Optional[float] = p(
        None, unit="0-1", desc="make-up production: extra output a day, as a share of planned "
        "vehicles a day (overtime, extra Saturday shifts), that recovers vehicles lost in a "
        "halt; 0: lost output is never made up; null: behaviour.makeup_capacity. One extra "
        "shift-day a week on a five-day week is ~0.2",
        source="weekend overtime after a parts shortage [sources: overtime-shifts] "
        "[assumption: size]", lo=0)
    makeup_window_days: float = p(
        90.0, unit="days", desc="how long a lost vehicle can still be made up; older losses "
        "are truly lost", source="[assumption]", lo=0)
    makeup_min_cover_days: float = p(
        7.0, unit="days", desc="make-up uses only magnet stock above this cover (days of "
        "planned use), so overtime runs once supply is secure rather than drawing the plant "
        "into its next halt", source="overtime resumed once supply improved "
        "[sources: overtime-shifts] [assumption: days]", lo=0)


@dataclass(slots=True)
class Tier1Conf(BuyerConf):
    """A tier-1 component maker (traction motors and e-axles, steering, pumps, seat motors,
    sensors): buys magnets with the buyer's ordering rule, holds its own magnet stock
    (``target_cover_days``), and makes components for the plants linked to it
    (``links.csv`` rows with this firm as supplier), which hold a component stock of their
    own. It files the end-use documents for the magnets it buys."""

    supplier_tiers: int = p(
        1, unit="1", desc="supplier tiers between magnet maker and the final product behind "
        "this tier-1's licence applications; more tiers, more incomplete end-use files",
        source="[sources: documents] [assumption]", lo=0)
    capacity_factor: float = p(
        2.0, unit="x", desc="most components (in t of magnet) the tier-1 can make a day, as "
        "a multiple of its customers' daily use", source="[assumption]", lo=0, lo_open=True)
    transit_days: float = p(
        2.0, unit="days", desc="transit of components to a plant in another or the same "
        "country over land; a tier-1 in China ships by sea (world.transit_days)",
        source="[assumption]", lo=0)


_NDFEB_TPD = dict(
    unit="t/day", desc="total NdFeB use (both grades) when end_uses is given: split into "
    "ndfeb and ndfeb_hre by the end-use mix (ndfeb_hre = this x sum over end uses of "
    "end_uses x the world's hre_share); null: need_tpd gives the split",
    source="the row's source (total kept from the explicit split it replaced)", lo=0)
_APPLICATION_SHARES = dict(
    unit="0-1", desc="share of the buyer's NdFeB per end use (sums to 1), with ndfeb_tpd; "
    "empty: need_tpd.ndfeb and need_tpd.ndfeb_hre give the split",
    source="the row's source; mostly [assumption]", lo=0, hi=1, keys=("end_use",))


@dataclass
class EndUseConf:
    """An end use of NdFeB magnets in one world vintage (``end_uses.csv``)."""

    end_use: str = p("other", unit="-", desc="the end use", source="the world table's "
                     "source column", choices=APPLICATIONS)
    hre_share: float = p(0.0, unit="0-1", desc="share of the end use's NdFeB that is a "
                         "Dy/Tb-bearing grade (ndfeb_hre)", source="the world table's source "
                         "column", lo=0, hi=1)
    note: str = p("", **_NOTE)


def hre_shares(world: Any) -> dict[str, float]:
    """{end use: Dy/Tb-bearing share of its NdFeB} of a world's end-use table."""
    return {r.end_use: r.hre_share for r in world.end_uses or ()}


def ndfeb_need(conf: Any, hre_share: dict[str, float]) -> dict[str, float]:
    """A buyer's use per material (t/day): ``need_tpd``, and where the buyer gives
    ``end_uses`` its NdFeB split from ``ndfeb_tpd``: ndfeb_hre = total x sum_u
    end_uses[u] x hre_share[u], ndfeb = the rest (the total is unchanged). Checked by
    `end_use_error` when the world is resolved."""
    need = dict(conf.need_tpd)
    if conf.end_uses:
        total = conf.ndfeb_tpd or 0.0
        hre = total * sum(s * hre_share[u] for u, s in conf.end_uses.items())
        need["ndfeb"], need["ndfeb_hre"] = total - hre, hre
    return need


def end_use_error(conf: Any, hre_share: dict[str, float]) -> str | None:
    """Why ``conf``'s NdFeB split cannot be derived (``field: why``), or None."""
    if not conf.end_uses:
        if conf.ndfeb_tpd is not None:
            return f"ndfeb_tpd: needs end_uses to split it, got {conf.ndfeb_tpd}"
        return None
    given = [m for m in ("ndfeb", "ndfeb_hre") if m in conf.need_tpd]
    if given:
        return (f"end_uses: give either end_uses (with ndfeb_tpd) or need_tpd.ndfeb/"
                f"ndfeb_hre, not both; got need_tpd.{given[0]}")
    if conf.ndfeb_tpd is None:
        return "ndfeb_tpd: end_uses needs the total NdFeB use to split, got None"
    for u in conf.end_uses:
        if u not in hre_share:
            return (f"end_uses.{u}: the world's end-use table (end_uses.csv) has no row "
                    f"{u!r}; known: {sorted(hre_share)}")
    try:
        shares = [float(s) for s in conf.end_uses.values()]
    except (TypeError, ValueError):
        return None  # the registry's check names the bad value
    if not all(0.0 <= s <= 1.0 for s in shares):
        return None  # out of bounds or NaN: the registry's check names it
    total = sum(shares)
    if abs(total - 1.0) > 1e-3:
        return f"end_uses: shares must sum to 1, got {total:.4g}"
    return None


@dataclass(slots=True)
class IndustryConf(BuyerConf):
    """Other users of a country, one aggregate agent: magnet users (motors, electronics,
    wind) or users of rare-earth raw materials (catalysts, glass, alloys)."""

    need_tpd: Dict[str, float] = p(unit="t/day", desc="use per material (a magnet grade or "
                                   "a raw material)",
                                   source="[sources: exports-2024] [assumption: split]",
                                   lo=0, keys=("material",), factory=dict)
    ndfeb_tpd: Optional[float] = p(None, **_NDFEB_TPD)
    end_uses: Dict[str, float] = p(factory=dict, **_APPLICATION_SHARES)


@dataclass(slots=True)
class DefenseConf(BuyerConf):
    """A defence prime: military end use, deep stock."""

    cover_response: float = p(
        0.0, unit="days/day", desc="extra target cover per day of lead time above the first "
        "estimate. Primes hold deep stock, so a new prime does not chase lead times; note "
        "that DefensePrime.order uses it (via Buyer.order) until the DFARS cut-off, so the "
        "2024 world's prime keeps 0.5 in its table to keep results unchanged",
        source="[assumption]", lo=0)
    need_tpd: Dict[str, float] = p(unit="t/day", desc="magnet use per magnet grade",
                                   source="[sources: defence-use] [assumption: SmCo]",
                                   lo=0, keys=("magnet",), factory=dict)
    ndfeb_tpd: Optional[float] = p(None, **_NDFEB_TPD)
    end_uses: Dict[str, float] = p(factory=dict, **_APPLICATION_SHARES)




@dataclass
class MineConf:
    """A non-Chinese mine with separation, producing NdPr oxide."""

    name: str = p("mine", **_NAME)
    country: str = p("AU", unit="-", desc="country of the mine", source=_ISO, kind="country")
    capacity_tpy: float = p(10500.0, unit="t/yr", desc="nameplate output of NdPr oxide",
                            source="[sources: mines]", lo=0)
    status: str = p("operating", unit="-", desc="state at the start", source="[assumption]",
                    choices=MINE_STATES)
    construction_start: Optional[str] = p(
        None, unit="date", desc="date construction starts (status planned); null: invests "
        "on prices", source="[assumption]", kind="date")
    construction_days: int = p(2920, unit="days", desc="build time",
                               source="~8 years for new facilities [sources: mine-lead-time]", lo=0)
    rampup_days: int = p(730, unit="days", desc="linear ramp to nameplate",
                         source="[assumption]", lo=0)
    cash_cost: float = p(40.0, unit="USD/kg", desc="operating cash cost per kg of oxide; "
                         "closes after prices stay below it", source="[assumption]", lo=0)
    breakeven_price: float = p(70.0, unit="USD/kg", desc="full cost per kg of oxide incl. "
                               "capital; invests above it", source="[assumption]", lo=0)
    hurdle: float = p(0.15, unit="0-1", desc="margin over break-even needed to invest or "
                      "restart", source="[assumption]", lo=0)
    price_window_days: int = p(90, unit="days", desc="moving average of the expected price",
                               source="[assumption]", lo=0, lo_open=True)
    invest_days: int = p(180, unit="days", desc="days the expected price must clear the "
                         "hurdle before investing or restarting", source="[assumption]", lo=0)
    close_after_days: int = p(180, unit="days", desc="days below cash cost before care and "
                              "maintenance", source="[assumption]", lo=0)
    restart_days: int = p(365, unit="days", desc="restart works before ramp-up",
                          source="[assumption]", lo=0)
    separation: str = p("domestic", unit="-", desc="where concentrate is separated",
                        source="Mountain Pass shipped to China until 2025 [sources: mines]",
                        choices=("domestic", "china"))
    separation_ready: Optional[str] = p(
        None, unit="date", desc="with separation=china: domestic separation takes over from "
        "this date", source="~8 years for new facilities [sources: mine-lead-time]", kind="date")
    china_takes_concentrate: bool = p(
        True, unit="-", desc="Chinese policy lets concentrate in for separation; if not, a "
        "mine without domestic separation cannot sell", source="[assumption]")
    note: str = p("", **_NOTE)


@dataclass
class MakerConf:
    """A non-Chinese magnet maker turning oxide into magnets."""

    name: str = p("maker", **_NAME)
    country: str = p("JP", unit="-", desc="country of the maker (outside China)", source=_ISO,
                     kind="country")
    capacity_tpy: Dict[str, float] = p(unit="t/yr", desc="output per magnet grade",
                                       source="94% China share [sources: china-share]", lo=0,
                                       keys=("magnet",), factory=dict)
    feed: Dict[str, bool] = p(
        unit="-", desc="grades made from modelled raw materials: per tonne the elements of "
        "the world's content table, drawn from the maker's raw stocks; a grade missing or "
        "false: feedstock not modelled", source="[assumption]", keys=("magnet",),
        factory=dict)
    working_stock_days: float = p(21.0, unit="days", desc="days of output kept as finished "
                                  "stock", source="[assumption]", lo=0)
    oxide_cover_days: float = p(
        30.0, unit="days", desc="raw-material stock the maker aims to hold per element, in "
        "days of full-capacity use", source="[assumption]", lo=0,
        lo_open=True)
    capacity_additions: Dict[str, Dict[str, float]] = p(
        unit="t/yr", desc="dated capacity plans {YYYY-MM-DD: {magnet: t/yr}}",
        source="e.g. MP's 10,000 t/yr plant from 2028 [sources: mp-10x]",
        lo=0, keys=("date", "magnet"), factory=dict)
    note: str = p("", **_NOTE)


@dataclass
class LinkConf:
    """A standing supply link: a customer buys a product from a named supplier. A buyer
    with links for a product routes each order's Chinese and non-Chinese parts to its
    linked suppliers in that pool, chosen at random in proportion to ``share``; without
    links it picks among all sellers of the product in proportion to capacity. A link
    from a tier-1 (``tier1s``) to a plant means the plant gets that product only as
    components from its linked tier-1s (with ``world.tiers`` on), chosen by ``share``."""

    supplier: str = p("", unit="-", desc="the selling firm (a Chinese exporter, a "
                      "non-Chinese maker, or a tier-1 component maker supplying a plant's "
                      "magnet-bearing components)", source="the link's source", kind="firm")
    customer: str = p("", unit="-", desc="the buying firm", source="the link's source",
                      kind="buyer")
    product: str = p("ndfeb", unit="-", desc="the magnet bought", source="the link's source",
                     kind="magnet")
    share: float = p(1.0, unit="0-1", desc="weight of this supplier among the customer's "
                     "linked suppliers of the product in its pool", source="the link's "
                     "source", lo=0, lo_open=True, hi=1)
    note: str = p("", **_NOTE)




@dataclass
class DemandConf:
    """A step of a world's demand path (``demand.csv``): from ``date`` on, buyers of
    ``kind`` (``automaker``, ``industry``, ``defense`` or ``all``) need ``multiplier``
    times their table size (an automaker also plans that many times its vehicles a
    day). Steps, not interpolation: each row holds until the next row of its kind. A
    buyer's multiplier is its kind's step times the ``all`` step in force (1 before the
    first). Applied by `sim.demand.DemandPath` when ``world.demand_paths`` is on."""

    date: str = p("2009-01-01", unit="date", desc="day the step takes effect",
                  source="the row's source", kind="date")
    kind: str = p("all", unit="-", desc="which buyers the step applies to",
                  source="the row's source", choices=DEMAND_KINDS)
    multiplier: float = p(1.0, unit="x", desc="need as a multiple of the buyer's table "
                          "size", source="the row's source", lo=0, lo_open=True)
    note: str = p("", **_NOTE)
