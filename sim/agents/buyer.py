"""Buyers outside China: use magnets, order toward a target cover, receive shipments."""

from __future__ import annotations

from ..config import BuyerConf
from ..products import MATERIALS
from ..shipments import Shipment
from .firm import Firm


class Buyer(Firm):
    """A magnet user that orders by an anchoring-and-adjustment rule (Sterman 1989).

    Each review it orders, per material::

        need * review + (need * target_cover - stock)
                      + w * (need * expected_lead - on_order)

    where ``w`` (``supply_line_weight``) is how much it counts orders already placed:
    1 is the textbook base-stock rule, below 1 over-orders when supply resumes. Orders are
    split between Chinese exporters (``china_share``) and non-Chinese makers of the
    material, each chosen at random in proportion to its capacity.

    Subclasses set ``need`` (t/day) and implement ``use_today``.
    """

    kind = "buyer"
    end_use = "civil"

    def __init__(self, model, conf: BuyerConf, need: dict[str, float], index: int) -> None:
        super().__init__(model, conf.name, conf.country)
        self.conf = conf
        self.need = {m: float(need.get(m, 0.0)) for m in MATERIALS if need.get(m, 0.0) > 0}
        self.target_cover = float(conf.target_cover_days)
        self.review = int(conf.review_days)
        self.offset = index % self.review
        self.on_order = {m: 0.0 for m in self.need}
        self.china_share = {m: float(conf.china_share) for m in self.need}
        self.lead_est = {m: model.orders.expected_lead_days(self, m) for m in self.need}
        self.lead0 = dict(self.lead_est)
        cover = conf.initial_cover_days if conf.initial_cover_days is not None \
            else self.target_cover
        for m, n in self.need.items():
            self.bring_in(m, n * cover, "initial")
        self.output_today = 0.0
        self.lost_today = 0.0
        self.first_halt = None

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
        self.move(material, tonnes, None, "consumed")

    # ---------------------------------------------------------------- phase 4
    def order(self) -> None:
        """Place orders on review days."""
        if (self.model.day + self.offset) % self.review:
            return
        c = self.conf
        for m, share in self.china_share.items():
            self.china_share[m] = share + c.switch_recovery * self.review * (
                c.china_share - share)
        for m, n in self.need.items():
            self.order_toward_target(m, n, c.cover_response)

    def order_toward_target(self, m: str, n: float, cover_response: float) -> None:
        """The ordering rule (class docstring) for one material with daily need ``n``."""
        cover = self.target_cover
        if cover_response:
            cover += cover_response * max(0.0, self.lead_est[m] - self.lead0[m])
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
        self.china_share[m] = max(c.china_share - c.max_switch,
                                  self.china_share[m] - c.switch_step)

    @property
    def cover_days(self) -> float:
        """Days of output the scarcest magnet in stock allows."""
        return min((self.stock[m] / n for m, n in self.need.items()), default=float("inf"))

    def record(self) -> dict:
        row = super().record()
        row.update(cover_days=self.cover_days, output=self.output_today,
                   lost=self.lost_today)
        return row
