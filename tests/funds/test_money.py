"""Money: strict parsing, formatting, arithmetic and exact splitting."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microgov.errors import FundsError, MicrogovError
from microgov.funds import Money

money = st.builds(Money, fen=st.integers(min_value=-(10**12), max_value=10**12))


@st.composite
def shares(draw: st.DrawFn) -> tuple[Fraction, ...]:
    weights = draw(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8))
    if sum(weights) == 0:
        weights[0] = 1
    total = sum(weights)
    return tuple(Fraction(w, total) for w in weights)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1,234.56", 123456),
        ("1234.56元", 123456),
        ("¥1,234.5", 123450),
        ("￥1,234,567", 123456700),
        ("0.01", 1),
        ("0", 0),
        ("  12 ", 1200),
        ("-0.05", -5),
        ("-¥1,000.00", -100000),
    ],
)
def test_parse_accepts_the_usual_ways_of_writing_yuan(text: str, fen: int) -> None:
    assert Money.parse(text) == Money(fen=fen)


@pytest.mark.parametrize(
    "text",
    ["", "¥", "1.234", "1,23.4", "12,3456", "1,2345", ",123", "1e3", "1.5e2", "01", "00.1",
     "1.", ".5", "NaN", "inf", "1 234", "+1", "--1", "1,234.56元元", "¥-1", "一百"],
)  # fmt: skip
def test_parse_refuses_anything_loose(text: str) -> None:
    with pytest.raises(FundsError) as info:
        Money.parse(text)
    assert info.value.code == "funds.bad_amount"
    assert info.value.message_zh.startswith("金额格式错误")


@pytest.mark.parametrize("value", [1.5, 1, None, b"1.00", Fraction(1, 2)])
def test_parse_refuses_non_strings_including_floats(value: object) -> None:
    with pytest.raises(FundsError, match=r"funds\.bad_amount"):
        Money.parse(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [1.0, True, "1", Fraction(1)])
def test_fen_must_be_an_int(value: object) -> None:
    with pytest.raises(MicrogovError) as info:
        Money(fen=value)  # type: ignore[arg-type]
    assert info.value.code == "funds.bad_amount"


def test_of_yuan_takes_whole_yuan_only() -> None:
    assert Money.of_yuan(12) == Money(fen=1200)
    for bad in (1.5, True, "3"):
        with pytest.raises(FundsError):
            Money.of_yuan(bad)  # type: ignore[arg-type]


def test_formatting() -> None:
    assert str(Money(fen=123456)) == "¥1,234.56"
    assert str(Money(fen=5)) == "¥0.05"
    assert str(Money(fen=-123456789)) == "-¥1,234,567.89"
    assert Money(fen=100000).yuan_text == "1,000.00元"
    assert Money(fen=150).yuan == Fraction(3, 2)


def test_arithmetic_and_order() -> None:
    a, b = Money(fen=300), Money(fen=120)
    assert a + b == Money(fen=420)
    assert a - b == Money(fen=180)
    assert -a == Money(fen=-300)
    assert a * 3 == 3 * a == Money(fen=900)
    assert b < a <= a
    assert sorted([a, b]) == [b, a]
    with pytest.raises(TypeError):
        a * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        a * True  # type: ignore[operator]
    with pytest.raises(TypeError):
        a + 1  # type: ignore[operator]


def test_split_gives_remainders_to_the_largest_then_the_earliest() -> None:
    third = Fraction(1, 3)
    assert Money(fen=100).split((third, third, third)) == (
        Money(fen=34),
        Money(fen=33),
        Money(fen=33),
    )
    assert Money(fen=101).split((third, third, third)) == (
        Money(fen=34),
        Money(fen=34),
        Money(fen=33),
    )
    # 5 * (1/10, 9/10) = 0.5, 4.5: remainders tie, so the earliest gets the fen.
    assert Money(fen=5).split((Fraction(1, 10), Fraction(9, 10))) == (
        Money(fen=1),
        Money(fen=4),
    )
    # 10 * (1/6, 5/6) = 1.67, 8.33: the larger remainder (0.67) gets the fen.
    assert Money(fen=10).split((Fraction(1, 6), Fraction(5, 6))) == (
        Money(fen=2),
        Money(fen=8),
    )
    assert Money(fen=10).split((1,)) == (Money(fen=10),)


@pytest.mark.parametrize(
    "bad",
    [(), (Fraction(1, 2),), (Fraction(3, 2), Fraction(-1, 2)), (0.5, 0.5), [Fraction(1)]],
)
def test_split_refuses_shares_that_are_not_a_whole(bad: object) -> None:
    with pytest.raises(FundsError) as info:
        Money(fen=0).split(bad)  # type: ignore[arg-type]
    assert info.value.code == "funds.bad_shares"


@given(money)
def test_parse_of_str_round_trips(m: Money) -> None:
    assert Money.parse(str(m)) == m
    assert Money.parse(m.yuan_text) == m


@given(money, shares())
def test_split_is_exact_and_close_to_each_share(m: Money, parts: tuple[Fraction, ...]) -> None:
    split = m.split(parts)
    assert len(split) == len(parts)
    assert sum(p.fen for p in split) == m.fen
    for part, share in zip(split, parts, strict=True):
        assert abs(part.fen - m.fen * share) < 1
