"""The seeded summary matches tests/baseline.json; a perturbed one must not."""

import json

import pytest

from .baseline_summary import FILE, differences, summary


@pytest.fixture(scope="module")
def current():
    return summary()


def test_summary_matches_stored_baseline(current):
    expected = json.loads(FILE.read_text())
    bad = differences(expected, current)
    assert not bad, "behaviour changed (if intended: python -m tests.update_baseline):\n" + \
        "\n".join(bad)


def test_negative_control_a_changed_result_fails(current):
    perturbed = json.loads(json.dumps(current))
    perturbed["embargo_us"]["exports_t_US"] *= 1.10
    assert differences(perturbed, current)
    perturbed = json.loads(json.dumps(current))
    perturbed["baseline"]["exports_t_per_month"] *= 0.95
    assert differences(perturbed, current)
