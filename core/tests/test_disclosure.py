"""The small-count rule: what may be published and what may not."""

from core import disclosure


def test_default_threshold_hides_one_to_four(settings):
    settings.SAMPLAN_DISCLOSURE_THRESHOLD = 5
    assert [n for n in range(0, 8) if disclosure.is_small(n)] == [1, 2, 3, 4]
    assert not disclosure.is_small(None)


def test_threshold_is_configurable_and_never_below_one(settings):
    settings.SAMPLAN_DISCLOSURE_THRESHOLD = 3
    assert disclosure.threshold() == 3
    assert disclosure.is_small(2) and not disclosure.is_small(3)
    settings.SAMPLAN_DISCLOSURE_THRESHOLD = 0
    assert disclosure.threshold() == 1
    assert not disclosure.is_small(1)
