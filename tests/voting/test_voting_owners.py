"""Owners' decisions: both thresholds (area and headcount), both laws, at their boundaries."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov.calendar import SHANGHAI
from microgov.errors import BallotRefused, DataFormatError, PolicyError
from microgov.policy import (
    OWNERS_RULES,
    Matter,
    PolicySet,
    format_area,
    owners_decision,
    owners_rule_for,
    square_metres,
)
from microgov.voting import (
    DEVELOPER,
    Choice,
    OwnerCounting,
    OwnersRoll,
    OwnersState,
    OwnersVote,
    Unit,
    cast_owner_vote,
    decide_owners,
)
from profiles import examples

CIVIL = OWNERS_RULES["owners_decision_2021"]
PROPERTY = OWNERS_RULES["owners_decision_2007"]
ON_2025 = date(2025, 5, 15)
ON_2019 = date(2019, 5, 15)


def _decide(
    matter: Matter,
    p_area: int,
    p_owners: int,
    f_area: int,
    f_owners: int,
    *,
    total_area: int = 1200,
    total_owners: int = 12,
    rule: object = CIVIL,
    on: date = ON_2025,
) -> tuple[bool, bool]:
    participation, approval = owners_decision(
        rule,  # type: ignore[arg-type]
        matter=matter,
        total_area=total_area,
        total_owners=total_owners,
        participating_area=p_area,
        participating_owners=p_owners,
        in_favour_area=f_area,
        in_favour_owners=f_owners,
        on=on,
    )
    return participation.passed, approval.passed


# --- 民法典 第二百七十八条: participation two thirds or more of area AND owners -----------


def test_participation_exactly_two_thirds_passes_one_below_fails() -> None:
    m = Matter.HIRE_MANAGER
    assert _decide(m, 800, 8, 800, 8) == (True, True)  # exactly 2/3 of 1200 and of 12
    assert _decide(m, 799, 8, 799, 8) == (False, False)  # area one below
    assert _decide(m, 800, 7, 800, 7) == (False, False)  # headcount one below
    assert _decide(m, 801, 9, 801, 9) == (True, True)  # above


def test_area_passes_headcount_fails_and_the_reverse() -> None:
    m = Matter.CHANGE_USE_OF_COMMON_PARTS
    # participation fine; 3/4 of participating area met, 3/4 of participants not
    participation, approval = owners_decision(
        CIVIL,
        matter=m,
        total_area=1200,
        total_owners=12,
        participating_area=1000,
        participating_owners=10,
        in_favour_area=750,
        in_favour_owners=7,
        on=ON_2025,
    )
    assert participation.passed
    assert not approval.passed
    assert (approval.figures["area_met"], approval.figures["owners_met"]) == (True, False)
    for key in ("in_favour_area", "base_area", "in_favour_owners", "base_owners"):
        assert key in approval.figures
    assert (approval.figures["required_area"], approval.figures["required_owners"]) == (750, 8)
    # the reverse: enough owners, not enough area
    _, reverse = owners_decision(
        CIVIL,
        matter=m,
        total_area=1200,
        total_owners=12,
        participating_area=1000,
        participating_owners=10,
        in_favour_area=749,
        in_favour_owners=8,
        on=ON_2025,
    )
    assert (reverse.figures["area_met"], reverse.figures["owners_met"]) == (False, True)
    assert reverse.code == "owners.not_approved"


@pytest.mark.parametrize(
    "matter", [Matter.RAISE_MAINTENANCE_FUND, Matter.REBUILD, Matter.CHANGE_USE_OF_COMMON_PARTS]
)
def test_items_six_to_eight_need_three_quarters_of_participants(matter: Matter) -> None:
    assert _decide(matter, 1200, 12, 900, 9)[1]  # exactly 3/4
    assert not _decide(matter, 1200, 12, 899, 9)[1]
    assert not _decide(matter, 1200, 12, 900, 8)[1]
    assert _decide(matter, 1200, 12, 901, 10)[1]


@pytest.mark.parametrize(
    "matter",
    [
        Matter.RULES_OF_PROCEDURE,
        Matter.MANAGEMENT_COVENANT,
        Matter.ELECT_COMMITTEE,
        Matter.HIRE_MANAGER,
        Matter.USE_MAINTENANCE_FUND,
        Matter.OTHER_MAJOR,
    ],
)
def test_other_items_need_more_than_half_of_participants(matter: Matter) -> None:
    assert not _decide(matter, 1000, 10, 500, 5)[1]  # exactly half: not more than half
    assert not _decide(matter, 1000, 10, 501, 5)[1]
    assert not _decide(matter, 1000, 10, 500, 6)[1]
    assert _decide(matter, 1000, 10, 501, 6)[1]


# --- 物权法 第七十六条 (2007-10-01 .. 2020-12-31): of the total, no participation rule ------


def test_property_law_counts_agreement_among_all_owners() -> None:
    m = Matter.REBUILD  # item (六) there: two thirds or more of total area and owners
    participation, approval = owners_decision(
        PROPERTY,
        matter=m,
        total_area=1200,
        total_owners=12,
        participating_area=800,
        participating_owners=8,
        in_favour_area=800,
        in_favour_owners=8,
        on=ON_2019,
    )
    assert participation.code == "owners.participation_not_required"
    assert approval.passed
    assert approval.figures["base_area"] == 1200
    assert not _decide(m, 800, 8, 799, 8, rule=PROPERTY, on=ON_2019)[1]
    # changing the use of common parts was not a listed item: more than half of all
    assert _decide(Matter.CHANGE_USE_OF_COMMON_PARTS, 700, 7, 601, 7, rule=PROPERTY, on=ON_2019)[1]
    assert not _decide(
        Matter.CHANGE_USE_OF_COMMON_PARTS, 700, 7, 600, 7, rule=PROPERTY, on=ON_2019
    )[1]
    assert PROPERTY.citation.verified is False
    assert CIVIL.citation.verified is True


def test_the_switch_on_2021_01_01() -> None:
    assert owners_rule_for(date(2020, 12, 31)) is PROPERTY
    assert owners_rule_for(date(2021, 1, 1)) is CIVIL
    assert owners_rule_for(date(2007, 10, 1)) is PROPERTY
    with pytest.raises(PolicyError):
        owners_rule_for(date(2007, 9, 30))
    with pytest.raises(PolicyError) as wrong:
        _decide(Matter.REBUILD, 1, 1, 1, 1, rule=CIVIL, on=date(2020, 12, 31))
    assert wrong.value.code == "policy.preset_not_in_force"


# --- the owners' roll, voting by unit, SPC interpretation 第九条 counting ----------------


def _roll(counting: OwnerCounting = OwnerCounting.SPC_ART9) -> OwnersRoll:
    units = [Unit(id=f"u{i}", area=square_metres("100.00"), owners=[f"d{i}"]) for i in range(6)]
    units += [
        Unit(id="x1", area=square_metres("50.25"), owners=["dx"]),
        Unit(id="x2", area=square_metres("49.75"), owners=["dx"]),  # one buyer, two parts
        Unit(id="dev1", area=square_metres("100")),  # developer
        Unit(id="dev2", area=square_metres("100")),
    ]
    return OwnersRoll(scope="a1", units=units, counting=counting)


def _vote(close: date) -> OwnersVote:
    closes = datetime(close.year, close.month, close.day, 18, tzinfo=SHANGHAI)
    return OwnersVote(
        id="ov",
        scope="a1",
        matter=Matter.CHANGE_USE_OF_COMMON_PARTS,
        question_zh="在公共区域安装充电桩？",
        question_en="Charging posts in a common area?",
        opens_at=closes - timedelta(days=10),
        closes_at=closes,
    )


def _cast(v: OwnersVote, roll: OwnersRoll, votes: dict[str, Choice]) -> OwnersState:
    s = OwnersState.start(v.id)
    for unit, choice in votes.items():
        s = cast_owner_vote(v, s, roll, unit=unit, choice=choice, at=v.opens_at + timedelta(1))
    return s


def test_spc_article_9_counting() -> None:
    roll = _roll()
    assert roll.total_area == 90000  # 900.00 m², exact
    assert roll.total_owners == 8  # six owners, the buyer of x1+x2 once, the developer once
    assert _roll(OwnerCounting.PER_UNIT).total_owners == 10
    assert roll.unit("dev1").owner_key == DEVELOPER
    assert format_area(roll.total_area) == "900.00 m²"


def test_an_owner_votes_once_for_all_their_parts() -> None:
    roll = _roll()
    v = _vote(ON_2025)
    s = _cast(v, roll, {"x1": Choice.IN_FAVOUR})
    with pytest.raises(BallotRefused) as info:
        cast_owner_vote(v, s, roll, unit="x2", choice=Choice.AGAINST, at=v.opens_at + timedelta(1))
    assert info.value.code == "owners.second_vote"
    d = decide_owners(v, s, roll)
    assert (d.participating_area, d.participating_owners) == (10000, 1)


def test_voting_by_unit_decides_with_the_rule_of_the_day() -> None:
    roll = _roll()
    favour = {f"u{i}": Choice.IN_FAVOUR for i in range(5)}
    # 5 owners of 8 with 500 m² of 900 m² take part: participation fails in 2021
    v21 = _vote(ON_2025)
    d21 = decide_owners(v21, _cast(v21, roll, favour), roll)
    assert d21.rule_key == "owners_decision_2021"
    assert (d21.verdicts["participation"].figures["area_met"], d21.passed) == (False, False)
    # the same ballots closing on 2020-12-31: 物权法, more than half of all area and owners
    v20 = _vote(date(2020, 12, 31))
    d20 = decide_owners(v20, _cast(v20, roll, favour), roll)
    assert (d20.rule_key, d20.passed) == ("owners_decision_2007", True)
    # and closing on 2021-01-01 the Civil Code applies
    v21b = _vote(date(2021, 1, 1))
    assert decide_owners(v21b, _cast(v21b, roll, favour), roll).rule_key == "owners_decision_2021"
    # add the developer (both its parts) and the buyer: 800 m² of 900, 7 of 8 owners
    more = {**favour, "dev1": Choice.IN_FAVOUR, "x2": Choice.AGAINST}
    d = decide_owners(v21, _cast(v21, roll, more), roll)
    assert d.verdicts["participation"].passed
    assert (d.in_favour_area, d.in_favour_owners, d.participating_owners) == (70000, 6, 7)
    assert d.participating_area == 80000
    assert d.passed  # 700/800 area and 6/7 owners: both at least 3/4
    assert d.verdicts["approval"].figures["decided_on"] == ON_2025


def test_refusals_and_malformed_rolls() -> None:
    roll = _roll()
    v = _vote(ON_2025)
    with pytest.raises(BallotRefused) as closed:
        cast_owner_vote(
            v, OwnersState.start("ov"), roll, unit="u1", choice=Choice.AGAINST, at=v.closes_at
        )
    assert closed.value.code == "voting.closed"
    with pytest.raises(BallotRefused) as unknown:
        cast_owner_vote(
            v, OwnersState.start("ov"), roll, unit="zz", choice=Choice.AGAINST, at=v.opens_at
        )
    assert unknown.value.code == "voting.unknown_unit"
    with pytest.raises(BallotRefused):
        decide_owners(v, OwnersState.start("ov"), roll, on=ON_2025 - timedelta(1))
    with pytest.raises(DataFormatError):
        Unit(id="u", area=0)
    with pytest.raises(DataFormatError):
        Unit(id="u", area=1.5)  # type: ignore[arg-type]
    with pytest.raises(DataFormatError):
        Unit(id="u", area=1, owners=[DEVELOPER])
    with pytest.raises(DataFormatError):
        OwnersRoll(scope="a", units=[Unit(id="u", area=1), Unit(id="u", area=2)])
    with pytest.raises(DataFormatError):
        decide_owners(v, OwnersState.start("other"), roll)


def test_square_metres_are_exact() -> None:
    assert square_metres("0.01") == 1
    assert square_metres("12.3") == 1230
    for bad in ("1.234", "-1", "1e3", "", "abc", "1.", "１２"):
        with pytest.raises(PolicyError):
            square_metres(bad)
    with pytest.raises(PolicyError):
        square_metres(1.5)  # type: ignore[arg-type]


def test_a_policy_can_require_the_owners_vote_for_common_parts() -> None:
    ps = PolicySet(owners_decide_common_parts=True)
    assert ps.vote_family(touches_common_parts=True) == "owners_decision"
    assert ps.vote_family(touches_common_parts=False) == "residents_meeting"
    assert PolicySet().vote_family(touches_common_parts=True) == "residents_meeting"
    with pytest.raises(PolicyError):
        PolicySet(owners_decide_common_parts="yes")  # type: ignore[arg-type]


@settings(max_examples=examples(80), deadline=None)
@given(
    data=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=50000),
            st.sampled_from(["a", "b", "c", "d", ""]),
            st.sampled_from([None, Choice.IN_FAVOUR, Choice.AGAINST, Choice.ABSTAIN]),
        ),
        min_size=1,
        max_size=12,
    ),
    matter=st.sampled_from(list(Matter)),
    close=st.sampled_from([date(2020, 12, 31), date(2021, 1, 1), ON_2025]),
)
def test_property_figures_are_consistent(
    data: list[tuple[int, str, Choice | None]], matter: Matter, close: date
) -> None:
    units = [
        Unit(id=f"u{i}", area=area, owners=[owner] if owner else [])
        for i, (area, owner, _) in enumerate(data)
    ]
    roll = OwnersRoll(scope="a1", units=units)
    v = attrs_evolve_matter(_vote(close), matter)
    s = OwnersState.start("ov")
    for i, (_, _, choice) in enumerate(data):
        if choice is None:
            continue
        unit = roll.unit(f"u{i}")
        assert unit is not None
        if unit.owner_key in s.ballots:
            with pytest.raises(BallotRefused, match="already voted"):
                cast_owner_vote(v, s, roll, unit=unit.id, choice=choice, at=v.opens_at)
        else:
            s = cast_owner_vote(v, s, roll, unit=unit.id, choice=choice, at=v.opens_at)
    d = decide_owners(v, s, roll)
    assert d.in_favour_area <= d.participating_area <= d.total_area == sum(a for a, _, _ in data)
    assert d.in_favour_owners <= d.participating_owners <= d.total_owners
    if d.passed:
        approval = d.verdicts["approval"]
        assert approval.figures["area_met"]
        assert approval.figures["owners_met"]


def attrs_evolve_matter(v: OwnersVote, matter: Matter) -> OwnersVote:
    return attrs.evolve(v, matter=matter)
