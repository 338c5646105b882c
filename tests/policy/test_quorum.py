"""Quorum presets: the statutes' thresholds at their boundaries, in force on the right days."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microgov.errors import PolicyError
from microgov.policy import (
    CIVIL_CODE_INCLUSIVE_NUMBERS,
    PRESETS,
    MeetingMode,
    QuorumPreset,
    Threshold,
    custom_preset,
    majority_met,
    preset_for,
    quorum_met,
)

DAY_2025 = date(2025, 6, 1)
DAY_2026 = date(2026, 6, 1)
R2018 = PRESETS["residents_meeting_2018"]
R2025 = PRESETS["residents_meeting_2025"]
VILLAGE = PRESETS["village_meeting"]


def _quorum(preset: QuorumPreset, mode: MeetingMode, present: int, entitled: int) -> bool:
    on = DAY_2026 if preset is R2025 else DAY_2025
    return quorum_met(preset, mode=mode, present=present, entitled=entitled, on=on).passed


# --- the presets' parameters -------------------------------------------------------


def test_residents_meeting_2018_is_article_9_more_than_half_in_every_mode() -> None:
    assert set(R2018.quorum) == set(MeetingMode)
    for threshold in (*R2018.quorum.values(), R2018.majority):
        assert threshold == Threshold(share=Fraction(1, 2), inclusive=False)
    c = R2018.citation
    assert c.article == "第九条第三款"
    assert c.source == "中华人民共和国城市居民委员会组织法"
    assert c.note
    assert c.note.startswith(
        "居民会议必须有全体十八周岁以上的居民、户的代表或者居民小组选举的代表的过半数出席，"
        "才能举行。会议的决定，由出席人的过半数通过。"
    )
    # the 1989 law is in force from 1990-01-01 (Art. 23); the 2018 amendment left Art. 9 as is
    assert (c.in_force_from, c.in_force_to, c.verified) == (
        date(1990, 1, 1),
        date(2025, 12, 31),
        True,
    )


def test_residents_meeting_2025_repeats_2018_but_is_unverified() -> None:
    assert R2025.family == R2018.family == "residents_meeting"
    assert R2025.quorum == R2018.quorum
    assert R2025.majority == R2018.majority
    assert R2025.citation.verified is False
    assert R2025.citation.note
    assert "NOT" in R2025.citation.note
    assert (R2025.citation.in_force_from, R2025.citation.in_force_to) == (date(2026, 1, 1), None)


def test_village_meeting_is_article_22() -> None:
    assert set(VILLAGE.quorum) == {MeetingMode.ALL_ADULTS, MeetingMode.HOUSEHOLDS}
    assert VILLAGE.quorum[MeetingMode.ALL_ADULTS] == Threshold(
        share=Fraction(1, 2), inclusive=False
    )
    assert VILLAGE.quorum[MeetingMode.HOUSEHOLDS] == Threshold(share=Fraction(2, 3), inclusive=True)
    assert VILLAGE.citation.article == "第二十二条第一款"
    assert VILLAGE.citation.in_force_from == date(2018, 12, 29)
    assert VILLAGE.citation.in_force_to == date(2025, 12, 31)
    assert VILLAGE.citation.verified
    successor = PRESETS["village_meeting_2025"]
    assert successor.family == VILLAGE.family
    assert (successor.quorum, successor.majority) == (VILLAGE.quorum, VILLAGE.majority)
    assert successor.citation.verified is False
    assert successor.citation.in_force_from == date(2026, 1, 1)
    assert preset_for("village_meeting", date(2025, 12, 31)) is VILLAGE
    assert preset_for("village_meeting", date(2026, 1, 1)) is successor


def test_boundary_days_of_the_residents_law() -> None:
    assert preset_for("residents_meeting", date(2015, 3, 1)) is R2018  # a 2015 decision
    assert preset_for("residents_meeting", date(1990, 1, 1)) is R2018
    assert preset_for("residents_meeting", date(2025, 12, 31)) is R2018
    assert preset_for("residents_meeting", date(2026, 1, 1)) is R2025
    assert preset_for("residents_meeting", date(2026, 1, 2)) is R2025
    with pytest.raises(PolicyError) as info:
        preset_for("residents_meeting", date(1989, 12, 31))
    assert info.value.code == "policy.no_preset_in_force"
    v = quorum_met(R2018, mode=MeetingMode.HOUSEHOLDS, present=3, entitled=5, on=date(2015, 3, 1))
    assert (v.passed, v.figures["decided_on"], v.figures["preset"]) == (
        True,
        date(2015, 3, 1),
        "residents_meeting_2018",
    )


def test_inclusive_rule_is_cited() -> None:
    assert CIVIL_CODE_INCLUSIVE_NUMBERS.article == "第一千二百五十九条"
    assert CIVIL_CODE_INCLUSIVE_NUMBERS.note
    assert "包括本数" in CIVIL_CODE_INCLUSIVE_NUMBERS.note


def test_presets_are_read_only() -> None:
    with pytest.raises(TypeError):
        PRESETS["x"] = R2018  # type: ignore[index]
    with pytest.raises(TypeError):
        R2018.quorum[MeetingMode.HOUSEHOLDS] = VILLAGE.majority  # type: ignore[index]


# --- boundaries ----------------------------------------------------------------------


@pytest.mark.parametrize("preset", [R2018, R2025])
@pytest.mark.parametrize("mode", list(MeetingMode))
def test_residents_quorum_more_than_half(preset: QuorumPreset, mode: MeetingMode) -> None:
    assert not _quorum(preset, mode, 30, 60)
    assert _quorum(preset, mode, 31, 60)
    assert not _quorum(preset, mode, 30, 61)  # odd total: 30.5 is half
    assert _quorum(preset, mode, 31, 61)
    assert not _quorum(preset, mode, 0, 1)
    assert _quorum(preset, mode, 1, 1)
    assert not _quorum(preset, mode, 0, 0)  # nobody entitled: no meeting


def test_village_households_at_least_two_thirds_inclusive() -> None:
    hh = MeetingMode.HOUSEHOLDS
    assert _quorum(VILLAGE, hh, 40, 60)
    assert not _quorum(VILLAGE, hh, 39, 60)
    assert _quorum(VILLAGE, hh, 41, 61)  # 40.67 needed
    assert not _quorum(VILLAGE, hh, 40, 61)
    assert _quorum(VILLAGE, hh, 2, 3)
    assert not _quorum(VILLAGE, hh, 1, 3)


def test_village_adults_more_than_half() -> None:
    assert not _quorum(VILLAGE, MeetingMode.ALL_ADULTS, 30, 60)
    assert _quorum(VILLAGE, MeetingMode.ALL_ADULTS, 31, 60)


def test_quorum_verdict_explains_itself() -> None:
    v = quorum_met(VILLAGE, mode=MeetingMode.HOUSEHOLDS, present=39, entitled=60, on=DAY_2025)
    assert not v
    assert (v.rule, v.code) == ("quorum.village_meeting", "quorum.not_met")
    assert dict(v.figures) == {
        "present": 39,
        "entitled": 60,
        "required": 40,
        "share": Fraction(2, 3),
        "inclusive": True,
        "mode": "households",
        "preset": "village_meeting",
        "decided_on": DAY_2025,
    }
    assert v.citation == VILLAGE.citation
    assert "39" in v.message_en
    assert "60" in v.message_en
    assert "40" in v.message_en
    assert "39" in v.message_zh
    assert "三分之二以上" in v.message_zh
    ok = quorum_met(VILLAGE, mode=MeetingMode.HOUSEHOLDS, present=40, entitled=60, on=DAY_2025)
    assert ok.passed
    assert ok.code == "quorum.met"


def test_mode_not_allowed_is_a_failing_verdict() -> None:
    v = quorum_met(
        VILLAGE, mode=MeetingMode.GROUP_REPRESENTATIVES, present=60, entitled=60, on=DAY_2025
    )
    assert not v.passed
    assert v.code == "quorum.mode_not_allowed"
    assert v.figures["mode"] == "group_representatives"
    assert v.citation == VILLAGE.citation


@pytest.mark.parametrize(
    ("in_favour", "present", "passed"),
    [(20, 40, False), (21, 40, True), (20, 41, False), (21, 41, True), (0, 0, False), (1, 1, True)],
)
def test_majority_more_than_half_of_those_present(
    in_favour: int, present: int, passed: bool
) -> None:
    for preset, on in ((R2018, DAY_2025), (R2025, DAY_2026), (VILLAGE, DAY_2025)):
        v = majority_met(preset, in_favour=in_favour, present=present, on=on)
        assert v.passed is passed
        assert v.code == ("majority.met" if passed else "majority.not_met")
        assert v.rule == f"majority.{preset.family}"
        assert v.figures["present"] == present
        assert v.figures["in_favour"] == in_favour
        assert v.citation == preset.citation


def test_a_tie_fails() -> None:
    v = majority_met(R2018, in_favour=50, present=100, on=DAY_2025)
    assert not v
    assert v.figures["required"] == 51


# --- in force ------------------------------------------------------------------------


def test_preset_for_switches_on_the_new_law() -> None:
    assert preset_for("residents_meeting", date(2025, 12, 31)) is R2018
    assert preset_for("residents_meeting", date(2026, 1, 1)) is R2025
    assert preset_for("residents_meeting", date(2026, 1, 2)) is R2025
    assert preset_for("village_meeting", date(2030, 1, 1)) is PRESETS["village_meeting_2025"]


def test_preset_for_errors() -> None:
    with pytest.raises(PolicyError) as unknown:
        preset_for("townhall", DAY_2025)
    assert unknown.value.code == "policy.unknown_preset"
    with pytest.raises(PolicyError) as early:
        preset_for("residents_meeting", date(1989, 12, 31))
    assert early.value.code == "policy.no_preset_in_force"


def test_using_a_preset_out_of_force_is_a_caller_error() -> None:
    with pytest.raises(PolicyError) as err:
        quorum_met(R2018, mode=MeetingMode.HOUSEHOLDS, present=40, entitled=60, on=DAY_2026)
    assert err.value.code == "policy.preset_not_in_force"
    with pytest.raises(PolicyError) as err2:
        majority_met(R2025, in_favour=3, present=4, on=DAY_2025)
    assert err2.value.code == "policy.preset_not_in_force"


@pytest.mark.parametrize(
    ("present", "entitled", "code"),
    [
        (-1, 10, "policy.bad_count"),
        (1, -10, "policy.bad_count"),
        (11, 10, "policy.present_exceeds_entitled"),
        (True, 10, "policy.bad_count"),
    ],
)
def test_nonsense_counts_raise(present: int, entitled: int, code: str) -> None:
    with pytest.raises(PolicyError) as err:
        quorum_met(
            R2018, mode=MeetingMode.HOUSEHOLDS, present=present, entitled=entitled, on=DAY_2025
        )
    assert err.value.code == code
    assert err.value.message_zh


def test_in_favour_above_present_raises() -> None:
    with pytest.raises(PolicyError) as err:
        majority_met(R2018, in_favour=5, present=4, on=DAY_2025)
    assert err.value.code == "policy.in_favour_exceeds_present"
    with pytest.raises(PolicyError):
        majority_met(R2018, in_favour=-1, present=4, on=DAY_2025)


# --- thresholds and custom presets ---------------------------------------------------

shares = st.fractions(min_value=0, max_value=1, max_denominator=50)


@given(
    share=shares,
    inclusive=st.booleans(),
    total=st.integers(min_value=1, max_value=10**9),
    data=st.data(),
)
def test_threshold_met_equals_fraction_comparison(
    share: Fraction, inclusive: bool, total: int, data: st.DataObject
) -> None:
    count = data.draw(st.integers(min_value=0, max_value=total))
    t = Threshold(share=share, inclusive=inclusive)
    ratio = Fraction(count, total)
    assert t.met(count, total) == (ratio >= share if inclusive else ratio > share)


@given(share=shares, inclusive=st.booleans(), total=st.integers(min_value=0, max_value=10**6))
def test_required_is_the_smallest_count_that_meets(
    share: Fraction, inclusive: bool, total: int
) -> None:
    t = Threshold(share=share, inclusive=inclusive)
    need = t.required(total)
    assert t.met(need, total)
    assert need == 0 or not t.met(need - 1, total)


@pytest.mark.parametrize(
    ("share", "inclusive", "zh", "en"),
    [
        (Fraction(1, 2), False, "过半数", "more than 1/2"),
        (Fraction(2, 3), True, "三分之二以上（含本数）", "at least 2/3"),
        (Fraction(1, 3), False, "超过三分之一", "more than 1/3"),
        (Fraction(1), True, "全部以上（含本数）", "at least 1"),
        (Fraction(7, 20), True, "20分之7以上（含本数）", "at least 7/20"),
    ],
)
def test_threshold_descriptions(share: Fraction, inclusive: bool, zh: str, en: str) -> None:
    t = Threshold(share=share, inclusive=inclusive)
    assert (t.describe_zh(), t.describe_en()) == (zh, en)


@pytest.mark.parametrize("share", [Fraction(3, 2), Fraction(-1, 2), 0.5, 1])
def test_threshold_refuses_bad_shares(share: object) -> None:
    with pytest.raises(PolicyError) as err:
        Threshold(share=share, inclusive=False)  # type: ignore[arg-type]
    assert err.value.code == "policy.bad_share"


def test_threshold_refuses_bad_flag_and_counts() -> None:
    with pytest.raises(PolicyError):
        Threshold(share=Fraction(1, 2), inclusive=1)  # type: ignore[arg-type]
    t = Threshold(share=Fraction(1, 2), inclusive=False)
    with pytest.raises(PolicyError):
        t.met(-1, 3)
    with pytest.raises(PolicyError):
        t.met(1, 2.0)  # type: ignore[arg-type]


def test_custom_preset_is_a_local_rule() -> None:
    p = custom_preset(
        "strict",
        quorum={MeetingMode.HOUSEHOLDS: Threshold(share=Fraction(3, 4), inclusive=True)},
        majority=Threshold(share=Fraction(2, 3), inclusive=True),
        name_zh="严格规则",
        name_en="Strict rule",
        note="居民公约第 3 条",
        verified=True,
        family="strict_family",
        in_force_from=date(2025, 1, 1),
    )
    assert p.citation.source == "本地规则 (local rule)"
    assert p.citation.verified is True
    assert p.citation.note == "居民公约第 3 条"
    assert preset_for("strict_family", DAY_2025, presets={p.key: p}) is p
    assert quorum_met(p, mode=MeetingMode.HOUSEHOLDS, present=45, entitled=60, on=DAY_2025)
    assert not quorum_met(p, mode=MeetingMode.HOUSEHOLDS, present=44, entitled=60, on=DAY_2025)
    assert majority_met(p, in_favour=2, present=3, on=DAY_2025)
    with pytest.raises(PolicyError):
        quorum_met(p, mode=MeetingMode.HOUSEHOLDS, present=45, entitled=60, on=date(2024, 1, 1))


def test_custom_preset_refuses_bad_definitions() -> None:
    half = Threshold(share=Fraction(1, 2), inclusive=False)
    with pytest.raises(PolicyError) as empty:
        custom_preset("x", quorum={}, majority=half, name_zh="x", name_en="x", note="")
    assert empty.value.code == "policy.no_meeting_mode"
    with pytest.raises(PolicyError) as bad:
        custom_preset(
            "x",
            quorum={"households": half},  # type: ignore[dict-item]
            majority=half,
            name_zh="x",
            name_en="x",
            note="",
        )
    assert bad.value.code == "policy.bad_quorum"
    with pytest.raises(PolicyError) as dates:
        custom_preset(
            "x",
            quorum={MeetingMode.HOUSEHOLDS: half},
            majority=half,
            name_zh="x",
            name_en="x",
            note="",
            in_force_from=date(2025, 1, 2),
            in_force_to=date(2025, 1, 1),
        )
    assert dates.value.code == "policy.bad_dates"
    with pytest.raises(PolicyError):
        custom_preset(
            "x",
            quorum={MeetingMode.HOUSEHOLDS: half},
            majority=Fraction(1, 2),  # type: ignore[arg-type]
            name_zh="x",
            name_en="x",
            note="",
        )


def test_mode_labels() -> None:
    assert MeetingMode.ALL_ADULTS.label_zh == "全体十八周岁以上居民"
    assert MeetingMode.GROUP_REPRESENTATIVES.label_zh == "每个居民小组选举代表二至三人"
    assert all(m.label_en for m in MeetingMode)
