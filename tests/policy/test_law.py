"""The statute texts: verbatim where read, unverified where not, cited by every preset."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from microgov.errors import PolicyError
from microgov.policy import (
    CONVENING_RULES,
    PRESETS,
    PROVISIONS,
    PetitionBasis,
    Provision,
    Threshold,
    convening_met,
    convening_rule_for,
    provision,
)

R2018 = CONVENING_RULES["residents_convening_2018"]


def test_verified_provisions_quote_text_and_say_where_it_was_read() -> None:
    for p in PROVISIONS.values():
        assert p.key
        assert p.instrument.startswith(("中华人民共和国", "最高人民法院", "上海市"))
        if p.verified:
            assert p.text
            assert p.read_from
        else:
            assert p.note
            assert "NOT" in p.note


def test_the_quoted_texts() -> None:
    assert provision("urban_residents_committee_law.art9").text == (
        "居民会议必须有全体十八周岁以上的居民、户的代表或者居民小组选举的代表的过半数出席，"
        "才能举行。会议的决定，由出席人的过半数通过。"
    )
    art10 = provision("urban_residents_committee_law.art10").text or ""
    assert (
        "有五分之一以上的十八周岁以上的居民、五分之一以上的户或者三分之一以上的居民小组提议"
        in art10
    )
    art278 = provision("civil_code.art278").text or ""
    assert "专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决" in art278
    assert "第六项至第八项" in art278
    art9 = provision("spc_building_ownership.art9").text or ""
    assert "同一买受人拥有一个以上专有部分的，按一人计算" in art9


def test_what_was_not_read_is_unverified() -> None:
    for key in (
        "urban_residents_committee_law_2025.ch4",
        "villagers_committee_law_2025.art22",
        "property_law.art76",
        "shanghai_residents_committee_regulation.art11",
        "shanghai_residents_committee_regulation.art16",
        "shanghai_residents_committee_regulation.art17",
        "shanghai_residents_committee_regulation.art18",
    ):
        p = provision(key)
        assert p.verified is False
        assert p.text is None
        assert p.citation.verified is False


def test_a_verified_provision_must_quote() -> None:
    with pytest.raises(PolicyError) as info:
        Provision(key="x", instrument="x", article="x", organ="x", promulgation="x", verified=True)
    assert info.value.code == "policy.bad_provision"
    with pytest.raises(PolicyError) as unknown:
        provision("nope")
    assert unknown.value.code == "policy.unknown_provision"


def test_presets_cite_the_provisions() -> None:
    assert PRESETS["residents_meeting_2018"].citation == (
        PROVISIONS["urban_residents_committee_law.art9"].citation
    )
    assert PRESETS["village_meeting"].citation.verified
    assert not PRESETS["village_meeting_2025"].citation.verified


# --- convening (Art. 10): 1/5 adults, 1/5 households, 1/3 groups, inclusive ------------


@pytest.mark.parametrize(
    ("basis", "counted", "exactly"),
    [
        (PetitionBasis.ADULTS, 100, 20),
        (PetitionBasis.ADULTS, 101, 21),  # 20.2 needed
        (PetitionBasis.HOUSEHOLDS, 60, 12),
        (PetitionBasis.HOUSEHOLDS, 7, 2),  # 1.4 needed
        (PetitionBasis.GROUPS, 9, 3),
        (PetitionBasis.GROUPS, 10, 4),  # 3.33 needed
    ],
)
def test_convening_boundaries_are_inclusive(
    basis: PetitionBasis, counted: int, exactly: int
) -> None:
    on = date(2025, 3, 1)
    below = convening_met(R2018, basis=basis, signatures=exactly - 1, counted=counted, on=on)
    at = convening_met(R2018, basis=basis, signatures=exactly, counted=counted, on=on)
    above = convening_met(R2018, basis=basis, signatures=exactly + 1, counted=counted, on=on)
    assert (below.passed, at.passed, above.passed) == (False, True, True)
    assert at.figures["required"] == exactly
    assert at.figures["inclusive"] is True
    assert at.figures["decided_on"] == on
    assert at.figures["rule"] == "residents_convening_2018"
    assert at.citation == PROVISIONS["urban_residents_committee_law.art10"].citation


def test_convening_thresholds_and_dates() -> None:
    assert R2018.thresholds[PetitionBasis.ADULTS] == Threshold(share=Fraction(1, 5), inclusive=True)
    assert R2018.thresholds[PetitionBasis.GROUPS] == Threshold(share=Fraction(1, 3), inclusive=True)
    assert convening_rule_for("residents_meeting", date(2015, 1, 1)) is R2018
    assert convening_rule_for("residents_meeting", date(2025, 12, 31)) is R2018
    later = convening_rule_for("residents_meeting", date(2026, 1, 2))
    assert later.key == "residents_convening_2025"
    assert later.citation.verified is False
    with pytest.raises(PolicyError):
        convening_rule_for("residents_meeting", date(1989, 12, 31))
    with pytest.raises(PolicyError):
        convening_rule_for("nope", date(2020, 1, 1))


def test_convening_refuses_nonsense_and_nobody_counted_never_passes() -> None:
    on = date(2025, 3, 1)
    assert not convening_met(R2018, basis=PetitionBasis.ADULTS, signatures=0, counted=0, on=on)
    with pytest.raises(PolicyError) as too_many:
        convening_met(R2018, basis=PetitionBasis.ADULTS, signatures=3, counted=2, on=on)
    assert too_many.value.code == "policy.signatures_exceed_counted"
    with pytest.raises(PolicyError) as out_of_force:
        convening_met(
            R2018, basis=PetitionBasis.ADULTS, signatures=1, counted=2, on=date(2026, 2, 1)
        )
    assert out_of_force.value.code == "policy.preset_not_in_force"
    with pytest.raises(PolicyError):
        convening_met(R2018, basis=PetitionBasis.ADULTS, signatures=-1, counted=2, on=on)
