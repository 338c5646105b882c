"""The fast scanner finds exactly what the straightforward regex pass finds.

:func:`microgov.personal.scan_text` searches the numbers through patterns without a
leading look-behind, which the regex engine can skip ahead on.  The reference
(``_first_scanner.py``) is the scanner as it was first written: one ``finditer`` per
pattern, look-behind first, over the whole text translated from full-width.  Both must
give the same findings (kind, span, masked form) on any text, and
:func:`~microgov.personal.redact_text` the same text.
"""

from __future__ import annotations

from collections.abc import Collection

from _first_scanner import reference_redact, reference_scan
from _personal_numbers import identity_numbers, mobile_numbers, near_misses
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov.personal import MOBILE_SECOND_DIGITS, PersonalKind, redact_text, scan_text
from profiles import examples

# -- texts: the number forms, touching each other and everything that may surround them --

FULL_WIDTH = str.maketrans({str(i): chr(0xFF10 + i) for i in range(10)} | {"+": "＋", "-": "－"})
SEPARATORS = st.sampled_from(["", " ", "-", "\u3000", "\uff0d"])
PREFIXES = st.sampled_from(
    ["", "86", "+86", "0086", "86 ", "+86-", "0086 ", "0086-", "0086\u3000", "00 86", "+ 86", "886"]
)


@st.composite
def spaced_identities(draw: st.DrawFn, numbers: st.SearchStrategy[str]) -> str:
    number = draw(numbers)
    if draw(st.booleans()):
        number = number.replace("X", draw(st.sampled_from(["x", "Ｘ", "ｘ"])))
    a, b = draw(SEPARATORS), draw(SEPARATORS)
    return f"{number[:6]}{a}{number[6:14]}{b}{number[14:]}"


@st.composite
def spaced_mobiles(draw: st.DrawFn, numbers: st.SearchStrategy[str]) -> str:
    number = draw(numbers)
    a, b = draw(SEPARATORS), draw(SEPARATORS)
    return f"{draw(PREFIXES)}{number[:3]}{a}{number[3:7]}{b}{number[7:]}"


def widened(fragments: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """The fragments, sometimes written in full-width digits and signs."""
    return st.tuples(fragments, st.booleans()).map(
        lambda pair: pair[0].translate(FULL_WIDTH) if pair[1] else pair[0]
    )


NUMBERS = widened(
    st.one_of(
        spaced_identities(identity_numbers()),
        spaced_mobiles(mobile_numbers()),
        spaced_mobiles(mobile_numbers()),
        spaced_identities(identity_numbers().flatmap(near_misses)),
        spaced_mobiles(mobile_numbers().flatmap(near_misses)),
    )
)
WORDS = st.sampled_from(
    ["中", "电话", "身份证", "，", "tel:", "ab", "F", "Ｘ", "ｘ", "*", "\n", "0086", "+86 "]
)
FILLERS = st.one_of(
    st.just(""),
    WORDS,
    st.sampled_from([*" -+Xx\u3000", "＋", "－"]),
    st.sampled_from([*"0123456789", "０", "１", "８", "６"]),
    st.text(alphabet="0123456789", min_size=1, max_size=22),
    st.text(alphabet="0123456789abcdef", min_size=20, max_size=40),  # digests and near-digests
    st.text(alphabet="0123456789 -", min_size=1, max_size=25),
)
# Numbers with what may touch them on either side.
TEXTS = st.tuples(st.lists(st.tuples(FILLERS, NUMBERS), max_size=6), FILLERS).map(
    lambda t: "".join(a + b for a, b in t[0]) + t[1]
)
SECOND_DIGITS = st.sampled_from([MOBILE_SECOND_DIGITS, "3456789", "", "0123456789", ("8",)])


@settings(max_examples=examples(500), deadline=None)
@given(TEXTS, SECOND_DIGITS)
def test_scan_and_redact_find_exactly_what_the_reference_finds(
    text: str, second_digits: Collection[str]
) -> None:
    assert scan_text(text, second_digits=second_digits) == reference_scan(text, second_digits)
    assert redact_text(text, second_digits=second_digits) == reference_redact(text, second_digits)


def test_the_texts_hold_numbers_to_find() -> None:
    """The strategy's number forms are found by the reference (the comparison is not empty)."""
    written = "0086 138-1234-5678 +86１３８１２３４５６７８ 110105 19491231 002ｘ"
    assert [f.kind for f in reference_scan(written)] == [
        PersonalKind.MOBILE,
        PersonalKind.MOBILE,
        PersonalKind.IDENTITY_NUMBER,
    ]
    assert scan_text(written) == reference_scan(written)


def test_a_country_code_reached_only_from_an_earlier_candidate() -> None:
    # Candidates for the number overlap; the look-behind sees the text before the search.
    for text in (
        "008613812345678",
        "0086 13812345678",
        "0086 0086 138 1234 5678",
        "86138123456781381234567",
        "1381234567813812345678",
        "+8613812345678+8613812345678",
        "1 86 138 1234 5678",
        "11010519491231002X13812345678",
        "911010519491231002X",
        "110105194912310021 11010519491231002X",
    ):
        assert scan_text(text) == reference_scan(text), text
