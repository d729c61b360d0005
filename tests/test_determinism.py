from pandas.testing import assert_frame_equal

from .helpers import load, run_model


def test_same_seed_same_tables_other_seed_differs():
    a = run_model(load("licensing_45wd", "days=120", "seed=3")).tables()
    b = run_model(load("licensing_45wd", "days=120", "seed=3")).tables()
    c = run_model(load("licensing_45wd", "days=120", "seed=4")).tables()
    for name in ("daily", "agents", "shipments"):
        assert_frame_equal(a[name], b[name])
    assert not a["shipments"].equals(c["shipments"])
