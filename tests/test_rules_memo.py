"""The rule book keeps its answers to `requires_licence` and `barred` between events, and
every event that changes the book forgets them: answers follow the events."""

from types import SimpleNamespace

from sim.policy.rules import Rules


def _ev(**kw):
    base = dict(materials=("ndfeb",), destinations=("US",), anti_diversion=(),
                end_use="military")
    return SimpleNamespace(**{**base, **kw})


def test_every_event_method_forgets_the_kept_answers():
    methods = [n for n in vars(Rules) if n.startswith(("start_", "end_"))]
    assert len(methods) > 10
    assert all(getattr(getattr(Rules, n), "forgets", False) for n in methods), methods


def test_answers_follow_controls_embargoes_and_denials():
    r = Rules()
    assert not r.requires_licence("ndfeb", "US")  # asked (and kept) before any event
    assert r.barred("ndfeb", "US", "military") == ""
    controls = _ev()
    r.start_controls(controls)
    assert r.requires_licence("ndfeb", "US") and not r.requires_licence("ndfeb", "JP")
    r.start_lift_controls(_ev())
    assert not r.requires_licence("ndfeb", "US")
    embargo = _ev(destinations=("US",), anti_diversion=("MX",))
    r.start_embargo(embargo)
    assert r.barred("ndfeb", "US", "civil") == "embargo"
    assert r.barred("ndfeb", "MX", "civil") == "anti_diversion"
    r.end_embargo(embargo)
    assert r.barred("ndfeb", "US", "civil") == ""
    deny = _ev(destinations=("US",), end_use="military")
    r.start_deny(deny)
    assert r.barred("ndfeb", "US", "military") == "military_end_use_banned"
    assert r.barred("ndfeb", "US", "civil") == ""
    r.end_deny(deny)
    assert r.barred("ndfeb", "US", "military") == ""
