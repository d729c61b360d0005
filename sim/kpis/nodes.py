"""The per-node table: per plant and per buyer figures (nodes: assembly plants, industry
buyers, defence primes, tier-1s: every firm with the role ``buyer`` or ``tier1``).

Computed from the agents table (per node per day: ``stock_<material>``, ``cover_days``,
``output``, ``lost``), the shipments table (deliveries) and the daily prices, plus the
nodes' static facts and the economic inputs recorded in the run's meta (``nodes``,
``economics``; see `nodes_meta` and `sim.config.economics`). Nodes are rows keyed by name
with their ``kind``, so tier-1 suppliers, when they arrive as agents with ``output`` and
``lost``, get the same figures.

Definitions (TTS and TTR after Simchi-Levi et al., [sources: resilience]):

- a *halt* is a day with lost output (``lost`` > 1e-9); consecutive such days are one
  episode (start, end = last day with a loss, days);
- ``time_to_survive_days``: days from the last delivery of the binding magnet (the one
  that ran out) before the first halt to that halt: how long the node ran on its stock
  after its supply stopped;
- ``time_to_recover_days``: days from the first halt until full output resumed for the
  rest of the run (null when still short at the run's end);
- ``buffer_needed_days``: the extra stock, in days of the node's need, that would have
  covered its largest cumulative shortfall (lost output never comes back, so that is all
  of it); its value at start prices and its yearly carrying cost (holding-cost rate) sit
  beside it;
- ``extra_magnet_spend_usd``: deliveries in the run times (price outside China on the
  delivery day - price on the first day): what price rises cost the node (negative: saved);
- ``deferred_vehicles``: vehicles lost in a halt and made up later (the agents table's
  ``made_up``, automakers with ``makeup_capacity`` > 0); ``lost_vehicles_net``:
  ``lost_vehicles - deferred_vehicles``, the output truly lost (``lost_vehicles`` stays
  the gross loss, so halts and buffers are unchanged; ``lost_revenue_usd`` counts only
  the net loss: a made-up vehicle is still sold);
- ``expedite_cost_usd``: tonnes of the node's orders shipped by air in the run times
  1000 times its ``air_cost_usd_per_kg`` (recorded in meta ``nodes``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from sim.domain.vocab import NODE_KINDS
from sim.engine.memory import trim_heap

EPS = 1e-9

PLANT_FIELDS: dict[str, tuple[str, str]] = {  # field: (unit, description)
    "kind": ("", "automaker (assembly plant), industry buyer or defence prime"),
    "country": ("", "ISO country code"),
    "first_halt": ("date", "first day of lost output"),
    "halts": ("episodes", "episodes of lost output: start, end, days"),
    "n_halts": ("episodes", "number of halt episodes"),
    "halt_days": ("days", "days with lost output"),
    "lost_vehicles": ("vehicles", "vehicles not built on the day (automakers), made up "
                      "later or not"),
    "deferred_vehicles": ("vehicles", "vehicles lost then made up with overtime "
                          "(automakers)"),
    "lost_vehicles_net": ("vehicles", "vehicles lost and never made up (automakers)"),
    "lost_demand_t": ("t", "magnet demand not met (industry buyers, defence primes)"),
    "lost_share": ("0-1", "lost / planned output"),
    "lost_revenue_usd": ("USD", "net lost vehicles x vehicle value (by EV share)"),
    "extra_magnet_spend_usd": ("USD", "extra paid for magnets delivered, from price rises"),
    "expedite_cost_usd": ("USD", "air freight paid on expedited orders shipped in the run"),
    "min_cover_days": ("days", "lowest days of cover (scarcest magnet)"),
    "target_cover_days": ("days", "cover the node aims to hold"),
    "time_to_survive_days": ("days", "last delivery of the binding magnet to first halt"),
    "time_to_recover_days": ("days", "first halt to full output for good (null: never)"),
    "buffer_needed_days": ("days of need", "extra stock that would have covered all lost "
                           "output"),
    "buffer_value_usd": ("USD", "value of that buffer at first-day prices"),
    "buffer_carrying_cost_usd_per_yr": ("USD/yr", "holding cost of that buffer per year"),
    "days_below_readiness": ("days", "days with cover below the readiness threshold "
                             "(defence primes)"),
}


def nodes_meta(model) -> dict:
    """Static facts of every buyer node, recorded in meta so saved runs keep them."""
    out = {}
    via = model.orders.tier_links  # (plant, product) -> {tier-1: share}
    for b in [*model.of("buyer"), *model.of("tier1")]:
        row = {"kind": b.kind, "country": b.country,
               "need_tpd": {m: round(float(n), 6) for m, n in b.need.items()},
               "target_cover_days": float(b.target_cover),
               "air_cost_usd_per_kg": float(b.conf.air_cost_usd_per_kg)}
        if b.kind == "automaker":
            row.update(vehicles_per_day=float(b.vehicles_per_day),
                       ev_share=float(b.conf.ev_share))
        if b.kind == "defense":
            row["readiness_cover_days"] = float(model.cfg.government.readiness_cover_days)
        tiers = {m: sorted(via[(b.name, m)]) for m in b.need if (b.name, m) in via}
        if tiers:
            row["tier1s"] = tiers
        out[b.name] = row
    return out


def episodes(dates, lost) -> list[dict]:
    """Consecutive days with a loss, as [{start, end, days}] (``end`` is the last lost day);
    ``dates`` and ``lost`` as Series or arrays."""
    halted = np.asarray(lost) > EPS
    if not halted.any():
        return []
    d = pd.DatetimeIndex(np.asarray(dates))
    edges = np.flatnonzero(np.diff(np.r_[False, halted, False]))  # a run's first, last + 1
    return [{"start": d[s].date().isoformat(), "end": d[e - 1].date().isoformat(),
             "days": int(e - s)} for s, e in zip(edges[::2], edges[1::2], strict=True)]


def _nansum(x) -> float:
    """A sum as pandas takes it (NaN as 0, numpy's pairwise sum)."""
    return np.where(np.isnan(x), 0.0, x).sum() if np.isnan(x).any() else x.sum()


def _nanmin(x) -> float:
    """A minimum as pandas takes it (NaN skipped; all NaN: NaN)."""
    x = x[~np.isnan(x)]
    return x.min() if len(x) else math.nan


def _r(x, nd: int = 1):
    """Rounded, or None where the figure does not apply (NaN, or infinite: e.g. the cover
    of a node that needs nothing)."""
    if x is None:
        return None
    x = float(x)
    return None if not math.isfinite(x) else round(x, nd)


def start_prices(r) -> dict[str, float]:
    out = {}
    for c in r.daily.columns:
        if c.startswith("price_") and c.endswith("_ex_cn"):
            s = r.daily[c].dropna()
            if len(s):
                out[c[len("price_"):-len("_ex_cn")]] = float(s.iloc[0])
    return out


def pick(table: pd.DataFrame, mask, cols) -> pd.DataFrame:
    """Columns ``cols`` of ``table`` at the rows of ``mask``: the columns are chosen first
    (`.loc[rows, cols]` and `table[rows]` take every column's rows: in a large run much of
    its table copied for a moment, 200 MB in `plants_daily` at 10,000 firms)."""
    return table[list(cols)][np.asarray(mask, dtype=bool)]


EXTRA_ROWS = 1 << 19
"""Shipments worked on at a time by `_extra_spend` (each row's figure is its own, so the
sums do not depend on it; a run of millions of shipments holds a few arrays of this
many rows rather than of all)."""


def rows_by_code(codes: np.ndarray) -> dict[int, np.ndarray]:
    """Each code's places in ``codes``, in order: one stable sort by code, cut where the
    code changes (not one filter of the whole column per code). Places as int32 while
    they fit (a large run's millions of rows: half the memory)."""
    order = np.argsort(codes, kind="stable")
    if len(order) < 2**31:
        order = order.astype(np.int32)
    cuts = np.flatnonzero(np.diff(codes[order])) + 1
    return {int(codes[p[0]]): p for p in np.split(order, cuts) if len(p)}


def text_codes(col: pd.Series) -> tuple[np.ndarray, list]:
    """A text column's values as int32 numbers (in order of first appearance, as
    `pandas.factorize` numbers them) and the texts they stand for. Arrow's text (one
    chunk, no gaps) is numbered in Arrow: no int64 number per row, no hashing in pandas."""
    text = col.array
    if hasattr(text, "__arrow_array__") and not col.hasnans:
        chunks = text.__arrow_array__().chunks
        if len(chunks) == 1:
            import pyarrow.compute as pc

            enc = pc.dictionary_encode(chunks[0])
            return enc.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False), \
                enc.dictionary.to_pylist()
    codes, names = pd.factorize(col)
    return codes.astype(np.int32), list(names)


def _extra_spend(r) -> dict[str, float]:
    """Per buyer: sum over deliveries in the run of t x 1000 x (price that day - first).
    Worked on numbers (buyers as codes, prices looked up by date in the
    daily table as `reindex` would), `EXTRA_ROWS` shipments at a time: a large run's
    shipments table has millions of rows and no column of text is copied. Summed per
    buyer in row order."""
    s = r.shipments
    day = r.daily["date"].to_numpy()
    prices = {m: (p0, r.daily[f"price_{m}_ex_cn"].to_numpy())
              for m, p0 in start_prices(r).items()}
    n, step = len(s), EXTRA_ROWS
    within = s["delivered_on"].between(r.start, r.end).to_numpy()
    kept = int(within.sum())
    if not kept:
        return {}
    codes, buyers = text_codes(s["buyer"])
    extra, buyer = np.zeros(kept), np.empty(kept, dtype=np.int32)  # rows within, in order
    done = 0
    for a in range(0, n, step):
        part, inside = s.iloc[a:a + step], within[a:a + step]
        got = extra[done:done + int(inside.sum())]  # a view: filled in place
        buyer[done:done + len(got)] = codes[a:a + step][inside]
        done += len(got)
        dates = part["delivered_on"].to_numpy()[inside]
        tonnes = part["tonnes"].to_numpy()[inside]
        for m, (p0, price) in prices.items():
            sel = (part["material"] == m).to_numpy()[inside]
            if sel.any():
                at = dates[sel]
                i = np.minimum(np.searchsorted(day, at), len(day) - 1)  # the day's row
                p = np.where(day[i] == at, price[i], np.nan)
                got[sel] = tonnes[sel] * 1000.0 * (p - p0)
    del codes, within
    trim_heap(len(s))  # a large run: the freed memory back
    sums = pd.Series(extra).groupby(buyer, sort=False).sum()
    return {buyers[b]: v for b, v in sums.items()}


def _expedite_cost(r) -> dict[str, float]:
    """Per buyer: tonnes shipped by air in the run x 1000 x its air cost per kg."""
    s = r.shipments
    if "expedited" not in s.columns:  # a run saved before expediting existed
        return {}
    s = pick(s, s["expedited"].astype(bool) & s["shipped_on"].between(r.start, r.end),
             ("buyer", "tonnes"))
    if s.empty:
        return {}
    nodes = r.meta.get("nodes") or {}
    cost = s["buyer"].map(lambda b: (nodes.get(b) or {}).get("air_cost_usd_per_kg", 0.0))
    return (s["tonnes"] * 1000.0 * cost).groupby(s["buyer"]).sum().to_dict()


def _tts(name: str, idx: np.ndarray, day: np.ndarray, stocks: dict, first: pd.Timestamp,
         need: dict, deliveries: Callable[[str, str], pd.Series]) -> int | None:
    """Days from the last delivery of the node's binding magnet (the scarcest in days of
    need on ``first``, its first halt) to ``first``; ``idx``: the node's rows, ``day``
    and ``stocks``: the agents table's dates and stock columns as arrays."""
    at = int(idx[day[idx] == first.to_datetime64()][0])  # its row on the first halt
    mats = list(need) or [c[len("stock_"):] for c, v in stocks.items() if v[idx[0]] > 0]
    if not mats:
        return None
    def days_left(m: str) -> float:  # a need rounded to 0 binds nothing
        n = need.get(m, 1.0)
        v = stocks.get(f"stock_{m}")
        return (math.inf if v is None else v[at]) / n if n > 0 else math.inf

    binding = min(mats, key=days_left)
    delivered = deliveries(name, binding)
    got = delivered[(delivered <= first).to_numpy()]
    last = got.max() if len(got) else pd.NaT
    return None if pd.isna(last) else int((first - last).days)


def _deliveries(r) -> Callable[[str, str], pd.Series]:
    """``deliveries(buyer, material)``: the delivery dates of its orders of the material
    (in table order), the shipments table grouped by buyer once, on first use: one
    filter of the whole table per halted plant cost plants x shipments (minutes for a
    large world under licensing). Buyers and materials as numbers: no text copied."""
    found: dict = {}

    def deliveries(name: str, material: str) -> pd.Series:
        if not found:
            s = r.shipments
            codes, names = text_codes(s["buyer"])
            found["rows"] = {names[c]: p for c, p in rows_by_code(codes).items()}
            found["material"] = text_codes(s["material"])
            found["delivered"] = s["delivered_on"]
        rows = found["rows"].get(name, np.empty(0, dtype=np.int32))
        codes, names = found["material"]
        rows = rows[codes[rows] == names.index(material)] if material in names else rows[:0]
        return found["delivered"].iloc[rows]

    return deliveries


def plants_table(rows: list[dict]) -> pd.DataFrame:
    """`plant_rows` as a table (``node`` then `PLANT_FIELDS`)."""
    return pd.DataFrame(rows, columns=["node", *PLANT_FIELDS])


def _node_rows(r, nodes: dict) -> tuple[dict, Callable[[str], np.ndarray]]:
    """The buyer nodes' rows of the agents table: each node's first row (by node, in the
    order of first rows) and ``rows_of(node)``, its rows in table (date) order. No column
    is copied (a world of thousands of nodes would copy nearly the whole table)."""
    agents = r.agents
    codes, names = r.agent_codes  # each row's agent as a number
    n, k = len(agents), r.day_rows
    if k and nodes:  # the same agents each day: a node's rows are its rank, every k rows
        firsts = {names[j]: int(j) for j in np.flatnonzero(names.isin(nodes))}
        return firsts, lambda name: np.arange(firsts[name], n, k)
    mask = agents["agent"].isin(nodes) if nodes else \
        agents["kind"].isin(NODE_KINDS)  # a run saved without its nodes
    pos = np.flatnonzero(mask.to_numpy())  # the nodes' rows, in table (date) order
    groups = {names[c]: g for c, g in rows_by_code(codes[pos]).items()}
    trim_heap(n)
    return ({name: int(pos[g[0]]) for name, g in groups.items()},
            lambda name: pos[groups[name]])


def plant_rows(r) -> list[dict]:
    """One row per buyer node with the figures of `PLANT_FIELDS` (``halts`` as a list),
    exact values (ints stay ints: kpis.json); ``r`` is a run's
    `sim.kpis.registry.RunData`."""
    nodes = r.meta.get("nodes") or {}
    econ = r.economics
    p0 = start_prices(r)
    extra = _extra_spend(r)
    air = _expedite_cost(r)
    agents = r.agents
    trim_heap(len(agents))  # a large run: the freed memory back
    firsts, rows_of = _node_rows(r, nodes)
    at = np.fromiter(firsts.values(), dtype=np.int64, count=len(firsts))
    kind_of = dict(zip(firsts, agents["kind"].take(at), strict=True))
    country_of = dict(zip(firsts, agents["country"].take(at), strict=True))
    col = {c: agents[c].to_numpy() for c in ("lost", "output", "cover_days", "made_up")
           if c in agents}
    day = agents["date"].to_numpy()
    stocks = {c: agents[c].to_numpy() for c in agents.columns if c.startswith("stock_")}
    deliveries = _deliveries(r)
    rows = []
    for name in sorted(firsts):
        idx = rows_of(name)
        info = nodes.get(name, {})
        kind = kind_of[name]
        need = info.get("need_tpd") or {}
        lost_d = col["lost"][idx]
        eps = episodes(day[idx], lost_d) if (lost_d > EPS).any() else []
        lost = float(_nansum(lost_d))
        made_up = float(_nansum(col["made_up"][idx])) if "made_up" in col else 0.0
        is_auto = kind == "automaker"
        planned = float(_nansum(col["output"][idx] + lost_d))
        n_days = len(idx)
        per_day = (info.get("vehicles_per_day") if kind in ("automaker", "tier1")
                   else sum(need.values())) or (planned / n_days if n_days else 0.0)
        first = pd.Timestamp(eps[0]["start"]) if eps else None
        last_end = pd.Timestamp(eps[-1]["end"]) if eps else None
        buffer_days = lost / per_day if per_day else None
        day_value = sum(n * 1000.0 * p0.get(m, 0.0) for m, n in need.items()) if need else None
        buffer_value = buffer_days * day_value if buffer_days is not None and day_value \
            is not None else None
        cover = col["cover_days"][idx]
        row = {
            "node": name, "kind": kind, "country": country_of[name],
            "first_halt": eps[0]["start"] if eps else None, "halts": eps,
            "n_halts": len(eps), "halt_days": int(sum(e["days"] for e in eps)),
            "lost_vehicles": _r(lost) if is_auto else None,
            "deferred_vehicles": _r(made_up) if is_auto else None,
            "lost_vehicles_net": _r(lost - made_up) if is_auto else None,
            "lost_demand_t": None if kind in ("automaker", "tier1") else _r(lost, 3),
            "lost_share": _r(lost / planned, 6) if planned else 0.0,
            "lost_revenue_usd": _r((lost - made_up) * econ.vehicle_value(info["ev_share"]),
                                   0)
            if kind == "automaker" and "ev_share" in info else None,
            "extra_magnet_spend_usd": _r(extra.get(name, 0.0), -3),  # nearest 1,000 USD
            "expedite_cost_usd": _r(air.get(name, 0.0), 0),
            "min_cover_days": _r(_nanmin(cover)),
            "target_cover_days": info.get("target_cover_days"),
            "time_to_survive_days": _tts(name, idx, day, stocks, first, need, deliveries)
            if eps else None,
            "time_to_recover_days": int((last_end - first).days) + 1
            if eps and last_end < r.end else None,
            "buffer_needed_days": _r(buffer_days),
            "buffer_value_usd": _r(buffer_value, 0),
            "buffer_carrying_cost_usd_per_yr": _r(buffer_value * econ.holding_cost_rate, 0)
            if buffer_value is not None else None,
            "days_below_readiness": int((cover < info["readiness_cover_days"]).sum())
            if kind == "defense" and "readiness_cover_days" in info else None,
        }
        rows.append(row)
    return rows


def plants_for_file(df: pd.DataFrame) -> pd.DataFrame:
    """The plants table as stored in the run folder: ``halts`` as readable text."""
    out = df.copy()
    out["halts"] = [" ; ".join(f"{e['start']}..{e['end']} ({e['days']} d)" for e in h)
                    for h in df["halts"]]
    return out



def plants_daily(agents: pd.DataFrame) -> pd.DataFrame:
    """Each plant's daily magnet cover, output and lost vehicles (date, plant, cover_days,
    output, lost): the small daily series a sweep keeps for its fan charts and report."""
    a = pick(agents, agents["kind"] == "automaker",
             ("date", "agent", "cover_days", "output", "lost"))  # only the columns kept
    return a.rename(
        columns={"agent": "plant"}).reset_index(drop=True)
