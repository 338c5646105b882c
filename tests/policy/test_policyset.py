"""Policy sets: checked when built, effective-dated and inherited down the governance graph."""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

import attrs
import pytest

from microgov.errors import NodeNotFound, PolicyError, Problem
from microgov.hierarchy import Hierarchy, Level, Node
from microgov.policy import (
    DEFAULT_SOURCE,
    POLICY_FIELDS,
    MeetingMode,
    Period,
    PeriodUnit,
    PolicyBook,
    PolicyEntry,
    PolicyOverride,
    PolicySet,
    SecondHand,
)

WD = PeriodUnit.WORKING_DAYS


def _tree() -> Hierarchy:
    return Hierarchy(
        [
            Node(id="town", level=Level.TOWN, name="罗店镇"),
            Node(id="dj", level=Level.LARGE_COMMUNITY, name="美兰西湖", parent="town"),
            Node(id="a1", level=Level.RESIDENTIAL_AREA, name="一", parent="dj"),
            Node(id="a2", level=Level.RESIDENTIAL_AREA, name="二", parent="dj"),
            Node(id="g1", level=Level.MICRO_GRID, name="一网格", parent="a1"),
        ]
    )


def _problem_fields(err: PolicyError) -> list[str | None]:
    problems = err.details["problems"]
    assert isinstance(problems, tuple)
    assert all(isinstance(p, Problem) for p in problems)
    return [p.field for p in problems]


# --- Period ----------------------------------------------------------------------------


def test_period_positional_and_keyword() -> None:
    assert Period(5, WD) == Period(amount=5, unit=WD)
    assert str(Period(12, PeriodUnit.HOURS)) == "12 hours"
    assert Period(3, PeriodUnit.CALENDAR_DAYS).label_zh == "3 个自然日"


@pytest.mark.parametrize(("amount", "unit"), [(-1, WD), (1.5, WD), (True, WD), (1, "hours")])
def test_period_refuses_nonsense(amount: object, unit: object) -> None:
    with pytest.raises(PolicyError) as err:
        Period(amount, unit)  # type: ignore[arg-type]
    assert err.value.code == "policy.bad_period"


def test_zero_period_is_allowed() -> None:
    assert Period(0, PeriodUnit.HOURS).amount == 0


# --- PolicySet -------------------------------------------------------------------------


def test_defaults_are_valid_and_documented_values() -> None:
    ps = PolicySet()
    assert ps.quorum_family == "residents_meeting"
    assert ps.meeting_mode is MeetingMode.HOUSEHOLDS
    assert ps.second_hand is SecondHand.REFUSE
    assert ps.notice_period == Period(5, WD)
    assert ps.tranches == (Fraction(1),)
    assert ps.project_cap_fen is None
    assert ps.min_support == 0
    assert ps.quorum_preset(date(2025, 12, 31)).key == "residents_meeting_2018"
    assert ps.quorum_preset(date(2026, 1, 1)).key == "residents_meeting_2025"


def test_tranches_from_a_list_become_a_tuple() -> None:
    ps = PolicySet(tranches=[Fraction(1, 4), Fraction(3, 4)])
    assert ps.tranches == (Fraction(1, 4), Fraction(3, 4))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tranches", (Fraction(1, 2), Fraction(1, 3))),
        ("tranches", ()),
        ("tranches", (Fraction(3, 2), Fraction(-1, 2))),
        ("tranches", (0.5, 0.5)),
        ("tranches", 7),
        ("project_cap_fen", -1),
        ("project_cap_fen", 10.0),
        ("min_support", Fraction(3, 2)),
        ("min_support", 0.5),
        ("ranking_min_sample", -3),
        ("quorum_family", "townhall"),
        ("quorum_family", 3),
        ("meeting_mode", "households"),
        ("second_hand", "refuse"),
        ("notice_period", 5),
        ("solicitation_period", None),
    ],
)
def test_a_bad_field_never_becomes_a_value(field: str, value: object) -> None:
    with pytest.raises(PolicyError) as err:
        PolicySet(**{field: value})  # type: ignore[arg-type]
    assert err.value.code == "policy.invalid"
    assert set(_problem_fields(err.value)) == {field}
    assert field in err.value.message_en
    assert field in err.value.message_zh


def test_every_bad_field_is_reported_at_once() -> None:
    with pytest.raises(PolicyError) as err:
        PolicySet(
            tranches=(Fraction(1, 2),),
            project_cap_fen=-5,
            min_support=Fraction(2),
            quorum_family="nope",
        )
    assert _problem_fields(err.value) == [
        "quorum_family",
        "tranches",
        "project_cap_fen",
        "min_support",
    ]
    assert err.value.details["fields"] == (
        "quorum_family",
        "tranches",
        "project_cap_fen",
        "min_support",
    )


def test_meeting_mode_must_be_allowed_by_the_family() -> None:
    with pytest.raises(PolicyError) as err:
        PolicySet(quorum_family="village_meeting", meeting_mode=MeetingMode.GROUP_REPRESENTATIVES)
    assert _problem_fields(err.value) == ["meeting_mode"]
    ok = PolicySet(quorum_family="village_meeting", meeting_mode=MeetingMode.ALL_ADULTS)
    assert ok.quorum_preset(date(2025, 1, 1)).key == "village_meeting"


def test_evolve_checks_again() -> None:
    with pytest.raises(PolicyError):
        attrs.evolve(PolicySet(), tranches=(Fraction(1, 3),))


# --- PolicyOverride and PolicyEntry ----------------------------------------------------


def test_override_checks_only_what_it_sets() -> None:
    assert PolicyOverride().fields_set() == ()
    o = PolicyOverride(project_cap_fen=0, meeting_mode=MeetingMode.ALL_ADULTS)
    assert o.fields_set() == ("meeting_mode", "project_cap_fen")
    with pytest.raises(PolicyError) as err:
        PolicyOverride(tranches=(Fraction(1, 2),), ranking_min_sample=-1)
    assert _problem_fields(err.value) == ["tranches", "ranking_min_sample"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"node_id": "", "effective_from": date(2025, 1, 1), "overrides": PolicyOverride()},
        {"node_id": 3, "effective_from": date(2025, 1, 1), "overrides": PolicyOverride()},
        {"node_id": "a", "effective_from": "2025-01-01", "overrides": PolicyOverride()},
        {"node_id": "a", "effective_from": datetime(2025, 1, 1), "overrides": PolicyOverride()},
        {"node_id": "a", "effective_from": date(2025, 1, 1), "overrides": {}},
    ],
)
def test_entry_refuses_nonsense(kwargs: dict[str, object]) -> None:
    with pytest.raises(PolicyError) as err:
        PolicyEntry(**kwargs)  # type: ignore[arg-type]
    assert err.value.code == "policy.bad_entry"


def test_book_refuses_duplicates_and_non_entries() -> None:
    book = PolicyBook().add("a1", date(2025, 1, 1), PolicyOverride())
    with pytest.raises(PolicyError) as err:
        book.add("a1", date(2025, 1, 1), PolicyOverride(ranking_min_sample=3))
    assert err.value.code == "policy.duplicate_entry"
    assert len(book.entries) == 1  # unchanged
    with pytest.raises(PolicyError):
        PolicyBook(entries=("a1",))  # type: ignore[arg-type]
    with pytest.raises(PolicyError):
        PolicyBook(defaults=PolicyOverride())  # type: ignore[arg-type]


def test_book_equality_ignores_entry_order() -> None:
    e1 = PolicyEntry(node_id="b", effective_from=date(2025, 1, 1), overrides=PolicyOverride())
    e2 = PolicyEntry(node_id="a", effective_from=date(2026, 1, 1), overrides=PolicyOverride())
    assert PolicyBook(entries=(e1, e2)) == PolicyBook(entries=(e2, e1))
    assert PolicyBook(entries=(e1, e2)).entries == (e2, e1)


# --- resolution ------------------------------------------------------------------------


def _notice_book() -> PolicyBook:
    return (
        PolicyBook()
        .add("town", date(2024, 1, 1), PolicyOverride(notice_period=Period(5, WD)))
        .add("a1", date(2025, 1, 1), PolicyOverride(notice_period=Period(7, WD)))
    )


def test_area_override_applies_from_its_date_and_only_below_it() -> None:
    book, h = _notice_book(), _tree()
    assert book.resolve(h, "a1", date(2024, 12, 31)).notice_period == Period(5, WD)
    assert book.resolve(h, "a1", date(2025, 1, 1)).notice_period == Period(7, WD)
    assert book.resolve(h, "g1", date(2025, 1, 1)).notice_period == Period(7, WD)
    assert book.resolve(h, "a2", date(2025, 1, 1)).notice_period == Period(5, WD)
    assert book.resolve(h, "town", date(2025, 1, 1)).notice_period == Period(5, WD)
    # before the town's entry: the defaults
    assert book.resolve(h, "a1", date(2023, 6, 1)) == PolicySet()


def test_resolution_explains_where_each_value_came_from() -> None:
    book = _notice_book().add("dj", date(2024, 6, 1), PolicyOverride(project_cap_fen=500_000))
    ps, sources = book.resolve_explained(_tree(), "g1", date(2025, 3, 1))
    assert ps.project_cap_fen == 500_000
    assert sources["notice_period"] == "a1"
    assert sources["project_cap_fen"] == "dj"
    assert sources["tranches"] == DEFAULT_SOURCE
    assert set(sources) == set(POLICY_FIELDS)
    with pytest.raises(TypeError):
        sources["tranches"] = "x"  # type: ignore[index]


def test_latest_entry_of_a_node_wins_and_lower_levels_win_over_higher() -> None:
    book = (
        PolicyBook()
        .add("town", date(2024, 1, 1), PolicyOverride(ranking_min_sample=5))
        .add("town", date(2025, 1, 1), PolicyOverride(ranking_min_sample=8))
        .add("a1", date(2024, 6, 1), PolicyOverride(ranking_min_sample=2))
    )
    h = _tree()
    assert book.resolve(h, "a2", date(2024, 12, 31)).ranking_min_sample == 5
    assert book.resolve(h, "a2", date(2025, 1, 1)).ranking_min_sample == 8
    assert book.resolve(h, "a1", date(2025, 1, 1)).ranking_min_sample == 2  # the area's own
    # A later entry replaces the node's earlier one as a whole: what it does not set is
    # inherited again.
    book2 = book.add("a1", date(2026, 1, 1), PolicyOverride(min_support=Fraction(1, 10)))
    ps, sources = book2.resolve_explained(h, "a1", date(2026, 1, 1))
    assert (ps.ranking_min_sample, sources["ranking_min_sample"]) == (8, "town")
    assert ps.min_support == Fraction(1, 10)


def test_book_defaults_are_the_starting_point() -> None:
    book = PolicyBook(defaults=PolicySet(second_hand=SecondHand.REPLACE))
    assert book.resolve(_tree(), "g1", date(2025, 1, 1)).second_hand is SecondHand.REPLACE


def test_values_that_do_not_fit_together_raise_naming_the_node() -> None:
    book = (
        PolicyBook()
        .add("town", date(2024, 1, 1), PolicyOverride(quorum_family="village_meeting"))
        .add("a1", date(2024, 1, 1), PolicyOverride(meeting_mode=MeetingMode.GROUP_REPRESENTATIVES))
    )
    h = _tree()
    assert book.resolve(h, "a2", date(2025, 1, 1)).quorum_family == "village_meeting"
    with pytest.raises(PolicyError) as err:
        book.resolve(h, "a1", date(2025, 1, 1))
    assert err.value.code == "policy.invalid"
    assert err.value.details["node_id"] == "a1"
    assert "a1" in err.value.message_en


def test_unknown_node_raises_node_not_found() -> None:
    with pytest.raises(NodeNotFound):
        PolicyBook().resolve(_tree(), "nowhere", date(2025, 1, 1))


def test_effective_is_the_latest_on_or_before() -> None:
    o1, o2 = PolicyOverride(ranking_min_sample=1), PolicyOverride(ranking_min_sample=2)
    book = PolicyBook().add("t", date(2025, 1, 1), o1).add("t", date(2025, 3, 1), o2)
    assert book.effective("t", date(2024, 12, 31)) is None
    assert book.effective("t", date(2025, 2, 28)) == o1
    assert book.effective("t", date(2025, 3, 1)) == o2
    assert book.effective("other", date(2025, 3, 1)) is None
