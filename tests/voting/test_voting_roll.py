"""The electoral roll: validation, and who is entitled under each meeting mode."""

from __future__ import annotations

import pytest
from voting_world import graph, person, roll

from microgov.errors import DataFormatError, MicrogovError, NodeNotFound
from microgov.policy import MeetingMode
from microgov.voting import Resident, Roll


def test_roll_is_sorted_and_looked_up_by_id() -> None:
    r = roll()
    assert [x.id for x in r] == sorted(x.id for x in r)
    assert len(r) == 10
    assert r["r4"].household == "h2"
    assert "r4" in r
    assert "nobody" not in r
    assert r.get("nobody") is None
    assert [x.id for x in r.members("h1")] == ["r1", "r2", "r3"]
    assert r.members("h-none") == ()
    assert Roll(residents=reversed(list(r))) == r


def test_roll_reports_every_problem_at_once() -> None:
    with pytest.raises(DataFormatError) as caught:
        Roll(
            residents=[
                person("x1", "hx", "b111", rep=True),
                person("x1", "hy", "b111"),
                person("x2", "hx", "b112", rep=True),
                "not a resident",  # type: ignore[list-item]
            ]
        )
    err = caught.value
    assert err.code == "voting.invalid_roll"
    assert sorted(p.code for p in err.problems) == [
        "voting.duplicate_resident",
        "voting.household_split",
        "voting.not_a_resident",
        "voting.two_household_representatives",
    ]
    assert isinstance(err, MicrogovError)
    assert isinstance(err, ValueError)


def test_roll_needs_an_iterable() -> None:
    with pytest.raises(DataFormatError) as caught:
        Roll(residents=3)  # type: ignore[arg-type]
    assert caught.value.code == "voting.invalid_roll"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", ""),
        ("id", " r1"),
        ("household", 7),
        ("home", None),
        ("adult", 1),
        ("verified", "yes"),
        ("household_representative", None),
        ("group_representative", 0),
    ],
)
def test_resident_fields_are_checked(field: str, value: object) -> None:
    fields: dict[str, object] = {
        "id": "r1",
        "household": "h1",
        "home": "b111",
        "adult": True,
        "verified": True,
    }
    fields[field] = value
    with pytest.raises(DataFormatError) as caught:
        Resident(**fields)  # type: ignore[arg-type]
    assert caught.value.code == "voting.invalid_resident"
    assert caught.value.details["field"] == field


def test_entitled_per_mode() -> None:
    h, r = graph(), roll()
    assert r.entitled(h, scope="a1", mode=MeetingMode.ALL_ADULTS) == (
        "r1",
        "r10",
        "r2",
        "r4",
        "r6",
        "r9",
    )
    # h4 has nobody verified: it cannot raise a hand and is not in the denominator.
    assert r.entitled(h, scope="a1", mode=MeetingMode.HOUSEHOLDS) == ("h1", "h2", "h3", "h6")
    assert r.entitled(h, scope="a1", mode=MeetingMode.GROUP_REPRESENTATIVES) == ("r6",)
    assert r.entitled(h, scope="g11", mode=MeetingMode.HOUSEHOLDS) == ("h1", "h2", "h6")
    assert r.entitled(h, scope="b121", mode=MeetingMode.ALL_ADULTS) == ("r6",)
    assert r.entitled(h, scope="t", mode=MeetingMode.GROUP_REPRESENTATIVES) == ("r6", "r8")


def test_household_without_a_designated_representative_may_raise_through_any_adult() -> None:
    r = roll()
    assert r.may_raise(r["r1"], MeetingMode.HOUSEHOLDS)
    assert not r.may_raise(r["r2"], MeetingMode.HOUSEHOLDS)  # h1 designated r1
    assert r.may_raise(r["r9"], MeetingMode.HOUSEHOLDS)
    assert r.may_raise(r["r10"], MeetingMode.HOUSEHOLDS)
    assert not r.may_raise(r["r3"], MeetingMode.ALL_ADULTS)  # a minor
    assert not r.may_raise(r["r5"], MeetingMode.ALL_ADULTS)  # not verified
    assert not r.may_raise(r["r1"], MeetingMode.GROUP_REPRESENTATIVES)


def test_an_unverified_designated_representative_leaves_the_household_without_a_hand() -> None:
    h = graph()
    r = Roll(
        residents=[
            person("p1", "hp", "b111", rep=True, verified=False),
            person("p2", "hp", "b111"),
        ]
    )
    assert r.entitled(h, scope="a1", mode=MeetingMode.HOUSEHOLDS) == ()
    assert r.entitled(h, scope="a1", mode=MeetingMode.ALL_ADULTS) == ("p2",)


def test_unknown_scope_or_home_is_a_node_error() -> None:
    h = graph()
    with pytest.raises(NodeNotFound):
        roll().entitled(h, scope="nowhere", mode=MeetingMode.ALL_ADULTS)
    stray = Roll(residents=[person("p1", "hp", "b999")])
    with pytest.raises(NodeNotFound):
        stray.entitled(h, scope="a1", mode=MeetingMode.ALL_ADULTS)
