"""The electoral roll: validation, and who is entitled under each meeting mode."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from voting_world import graph, person, roll

from microgov.errors import DataFormatError, MicrogovError, NodeNotFound
from microgov.hierarchy import Hierarchy
from microgov.policy import MeetingMode
from microgov.voting import Resident, Roll
from profiles import examples
from strategies import hierarchies


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


def _naive_entitled(r: Roll, h: Hierarchy, scope: str, mode: MeetingMode) -> tuple[str, ...]:
    """The definition, resident by resident (what Roll.entitled computed before its index)."""
    h.node(scope)
    if mode is MeetingMode.HOUSEHOLDS:
        households = dict.fromkeys(x.household for x in r)
        return tuple(
            sorted(
                household
                for household in households
                if h.is_within(r.members(household)[0].home, scope)
                and any(r.may_raise(m, mode) for m in r.members(household))
            )
        )
    return tuple(x.id for x in r if h.is_within(x.home, scope) and r.may_raise(x, mode))


@st.composite
def _graph_and_roll(draw: st.DrawFn) -> tuple[Hierarchy, Roll, list[str]]:
    h = draw(hierarchies(max_nodes=15))
    ids = [n.id for n in h.nodes()]
    homes = st.sampled_from(ids)
    households = draw(st.lists(homes, min_size=0, max_size=8))
    residents: list[Resident] = []
    for k, home in enumerate(households):
        members = draw(st.integers(min_value=1, max_value=3))
        rep = draw(st.integers(min_value=-1, max_value=members - 1))
        for m in range(members):
            residents.append(
                Resident(
                    id=f"r{draw(st.integers(0, 10**6))}-{k}-{m}",
                    household=f"h{k}",
                    home=home,
                    adult=draw(st.booleans()),
                    verified=draw(st.booleans()),
                    household_representative=m == rep,
                    group_representative=draw(st.booleans()),
                )
            )
    return h, Roll(residents=draw(st.permutations(residents))), ids


@settings(max_examples=examples(100), deadline=None)
@given(_graph_and_roll(), st.data())
def test_entitled_equals_the_resident_by_resident_definition(
    world: tuple[Hierarchy, Roll, list[str]], data: st.DataObject
) -> None:
    h, r, ids = world
    for mode in MeetingMode:
        # twice per scope: the first call builds the roll's index by home, the second uses it
        for scope in data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3)) * 2:
            assert r.entitled(h, scope=scope, mode=mode) == _naive_entitled(r, h, scope, mode)


def test_entitled_reports_the_first_unknown_home_as_the_walk_over_the_roll_does() -> None:
    h = graph()
    stray = Roll(residents=[person("p1", "hp", "b999"), person("p2", "hq", "b998")])
    for mode in MeetingMode:
        with pytest.raises(NodeNotFound) as caught:
            stray.entitled(h, scope="a1", mode=mode)
        with pytest.raises(NodeNotFound) as naive:
            _naive_entitled(stray, h, "a1", mode)
        assert str(caught.value) == str(naive.value)
