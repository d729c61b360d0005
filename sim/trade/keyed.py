"""Draws keyed by the order rather than by sequence (common random numbers): the same
order gets the same transit jitter and customs hold under every policy run with a seed
(`OrderBook` inherits this)."""

from __future__ import annotations

from sim.domain.products import MATERIALS

_MASK64 = (1 << 64) - 1
TRANSIT_SALT = 0x9E3779B97F4A7C15  # keyed draws: transit jitter
HOLD_SALT = 0xC2B2AE3D27D4EB4F  # keyed draws: customs hold days
INSPECT_SALT = 0x165667B19E3779F9  # keyed draws: whether customs holds a shipment
_MATERIAL_NO = {m: i for i, m in enumerate(MATERIALS)}  # a material's place in MATERIALS


def splitmix64(x: int) -> int:
    """One round of the SplitMix64 mixer: a fast, well-spread integer hash."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


class KeyedDraws:
    """Uniform draws keyed by an order (``self.model``, ``self._index`` of firm numbers
    and the ``self._keyed`` cache are the order book's)."""

    def order_uniform(self, s, salt: int) -> float:
        """A uniform draw in [0, 1) keyed by the order (buyer, seller, material, order
        date) and a salt naming the draw, rather than by sequence, so the same order gets
        the same draw under every policy run with this seed (common random numbers). The
        hash of (salt, seed, buyer, seller) is kept per pair: the same integers."""
        key = (salt, s.buyer, s.seller)
        x = self._keyed.get(key)
        if x is None:
            x = salt
            for v in (self.model.cfg.seed, self._index[s.buyer], self._index[s.seller]):
                x = splitmix64(x ^ (v & _MASK64))
            self._keyed[key] = x
        x = splitmix64(x ^ (_MATERIAL_NO[s.material] & _MASK64))
        x = splitmix64(x ^ (s.ordered_on.toordinal() & _MASK64))
        return x / 2.0**64

    def transit_noise(self, s) -> float:
        """A uniform draw in [-1, 1] keyed by the order (`order_uniform`): the same order
        gets the same transit time under every policy run with this seed."""
        return 2.0 * self.order_uniform(s, TRANSIT_SALT) - 1.0
