"""Policy books from JSON and TOML: strict, every bad field by its path, round trips."""

from __future__ import annotations

import contextlib
import json
import pickle
from datetime import date, time, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microgov.errors import DataFormatError, MicrogovError
from microgov.hierarchy import Hierarchy, Level, Node
from microgov.policy import (
    POLICY_BOOK_FORMAT,
    POLICY_FIELDS,
    PRESETS,
    MeetingMode,
    Period,
    PeriodUnit,
    PolicyBook,
    PolicyEntry,
    PolicyOverride,
    PolicySet,
    SecondHand,
    dump_policy_book,
    dumps_policy_book,
    load_policy_book,
)

HEADER = {"format": POLICY_BOOK_FORMAT, "version": 1}

# --- strategies ----------------------------------------------------------------------

periods = st.builds(
    Period, st.integers(min_value=0, max_value=10_000), st.sampled_from(list(PeriodUnit))
)


@st.composite
def tranche_splits(draw: st.DrawFn) -> tuple[Fraction, ...]:
    weights = draw(st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=5))
    total = sum(weights)
    return tuple(Fraction(w, total) for w in weights)


@st.composite
def patrol_windows(draw: st.DrawFn) -> tuple[tuple[time, time], ...]:
    """Sorted, non-overlapping windows on whole minutes (touching allowed)."""
    marks = draw(
        st.lists(
            st.integers(min_value=0, max_value=24 * 60 - 1), min_size=2, max_size=8, unique=True
        )
    )
    marks.sort()
    minutes = [(a, b) for a, b in zip(marks[::2], marks[1::2], strict=False)]
    if draw(st.booleans()) and len(marks) >= 3:  # a touching pair: end of one = start of next
        minutes = [(marks[0], marks[1]), (marks[1], marks[2])]
    return tuple((time(*divmod(a, 60)), time(*divmod(b, 60))) for a, b in minutes)


minutes = st.integers(min_value=1, max_value=10**7).map(lambda m: timedelta(minutes=m))
shares = st.fractions(min_value=0, max_value=1, max_denominator=1000)
family_and_mode = st.sampled_from(
    [
        ("residents_meeting", MeetingMode.ALL_ADULTS),
        ("residents_meeting", MeetingMode.HOUSEHOLDS),
        ("residents_meeting", MeetingMode.GROUP_REPRESENTATIVES),
        ("village_meeting", MeetingMode.ALL_ADULTS),
        ("village_meeting", MeetingMode.HOUSEHOLDS),
    ]
)
field_values: dict[str, st.SearchStrategy[object]] = {
    "second_hand": st.sampled_from(list(SecondHand)),
    "solicitation_period": periods,
    "notice_period": periods,
    "tranches": tranche_splits(),
    "project_cap_fen": st.integers(min_value=0, max_value=10**12),
    "min_support": shares,
    "vote_period": periods,
    "evaluation_pass_mark": st.integers(min_value=0, max_value=100),
    "ranking_min_sample": st.integers(min_value=0, max_value=10**6),
    "patrol_windows": patrol_windows(),
    "patrols_on_working_days_only": st.booleans(),
    "response_target": minutes,
    "category_targets": st.dictionaries(st.text(min_size=1, max_size=8), minutes, max_size=4),
    "owners_decide_common_parts": st.booleans(),
}


@st.composite
def policy_sets(draw: st.DrawFn) -> PolicySet:
    family, mode = draw(family_and_mode)
    chosen = draw(st.lists(st.sampled_from(sorted(field_values)), unique=True))
    values = {name: draw(field_values[name]) for name in chosen}
    return PolicySet(quorum_family=family, meeting_mode=mode, **values)  # type: ignore[arg-type]


@st.composite
def overrides(draw: st.DrawFn) -> PolicyOverride:
    chosen = draw(st.lists(st.sampled_from(sorted(field_values)), unique=True))
    values = {name: draw(field_values[name]) for name in chosen}
    if draw(st.booleans()):
        values["quorum_family"], values["meeting_mode"] = draw(family_and_mode)
    return PolicyOverride(**values)  # type: ignore[arg-type]


node_ids = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=6
)


@st.composite
def books(draw: st.DrawFn) -> PolicyBook:
    keys = draw(
        st.lists(
            st.tuples(node_ids, st.dates(date(2000, 1, 1), date(2100, 12, 31))),
            unique=True,
            max_size=8,
        )
    )
    entries = [
        PolicyEntry(node_id=n, effective_from=d, overrides=draw(overrides())) for n, d in keys
    ]
    return PolicyBook(defaults=draw(policy_sets()), entries=tuple(entries))


# --- round trips ---------------------------------------------------------------------


@given(books())
def test_json_round_trip_is_the_identity(book: PolicyBook) -> None:
    text = dumps_policy_book(book)
    again = load_policy_book(text)
    assert again == book
    assert dumps_policy_book(again) == text  # deterministic


def test_empty_book_round_trip_and_shape() -> None:
    assert json.loads(dumps_policy_book(PolicyBook())) == HEADER
    assert load_policy_book(dumps_policy_book(PolicyBook())) == PolicyBook()


def test_dump_writes_only_what_differs() -> None:
    book = PolicyBook(defaults=PolicySet(project_cap_fen=100)).add(
        "a1",
        date(2025, 1, 1),
        PolicyOverride(
            notice_period=Period(7, PeriodUnit.WORKING_DAYS), min_support=Fraction(1, 3)
        ),
    )
    assert json.loads(dumps_policy_book(book)) == {
        **HEADER,
        "defaults": {"project_cap_fen": 100},
        "entries": [
            {
                "node_id": "a1",
                "effective_from": "2025-01-01",
                "overrides": {
                    "notice_period": {"amount": 7, "unit": "working_days"},
                    "min_support": "1/3",
                },
            }
        ],
    }


def test_file_round_trip_json_and_toml(tmp_path: Path) -> None:
    book = PolicyBook().add("t", date(2025, 1, 1), PolicyOverride(second_hand=SecondHand.REPLACE))
    path = tmp_path / "policy.json"
    dump_policy_book(book, path)
    assert load_policy_book(path) == book
    toml_path = tmp_path / "policy.toml"
    toml_path.write_text(
        'format = "microgov.policy_book"\nversion = 1\n'
        '[[entries]]\nnode_id = "t"\neffective_from = 2025-01-01\n'
        '[entries.overrides]\nsecond_hand = "replace"\n',
        encoding="utf-8",
    )
    assert load_policy_book(toml_path) == book


TOWN_TOML = """
format = "microgov.policy_book"
version = 1

[defaults]
meeting_mode = "households"
tranches = ["3/10", "7/10"]

[[entries]]
node_id = "town"
effective_from = 2024-01-01
overrides = { notice_period = { amount = 5, unit = "working_days" } }

[[entries]]
node_id = "a1"
effective_from = "2025-01-01"
overrides = { notice_period = { amount = 7, unit = "working_days" } }
"""


def test_toml_book_resolves_down_the_tree() -> None:
    book = load_policy_book(TOWN_TOML, format="toml")
    h = Hierarchy(
        [
            Node(id="town", level=Level.TOWN, name="罗店镇"),
            Node(id="a1", level=Level.RESIDENTIAL_AREA, name="一", parent="town"),
            Node(id="a2", level=Level.RESIDENTIAL_AREA, name="二", parent="town"),
        ]
    )
    seven, five = Period(7, PeriodUnit.WORKING_DAYS), Period(5, PeriodUnit.WORKING_DAYS)
    assert book.resolve(h, "a1", date(2024, 12, 31)).notice_period == five
    assert book.resolve(h, "a1", date(2025, 1, 1)).notice_period == seven
    assert book.resolve(h, "a2", date(2025, 1, 1)).notice_period == five
    assert book.resolve(h, "a2", date(2025, 1, 1)).tranches == (Fraction(3, 10), Fraction(7, 10))


def test_json_null_cap_means_no_cap_and_null_override_means_inherit() -> None:
    text = json.dumps(
        {
            **HEADER,
            "defaults": {"project_cap_fen": None},
            "entries": [
                {"node_id": "a", "effective_from": "2025-01-01", "overrides": {"tranches": None}}
            ],
        }
    )
    book = load_policy_book(text)
    assert book.defaults.project_cap_fen is None
    assert book.entries[0].overrides == PolicyOverride()


# --- errors --------------------------------------------------------------------------


def _problems(text: str, **kwargs: object) -> dict[str | None, str]:
    with pytest.raises(DataFormatError) as err:
        load_policy_book(text, **kwargs)  # type: ignore[arg-type]
    assert err.value.code == "data.records"
    assert err.value.message_zh
    return {p.field: p.message_en for p in err.value.problems}


def test_every_bad_field_is_reported_at_once_with_its_path() -> None:
    doc = {
        **HEADER,
        "defaults": {
            "tranches": ["1/2", "x"],
            "notice_period": {"amount": -1, "unit": "weeks"},
            "bogus": 1,
            "min_support": 0.5,
            "quorum_family": None,
        },
        "entries": [
            {"node_id": "a", "effective_from": "2025-01-01", "overrides": {}},
            {"node_id": "a", "effective_from": "2025-13-01", "overrides": {}},
            {
                "node_id": "b",
                "effective_from": "2025-01-01",
                "overrides": {"tranches": ["1/3", "1/3"]},
            },
            {"node_id": "", "effective_from": 20250101, "overrides": {"project_cap_fen": "5"}},
            {"node_id": "c", "effective_from": "2025-01-01"},
            [1, 2],
            {"node_id": "d", "effective_from": "2025-01-01", "overrides": {"second_hand": "twice"}},
        ],
    }
    found = _problems(json.dumps(doc))
    assert set(found) == {
        "$.defaults.tranches[1]",
        "$.defaults.notice_period.amount",
        "$.defaults.notice_period.unit",
        "$.defaults",
        "$.defaults.min_support",
        "$.defaults.quorum_family",
        "$.entries[1].effective_from",
        "$.entries[2].overrides.tranches",
        "$.entries[3].node_id",
        "$.entries[3].effective_from",
        "$.entries[3].overrides.project_cap_fen",
        "$.entries[4].overrides",
        "$.entries[5]",
        "$.entries[6].overrides.second_hand",
    }
    assert "bogus" in found["$.defaults"]
    assert "sum to exactly 1" in found["$.entries[2].overrides.tranches"]
    assert "required" in found["$.entries[4].overrides"]


def test_fields_that_do_not_fit_together_are_reported_by_path() -> None:
    doc = {
        **HEADER,
        "defaults": {"quorum_family": "village_meeting", "meeting_mode": "group_representatives"},
    }
    assert list(_problems(json.dumps(doc))) == ["$.defaults.meeting_mode"]


def test_strictness_no_coercion() -> None:
    doc = {
        **HEADER,
        "defaults": {
            "ranking_min_sample": "10",
            "project_cap_fen": 5.0,
            "second_hand": True,
            "min_support": 0,
            "tranches": "1",
        },
    }
    assert set(_problems(json.dumps(doc))) == {
        "$.defaults.ranking_min_sample",
        "$.defaults.project_cap_fen",
        "$.defaults.second_hand",
        "$.defaults.min_support",
        "$.defaults.tranches",
    }


def test_duplicate_entries_are_a_data_error() -> None:
    entry = {"node_id": "a", "effective_from": "2025-01-01", "overrides": {}}
    with pytest.raises(DataFormatError) as err:
        load_policy_book(json.dumps({**HEADER, "entries": [entry, entry]}))
    assert [p.code for p in err.value.problems] == ["policy.duplicate_entry"]


def test_toml_errors_have_paths_too() -> None:
    text = TOWN_TOML.replace('"3/10"', '"0.3"').replace("amount = 7", "amount = -7")
    assert set(_problems(text, format="toml")) == {
        "$.defaults.tranches[0]",
        "$.entries[1].overrides.notice_period.amount",
    }


def test_toml_datetime_is_not_a_date() -> None:
    text = TOWN_TOML.replace("effective_from = 2024-01-01", "effective_from = 2024-01-01T08:00:00")
    assert set(_problems(text, format="toml")) == {"$.entries[0].effective_from"}


@pytest.mark.parametrize(
    ("text", "fmt", "code"),
    [
        ("{", "json", "data.json"),
        ("", "json", "data.json"),
        ("[]", "json", "data.shape"),
        ("null", "json", "data.shape"),
        ('{"format": "microgov.hierarchy", "version": 1}', "json", "data.format_version"),
        ('{"format": "microgov.policy_book", "version": true}', "json", "data.format_version"),
        ('{"format": "microgov.policy_book", "version": 2}', "json", "data.format_version"),
        ("[" * 100_000, "json", "data.json"),
        ("format = ", "toml", "data.toml"),
        ("a = [" * 100_000, "toml", "data.toml"),
        ("x = 1", "toml", "data.format_version"),
        ('format = "microgov.policy_book"\nversion = 1\nentries = 3', "toml", "data.records"),
        ("{}", "yaml", "data.unknown_format"),
    ],
)
def test_malformed_input_raises_data_format_error(text: str, fmt: str, code: str) -> None:
    with pytest.raises(DataFormatError) as err:
        load_policy_book(text, format=fmt)  # type: ignore[arg-type]
    assert err.value.code == code


def test_bytes_and_files(tmp_path: Path) -> None:
    body = json.dumps(HEADER).encode()
    assert load_policy_book(b"\xef\xbb\xbf" + body) == PolicyBook()
    with pytest.raises(DataFormatError) as enc:
        load_policy_book(b"\xff\xfe{}")
    assert enc.value.code == "data.encoding"
    with pytest.raises(DataFormatError) as missing:
        load_policy_book(tmp_path / "nope.json")
    assert missing.value.code == "data.unreadable"
    with pytest.raises(DataFormatError) as unwritable:
        dump_policy_book(PolicyBook(), tmp_path / "no" / "dir.json")
    assert unwritable.value.code == "data.unwritable"
    with pytest.raises(DataFormatError):
        load_policy_book(42)  # type: ignore[arg-type]
    with pytest.raises(DataFormatError) as as_text:
        load_policy_book(str(tmp_path / "policy.toml"))
    assert as_text.value.code == "data.path_as_text"


def test_books_and_presets_pickle() -> None:
    book = PolicyBook().add("a", date(2025, 1, 1), PolicyOverride(ranking_min_sample=3))
    again = pickle.loads(pickle.dumps(book))
    assert again == book
    assert again.effective("a", date(2025, 2, 1)) == PolicyOverride(ranking_min_sample=3)
    preset = PRESETS["village_meeting"]
    assert pickle.loads(pickle.dumps(preset)) == preset


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from([*POLICY_FIELDS, "amount", "unit", "x"]), children, max_size=4
        )
    ),
    max_leaves=20,
)


@given(defaults=json_values, entries=json_values)
def test_arbitrary_json_only_ever_raises_microgov_errors(defaults: object, entries: object) -> None:
    text = json.dumps({**HEADER, "defaults": defaults, "entries": entries})
    with contextlib.suppress(MicrogovError):
        load_policy_book(text)


@given(st.text(max_size=200))
def test_arbitrary_text_only_ever_raises_microgov_errors(text: str) -> None:
    with contextlib.suppress(MicrogovError):
        load_policy_book(text, format="json")
    with contextlib.suppress(MicrogovError):
        load_policy_book(text, format="toml")
