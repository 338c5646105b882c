"""Fuzzing the loaders: whatever they read, only a MicrogovError may come out.

See ``_fuzz.py`` for the mutations and the time budget (``MICROGOV_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from _fuzz import FUZZ, cells_mutated, inputs, json_mutated, mutated, survives, toml_values
from _seeds import (
    events_seeds,
    hierarchy_seeds,
    nbs_csv_seeds,
    node_csv_seeds,
    pabulib_seeds,
    policy_seeds,
)
from hypothesis import given
from hypothesis import strategies as st

from microgov.audit import loads_events
from microgov.funds import read_pabulib
from microgov.io import load_hierarchy, loads_hierarchy, nodes_from_csv, nodes_from_nbs_csv
from microgov.policy import load_policy_book

Loader = Callable[[str | bytes], object]


def policy_json(data: str | bytes) -> object:
    return load_policy_book(data, format="json")


def policy_toml(data: str | bytes) -> object:
    return load_policy_book(data, format="toml")


def test_every_seed_is_read_by_its_loader_or_refused_as_designed() -> None:
    for seeds, load in (
        (hierarchy_seeds(), loads_hierarchy),
        (node_csv_seeds(), nodes_from_csv),
        (nbs_csv_seeds(), nodes_from_nbs_csv),
        (pabulib_seeds(), read_pabulib),
        (policy_seeds()[:1], policy_json),
        (policy_seeds()[1:], policy_toml),
        (events_seeds(), loads_events),
    ):
        assert seeds
        for seed in seeds:
            survives(load, seed)
    loads_hierarchy(hierarchy_seeds()[0])
    policy_json(policy_seeds()[0])
    policy_toml(policy_seeds()[1])
    assert len(loads_events(events_seeds()[0])) == 2


@FUZZ
@given(st.one_of(inputs(hierarchy_seeds()), json_mutated(hierarchy_seeds()[:1])))
def test_fuzz_json_hierarchy_loader(data: str | bytes) -> None:
    survives(loads_hierarchy, data)


@FUZZ
@given(st.one_of(inputs(node_csv_seeds()), cells_mutated(node_csv_seeds()[:2], ",")))
def test_fuzz_node_csv_reader(data: str | bytes) -> None:
    survives(nodes_from_csv, data)


@FUZZ
@given(st.one_of(inputs(nbs_csv_seeds()), cells_mutated(nbs_csv_seeds()[:2], ",")))
def test_fuzz_nbs_csv_reader(data: str | bytes) -> None:
    survives(nodes_from_nbs_csv, data)


@FUZZ
@given(st.one_of(inputs(pabulib_seeds()), cells_mutated(pabulib_seeds(), ";")))
def test_fuzz_pabulib_reader(data: str | bytes) -> None:
    survives(read_pabulib, data)


@FUZZ
@given(st.one_of(inputs(policy_seeds()), json_mutated(policy_seeds()[:1])))
def test_fuzz_policy_book_json(data: str | bytes) -> None:
    survives(policy_json, data)


@FUZZ
@given(st.one_of(inputs(policy_seeds()), cells_mutated(policy_seeds()[1:], " = ", toml_values)))
def test_fuzz_policy_book_toml(data: str | bytes) -> None:
    survives(policy_toml, data)


@FUZZ
@given(st.one_of(inputs(events_seeds()), json_mutated(events_seeds())))
def test_fuzz_audit_loads_events(data: str | bytes) -> None:
    survives(loads_events, data)


@FUZZ
@given(mutated(hierarchy_seeds()[:1]), mutated(policy_seeds()))
def test_fuzz_file_readers(hierarchy: bytes, policy: bytes) -> None:
    """The path-taking loaders read the same bytes from a file, with the same guarantee."""
    with tempfile.TemporaryDirectory() as tmp:
        json_path = Path(tmp) / "h.json"
        json_path.write_bytes(hierarchy)
        survives(lambda _: load_hierarchy(json_path), b"")
        for name in ("p.json", "p.toml"):
            path = Path(tmp) / name
            path.write_bytes(policy)
            survives(lambda _, p=path: load_policy_book(p), b"")


@pytest.mark.skipif(os.name != "posix", reason="a directory in place of a file is POSIX-specific")
def test_a_directory_or_a_missing_file_is_a_microgov_error(tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "missing.json"):
        survives(lambda _, p=path: load_hierarchy(p), b"")
        survives(lambda _, p=path: load_policy_book(p), b"")
