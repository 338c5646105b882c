"""The indicator catalogue: complete, consistent with the values, written in both languages."""

from __future__ import annotations

import attrs
import pytest

import microgov.metrics
from microgov.errors import PolicyError
from microgov.metrics import CATALOGUE, IndicatorDef, Indicators, indicator


def test_public_names_are_exactly_the_documented_ones() -> None:
    exported = microgov.metrics.__all__
    assert sorted(exported) == sorted(set(exported))
    for name in exported:
        assert getattr(microgov.metrics, name).__doc__, name


def test_ids_are_unique_and_name_a_value_of_indicators() -> None:
    ids = [d.id for d in CATALOGUE]
    assert len(ids) == len(set(ids))
    fields = {a.name for a in attrs.fields(Indicators)}
    for d in CATALOGUE:
        # Additive indicators are stored counts; the others are computed from them.
        assert (d.id in fields) is d.additive, d.id
        assert hasattr(Indicators(), d.id)
    # Every stored count but the summed response time is itself an indicator.
    assert fields - set(ids) == {"response_microseconds"}


@pytest.mark.parametrize("d", CATALOGUE, ids=lambda d: d.id)
def test_every_indicator_is_defined_in_both_languages(d: IndicatorDef) -> None:
    assert d.name_zh.strip()
    assert d.name_en.strip()
    assert d.definition.strip().endswith(".")
    assert d.definition_zh.strip().endswith("。")
    assert d.unit in {"count", "person-times", "hours", "ratio"}
    assert indicator(d.id) is d


def test_the_seed_indicators_are_all_there() -> None:
    names = {d.name_zh for d in CATALOGUE}
    assert {"议题提出数", "议题转项目数", "解决问题数", "达人数", "活动场次", "参与人次"} <= names
    assert indicator("mean_response_hours").unit == "hours"


def test_unknown_indicator() -> None:
    with pytest.raises(PolicyError) as info:
        indicator("likes")
    assert info.value.code == "metrics.unknown_indicator"
    with pytest.raises(PolicyError):
        indicator(3)  # type: ignore[arg-type]


def test_indicators_add_field_by_field() -> None:
    a = Indicators(topics_raised=1, resources=2)
    b = Indicators(topics_raised=4, talents=1)
    assert a + b == Indicators(topics_raised=5, resources=2, talents=1)
    assert a.__add__(3) is NotImplemented  # type: ignore[operator]
