"""Long horizons (run with ``-m slow``): every scenario over its full horizon keeps tonnes
conserved and stocks non-negative."""

import pytest

from .helpers import SCENARIOS, load, run_model


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_full_horizon_conserves_tonnes(scenario):
    m = run_model(load(scenario), check_every=30)
    t = m.tables()
    stock_cols = [c for c in t["agents"].columns if c.startswith("stock_")]
    assert (t["agents"][stock_cols].fillna(0) >= -1e-9).all().all()
    assert len(t["daily"]) == m.cfg.days
