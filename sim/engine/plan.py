"""The day as data: the model's ordered list of named phases (as Starsim's ``Loop``).

`SupplyChainModel.step` runs `PLAN` in order; the phase table of ``docs/model.md`` and the
model's docstring are generated from it (`phase_table`), and a test checks they match.
Adding a phase is one entry here.

Within a phase, agents of one kind act through Mesa's ``AgentSet.shuffle_do`` so that agent
order cannot bias results, or the phase is order-independent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Phase:
    """One named step of the day."""

    name: str
    does: str
    run: Callable


def _policy(m) -> None:
    m.policy.fire_due(m.date)


def _produce(m) -> None:
    for group in (m.mines, m.exporters, m.makers):
        for a in group:
            a.produce()
    m.substitution.recycle()
    m.government.buy()


def _use(m) -> None:
    m.substitution.step()
    m.spot.trade()
    m.buyers.shuffle_do("use")


def _order(m) -> None:
    m.buyers.shuffle_do("order")
    m.tier1s.shuffle_do("order")
    for mk in m.makers:
        mk.order()
    m.trader.trade()


def _allocate(m) -> None:
    m.sellers.shuffle_do("allocate")


def _decide(m) -> None:
    m.ministry.decide()


def _ship(m) -> None:
    m.sellers.shuffle_do("ship")
    for e in m.exporters:
        e.sell_home()


def _receive(m) -> None:
    m.orders.clear_due()
    m.orders.deliver_due()
    m.government.release()


def _prices(m) -> None:
    m.market.update(m)


def _record(m) -> None:
    m.recorder.record(m)


PLAN: tuple[Phase, ...] = (
    Phase("policy", "policy events due today take effect (the Ministry's rule book, "
          "government levers)", _policy),
    Phase("demand", "demand-path steps due today set buyers' need and automakers' "
          "vehicles a day (`sim.demand`)", lambda m: m.demand.step(m.date)),
    Phase("produce", "mines produce oxide (to makers, the rest to China's balance), "
          "Chinese magnet exporters produce drawing elements from China's balance, raw "
          "exporters draw what their orders need from it, non-Chinese makers produce from "
          "their raw stocks, recycled oxide reaches makers, the government buys for its "
          "stockpile", _produce),
    Phase("use", "substitution updates buyers' need; buyers short of cover buy other "
          "buyers' surplus spot at a premium (`sim.spot`); buyers use magnets for "
          "today's output (shuffled); shortfalls are recorded as lost production", _use),
    Phase("order", "buyers order on their review days toward a target cover, counting the "
          "supply line (shuffled), plants supplied by tier-1s ordering components from "
          "them; tier-1s order magnets the same way (shuffled); non-Chinese makers order "
          "the elements their mines do not supply from Chinese raw exporters; traders "
          "outside China buy raw materials on rising prices and sell to short buyers "
          "after the turn", _order),
    Phase("allocate", "sellers take new orders (shuffled): Chinese exporters screen them with "
          "the Ministry, reserve stock and apply for licences; non-Chinese makers reserve "
          "stock; tier-1s make components from their magnet stock up to capacity",
          _allocate),
    Phase("decide", "the Ministry decides the applications whose clock is up", _decide),
    Phase("ship", "released orders ship (shuffled), tier-1s' components too (not magnet "
          "exports); Chinese exports pass customs (checks, holds), then transit takes "
          "destination-specific days; exporters sell surplus "
          "stock inside China (raw exporters return it to China's balance)", _ship),
    Phase("receive", "exports cleared by customs today are counted; arrivals are received; "
          "the government releases stockpile to short defence primes", _receive),
    Phase("prices", "China's balance moves each element's stock and inside price; prices "
          "update inside and outside China (rationing, pass-through, duties, China's "
          "pricing strategy)", _prices),
    Phase("record", "the day is recorded", _record),
)


def phase_table(plan: tuple[Phase, ...] = PLAN) -> str:
    """The plan as a Markdown table (pasted into docs/model.md; a test keeps them equal)."""
    rows = ["| # | phase | what happens |", "|---|---|---|"]
    rows += [f"| {i} | `{p.name}` | {p.does} |" for i, p in enumerate(plan, 1)]
    return "\n".join(rows)


if __name__ == "__main__":
    print(phase_table())
