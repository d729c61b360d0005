"""The day as data: the model's ordered list of named phases (as Starsim's ``Loop``).

`SupplyChainModel.step` sets the date and runs `PLAN` in order, nothing else; the phase
table of ``docs/model.md`` and the model's docstring are generated from it (`phase_table`),
and a test checks they match. Each phase is a sequence of steps: an `Act` calls a method on
the agents of a role (`sim.config.firm_kinds`), in creation order or shuffled with Mesa's
shuffle (`SupplyChainModel.shuffled`, the draw of ``AgentSet.shuffle_do``) so that agent
order cannot bias results; a `Do` calls one of the
model's components. So the order of kinds inside a phase is declared here, and a new firm
kind acts wherever its roles put it. Adding a phase is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Act:
    """Every agent with ``role`` calls ``method`` (shuffled, or in creation order)."""

    role: str
    method: str
    shuffle: bool = False

    def __call__(self, m) -> None:
        for a in (m.shuffled(self.role) if self.shuffle else m.of(self.role)):
            getattr(a, self.method)()

    def text(self) -> str:
        return f"{self.role}.{self.method}" + (" (shuffled)" if self.shuffle else "")


@dataclass(frozen=True)
class Do:
    """One of the model's components does something (``what`` names it for the docs)."""

    what: str
    run: Callable

    def __call__(self, m) -> None:
        self.run(m)

    def text(self) -> str:
        return self.what


@dataclass(frozen=True)
class Phase:
    """One named step of the day: what happens, and its steps in order."""

    name: str
    does: str
    steps: tuple

    def run(self, m) -> None:
        for step in self.steps:
            step(m)


PLAN: tuple[Phase, ...] = (
    Phase("reset", "today's counters start from zero (exports, components, smuggling) and "
          "the raw-order rates take in yesterday's orders",
          (Do("orders.new_day", lambda m: m.orders.new_day()),
           Do("border.new_day", lambda m: m.border.new_day()))),
    Phase("policy", "policy events due today take effect (the Ministry's rule book, "
          "government levers)", (Do("policy.fire_due", lambda m: m.policy.fire_due(m.date)),)),
    Phase("demand", "demand-path steps due today set buyers' need and automakers' "
          "vehicles a day (`sim.trade.demand`)",
          (Do("demand.step", lambda m: m.demand.step(m.date)),)),
    Phase("produce", "mines produce oxide (to makers, the rest to China's balance), "
          "Chinese magnet exporters produce drawing elements from China's balance, raw "
          "exporters draw what their orders need from it, non-Chinese makers produce from "
          "their raw stocks, recycled oxide reaches makers, the government buys for its "
          "stockpile",
          (Act("mine", "produce"), Act("china_seller", "produce"), Act("maker", "produce"),
           Do("substitution.recycle", lambda m: m.substitution.recycle()),
           Act("state", "buy"))),
    Phase("use", "substitution updates buyers' need; buyers short of cover buy other "
          "buyers' surplus spot at a premium (`sim.trade.spot`); buyers use magnets for "
          "today's output (shuffled); shortfalls are recorded as lost production",
          (Do("substitution.step", lambda m: m.substitution.step()),
           Do("spot.trade", lambda m: m.spot.trade()), Act("buyer", "use", shuffle=True))),
    Phase("order", "buyers order on their review days toward a target cover, counting the "
          "supply line (shuffled), plants supplied by tier-1s ordering components from "
          "them; tier-1s order magnets the same way (shuffled); non-Chinese makers order "
          "the elements their mines do not supply from Chinese raw exporters; traders "
          "outside China buy raw materials on rising prices and sell to short buyers "
          "after the turn",
          (Act("buyer", "order", shuffle=True), Act("tier1", "order", shuffle=True),
           Act("maker", "order"), Act("trader", "trade"))),
    Phase("allocate", "sellers take new orders (shuffled): Chinese exporters screen them with "
          "the Ministry, reserve stock and apply for licences; non-Chinese makers reserve "
          "stock; tier-1s make components from their magnet stock up to capacity",
          (Act("seller", "allocate", shuffle=True),)),
    Phase("decide", "the Ministry decides the applications whose clock is up",
          (Act("authority", "decide"),)),
    Phase("ship", "released orders ship (shuffled), tier-1s' components too (not magnet "
          "exports); Chinese exports pass customs (checks, holds), then transit takes "
          "destination-specific days; exporters sell surplus "
          "stock inside China (raw exporters return it to China's balance)",
          (Act("seller", "ship", shuffle=True), Act("china_seller", "sell_home"))),
    Phase("receive", "exports cleared by customs today are counted; arrivals are received; "
          "the government releases stockpile to short defence primes",
          (Do("orders.clear_due", lambda m: m.orders.clear_due()),
           Do("orders.deliver_due", lambda m: m.orders.deliver_due()),
           Act("state", "release"))),
    Phase("prices", "China's balance moves each element's stock and inside price; prices "
          "update inside and outside China (rationing, pass-through, duties, China's "
          "pricing strategy)", (Do("market.update", lambda m: m.market.update(m)),)),
    Phase("record", "the day is recorded: the model's row, then one row per agent (roles "
          "in the order of `RECORD_ROLES`, then any other agent)",
          (Do("recorder.record", lambda m: m.recorder.record(m)),)),
)

RECORD_ROLES = ("buyer", "tier1", "china_seller", "maker", "mine", "authority", "state",
                "trader")
"""The order of the agents table's rows within a day: agents by their first role here,
then agents with none of these roles, each group in creation order."""


def phase_table(plan: tuple[Phase, ...] = PLAN) -> str:
    """The plan as a Markdown table (pasted into docs/model.md; a test keeps them equal)."""
    rows = ["| # | phase | what happens | steps |", "|---|---|---|---|"]
    rows += [f"| {i} | `{p.name}` | {p.does} | {', '.join(f'`{s.text()}`' for s in p.steps)} |"
             for i, p in enumerate(plan)]
    return "\n".join(rows)
