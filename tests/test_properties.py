"""Property-based test (issue 9, item 7): random valid configurations and random event lists
over short horizons keep the model's invariants.

Drawn: a small world (1-3 automakers, 0-2 industry buyers, 0-1 defence prime in US, DE,
JP, KR, VN; the default Chinese exporters; optionally a mine and a non-Chinese maker),
buyer parameters within their registry bounds, a licensing config (delay distributions,
approval odds, RFI, provincial review, first-file delay, restarting clock, Ministry
capacity, validity), a start date (some runs cross a new year), a horizon of 20-60 days, a
seed, and 0-6 events of every kind in `sim.events.KINDS`, overlapping ones included.

Asserted on every example (see `check_invariants`):

* tonnes conserved: max |imbalance| < 1e-6 every 10 days and at the end;
* no negative stock in the agents table, every shipment carries tonnes;
* no shipment leaves China for an embargoed or anti-diversion country while its embargo is
  in force, and none clears China's customs into one (intervals recomputed from the
  compiled events, not read from the rule book; goods at customs are held there);
* quotas hold to the tonne. Checked two ways: (a) every day on which the Ministry's release
  count of a (year, material, destination) key grows, the count is within the cap in force
  that day plus that year's top-ups; (b) at the end, the count is within the cap in force
  (with top-ups), unless that cap was set (introduced or lowered) when the year's earlier
  releases already exceeded it, in which case nothing was released after it was set. The
  tonnes that left China under a year's decisions never exceed the year's count;
* controlled exports leave with a licence: a Chinese shipment of a material under
  controls to that destination (controls recomputed from the events) travels under an
  approved individual licence decided no later than loading and within its validity, or a
  general licence of an event naming the seller, in force on the release day and not
  revoked before it;
* denied, cancelled and revoked orders never ship; licences cancelled by a revoke never
  ship;
* no NaN or infinity in any KPI number (``None`` marks a KPI that does not apply) and in
  the table columns that should be finite. NaN by design: ``buyer_cover_<m>_days`` when no
  buyer needs magnet m; ``defense_cover_days`` without a prime; ``non_china_supply_share``
  before anything has shipped; the agents table's stocks of the Ministry (it holds none),
  ``cover_days`` of non-buyers, ``released`` of every agent but the government and the
  mine columns (``capacity_tpy``, ``price``, ``expected_price``, ``closures``) of non-mines;
  ``lost_vehicles``/``lost_revenue_usd`` of non-automakers and ``lost_demand_t`` of
  automakers in the plants table. Dates (NaT) are not numbers.

The default run is derandomised (300 examples); ``-m slow`` runs 2,000 random ones.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sim import build
from sim.config import (
    MAGNETS,
    MATERIALS,
    AutomakerConf,
    DefenseConf,
    DelayConf,
    EventConf,
    IndustryConf,
    LicensingConf,
    MakerConf,
    MineConf,
    RunConfig,
    WorldConf,
)
from sim.domain.errors import ConfigError
from sim.domain.products import RAW
from sim.engine.model import SupplyChainModel
from sim.kpis import kpis as all_kpis
from sim.kpis.nodes import nodes_meta
from sim.policy.kinds import KINDS
from sim.trade.closed import FIELDS, shipments_frame

EXPORTERS = ("JL Mag", "Ningbo Yunsheng", "Zhong Ke San Huan", "Other CN makers")
COUNTRIES = ("US", "DE", "JP", "KR", "VN")
OTHER = ("IN", "FR")  # destinations no buyer is in
STARTS = ("2025-01-01", "2025-06-16", "2025-12-10", "2026-12-20")
TIMED = {k for k, v in KINDS.items() if v.end is not None} | {"general_licence"}
# kinds whose same-day events may contradict each other (sim.event_schedule._contradiction)
LEVELS = {"approval", "relations", "customs_checks", "customs_hold", "quota", "tariff",
          "price_floor", "concentrate_route"}
EPS = 1e-6
MINE_COLUMNS = {"capacity_tpy", "price", "expected_price", "closures"}  # NaN for non-mines

SETTINGS = dict(deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])


# --------------------------------------------------------------------------- strategies
def unit(lo=0.0, hi=1.0):
    # values below 1e-9 in size become 0: a cover of 1e-200 days times a need of 1e-200
    # t/day underflows to 0 in Market.gap (a known bug, xfail test at the end)
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(
        lambda x: 0.0 if abs(x) < 1e-9 else x)


def subset(values, min_size=1):
    return st.lists(st.sampled_from(values), min_size=min_size, max_size=len(values),
                    unique=True)


@st.composite
def buyer_fields(draw):
    return dict(
        country=draw(st.sampled_from(COUNTRIES)),
        target_cover_days=draw(unit(0, 60)),
        review_days=draw(st.integers(1, 14)),
        supply_line_weight=draw(unit()),
        china_share=draw(unit()),
        initial_cover_days=draw(st.none() | unit(0, 60)),
        supplier_tiers=draw(st.integers(0, 4)),
        cover_response=draw(unit(0, 2)),
        switch_step=draw(unit()),
        max_switch=draw(unit()),
        switch_recovery=draw(unit(0, 0.1)),
        lead_smoothing=draw(unit()),
    )


def needs(mags):
    return st.dictionaries(st.sampled_from(mags), unit(0.01, 5.0), min_size=1,
                           max_size=len(mags))


@st.composite
def delays(draw, hi=30.0, zero=False):
    if zero and draw(st.booleans()):
        return DelayConf(dist="fixed", low=0, mode=0, high=0)
    a, b, c = sorted(draw(unit(0, hi)) for _ in range(3))
    return DelayConf(dist=draw(st.sampled_from(("fixed", "uniform", "triangular"))),
                     unit=draw(st.sampled_from(("working", "calendar"))), low=a, mode=b,
                     high=c)


@st.composite
def worlds(draw):
    # vehicles_per_day >= 1 and oxide_cover_days >= 1 keep clear of the known bugs (xfail
    # tests at the end): a buyer that needs nothing, a maker with no oxide cover
    automakers = [AutomakerConf(name=f"A{i}", vehicles_per_day=draw(unit(1, 3000)),
                                ev_share=draw(unit()), **draw(buyer_fields()))
                  for i in range(draw(st.integers(1, 3)))]
    industries = [IndustryConf(name=f"I{i}", need_tpd=draw(needs(MAGNETS)),
                               **draw(buyer_fields()))
                  for i in range(draw(st.integers(0, 2)))]
    defense = [DefenseConf(name="D0", need_tpd=draw(needs(("ndfeb", "smco"))),
                           **draw(buyer_fields()))
               for _ in range(draw(st.integers(0, 1)))]
    mines = []
    if draw(st.booleans()):
        mines.append(MineConf(
            name="M0", capacity_tpy=draw(unit(0, 20000)),
            status=draw(st.sampled_from(("operating", "rampup", "care_and_maintenance"))),
            separation=draw(st.sampled_from(("domestic", "china"))),
            china_takes_concentrate=draw(st.booleans())))
    makers = []
    if draw(st.booleans()):
        cap = draw(st.dictionaries(st.sampled_from(MAGNETS), unit(0, 10000), min_size=1))
        makers.append(MakerConf(
            name="K0", country=draw(st.sampled_from(("JP", "DE", "US", "KR"))),
            capacity_tpy=cap, feed={m: draw(st.booleans()) for m in cap},
            working_stock_days=draw(unit(0, 30)), oxide_cover_days=draw(unit(1, 60))))
    return WorldConf(automakers=automakers, industries=industries, defense=defense,
                     mines=mines, makers=makers,
                     automaker_cover_days=draw(st.none() | unit(0, 60)),
                     transit_jitter_days=draw(unit(0, 5)))


@st.composite
def licensing(draw, buyers):
    firms = list(EXPORTERS) + buyers
    return LicensingConf(
        delay=draw(delays()), approval_default=draw(unit()),
        military_approval=draw(unit()), relations_sensitivity=draw(unit(0, 2)),
        rfi_prob_per_tier=draw(unit()), rfi_delay=draw(delays(15)),
        provincial_review=draw(delays(10, zero=True)),
        first_file_delay=draw(delays(10, zero=True)),
        rfi_restarts_clock=draw(st.booleans()),
        files_per_working_day=draw(st.none() | unit(0.2, 20)),
        licence_to_ship_days=draw(st.integers(0, 10)),
        individual_validity_days=draw(st.integers(1, 60)),
        fast_track_whitelist=draw(subset(firms, 0)),
        fast_track_delay=draw(delays(10)),
        general_licence_customers=draw(subset(buyers, 0)) if draw(st.booleans()) else [])


@st.composite
def event_of(draw, kind, days, buyers, mines, dests):
    """One event of ``kind`` with random keys among those it takes."""
    k = KINDS[kind]
    ev: dict = {"set": kind}
    if draw(st.integers(0, 9)) == 0:  # in force before the run starts
        ev["date"] = "before"
        ev["day"] = -draw(st.integers(1, 20))
    else:
        ev["day"] = draw(st.integers(0, days - 1))
    opt = st.booleans()
    if "materials" in k.keys and ("materials" in k.required or draw(opt)):
        ev["materials"] = draw(subset(MATERIALS if kind in ("quota", "quota_topup", "controls")
                                      else RAW if kind == "export_duty" else MAGNETS))
    if "destinations" in k.keys and ("destinations" in k.required or draw(opt)):
        ev["destinations"] = draw(subset(dests))
    if kind == "embargo" and draw(opt):
        ev["anti_diversion"] = draw(subset(dests))
    if kind == "quota":
        ev["tonnes_per_year"] = draw(st.none() | unit(0, 300))
    if kind == "quota_topup":
        ev["tonnes"] = draw(unit(0, 100))
    if kind == "approval":
        ev["prob"] = draw(unit())
        if draw(opt):
            ev["sectors"] = draw(subset(("automaker", "industry", "defense")))
    if kind in ("approval", "general_licence") and ("firms" in k.required or draw(opt)):
        ev["firms"] = draw(subset(EXPORTERS))
    if kind == "revoke" and draw(opt):
        ev["firms"] = draw(subset(EXPORTERS))
    if kind == "general_licence":
        if draw(opt):
            ev["customers"] = draw(subset(buyers))
        if draw(opt):
            ev["tonnes"] = draw(unit(1, 200))  # a volume cap
    if kind == "relations":
        ev["level"] = draw(unit(-1, 1))
    if kind == "customs_checks":
        ev["delay_days"] = draw(st.integers(0, 20))
    if kind == "deny":
        ev["end_use"] = draw(st.sampled_from(("military", "civil", "all")))
    if kind == "price_floor":
        ev["usd_per_kg"] = draw(unit(0, 200))
        if mines and draw(opt):
            ev["mines"] = mines
    if kind == "tariff":
        ev["rate"] = draw(unit(0, 2))
    if kind == "stockpile_buy":
        ev["tonnes_per_day"] = draw(st.dictionaries(st.sampled_from(MAGNETS), unit(0, 5),
                                                    min_size=1))
    if kind == "defense_ban" and draw(opt):
        ev["lead_days"] = draw(st.integers(0, 30))
    if kind == "concentrate_route":
        ev["open"] = draw(st.booleans())
        if mines and draw(opt):
            ev["mines"] = mines
    if kind == "customs_hold":
        lo = draw(st.integers(0, 30))
        ev["delay_min_days"], ev["delay_max_days"] = lo, lo + draw(st.integers(0, 30))
    if kind == "reo_quota":
        ev["tonnes"] = draw(unit(0, 3000))
    if kind in ("reo_quota", "lift_reo_quota") and draw(opt):
        ev["group"] = draw(st.sampled_from(("light", "heavy", "all")))
    if kind in ("export_duty", "crackdown"):
        ev["rate"] = draw(unit(0, 1))
    if kind in TIMED and draw(opt):
        ev["days"] = draw(st.integers(1, 60))
    return ev


def _clash(a: dict, b: dict) -> bool:
    """Could ``a`` and ``b`` contradict each other (conservative: a superset of the
    compiler's rule, so that the kept events never do)?"""
    if a["day"] != b["day"]:
        return False
    pair = {a["set"], b["set"]}
    if pair in ({"embargo", "lift_embargo"}, {"controls", "lift_controls"}):
        return True
    return a["set"] == b["set"] and a["set"] in LEVELS and (
        a.get("destinations") == b.get("destinations"))


@st.composite
def configs(draw, max_per_kind=6):
    world = draw(worlds())
    buyers = [b.name for g in (world.automakers, world.industries, world.defense)
              for b in g]
    countries = sorted({b.country for g in (world.automakers, world.industries,
                                            world.defense) for b in g})
    dests = countries + list(OTHER[:draw(st.integers(0, 2))])
    mines = [m.name for m in world.mines]
    days = draw(st.integers(20, 60))
    start = draw(st.sampled_from(STARTS))
    raw = [draw(event_of(kind, days, buyers, mines, dests))
           for kind in KINDS for _ in range(draw(st.integers(0, max_per_kind)))]
    raw = [raw[i] for i in draw(st.permutations(range(len(raw))))]
    kept: list[dict] = []
    for ev in raw:
        if not any(_clash(ev, k) for k in kept):
            kept.append(ev)
    d0 = dt.date.fromisoformat(start)
    events = []
    for ev in kept:
        ev = dict(ev)
        if ev.pop("date", None):
            ev["date"] = (d0 + dt.timedelta(days=ev.pop("day"))).isoformat()
        events.append(EventConf(**ev))
    stock = draw(st.dictionaries(st.sampled_from(MAGNETS), unit(0, 50), max_size=2))
    cfg = RunConfig(world=world, days=days, start=start, seed=draw(st.integers(0, 2**32)),
                    licensing=draw(licensing(buyers)), events=events, plots=False)
    cfg.government.stockpile_t = stock
    return cfg


# --------------------------------------------------------------------------- running
def build_or_skip(cfg: RunConfig) -> SupplyChainModel:
    try:
        return build(cfg)
    except ConfigError as e:  # only a same-day contradiction may be refused
        assert "contradicts" in str(e), f"a valid draw was refused: {e}"
        assume(False)


def simulate(cfg: RunConfig):
    """Run ``cfg`` day by day, checking conservation every 10 days and quotas every day;
    return the model, its tables (as `sim.run` builds them) and its KPIs."""
    m = build_or_skip(cfg)
    archived = _archive_often(m)
    rules = m.ministry.rules
    set_when: dict = {}  # quota key -> (cap, year's releases when that cap was set)
    while m.running:
        before = dict(m.ministry.released)
        caps = dict(rules.quotas)
        m.step()
        if m.steps % 10 == 0:
            bad = {k: v for k, v in m.imbalance().items() if abs(v) >= EPS}
            assert not bad, f"tonnes not conserved on {m.date}: {bad}"
        year = m.date.year
        for key, cap in rules.quotas.items():
            yk = (year, *key)
            if caps.get(key) != cap or yk not in set_when:
                set_when[yk] = before.get(yk, 0.0)
        for (y, mat, dest), n in m.ministry.released.items():
            if n > before.get((y, mat, dest), 0.0) and (mat, dest) in rules.quotas:
                cap = rules.quotas[(mat, dest)] + rules.topups.get((y, mat, dest), 0.0)
                assert n <= cap + EPS, (f"{m.date}: released {n} t of {mat} to "
                                        f"{dest or 'all'} in {y}, cap {cap}")
    for mat, diff in m.imbalance().items():
        assert abs(diff) < EPS, f"{mat}: {diff} t unaccounted for at the end"
    out = m.tables()
    _check_archived(m, archived, out["shipments"])
    meta = {"nodes": nodes_meta(m), "economics": cfg.economics.as_dict(),
            "metrics": {"end_window_days": cfg.metrics.end_window_days,
                        "supply_share_window_days": cfg.metrics.supply_share_window_days}}
    out["meta"] = meta
    return m, out, all_kpis(out, meta), set_when


def _fields(s) -> tuple:
    return tuple(getattr(s, f) for f in FIELDS)


def _archive_often(m) -> list:
    """Keep closed orders as columns every 7 days, and each archived order's object and
    fields as they were then (`_check_archived`)."""
    archived: list = []
    m.orders.ARCHIVE_DAYS = 7
    add = m.orders.closed.add

    def add_and_keep(orders):
        archived.extend((s, _fields(s)) for s in orders)
        return add(orders)

    m.orders.closed.add = add_and_keep
    return archived


def _check_archived(m, archived: list, table: pd.DataFrame) -> None:
    """No order changed after it was archived as columns (the archive holds its last
    state); its copy rebuilt from the columns equals it; and the shipments table built
    from columns and open orders equals the one built from every order's object."""
    changed = [s.id for s, f in archived if _fields(s) != f]
    assert not changed, f"orders changed after they were archived: {changed[:5]}"
    rebuilt = {s.id: _fields(s) for s in m.orders.shipments}
    assert all(rebuilt[s.id] == f for s, f in archived)
    every = sorted([s for s, _ in archived] + list(m.orders.live.values()),
                   key=lambda s: s.id)
    assert [s.id for s in every] == list(range(len(every)))
    pd.testing.assert_frame_equal(table, shipments_frame(every))


# --------------------------------------------------------------------------- recomputed rules
def _timeline(m):
    """The compiled events in the order the model fires them, each with the first day the
    model acts under it (events before the start act from the first day)."""
    return [(max(ev.effective, m.start), ev) for ev in m.policy.events]


def embargo_days(m) -> dict[dt.date, set[str]]:
    """Each day -> countries no Chinese shipment may leave for (embargoed or held under
    anti-diversion), recomputed from the events."""
    entries: list[list] = []  # [event, destinations left, anti-diversion]
    out, evs, i = {}, _timeline(m), 0
    day = m.start
    while day <= m.end:
        while i < len(evs) and evs[i][0] <= day:
            ev = evs[i][1]
            if ev.kind == "embargo":
                entries.append([ev, set(ev.destinations), set(ev.anti_diversion)])
            elif ev.kind == "lift_embargo" and ev.parent is None:
                for e in entries:
                    e[1] -= set(ev.destinations)
            elif ev.kind == "lift_embargo":
                entries = [e for e in entries if e[0] is not ev.parent]
            entries = [e for e in entries if e[1]]
            i += 1
        out[day] = set().union(*(e[1] | e[2] for e in entries)) if entries else set()
        day += dt.timedelta(days=1)
    return out


def control_days(m) -> dict[dt.date, list[tuple[frozenset, frozenset | None]]]:
    """Each day -> the controls in force (materials, destinations or None for all)."""
    entries: list[list] = []
    out, evs, i = {}, _timeline(m), 0
    day = m.start
    while day <= m.end:
        while i < len(evs) and evs[i][0] <= day:
            ev = evs[i][1]
            dests = frozenset(ev.destinations) if ev.destinations is not None else None
            if ev.kind == "controls":
                entries.append([ev, frozenset(ev.materials), dests])
            elif ev.kind == "lift_controls" and ev.parent is None:
                for e in entries:
                    if dests is None or e[2] == dests:
                        e[1] = e[1] - frozenset(ev.materials)
            elif ev.kind == "lift_controls":
                entries = [e for e in entries if e[0] is not ev.parent]
            entries = [e for e in entries if e[1]]
            i += 1
        out[day] = [(e[1], e[2]) for e in entries]
        day += dt.timedelta(days=1)
    return out


# --------------------------------------------------------------------------- invariants
def _finite(x, where: str) -> None:
    if isinstance(x, dict):
        for k, v in x.items():
            _finite(v, f"{where}.{k}")
    elif isinstance(x, list | tuple):
        for k, v in enumerate(x):
            _finite(v, f"{where}[{k}]")
    elif isinstance(x, float | np.floating):
        assert math.isfinite(x), f"KPI {where} = {x}"


def _finite_columns(df: pd.DataFrame, name: str, skip=()) -> None:
    for c in df.select_dtypes("number").columns:
        if c in skip:
            continue
        v = df[c].to_numpy(dtype=float)
        assert np.isfinite(v).all(), f"{name}.{c}: {v[~np.isfinite(v)][:5]} not finite"


def _licence_rows(cfg, m):
    """General licences as (firm or None, destinations or None, customers or None, start,
    end or None) from the events and the standing config."""
    out = []
    if cfg.licensing.general_licence_customers:
        out.append((None, None, frozenset(cfg.licensing.general_licence_customers),
                    m.start, None))
    for ev in m.policy.events:
        if ev.kind == "general_licence":
            for f in ev.firms:
                out.append((f, frozenset(ev.destinations) if ev.destinations else None,
                            frozenset(ev.customers) if ev.customers else None,
                            ev.date, ev.end))
    return out


def check_invariants(cfg, m, t, kpi, set_when) -> None:
    ships, agents = t["shipments"], t["agents"]
    d = lambda x: pd.Timestamp(x)  # noqa: E731

    # no negative stock; every order carries tonnes
    stock = [c for c in agents.columns if c.startswith("stock_")]
    assert (agents[stock].fillna(0) >= -1e-9).all().all(), "negative stock"
    assert (ships["tonnes"] > 0).all()

    cn = ships[(ships["seller_country"] == "CN") & ships["shipped_on"].notna()
               & (ships["shipped_on"] >= d(m.start))]

    # embargoed routes carry nothing while the embargo is in force
    barred = embargo_days(m)
    for s in cn.itertuples():
        assert s.buyer_country not in barred[s.shipped_on.date()], (
            f"order {s.id} left for {s.buyer_country} on {s.shipped_on.date()} under an "
            "embargo")

    # and nothing clears China's customs into a country while it is barred: an embargo
    # that begins while goods wait at customs holds them there (issue 22)
    exports = ships[(ships["seller_country"] == "CN") & (ships["buyer_country"] != "CN")
                    & ~ships["component"] & ships["cleared_on"].between(d(m.start), d(m.end))]
    for s in exports.itertuples():
        assert s.buyer_country not in barred[s.cleared_on.date()], (
            f"order {s.id} cleared customs into {s.buyer_country} on {s.cleared_on.date()} "
            "under an embargo")

    # quotas: (a) is checked daily in `simulate`; (b) at the end
    rules, rel = m.ministry.rules, m.ministry.released
    for (mat, dest), cap in rules.quotas.items():
        key = (m.end.year, mat, dest)
        n = rel.get(key, 0.0)
        limit = cap + rules.topups.get(key, 0.0)
        if n > limit + EPS:  # only a cap set below the year's earlier releases
            assert key in set_when and n <= set_when[key] + EPS, (
                f"released {n} t of {key} above the cap {limit}")
    for s_year in {x.year for x in cn["decided_on"].dropna()}:
        for mat in MAGNETS:
            left = cn[(cn["material"] == mat) & (cn["decided_on"].dt.year == s_year)]
            assert left["tonnes"].sum() <= rel.get((s_year, mat, None), 0.0) + EPS

    # controlled exports leave with a licence
    ctl = control_days(m)
    gls = _licence_rows(cfg, m)
    revokes = [ev for ev in m.policy.events if ev.kind == "revoke"]
    for s in cn.itertuples():
        day = s.shipped_on.date()
        if s.licence == "individual":
            assert s.decision == "approved" and s.decided_on <= s.shipped_on
            assert (s.shipped_on - s.decided_on).days <= cfg.licensing.individual_validity_days
        elif s.licence == "general":
            dday = s.decided_on.date()
            ok = [g for g in gls if (g[0] is None or g[0] == s.seller)
                  and (g[1] is None or s.buyer_country in g[1])
                  and (g[2] is None or s.buyer in g[2])
                  and g[3] <= dday and (g[4] is None or dday < g[4])
                  and not any(r.date <= dday and g[3] < r.date
                              and (r.firms is None or g[0] in r.firms)
                              and (r.destinations is None or g[1] is None
                                   or g[1] & set(r.destinations)) for r in revokes)]
            assert ok, f"order {s.id} under a general licence no event granted"
        else:
            for mats, dests in ctl[day]:
                assert not (s.material in mats and (dests is None or s.buyer_country in dests)), (
                    f"order {s.id} of {s.material} left for {s.buyer_country} on {day} "
                    "under controls without a licence")

    # denied, cancelled and revoked orders never ship
    closed = ships[ships["status"].isin(["denied", "cancelled", "revoked"])]
    assert closed["shipped_on"].isna().all(), "a closed order shipped"
    assert ships[(ships["decision"] == "denied") & ships["shipped_on"].notna()].empty
    moving = ships[ships["status"].isin(["in_transit", "delivered"])]
    assert moving["shipped_on"].notna().all()
    for r in revokes:
        hit = cn[(cn["licence"] != "none") & (cn["decided_on"] < d(r.date))
                 & (cn["shipped_on"] >= d(r.date))]
        if r.firms is not None:
            hit = hit[hit["seller"].isin(r.firms)]
        if r.destinations:
            hit = hit[hit["buyer_country"].isin(r.destinations)]
        assert hit.empty, f"licences revoked on {r.date} shipped: {list(hit['id'])}"

    # every event due within the horizon fired
    for ev in m.policy.events:
        assert ev.fired == (ev.effective <= m.end), f"event {ev.id} ({ev.kind})"

    # no NaN or infinity where a number is expected
    _finite(kpi, "kpis")
    daily = t["daily"]
    need = {mat: sum(b.need.get(mat, 0.0) for b in m.of("buyer")) for mat in MAGNETS}
    _finite_columns(daily, "daily", skip=[
        *(f"buyer_cover_{mat}_days" for mat in MAGNETS if not need[mat]),
        "defense_cover_days", "non_china_supply_share"])
    if any(b.kind == "defense" for b in m.of("buyer")):
        assert np.isfinite(daily["defense_cover_days"]).all()
    share = daily["non_china_supply_share"].dropna()
    assert ((share >= -EPS) & (share <= 1 + EPS)).all()
    needy = {b.name for b in [*m.of("buyer"), *m.of("tier1")] if b.need}
    for (kind, name), part in agents.groupby(["kind", "agent"]):
        skip = {"released"} if kind != "government" else set()
        if kind != "mine":
            skip |= MINE_COLUMNS
        if kind != "automaker":
            skip.add("made_up")  # make-up production is an automaker's column
        if kind not in ("automaker", "industry", "defense", "tier1"):
            skip |= {"spot_t", "spot_usd"}  # spot purchases are buyers' columns
        if kind == "ministry":
            skip |= set(stock)
        if name not in needy:  # cover of a non-buyer or of a buyer that needs nothing
            skip.add("cover_days")
        _finite_columns(part, f"agents[{name}]", skip=skip)
    _finite_columns(ships, "shipments")
    plants = kpi["plants"]
    assert set(plants) == {b.name for b in m.of("buyer")}


# --------------------------------------------------------------------------- tests
def _run_and_check(cfg: RunConfig) -> None:
    m, t, kpi, set_when = simulate(cfg)
    check_invariants(cfg, m, t, kpi, set_when)


@settings(max_examples=300, derandomize=True, **SETTINGS)
@given(configs())
def test_random_configs_keep_the_invariants(cfg):
    _run_and_check(cfg)


@pytest.mark.slow
@settings(max_examples=2000, derandomize=False, **SETTINGS)
@given(configs())
def test_random_configs_keep_the_invariants_long(cfg):
    _run_and_check(cfg)


# --------------------------------------------------------------------------- bugs found
# Found by the property test; the draws above keep clear of them (not fixed here).
def _world(**kw) -> WorldConf:
    base = dict(automakers=[AutomakerConf(name="A", country="US", vehicles_per_day=1000,
                                          ev_share=0.5, target_cover_days=20)],
                industries=[IndustryConf(name="I", country="DE", need_tpd={"ndfeb": 2.0})],
                defense=[], mines=[], makers=[])
    return WorldConf(**{**base, **kw})


def test_found_maker_with_zero_oxide_cover_is_refused():
    """Found by the property test: 0 was allowed and divided the oxide target by zero."""
    maker = MakerConf(name="K", country="JP", capacity_tpy={"ndfeb": 1000.0},
                      feed={"ndfeb": True}, oxide_cover_days=0.0)
    with pytest.raises(ConfigError, match="oxide_cover_days"):
        build(RunConfig(world=_world(makers=[maker]), days=20, plots=False))


def test_found_run_without_shipments_has_tables():
    w = _world(automakers=[AutomakerConf(name="A", country="US", vehicles_per_day=0)],
               industries=[])
    t = build(RunConfig(world=w, days=20, plots=False)).run().tables()
    assert t["shipments"].empty


def test_found_buyer_without_need_has_finite_kpis():
    import sim

    w = _world(automakers=[AutomakerConf(name="A", country="US", vehicles_per_day=0)])
    out = sim.run(RunConfig(world=w, days=20, plots=False), progress=False)
    _finite(out["kpis"], "kpis")


def test_found_tiny_need_and_cover_do_not_divide_by_zero():
    a = AutomakerConf(name="A", country="US", vehicles_per_day=1.0, ev_share=1e-200,
                      target_cover_days=1e-200)
    build(RunConfig(world=_world(automakers=[a]), days=20, plots=False)).run()


def test_found_two_orders_on_one_capped_general_licence():
    """Found by the property test: the second order crashed the release; now it applies
    for an individual licence."""
    from sim.trade.shipments import Status

    cfg = RunConfig(world=_world(), days=30, plots=False, events=[
        EventConf(set="controls", date="2024-12-31"),
        EventConf(set="general_licence", date="2024-12-31", firms=["JL Mag"], tonnes=3.0)])
    m = build_or_skip(cfg)
    e = m.by_name["JL Mag"]
    orders = [m.orders.new_order(m.by_name["I"], e, "ndfeb", 2.0, m.date) for _ in range(2)]
    m.by_name["I"].on_order["ndfeb"] += 4.0
    e.book = orders
    e.allocate()
    assert orders[0].status == Status.APPROVED and orders[1].status == Status.QUEUED
    assert orders[1].licence == "individual"
