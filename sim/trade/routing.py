"""Routing an order: which sellers a buyer may order from and in what shares, how long it
expects to wait, and which firms buy a material (`OrderBook` inherits this)."""

from __future__ import annotations


class Routing:
    """Where a buyer's orders go (the order book's routing; ``self.model``,
    ``self.links``, ``self.tier_links`` and ``self.tier1`` are the book's)."""

    def suppliers(self, material: str, china: bool) -> list:
        """The sellers offering ``material`` today, Chinese or not (kept for the day:
        offers change only with capacity additions and quotas, dated)."""
        key = (self.model.steps, material, china)
        found = self._suppliers.get(key)
        if found is None:
            m = self.model
            pool = m.of("china_seller") if china else m.of("maker")
            found = self._suppliers[key] = [s for s in pool if s.offers(material) > 0]
        return found

    def via_tier(self, buyer_name: str, material: str) -> bool:
        """Does this plant get ``material`` as components from tier-1s (``world.links``)?"""
        return (buyer_name, material) in self.tier_links

    def buyers_of(self, material: str) -> list:
        """The firms that buy ``material`` from magnet sellers: buyers not supplied with it
        by tier-1s, then the tier-1s (in creation order)."""
        found = self._buyers_of.get(material)
        if found is None:  # fixed once the world is built (links and roles do not change)
            m = self.model
            found = self._buyers_of[material] = [
                *(b for b in m.of("buyer") if not self.via_tier(b.name, material)),
                *m.of("tier1")]
        return found

    def users_of(self, material: str) -> list:
        """The buyers whose needs name ``material``, in creation order (fixed once the
        world is built: demand steps and substitution change needs in size, never in what
        they name)."""
        found = self._users_of.get(material)
        if found is None:
            found = [b for b in self.model.of("buyer") if material in b.need]
            if self.model.steps:  # kept once the world is built (day 1 on), not while it is
                self._users_of[material] = found
        return found

    def component_transit(self, tier1: str, buyer_country: str) -> float:
        """Transit of components from a tier-1 to a plant: over land (the tier-1's
        ``transit_days``), or by sea from a tier-1 in China (``world.transit_days``)."""
        conf, w = self.tier1[tier1], self.model.cfg.world
        if conf.country == "CN":
            return w.transit_days.get(buyer_country, w.transit_days_default)
        return conf.transit_days

    def expected_lead_days(self, buyer, material: str) -> float:
        """A buyer's first guess of lead time: transit from its suppliers, share-weighted
        (a plant supplied by tier-1s: their component transit, share-weighted)."""
        w = self.model.cfg.world
        tiers = self.tier_links.get((buyer.name, material))
        if tiers:
            total = sum(tiers.values())
            return 1.0 + sum(share * self.component_transit(t, buyer.country)
                             for t, share in tiers.items()) / total
        cn = w.transit_days.get(buyer.country, w.transit_days_default)
        share = buyer.conf.china_share if self.suppliers(material, False) else 1.0
        return 1.0 + share * cn + (1 - share) * w.domestic_transit_days

    def split(self, b, material: str, qty: float) -> list[tuple]:
        """Split an order between a Chinese exporter and a non-Chinese maker, each chosen
        at random (routing stream) in proportion to capacity, or, where the buyer has
        standing links for the material in that pool (``world.links``), among its linked
        suppliers in proportion to the links' shares. A plant supplied with the material by
        tier-1s splits the order between them by their links' shares."""
        out = []
        rng = self.model.rng_routing
        tiers = self.tier_links.get((b.name, material))
        if tiers:  # components from each of the plant's tier-1s, split by share
            total = sum(tiers.values())
            return [(self.model.by_name[t], qty * share / total) for t, share in tiers.items()]
        makers = self.suppliers(material, china=False)
        cn_share = b.china_share.get(material, b.conf.china_share) if makers else 1.0
        if cn_share > self.model.cfg.world.routing_snap_share:  # no slivers of an order
            cn_share = 1.0
        for pool, t in ((self.chinese_sellers(b, material, qty * cn_share), qty * cn_share),
                        (makers, qty * (1 - cn_share))):
            if t <= 1e-9 or not pool:
                continue
            linked = self.links.get((b.name, material), {})
            if linked and any(s.name in linked for s in pool):  # standing links: only those
                pool = [s for s in pool if s.name in linked]
                weights = [linked[s.name] for s in pool]
            else:
                weights = [s.offers(material) for s in pool]
            r = rng.random() * sum(weights)
            i = 0
            while i < len(pool) - 1 and r >= weights[i]:
                r -= weights[i]
                i += 1
            out.append((pool[i], t))
        return out

    def chinese_sellers(self, b, material: str, qty: float) -> list:
        """Chinese exporters a buyer may order from: where the material needs a licence
        and some exporters hold a general licence covering this buyer, only those."""
        pool = self.suppliers(material, True)
        rules = self.model.ministry.rules
        if rules.general and rules.requires_licence(material, b.country):
            covered = [e for e in pool if rules.general_licence(
                e.name, b.country, b.name, qty, self.model.date, material) is not None]
            return covered or pool
        return pool
