"""The table of mechanism switches: one row per mechanism that can be turned off, with the
overrides that turn it off and one line saying what it does.

The ablation (`sim.experiments.ablation`, ``switches: all`` in its spec), ``docs/model.md``
and ``magnet-sim list mechanisms`` read this table. Adding a switchable mechanism is one row.
"""

from __future__ import annotations

from dataclasses import dataclass

_ZERO = "{dist:fixed,low:0,mode:0,high:0}"


@dataclass(frozen=True)
class Switch:
    """A mechanism and the overrides that switch it off."""

    name: str
    off: tuple[str, ...]
    does: str


SWITCHES: tuple[Switch, ...] = (
    Switch("provincial_review", (f"licensing.provincial_review={_ZERO}",),
           "the provincial commerce department reviews a file before MOFCOM accepts it"),
    Switch("first_file_delay", (f"licensing.first_file_delay={_ZERO}",),
           "the first file of an exporter-customer pair takes extra review"),
    Switch("rfi_restarts_clock", ("licensing.rfi_restarts_clock=false",),
           "a request for information restarts the licence clock"),
    Switch("ministry_capacity", ("licensing.files_per_working_day=null",),
           "the Ministry decides at most so many files per working day"),
    Switch("requests_for_information", ("licensing.rfi_prob_per_tier=0",),
           "incomplete end-use files bring requests for information"),
    Switch("relations", ("licensing.relations_sensitivity=0",),
           "relations with a destination shift the approval odds"),
    Switch("china_balance", ("border.china_balance=false",),
           "China's own balance per element sets inside prices and limits magnet output"),
    Switch("raw_trade", ("border.raw_trade=false",),
           "raw materials cross the border as traded products (makers buy their feed)"),
    Switch("reo_quotas", ("border.reo_quotas=false",),
           "aggregate raw-material export quotas cap exports"),
    Switch("mix_by_value", ("border.mix_by_value=false",),
           "raw exporters under a quota serve the products worth most per tonne of REO"),
    Switch("duties", ("border.duties=false",), "export duties raise outside prices"),
    Switch("leakage", ("border.leakage=0",),
           "a share of what a quota refuses leaves anyway (smuggling)"),
    Switch("rationing_prices", ("border.rationing_prices=false",),
           "outside prices clear by rationing, with no cap on the ratio"),
    Switch("pass_through", ("border.pass_through=false",),
           "element costs pass through to magnet prices"),
    Switch("speculation", ("border.speculation=false",),
           "traders outside China buy on rising prices and sell after the turn"),
    Switch("state_reserve", ("border.state_reserve=false",),
           "China's state reserve buys below a price band and sells above it"),
    Switch("customs_holds", ("licensing.customs_holds=false",),
           "customs_hold events hold shipments at customs"),
    Switch("exports_dated_at_clearance", ("licensing.date_exports_at_clearance=false",),
           "exports count on the day customs clears them"),
    Switch("licence_per_product", ("licensing.general_licence_by_product=false",),
           "a general licence covers only the products it names"),
    Switch("tariffs_on_landed_cost", ("market.tariffs_on_landed_cost=false",),
           "tariffs raise buyers' landed cost and move orders away from China"),
    Switch("demand_paths", ("world.demand_paths=false",),
           "the world's demand path steps buyers' need"),
    Switch("tier1_suppliers", ("world.tiers=false",),
           "tier-1 component makers stand between magnet sellers and plants"),
    Switch("spot_purchases", ("behaviour.spot=false",),
           "buyers short of cover buy other buyers' surplus at a premium"),
    Switch("expediting", ("behaviour.expediting=false",),
           "buyers short of cover fly unlicensed orders"),
    Switch("thrifting_all_kinds", ("substitution.kinds=[automaker]",),
           "thrifting and substitution by every buyer kind that can (off: automakers only)"),
    Switch("hoarding", ("behaviour.hoarding=false",),
           "buyers raise their cover on signals and on the outside price"),
    Switch("make_up", ("behaviour.makeup=false",), "plants make up lost output with overtime"),
    Switch("structural_stocks", ("world.stock_ranges=false",),
           "the stocks between a licence and a production line come from the cited ranges of "
           "stocks.csv (off: each world table's own per-firm values)"),
    Switch("national_stockpile", ("world.stockpiles=[]",),
           "Japan's national stockpile (JOGMEC) releases Dy/Tb oxides to short Japanese users"),
)
BY_NAME: dict[str, Switch] = {s.name: s for s in SWITCHES}


def switches_table() -> str:
    """The switches as a Markdown table (for the docs)."""
    rows = ["| switch | off with | mechanism |", "|---|---|---|"]
    rows += [f"| `{s.name}` | `{' '.join(s.off)}` | {s.does} |" for s in SWITCHES]
    return "\n".join(rows)
