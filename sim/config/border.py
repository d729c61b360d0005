"""Configs of the markets on both sides of China's border: the world tables of element
content and China's own balance, China's raw-material exporters, and the switches and
elasticities of the border wedge and of prices (see `sim.china`, `sim.border`)."""

# ruff: noqa: UP006, UP035, UP045  (OmegaConf structured configs need typing generics)
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sim.config.registry import p

_T = "the world table's source column"


@dataclass
class ContentConf:
    """Element content of a magnet grade in one world vintage (t REO per t of magnet)."""

    product: str = p("ndfeb", unit="-", desc="the magnet grade", source=_T, kind="magnet")
    element: str = p("ndpr", unit="-", desc="the element", source=_T, kind="element")
    t_per_t: float = p(0.0, unit="t/t", desc="tonnes of the element (as oxide, REO) per "
                       "tonne of magnet", source=_T, lo=0, hi=1)
    note: str = p("", unit="-", desc="sources of the row", source=_T)


@dataclass
class ChinaElementConf:
    """China's own balance of one element (t REO)."""

    element: str = p("ndpr", unit="-", desc="the element", source=_T, kind="element")
    mine_tpy: float = p(0.0, unit="t/yr", desc="reported Chinese mining and separation "
                        "output of the element", source=_T, lo=0)
    unreported_share: float = p(0.0, unit="0-1", desc="unreported (illegal) output on top "
                                "of the reported, as a share of it", source=_T, lo=0, hi=1)
    imports_tpy: float = p(0.0, unit="t/yr", desc="imports of the element into China "
                           "(ores, concentrates, oxides) other than the modelled mines' "
                           "concentrate", source=_T, lo=0)
    other_use_tpy: Optional[float] = p(
        None, unit="t/yr", desc="Chinese use of the element other than the modelled magnet "
        "makers (other magnets, catalysts, alloys, ...) at the opening price; null: what "
        "balances the opening flows", source=_T, lo=0)
    stock_days: float = p(60.0, unit="days", desc="opening stock inside China in days of "
                          "Chinese use", source=_T, lo=0, lo_open=True)
    price_cn: float = p(1.0, unit="USD/kg", desc="opening price of the element's oxide "
                        "inside China", source=_T, lo=0, lo_open=True)
    note: str = p("", unit="-", desc="sources of the row", source=_T)


@dataclass
class RawExporterConf:
    """A Chinese exporter of rare-earth raw materials (oxides, metals) holding export quota."""

    name: str = p("raw exporter", unit="-", desc="unique firm name", source="[assumption]")
    country: str = p("CN", unit="-", desc="country (raw exporters are Chinese)",
                     source="ISO 3166-1 alpha-2", kind="country")
    quota_share: float = p(1.0, unit="0-1", desc="share of China's raw-material export "
                           "quota allocated to the firm (routing weight of orders)",
                           source="[assumption]", lo=0, lo_open=True, hi=1)
    working_stock_days: float = p(
        7.0, unit="days", desc="days of the firm's recent export orders kept in stock; it "
        "draws the rest from China's balance when an order comes", source="[assumption]",
        lo=0)
    note: str = p("", unit="-", desc="sources of the firm's numbers, or [assumption]",
                  source="the firm's own citation")


@dataclass
class BorderConf:
    """Switches and behaviour of the two markets and the wedge between them."""

    china_balance: bool = p(
        True, unit="-", desc="China's own balance per element sets the inside price of raw "
        "materials and limits Chinese magnet output (false: inside prices as before, the "
        "balance is only recorded)", source="[assumption]: mechanism switch")
    stock_price_elasticity: float = p(
        0.5, unit="1", desc="inside price of an element = opening x (reference stock / "
        "stock)^(1/this): a lower value moves prices more", source="[assumption]",
        lo=0, lo_open=True)
    other_use_elasticity: float = p(
        0.3, unit="1", desc="price elasticity of China's other uses of an element (use "
        "falls as (price/opening)^-this)", source="[assumption]", lo=0)
    raw_trade: bool = p(
        True, unit="-", desc="non-Chinese magnet makers buy the elements their mines do not "
        "supply from Chinese raw-material exporters through licences, quotas and customs "
        "(false: raw materials appear at their stock when needed, as before)",
        source="[assumption]: mechanism switch")
    reo_quotas: bool = p(True, unit="-", desc="aggregate export quotas in t REO "
                         "(reo_quota events) bind (false: they are ignored)",
                         source="[assumption]: mechanism switch")
    mix_by_value: bool = p(
        True, unit="-", desc="under a binding aggregate quota exporters serve orders by "
        "value per tonne of REO, highest first (false: first come, first served)",
        source="quotas allocated in aggregate tonnes, exporters chose the mix "
        "[sources: quotas]")
    duties: bool = p(True, unit="-", desc="export duties (export_duty events) raise the "
                     "outside price (false: ignored)", source="[assumption]: mechanism switch")
    leakage: float = p(0.0, unit="0-1", desc="share of raw-material tonnes refused by an "
                       "aggregate quota that leaves China anyway (smuggling, "
                       "reclassification) where the product needs no export licence to "
                       "the destination", source="[sources: smuggling] in world 2009 "
                       "scenarios; 0 [assumption] today", lo=0, hi=1)
    leakage_controls: float = p(
        0.0, unit="0-1", desc="the same share where the product is under export controls "
        "(needs a licence) to the destination: smuggling past a licence as well as a quota; "
        "0: controls hold", source="[assumption]", lo=0, hi=1)
    rationing_prices: bool = p(
        True, unit="-", desc="outside prices ration scarce supply with short-run inelastic "
        "demand and no cap (false: the capped linear rule of market.scarcity_elasticity)",
        source="[assumption]: mechanism switch")
    demand_elasticity: float = p(
        0.7, unit="1", desc="short-run price elasticity of demand outside China: price = "
        "base x (reference cover / cover)^(1/this) when short (magnets are a small share of "
        "a product's value, so demand is inelastic)", source="[assumption]",
        lo=0, lo_open=True,
        acts_in="scenario=controls_2025 days=200 border.demand_elasticity=0.35")
    min_cover_share: float = p(
        0.1, unit="0-1", desc="cover share (stock / reference stock) below which price no "
        "longer rations: buyers with almost nothing left are rationed physically (orders "
        "refused or late), so the rationing multiple is at most (1/this)^(1/"
        "demand_elasticity) = 27x by default; lower it to explore steeper spikes",
        source="[assumption]", lo=0, lo_open=True, hi=1)
    pass_through: bool = p(
        True, unit="-", desc="magnet prices pass element costs through: cost plus margin, "
        "the margin widened by scarcity (false: magnet prices as before)",
        source="[assumption]: mechanism switch")
    margin: float = p(0.15, unit="0-1", desc="magnet makers' opening margin over cost",
                      source="[assumption]", lo=0)
    state_reserve: bool = p(
        True, unit="-", desc="China's state reserve buys an element into stock while its "
        "inside price is below reserve_buy_below x opening and sells from stock while above "
        "reserve_sell_above x opening (sim/china.py)", source="[assumption]: mechanism switch")
    reserve_buy_below: float = p(0.8, unit="x", desc="inside price (x opening) below which "
                                 "the state reserve buys", source="[assumption]", lo=0)
    reserve_sell_above: float = p(1.5, unit="x", desc="inside price (x opening) above which "
                                  "the state reserve sells", source="[assumption]", lo=0)
    reserve_rate: float = p(0.05, unit="1/day", desc="share of a day's Chinese use of the "
                            "element the reserve buys or sells per day (x the price's "
                            "distance from the band, at most 1)", source="[assumption]",
                            lo=0)
    speculation: bool = p(
        True, unit="-", desc="traders outside China buy raw materials on rising expected "
        "prices and sell later to buyers short of cover (sim/agents/trader.py)",
        source="[assumption]: mechanism switch")
    spec_trend_days: float = p(30.0, unit="days", desc="window of the traders' price trend",
                               source="[assumption]", lo=1)
    spec_buy_trend: float = p(
        0.10, unit="0-1", desc="traders buy while the price trend extrapolated over the "
        "window exceeds this rise", source="[assumption]", lo=0)
    spec_max_days: float = p(60.0, unit="days", desc="traders hold at most this many days "
                             "of outside use", source="[assumption]", lo=0)
    spec_buy_days: float = p(1.0, unit="days", desc="traders order this many days of "
                             "outside use a day while buying", source="[assumption]", lo=0)
    spec_sell_days: float = p(1.0, unit="days", desc="traders sell up to this many days of "
                              "outside use a day after the turn", source="[assumption]", lo=0)
