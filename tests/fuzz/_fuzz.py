"""Shared pieces of the loader fuzz tests: the time-bounded profile and the mutators.

Every loader is fed (a) valid documents mutated by one to four of: a byte flip,
truncation, an inserted separator, inserted random Unicode, a number made huge (or
``NaN``, ``1e999``…), deep nesting, a duplicated slice; and (b) random text and bytes.
Whatever it is given, a loader must return or raise a
:class:`~microgov.errors.MicrogovError`; any other exception fails the test.

The budget: ``MICROGOV_FUZZ_EXAMPLES`` examples per test, no deadline; without the variable,
120 scaled by the Hypothesis profile (30 in the quick default, 360 under
``HYPOTHESIS_PROFILE=ci``; see ``tests/profiles.py``).  Set the variable higher for a longer
local run, e.g. ``MICROGOV_FUZZ_EXAMPLES=5000``.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Sequence

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from microgov.errors import MicrogovError
from profiles import examples

settings.register_profile(
    "microgov-fuzz",
    max_examples=int(os.environ.get("MICROGOV_FUZZ_EXAMPLES") or examples(120)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("microgov-fuzz")
"""Decorate every fuzz test with this (``@FUZZ``): bounded examples, no deadline."""

SEPARATORS = (
    b",", b";", b":", b'"', b"'", b"\n", b"\r", b"\r\n", b"\t", b" ", b"{", b"}", b"[", b"]",
    b"=", b"#", b"\\", b"\x00", b"\xef\xbb\xbf", b"\xff", b"\xc3", b"$", b"/",
)  # fmt: skip
NUMBERS = (
    b"9" * 400, b"-" + b"9" * 400, b"1e999", b"-1e999", b"1E+400", b"NaN", b"Infinity",
    b"-Infinity", b"0.1", b"-0", b"1/0", b"0x10", b"1_000", b"\xef\xbc\x91", b"\xd9\xa3",
    b"99999999999999999999/1", b"10000-01-01", b"2026-02-30", b"2026-03-02T25:00:00",
)  # fmt: skip
NESTING = (b"[" * 5000, b"{" * 5000, b'{"a":' * 3000, b"[" * 500 + b"]" * 500, b"\\" * 2000)


def _flip(data: bytes, at: int, bit: int) -> bytes:
    if not data:
        return data
    i = at % len(data)
    return data[:i] + bytes([data[i] ^ (1 << bit)]) + data[i + 1 :]


def _truncate(data: bytes, at: int) -> bytes:
    return data[: at % (len(data) + 1)]


def _insert(data: bytes, at: int, piece: bytes) -> bytes:
    i = at % (len(data) + 1)
    return data[:i] + piece + data[i:]


def _replace_digits(data: bytes, at: int, piece: bytes) -> bytes:
    """Replace the run of digits at or after ``at`` by ``piece`` (else insert it)."""
    starts = [i for i in range(len(data)) if data[i : i + 1].isdigit()]
    if not starts:
        return _insert(data, at, piece)
    i = starts[at % len(starts)]
    j = i
    while j < len(data) and data[j : j + 1].isdigit():
        j += 1
    return data[:i] + piece + data[j:]


def _duplicate(data: bytes, at: int, length: int) -> bytes:
    if not data:
        return data
    i = at % len(data)
    return data[: i + length] + data[i : i + length] + data[i + length :]


positions = st.integers(min_value=0, max_value=1 << 20)
unicode_text = st.text(max_size=20).map(lambda s: s.encode("utf-8", "surrogatepass"))

mutations: st.SearchStrategy[Callable[[bytes], bytes]] = st.one_of(
    st.builds(lambda at, bit: lambda d: _flip(d, at, bit), positions, st.integers(0, 7)),
    st.builds(lambda at: lambda d: _truncate(d, at), positions),
    st.builds(
        lambda at, piece: lambda d: _insert(d, at, piece), positions, st.sampled_from(SEPARATORS)
    ),
    st.builds(lambda at, piece: lambda d: _insert(d, at, piece), positions, unicode_text),
    st.builds(
        lambda at, piece: lambda d: _replace_digits(d, at, piece),
        positions,
        st.sampled_from(NUMBERS),
    ),
    st.builds(
        lambda at, piece: lambda d: _insert(d, at, piece), positions, st.sampled_from(NESTING)
    ),
    st.builds(lambda at, n: lambda d: _duplicate(d, at, n), positions, st.integers(1, 200)),
)


def mutated(seeds: Sequence[bytes]) -> st.SearchStrategy[bytes]:
    """A seed document with one to four mutations applied in turn."""

    def apply(seed: bytes, steps: list[Callable[[bytes], bytes]]) -> bytes:
        for step in steps:
            seed = step(seed)
        return seed

    return st.builds(
        apply, st.sampled_from(list(seeds)), st.lists(mutations, min_size=1, max_size=4)
    )


def inputs(seeds: Sequence[bytes]) -> st.SearchStrategy[str | bytes]:
    """Mutated seeds (as bytes, or decoded to text when they still decode), random text, bytes."""
    as_text = mutated(seeds).map(lambda b: b.decode("utf-8", "replace"))
    return st.one_of(
        mutated(seeds),
        as_text,
        st.text(max_size=200),
        st.binary(max_size=200),
    )


def survives(load: Callable[[str | bytes], object], data: str | bytes) -> None:
    """Call ``load``; only a MicrogovError may come out (anything else fails the test)."""
    with contextlib.suppress(MicrogovError):
        load(data)


# -- structure-aware mutations: a JSON value or a table cell replaced --------------------

WEIRD_TEXT = (
    "", " ", "0", "-1", "1/0", "-1/3", "1/3", "0/0", "1e3", "NaN", "inf", "2026-02-30",
    "2026-13-01", "0000-01-01", "9999-12-31", "2026-03-02T09:00:00", "2026-03-02T09:00:00+08:00",
    "town", "residential_area", "micro_grid", "role", "pairing", "resource", "approval",
    "cumulative", "scoring", "ordinal", "working_days", "calendar_days", "replace", "\x00",
    "\ud800", "𝟙𝟚𝟛", "١٢٣", "１２３", "X" * 300, "a;b", 'a"b', "a,b", "a\nb", "$fraction",
    "$date", "$datetime", "310113101043", "31011310104300", "11010519491231002X",
)  # fmt: skip
json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**18, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(WEIRD_TEXT),
    st.text(max_size=10),
)
json_values = st.recursive(
    json_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.one_of(st.sampled_from(WEIRD_TEXT), st.text(max_size=5)), inner, max_size=3
        ),
    ),
    max_leaves=6,
)


def _slots(doc: object) -> list[tuple[list[object] | dict[str, object], int | str]]:
    """Every (container, key) of a parsed JSON document, in a fixed order."""
    found: list[tuple[list[object] | dict[str, object], int | str]] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in node:
                found.append((node, key))
                stack.append(node[key])
        elif isinstance(node, list):
            for i, item in enumerate(node):
                found.append((node, i))
                stack.append(item)
    return found


def _json_edit(doc: object, at: int, action: int, value: object) -> object:
    slots = _slots(doc)
    if not slots:
        return value
    container, key = slots[at % len(slots)]
    if action == 0 or (isinstance(container, list) and action == 2):
        container[key] = value  # type: ignore[index]
    elif action == 1:
        del container[key]  # type: ignore[arg-type]
    else:
        container[f"{key}_"] = value  # type: ignore[index]
    return doc


def json_mutated(seeds: Sequence[bytes]) -> st.SearchStrategy[str]:
    """A JSON seed with one to three values replaced, removed or added (as JSON text)."""

    def build(seed: bytes, edits: list[tuple[int, int, object]]) -> str:
        doc: object = json.loads(seed.decode("utf-8-sig"))
        for at, action, value in edits:
            doc = _json_edit(doc, at, action, value)
        return json.dumps(doc, ensure_ascii=False, allow_nan=True)

    edit = st.tuples(positions, st.integers(0, 2), json_values)
    return st.builds(build, st.sampled_from(list(seeds)), st.lists(edit, min_size=1, max_size=3))


TOML_VALUES = (
    "1979-05-27T07:32:00Z", "1979-05-27T07:32:00", "07:32:00", "1979-05-27", "2026-02-30",
    "inf", "-inf", "nan", "[1, 2]", "{a = 1}", '"x"', "true", "1e999", "0x10", "0o7", "0b1",
    "99999999999999999999999", "-0", '"1/0"', '"-1/3"', '"0/5"', "[[1]]", '""', "[]", "{}",
    '"replace"', '"working_days"', '{ amount = 7, unit = "working_days" }',
    '{ amount = -1, unit = "working_days" }', '["1/2", "1/2"]', '["1/2", "1/3"]',
)  # fmt: skip
toml_values = st.one_of(st.sampled_from(TOML_VALUES), st.integers().map(str))


def cells_mutated(
    seeds: Sequence[bytes], separator: str, values: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[str]:
    """A table seed (CSV, .pb, TOML lines) with one to three cells replaced by odd text."""

    def build(seed: bytes, edits: list[tuple[int, int, str]]) -> str:
        lines = [line.split(separator) for line in seed.decode("utf-8-sig").split("\n")]
        for row, column, text in edits:
            cells = lines[row % len(lines)]
            cells[column % len(cells)] = text
        return "\n".join(separator.join(cells) for cells in lines)

    text = (
        values
        if values is not None
        else st.one_of(st.sampled_from(WEIRD_TEXT), st.text(max_size=8), st.integers().map(str))
    )
    edit = st.tuples(positions, positions, text)
    return st.builds(build, st.sampled_from(list(seeds)), st.lists(edit, min_size=1, max_size=3))
