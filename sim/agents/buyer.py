"""Buyers outside China: use magnets, order toward a target cover, receive shipments."""

from __future__ import annotations

import datetime as dt
import math

from sim.agents.firm import Firm
from sim.config import BuyerConf
from sim.domain.products import MATERIALS
from sim.trade.shipments import Licence, Shipment, Status


class Buyer(Firm):
    """A magnet user that orders by an anchoring-and-adjustment rule (Sterman 1989).

    Each review it orders, per material::

        need * review + (need * target_cover - stock)
                      + w * (need * expected_lead - on_order)

    where ``w`` (``supply_line_weight``) is how much it counts orders already placed:
    1 is the textbook base-stock rule, below 1 over-orders when supply resumes. Orders are
    split between Chinese exporters (``china_share``) and non-Chinese makers of the
    material, each chosen at random in proportion to its capacity.

    The China share of a material is the share moved by failed Chinese orders
    (``order_failed``; it recovers toward ``china_share``) minus the shift landed costs
    ask for (``update_tariff_shift``): with tariffs in force, a magnet from a Chinese
    exporter costs the buyer ``P (1 + t_CN) + freight_cn`` and one from a non-Chinese
    maker ``P (1 + t_maker) + freight_local`` (``P`` the outside price, ``t`` the tariff
    the buyer's country levies on goods of that origin, capacity-weighted over makers).
    The shift aims at ``tariff_switch_elasticity * (R / R0 - 1)``, R the ratio of the two
    landed costs and R0 that ratio without tariffs, within +- ``max_tariff_switch``, and
    moves toward it by ``review_days / tariff_lag_days`` of the gap each review. Makers
    take what they can make: orders beyond their capacity wait in their books.

    A ``signal`` event (announced controls on other goods) naming the buyer's country or
    all raises its target cover by ``signal_cover_days`` (its own, else ``behaviour``'s)
    for ``signal_days`` after the announcement (0 by default: the buyer does not read
    signals): precautionary hoarding on announced controls (issue 11).

    A buyer short of cover can expedite its orders by air freight (`expedite`; off by
    default: ``expedite_below_days`` 0).

    Subclasses set ``need`` (t/day) and implement ``use_today``.
    """

    __slots__ = ("conf", "need", "target_cover", "review", "offset", "on_order",
                 "china_share", "cn_pref", "tariff_shift", "signal_until", "lead_est",
                 "lead0", "output_today", "lost_today", "first_halt", "expedite_below",
                 "signal_cover", "price_cover", "spot_below", "spot_today_t",
                 "spot_today_usd")  # (`sim.agents.firm.Firm`: why slots)
    kind = "buyer"
    ROW = {"cover_days": "cover_days", "output": "output_today", "lost": "lost_today",
           "spot_t": "spot_today_t", "spot_usd": "spot_today_usd"}
    end_use = "civil"

    def __init__(self, model, conf: BuyerConf, need: dict[str, float], index: int) -> None:
        super().__init__(model, conf.name, conf.country)
        self.conf = conf
        self.need = {m: float(need.get(m, 0.0)) for m in MATERIALS if need.get(m, 0.0) > 0}
        self.target_cover = float(conf.target_cover_days)
        if conf.component_cover_days is not None and any(
                model.orders.via_tier(conf.name, m) for m in self.need):
            self.target_cover = float(conf.component_cover_days)  # components, from tier-1s
        self.review = int(conf.review_days)
        self.offset = index % self.review
        self.on_order = {m: 0.0 for m in self.need}
        self.china_share = {m: float(conf.china_share) for m in self.need}
        self.cn_pref = dict(self.china_share)  # the share before landed costs
        self.tariff_shift = dict.fromkeys(self.need, 0.0)  # > 0: away from China
        self.signal_until: dict[str, dt.date] = {}  # material -> end of a signal's cover
        self.lead_est = {m: model.orders.expected_lead_days(self, m) for m in self.need}
        self.lead0 = dict(self.lead_est)
        cover = conf.initial_cover_days if conf.initial_cover_days is not None \
            else self.target_cover
        for m, n in self.need.items():
            self.bring_in(m, n * cover, "initial")
        self.output_today = 0.0
        self.lost_today = 0.0
        self.first_halt = None
        b = model.cfg.behaviour  # behaviours: own value, else the world's; 0 when off
        self.expedite_below = self.behaviour("expedite_below_days", b.expediting)
        self.signal_cover = self.behaviour("signal_cover_days", b.hoarding)
        self.price_cover = self.behaviour("price_cover_days", b.hoarding)
        self.spot_below = self.behaviour("spot_below_days", b.spot)
        self.spot_today_t = self.spot_today_usd = 0.0  # bought spot today (sim.spot)

    def behaviour(self, name: str, on: bool) -> float:
        """A behaviour's value for this buyer: its own field, or where that is null the
        world's (``behaviour.<name>``); 0 when the behaviour's switch is off."""
        if not on:
            return 0.0
        own = getattr(self.conf, name)
        return float(getattr(self.model.cfg.behaviour, name) if own is None else own)

    # ---------------------------------------------------------------- phase 3
    def use(self) -> None:
        """Use magnets for today's output and record what could not be made."""
        planned, made = self.use_today()
        self.output_today, self.lost_today = made, max(0.0, planned - made)
        if self.lost_today > 1e-9 and self.first_halt is None:
            self.first_halt = self.model.date

    def use_today(self) -> tuple[float, float]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _consume(self, material: str, tonnes: float) -> None:
        self.model.ledger.move(material, tonnes, self, None, "consumed")  # = self.move

    # ---------------------------------------------------------------- phase 4
    def order(self) -> None:
        """Place orders on review days."""
        if (self.model.day + self.offset) % self.review:
            return
        c = self.conf
        for m, share in self.cn_pref.items():
            self.cn_pref[m] = share + c.switch_recovery * self.review * (
                c.china_share - share)
            self.update_tariff_shift(m)
            self.china_share[m] = self._share(m)
        for m, n in self.need.items():
            self.order_toward_target(m, n, c.cover_response)
        if self.expedite_below > 0:
            self.expedite()

    def expedite(self) -> None:
        """Expediting (issue 11 item 3): for each material whose cover (stock / need) is
        below ``expedite_below_days``, move this buyer's orders of it that have not shipped
        and travel under no licence to air freight (``Shipment.expedited``: transit
        ``air_transit_days``, cost ``air_cost_usd_per_kg``; `OrderBook.dispatch`). An
        order with a licence, or a filed application, keeps its mode: the 2025 licence
        fixes the freight mode [sources: licence-scope]. Once expedited an order stays so.
        A plant does not expedite the components its tier-1s make (they expedite the
        magnets)."""
        via_tier = self.model.orders.via_tier  # components: the plant's tier-1s expedite
        short = {m for m, n in self.need.items()
                 if self.stock[m] < self.expedite_below * n and not via_tier(self.name, m)}
        if not short:
            return
        for s in self.model.orders.open_of(self.name):  # (every seller's book holds them)
            if (s.material in short and not s.expedited and s.licence == Licence.NONE
                    and s.status in (Status.ORDERED, Status.APPROVED)):
                self.model.orders.expedite(s)

    def _share(self, m: str) -> float:
        shift = self.tariff_shift[m]
        if shift == 0.0:
            return self.cn_pref[m]
        return min(1.0, max(0.0, self.cn_pref[m] - shift))

    def landed_costs(self, m: str) -> tuple[float, float] | None:
        """(landed cost from a Chinese exporter, from a non-Chinese maker) of magnet ``m``
        in USD/kg today, or None when no non-Chinese maker offers it."""
        model = self.model
        makers = model.orders.suppliers(m, china=False)
        if not makers:
            return None
        levers, c = model.government.levers, self.conf
        price = model.market.price[m]
        weights = [mk.offers(m) for mk in makers]
        t_other = sum(w * levers.tariff_rate(self.country, mk.country)
                      for w, mk in zip(weights, makers, strict=True)) / sum(weights)
        t_cn = levers.tariff_rate(self.country, "CN")
        return (price * (1.0 + t_cn) + c.freight_cn_usd_per_kg,
                price * (1.0 + t_other) + c.freight_local_usd_per_kg)

    def tariff_target(self, m: str) -> float:
        """The shift away from China that today's landed costs ask for (class docstring);
        0 without tariffs or with ``market.tariffs_on_landed_cost`` off."""
        model = self.model
        if not (model.cfg.market.tariffs_on_landed_cost
                and model.government.levers.any_tariff()):
            return 0.0
        costs = self.landed_costs(m)
        if costs is None:
            return 0.0
        c, price = self.conf, model.market.price[m]
        ratio0 = (price + c.freight_cn_usd_per_kg) / (price + c.freight_local_usd_per_kg)
        want = c.tariff_switch_elasticity * (costs[0] / costs[1] / ratio0 - 1.0)
        return min(c.max_tariff_switch, max(-c.max_tariff_switch, want))

    def update_tariff_shift(self, m: str) -> None:
        """Move the landed-cost shift toward its target, with a lag (each review)."""
        target, shift = self.tariff_target(m), self.tariff_shift[m]
        if target != shift:
            step = min(1.0, self.review / self.conf.tariff_lag_days)
            self.tariff_shift[m] = shift + step * (target - shift)

    def read_signal(self, ev) -> None:
        """A ``signal`` event: if it names this buyer's country (or all) and the buyer reads
        signals, hold ``signal_cover_days`` more cover of its materials until
        ``signal_days`` after the announcement (precautionary cover; issue 11)."""
        c = self.conf
        if self.signal_cover <= 0:
            return
        if ev.destinations is not None and self.country not in ev.destinations:
            return
        until = ev.date + dt.timedelta(days=round(c.signal_days))
        for m in ev.materials:
            if m in self.need:
                self.signal_until[m] = max(self.signal_until.get(m, until), until)

    def cover_wanted(self, m: str, cover_response: float | None = None) -> float:
        """Days of ``m`` the buyer wants to hold today: its target cover, plus the cover
        its lead times, signals and the price ask for (hoarding)."""
        if cover_response is None:
            cover_response = self.conf.cover_response
        cover = self.target_cover
        if cover_response:
            cover += cover_response * max(0.0, self.lead_est[m] - self.lead0[m])
        if m in self.signal_until and self.model.date < self.signal_until[m]:
            cover += self.signal_cover
        if self.price_cover:  # hoarding on a price the buyer can observe
            mk = self.model.market
            rise = max(0.0, mk.price[m] / mk.p0[m] - 1.0) if mk.p0.get(m) else 0.0
            cover += min(self.conf.price_cover_max_days, self.price_cover * rise)
        return cover

    def order_toward_target(self, m: str, n: float, cover_response: float) -> None:
        """The ordering rule (class docstring) for one material with daily need ``n``."""
        cover = self.cover_wanted(m, cover_response)
        qty = (n * self.review + (n * cover - self.stock[m])
               + self.conf.supply_line_weight * (n * self.lead_est[m] - self.on_order[m]))
        if qty > 1e-6:
            self.model.orders.place(self, m, qty)

    # ---------------------------------------------------------------- phase 8
    def receive(self, s: Shipment) -> None:
        """A delivered shipment (its tonnes already moved into stock): stop counting it
        as on order and learn its lead time."""
        self.on_order[s.material] = max(0.0, self.on_order[s.material] - s.tonnes)
        lead = (s.delivered_on - s.ordered_on).days
        est = self.lead_est[s.material]
        # weight by size: a sliver from a fast supplier says little about the lead time
        weight = min(1.0, s.tonnes / (self.need[s.material] * self.review))
        self.lead_est[s.material] = est + self.conf.lead_smoothing * weight * (lead - est)

    def order_failed(self, s: Shipment) -> None:
        """An order was denied or cancelled: it no longer counts as on order. A failed
        Chinese order teaches the buyer that supply takes longer (it must order again) and
        moves a step of its orders to non-Chinese makers, within ``max_switch``."""
        self.on_order[s.material] = max(0.0, self.on_order[s.material] - s.tonnes)
        if s.seller_country != "CN":
            return
        c, m = self.conf, s.material
        waited = (self.model.date - s.ordered_on).days + self.lead_est[m]
        self.lead_est[m] += c.lead_smoothing * (waited - self.lead_est[m])
        self.cn_pref[m] = max(c.china_share - c.max_switch, self.cn_pref[m] - c.switch_step)
        self.china_share[m] = self._share(m)

    @property
    def cover_days(self) -> float:
        """Days of output the scarcest magnet in stock allows (as ``min``: the first
        smallest, infinite with no needs; a loop because the recorder asks every day)."""
        stock, best = self.stock, None
        for m, n in self.need.items():
            c = stock[m] / n
            if best is None or c < best:
                best = c
        return math.inf if best is None else best
