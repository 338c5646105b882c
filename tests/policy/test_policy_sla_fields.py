"""The response-SLA fields of a policy set: patrol windows, working days, targets.

Checked when built (every problem at once), read from JSON/TOML strictly with their
paths, written back, and overridden per node down the governance graph.
"""

from __future__ import annotations

import json
import pickle
from datetime import UTC, date, time, timedelta

import pytest

from microgov.errors import DataFormatError, PolicyError, Problem
from microgov.hierarchy import Hierarchy, Level, Node
from microgov.policy import (
    POLICY_BOOK_FORMAT,
    POLICY_FIELDS,
    PolicyBook,
    PolicyOverride,
    PolicySet,
    dumps_policy_book,
    load_policy_book,
)

HEADER = {"format": POLICY_BOOK_FORMAT, "version": 1}
SLA_FIELDS = (
    "patrol_windows",
    "patrols_on_working_days_only",
    "response_target",
    "category_targets",
)


def _w(a: str, b: str) -> tuple[time, time]:
    return (time.fromisoformat(a), time.fromisoformat(b))


def _problems(err: PolicyError) -> list[tuple[str | None, str]]:
    found = err.details["problems"]
    assert isinstance(found, tuple)
    assert all(isinstance(p, Problem) for p in found)
    return [(p.field, p.message_en) for p in found]


def _load_problems(doc: object) -> dict[str | None, str]:
    with pytest.raises(DataFormatError) as err:
        load_policy_book(json.dumps(doc))
    assert err.value.code == "data.records"
    assert err.value.message_zh
    return {p.field: p.message_en for p in err.value.problems}


# --- the fields and their defaults ------------------------------------------------------


def test_the_new_fields_are_policy_fields_in_order() -> None:
    assert POLICY_FIELDS[-6:-1] == ("ranking_min_sample", *SLA_FIELDS)


def test_defaults_are_three_patrols_on_working_days_and_four_hours() -> None:
    ps = PolicySet()
    assert ps.patrol_windows == (
        _w("08:30", "09:30"),
        _w("13:30", "14:30"),
        _w("17:00", "18:00"),
    )
    assert ps.patrols_on_working_days_only is True
    assert ps.response_target == timedelta(hours=4)
    assert ps.category_targets == {}
    assert ps.ranking_min_sample == 10


def test_good_values_are_kept() -> None:
    ps = PolicySet(
        patrol_windows=[_w("09:00", "10:00"), _w("10:00", "11:00")],  # a list; touching is fine
        patrols_on_working_days_only=False,
        response_target=timedelta(minutes=90),
        category_targets={"safety": timedelta(hours=1), "noise": timedelta(hours=8)},
    )
    assert ps.patrol_windows == (_w("09:00", "10:00"), _w("10:00", "11:00"))
    assert ps.patrols_on_working_days_only is False
    assert ps.response_target == timedelta(minutes=90)
    assert list(ps.category_targets) == ["noise", "safety"]  # sorted
    assert ps.category_targets["safety"] == timedelta(hours=1)


def test_windows_given_as_lists_become_tuples() -> None:
    ps = PolicySet(patrol_windows=[[time(9), time(10)]])  # type: ignore[list-item]
    assert ps.patrol_windows == ((time(9), time(10)),)


def test_category_targets_are_read_only_hashable_and_pickle() -> None:
    targets = {"b": timedelta(hours=2), "a": timedelta(hours=1)}
    ps = PolicySet(category_targets=targets)
    targets["c"] = timedelta(hours=3)
    assert "c" not in ps.category_targets
    with pytest.raises(TypeError):
        ps.category_targets["c"] = timedelta(hours=3)  # type: ignore[index]
    assert repr(ps.category_targets) == (
        "{'a': datetime.timedelta(seconds=3600), 'b': datetime.timedelta(seconds=7200)}"
    )
    same = PolicySet(category_targets={"a": timedelta(hours=1), "b": timedelta(hours=2)})
    assert ps == same
    assert hash(ps) == hash(same)
    assert pickle.loads(pickle.dumps(ps)) == ps
    assert PolicySet(category_targets={"a": timedelta(hours=1)}) != ps


# --- bad values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("patrol_windows", (), "non-empty"),
        ("patrol_windows", "08:30-09:30", "non-empty"),
        ("patrol_windows", 3, "non-empty"),
        ("patrol_windows", (_w("09:00", "09:00"),), "window 0 must end after it starts"),
        ("patrol_windows", (_w("10:00", "09:00"),), "window 0 must end after it starts"),
        ("patrol_windows", ((time(9),),), "window 0 must be a (start, end) pair"),
        ("patrol_windows", (("09:00", "10:00"),), "window 0 must be a (start, end) pair"),
        (
            "patrol_windows",
            ((time(9, tzinfo=UTC), time(10, tzinfo=UTC)),),
            "without a time zone",
        ),
        ("patrol_windows", ((time(9, 0, 30), time(10)),), "whole minute"),
        (
            "patrol_windows",
            (_w("13:00", "14:00"), _w("08:00", "09:00")),
            "in order and must not overlap",
        ),
        (
            "patrol_windows",
            (_w("08:00", "09:00"), _w("08:30", "09:30")),
            "in order and must not overlap",
        ),
        ("patrols_on_working_days_only", 1, "True or False"),
        ("patrols_on_working_days_only", "yes", "True or False"),
        ("response_target", timedelta(0), "positive"),
        ("response_target", timedelta(minutes=-5), "positive"),
        ("response_target", timedelta(minutes=1, seconds=30), "whole minutes"),
        ("response_target", 240, "timedelta"),
        ("category_targets", [("safety", timedelta(hours=1))], "must map a category"),
        ("category_targets", {"safety": 60}, "the target of 'safety'"),
        ("category_targets", {"safety": timedelta(0)}, "the target of 'safety'"),
        ("category_targets", {"": timedelta(hours=1)}, "non-empty string"),
        ("category_targets", {3: timedelta(hours=1)}, "non-empty string"),
    ],
)
def test_a_bad_field_never_becomes_a_value(field: str, value: object, says: str) -> None:
    with pytest.raises(PolicyError) as err:
        PolicySet(**{field: value})  # type: ignore[arg-type]
    assert err.value.code == "policy.invalid"
    found = _problems(err.value)
    assert {f for f, _ in found} == {field}
    assert any(says in message for _, message in found), found
    assert field in err.value.message_en
    assert field in err.value.message_zh


def test_every_window_problem_is_reported_at_once() -> None:
    with pytest.raises(PolicyError) as err:
        PolicySet(
            patrol_windows=(
                _w("09:00", "10:00"),
                _w("09:30", "11:00"),  # overlaps window 0
                _w("12:00", "12:00"),  # empty
                ((time(13),)),  # type: ignore[arg-type]
            ),
            response_target=timedelta(0),
            category_targets={"a": timedelta(0), "b": timedelta(seconds=1)},
        )
    messages = _problems(err.value)
    assert [f for f, _ in messages] == [
        "patrol_windows",
        "patrol_windows",
        "patrol_windows",
        "response_target",
        "category_targets",
        "category_targets",
    ]
    assert "window 2 must end after it starts, got 12:00-12:00" in messages[0][1]
    assert "window 3 must be a (start, end) pair" in messages[1][1]
    assert "window 0 09:00-10:00 then window 1 09:30-11:00" in messages[2][1]
    assert "6 problem(s)" in err.value.message_en
    assert "巡查时段" in err.value.message_zh


def test_an_override_checks_the_new_fields_too() -> None:
    o = PolicyOverride(patrol_windows=[_w("09:00", "10:00")], response_target=timedelta(hours=1))
    assert o.fields_set() == ("patrol_windows", "response_target")
    assert o.patrol_windows == (_w("09:00", "10:00"),)
    assert PolicyOverride(category_targets={}).fields_set() == ("category_targets",)
    with pytest.raises(PolicyError) as err:
        PolicyOverride(patrol_windows=(), patrols_on_working_days_only=0)  # type: ignore[arg-type]
    assert [f for f, _ in _problems(err.value)] == [
        "patrol_windows",
        "patrols_on_working_days_only",
    ]


# --- override per node ------------------------------------------------------------------


def _tree() -> Hierarchy:
    return Hierarchy(
        [
            Node(id="town", level=Level.TOWN, name="罗店镇"),
            Node(id="a1", level=Level.RESIDENTIAL_AREA, name="一", parent="town"),
            Node(id="g1", level=Level.MICRO_GRID, name="一网格", parent="a1"),
            Node(id="g2", level=Level.MICRO_GRID, name="二网格", parent="a1"),
        ]
    )


def test_a_grid_overrides_its_windows_and_inherits_the_rest() -> None:
    h = _tree()
    evening = (_w("18:00", "19:00"), _w("20:00", "21:00"))
    book = (
        PolicyBook()
        .add(
            "town",
            date(2026, 1, 1),
            PolicyOverride(
                response_target=timedelta(hours=2),
                category_targets={"safety": timedelta(hours=1)},
            ),
        )
        .add(
            "g1",
            date(2026, 3, 1),
            PolicyOverride(patrol_windows=evening, patrols_on_working_days_only=False),
        )
    )
    g1, sources = book.resolve_explained(h, "g1", date(2026, 3, 2))
    g2 = book.resolve(h, "g2", date(2026, 3, 2))
    assert g1.patrol_windows == evening
    assert g1.patrols_on_working_days_only is False
    assert g2.patrol_windows == PolicySet().patrol_windows
    assert g2.patrols_on_working_days_only is True
    assert g1.response_target == g2.response_target == timedelta(hours=2)
    assert g1.category_targets == g2.category_targets == {"safety": timedelta(hours=1)}
    assert sources["patrol_windows"] == "g1"
    assert sources["response_target"] == sources["category_targets"] == "town"
    assert sources["ranking_min_sample"] == "default"
    # Before the grid's entry takes effect it has the defaults too.
    assert book.resolve(h, "g1", date(2026, 2, 28)).patrol_windows == PolicySet().patrol_windows


def test_an_override_of_category_targets_replaces_the_mapping_whole() -> None:
    h = _tree()
    book = (
        PolicyBook()
        .add("town", date(2026, 1, 1), PolicyOverride(category_targets={"a": timedelta(hours=1)}))
        .add("a1", date(2026, 1, 1), PolicyOverride(category_targets={"b": timedelta(hours=3)}))
    )
    assert book.resolve(h, "g1", date(2026, 1, 1)).category_targets == {"b": timedelta(hours=3)}


# --- the loader -------------------------------------------------------------------------


def test_json_fields_in_their_file_form() -> None:
    doc = {
        **HEADER,
        "defaults": {
            "patrol_windows": ["09:00-10:00", "15:30-16:30"],
            "patrols_on_working_days_only": False,
            "response_target": 120,
            "category_targets": {"safety": 60},
        },
        "entries": [
            {
                "node_id": "g1",
                "effective_from": "2026-03-01",
                "overrides": {"patrol_windows": ["07:00-08:00"], "response_target": 30},
            }
        ],
    }
    book = load_policy_book(json.dumps(doc))
    d = book.defaults
    assert d.patrol_windows == (_w("09:00", "10:00"), _w("15:30", "16:30"))
    assert d.patrols_on_working_days_only is False
    assert d.response_target == timedelta(hours=2)
    assert d.category_targets == {"safety": timedelta(hours=1)}
    o = book.entries[0].overrides
    assert o.patrol_windows == (_w("07:00", "08:00"),)
    assert o.response_target == timedelta(minutes=30)
    # Written back in the same form, only what differs from the defaults.
    assert json.loads(dumps_policy_book(book)) == doc
    assert load_policy_book(dumps_policy_book(book)) == book


def test_defaults_are_not_written() -> None:
    book = PolicyBook(defaults=PolicySet(response_target=timedelta(hours=4)))
    assert "defaults" not in json.loads(dumps_policy_book(book))


def test_toml_fields() -> None:
    book = load_policy_book(
        """
format = "microgov.policy_book"
version = 1
[defaults]
patrol_windows = ["08:00-09:00", "12:00-13:00", "18:00-19:00"]
patrols_on_working_days_only = true
response_target = 180
[defaults.category_targets]
safety = 30
"垃圾分类" = 480
""",
        format="toml",
    )
    assert book.defaults.patrol_windows == (
        _w("08:00", "09:00"),
        _w("12:00", "13:00"),
        _w("18:00", "19:00"),
    )
    assert book.defaults.response_target == timedelta(hours=3)
    assert book.defaults.category_targets == {
        "safety": timedelta(minutes=30),
        "垃圾分类": timedelta(hours=8),
    }


def test_bad_file_values_name_their_path() -> None:
    doc = {
        **HEADER,
        "defaults": {
            "patrol_windows": ["08:30-09:30", "8:30-9:30", "13:00–14:00", 9],
            "patrols_on_working_days_only": "true",
            "response_target": 0,
            "category_targets": {"safety": "60", "noise": -1, "": 5},
        },
        "entries": [
            {
                "node_id": "g1",
                "effective_from": "2026-01-01",
                "overrides": {
                    "patrol_windows": ["10:00-09:00"],
                    "response_target": 1.5,
                    "category_targets": [60],
                },
            },
            {
                "node_id": "g2",
                "effective_from": "2026-01-01",
                "overrides": {"patrol_windows": [], "patrols_on_working_days_only": 1},
            },
        ],
    }
    found = _load_problems(doc)
    assert set(found) == {
        "$.defaults.patrol_windows",
        "$.defaults.patrols_on_working_days_only",
        "$.defaults.response_target",
        "$.defaults.category_targets",
        "$.entries[0].overrides.patrol_windows",
        "$.entries[0].overrides.response_target",
        "$.entries[0].overrides.category_targets",
        "$.entries[1].overrides.patrol_windows",
        "$.entries[1].overrides.patrols_on_working_days_only",
    }
    windows = found["$.defaults.patrol_windows"]
    assert "window 1 must be a string like '08:30-09:30', got '8:30-9:30'" in windows
    assert "window 2" in windows
    assert "window 3" in windows
    assert "positive whole number of minutes, got 0" in found["$.defaults.response_target"]
    targets = found["$.defaults.category_targets"]
    assert "'safety'" in targets
    assert "'noise'" in targets
    assert "must end after it starts" in found["$.entries[0].overrides.patrol_windows"]
    assert "non-empty" in found["$.entries[1].overrides.patrol_windows"]


def test_a_file_window_out_of_order_is_refused() -> None:
    doc = {**HEADER, "defaults": {"patrol_windows": ["13:00-14:00", "08:00-09:00"]}}
    found = _load_problems(doc)
    assert "must not overlap" in found["$.defaults.patrol_windows"]


def test_an_empty_category_name_is_refused_from_a_file() -> None:
    found = _load_problems({**HEADER, "defaults": {"category_targets": {"": 5}}})
    assert "non-empty string" in found["$.defaults.category_targets"]


def test_too_many_minutes_is_a_data_error_not_a_crash() -> None:
    found = _load_problems({**HEADER, "defaults": {"response_target": 10**15}})
    assert "too many minutes" in found["$.defaults.response_target"]


def test_null_inherits_in_an_override() -> None:
    doc = {
        **HEADER,
        "entries": [
            {
                "node_id": "g1",
                "effective_from": "2026-01-01",
                "overrides": {"patrol_windows": None, "category_targets": None},
            }
        ],
    }
    assert load_policy_book(json.dumps(doc)).entries[0].overrides == PolicyOverride()
