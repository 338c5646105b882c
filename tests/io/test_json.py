"""JSON round trip, strictness and every malformed input giving a MicrogovError."""

from __future__ import annotations

import contextlib
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microgov.datasets import meilan_xihu
from microgov.errors import DataFormatError, HierarchyValidationError, MicrogovError
from microgov.hierarchy import Hierarchy, Level, Node, Rename
from microgov.io import converter, dump_hierarchy, dumps_hierarchy, load_hierarchy, loads_hierarchy
from strategies import hierarchies

MALFORMED = Path(__file__).parent.parent / "data" / "malformed"
HEADER = '{"format": "microgov.hierarchy", "version": 1, '


@given(hierarchies())
def test_round_trip_is_the_identity(h: Hierarchy) -> None:
    text = dumps_hierarchy(h)
    again = loads_hierarchy(text)
    assert again == h
    assert dumps_hierarchy(again) == text  # deterministic output


def test_round_trip_keeps_history() -> None:
    h = meilan_xihu()
    again = loads_hierarchy(dumps_hierarchy(h))
    assert again.changes == h.changes
    assert again.as_of(date(2022, 1, 1)) == h.as_of(date(2022, 1, 1))


def test_output_does_not_depend_on_input_order() -> None:
    nodes = [
        Node(id="t", level=Level.TOWN, name="t"),
        Node(id="a", level=Level.RESIDENTIAL_AREA, name="a", parent="t"),
        Node(id="b", level=Level.RESIDENTIAL_AREA, name="b", parent="t"),
    ]
    assert dumps_hierarchy(Hierarchy(nodes)) == dumps_hierarchy(Hierarchy(reversed(nodes)))


def test_file_round_trip(tmp_path: Path) -> None:
    h = meilan_xihu().apply(Rename(node_id="area-01", name="改名", effective=date(2025, 1, 1)))
    path = tmp_path / "h.json"
    dump_hierarchy(h, path)
    assert load_hierarchy(path) == h
    assert path.read_text(encoding="utf-8").endswith("}\n")


def test_bom_and_bytes_are_accepted() -> None:
    text = HEADER + '"nodes": [{"id": "t", "level": "town", "name": "罗店镇"}]}'
    assert len(loads_hierarchy(("\ufeff" + text).encode())) == 1
    assert len(loads_hierarchy("\ufeff" + text)) == 1


def test_converter_does_not_coerce() -> None:
    with pytest.raises(DataFormatError) as caught:
        loads_hierarchy(
            HEADER + '"nodes": [{"id": 5, "level": "town", "name": "t", "households": "3"}]}'
        )
    fields = {p.field for p in caught.value.problems}
    assert fields == {"$.nodes[0].id", "$.nodes[0].households"}
    assert converter.unstructure(date(2024, 1, 2)) == "2024-01-02"


def test_every_bad_field_is_listed_with_its_path() -> None:
    with pytest.raises(DataFormatError) as caught:
        loads_hierarchy((MALFORMED / "wrong_types.json").read_text())
    err = caught.value
    assert err.code == "data.records"
    paths = sorted(p.field or "" for p in err.problems)
    assert paths == [
        "$.links",
        "$.nodes[0].households",
        "$.nodes[0].id",
        "$.nodes[0].name",
        "$.nodes[0].synthetic",
    ]
    assert all(p.message_zh for p in err.problems)


def test_node_checks_surface_as_field_problems() -> None:
    with pytest.raises(DataFormatError) as caught:
        loads_hierarchy(HEADER + '"nodes": [{"id": " t", "level": "town", "name": "x"}]}')
    assert "id must be" in caught.value.problems[0].message_en


@pytest.mark.parametrize(
    ("name", "error", "code"),
    [
        ("cycle.json", HierarchyValidationError, "hierarchy.invalid"),
        ("orphan.json", HierarchyValidationError, "hierarchy.invalid"),
        ("duplicate_id.json", HierarchyValidationError, "hierarchy.invalid"),
        ("level_order.json", HierarchyValidationError, "hierarchy.invalid"),
        ("bad_codes.json", HierarchyValidationError, "hierarchy.invalid"),
        ("broken.json", DataFormatError, "data.json"),
        ("wrong_types.json", DataFormatError, "data.records"),
        ("empty.json", DataFormatError, "data.json"),
        ("top_level_list.json", DataFormatError, "data.shape"),
        ("wrong_format.json", DataFormatError, "data.format_version"),
        ("unknown_field.json", DataFormatError, "data.records"),
        ("change_on_missing_node.json", MicrogovError, "hierarchy.unknown_node"),
        ("not_utf8.json", DataFormatError, "data.encoding"),
    ],
)
def test_malformed_json_corpus(name: str, error: type[MicrogovError], code: str) -> None:
    with pytest.raises(error) as caught:
        load_hierarchy(MALFORMED / name)
    assert caught.value.code == code
    assert caught.value.message_zh


def test_bad_codes_names_both_problems() -> None:
    with pytest.raises(HierarchyValidationError) as caught:
        load_hierarchy(MALFORMED / "bad_codes.json")
    assert [(p.code, p.subject) for p in caught.value.problems] == [
        ("hierarchy.bad_code", "a"),
        ("hierarchy.code_prefix", "c"),
    ]


def test_deeply_nested_json_is_a_format_error() -> None:
    with pytest.raises(DataFormatError) as caught:
        loads_hierarchy("[" * 200_000 + "]" * 200_000)
    assert caught.value.code == "data.json"


def test_missing_file_and_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DataFormatError) as caught:
        load_hierarchy(tmp_path / "nope.json")
    assert caught.value.code == "data.unreadable"
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"format": "microgov.hierarchy", "version": 1, "pad": "x" * 5000}))
    monkeypatch.setattr("microgov._serde.MAX_BYTES", 1000)
    with pytest.raises(DataFormatError) as caught:
        load_hierarchy(big)
    assert caught.value.code == "data.too_large"


def test_large_file_with_one_bad_node_at_the_end(tmp_path: Path) -> None:
    nodes = [{"id": "t", "level": "town", "name": "t"}]
    nodes += [
        {"id": f"a{i}", "level": "residential_area", "name": "a", "parent": "t"}
        for i in range(50_000)
    ]
    nodes.append({"id": "x", "level": "micro_grid", "name": "x", "parent": "t"})
    path = tmp_path / "large.json"
    path.write_text(json.dumps({"format": "microgov.hierarchy", "version": 1, "nodes": nodes}))
    with pytest.raises(HierarchyValidationError) as caught:
        load_hierarchy(path)
    assert [(p.code, p.subject) for p in caught.value.problems] == [("hierarchy.level_order", "x")]


@given(st.text(max_size=200))
def test_arbitrary_text_never_escapes_as_another_exception(text: str) -> None:
    with contextlib.suppress(MicrogovError):
        loads_hierarchy(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
node_like = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values | st.just("n1"),
        "level": json_values | st.sampled_from(["town", "micro_grid", "residential_area"]),
        "name": json_values | st.just("名"),
        "parent": json_values | st.just("n1"),
        "code": json_values | st.just("310113101043"),
        "status_since": json_values | st.just("2024-02-30"),
        "households": json_values,
    },
)


@given(
    st.fixed_dictionaries(
        {"format": st.just("microgov.hierarchy"), "version": st.just(1)},
        optional={
            "nodes": st.lists(node_like, max_size=4) | json_values,
            "links": st.lists(json_values, max_size=3),
            "changes": st.lists(
                st.fixed_dictionaries(
                    {"type": st.sampled_from(["add_node", "move_node", "rename", "x"])},
                    optional={
                        "effective": st.just("2024-01-01") | json_values,
                        "node_id": json_values,
                        "node": node_like,
                    },
                ),
                max_size=3,
            ),
            "scheme": json_values,
        },
    )
)
def test_structured_garbage_only_raises_microgov_errors(doc: dict[str, object]) -> None:
    with contextlib.suppress(MicrogovError):
        loads_hierarchy(json.dumps(doc))
