"""Hypothesis strategies for identity and mobile numbers, valid and not."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from microgov.hierarchy import identity_check_char

PROVINCES = ("11", "12", "31", "32", "44", "65", "81")
KEY = bytes(range(100, 132))


@st.composite
def identity_numbers(draw: st.DrawFn) -> str:
    """A valid 18-character identity number (region, birth date and check character)."""
    region = draw(st.sampled_from(PROVINCES)) + f"{draw(st.integers(0, 9999)):04d}"
    born = date(1900, 1, 1) + timedelta(days=draw(st.integers(0, 73_000)))
    sequence = f"{draw(st.integers(0, 999)):03d}"
    first17 = region + born.strftime("%Y%m%d") + sequence
    return first17 + identity_check_char(first17)


@st.composite
def mobile_numbers(draw: st.DrawFn) -> str:
    """A valid mainland mobile number (11 digits, 1 then 3–9)."""
    second = draw(st.sampled_from("3456789"))
    return "1" + second + f"{draw(st.integers(0, 10**9 - 1)):09d}"


def near_misses(number: str) -> st.SearchStrategy[str]:
    """``number`` with one character changed, dropped or added (mostly invalid)."""
    positions = st.integers(0, len(number) - 1)
    characters = st.sampled_from("0123456789Xx-a ")
    changed = st.tuples(positions, characters).map(
        lambda p: number[: p[0]] + p[1] + number[p[0] + 1 :]
    )
    dropped = positions.map(lambda i: number[:i] + number[i + 1 :])
    added = st.tuples(positions, characters).map(lambda p: number[: p[0]] + p[1] + number[p[0] :])
    return st.one_of(changed, dropped, added)
