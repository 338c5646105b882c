"""Official codes: division, town, statistical, class, grid, identity and credit codes."""

from __future__ import annotations

import csv
import datetime
import io
import pickle
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microgov import _numbers
from microgov.datasets import committees_csv
from microgov.errors import InvalidCodeError
from microgov.hierarchy import (
    URBAN_RURAL_CLASSES,
    CommitteeKind,
    TownKind,
    _codes,
    committee_kind,
    credit_check_char,
    division_prefix,
    grid_code,
    identity_check_char,
    is_credit_code,
    is_division_code,
    is_grid_code,
    is_identity_number,
    is_stat_code,
    is_town_code,
    mask_identity_number,
    parse_class_code,
    parse_credit_code,
    parse_division_code,
    parse_grid_code,
    parse_identity_number,
    parse_stat_code,
    parse_town_code,
    town_kind,
)

# The province prefixes of GB/T 2260, written out independently of the module.
PROVINCES = frozenset(
    f"{n:02d}"
    for n in [
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
    ]
)
DIGITS = "0123456789"
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

LUODIAN = "310113101"  # 罗店镇, 宝山区 (310113), 上海市 (310000 / 310100)
MRJY_043 = "310113101043"  # 美罗家园金丰苑第一居委会 (2023)
MRJY_043_OLD = "310113101401"  # the same committee until 2022 (类似居委会 range)
GB11643_EXAMPLE = "11010519491231002X"  # GB 11643-1999, Annex A
CREDIT_EXAMPLE = "91350100M000100Y43"


def _error(call: Callable[[], object]) -> InvalidCodeError:
    with pytest.raises(InvalidCodeError) as info:
        call()
    return info.value


# --------------------------------------------------------------------------- API


def test_all_lists_exactly_the_public_api() -> None:
    assert set(_codes.__all__) == {
        "URBAN_RURAL_CLASSES",
        "CommitteeKind",
        "TownKind",
        "committee_kind",
        "division_prefix",
        "grid_code",
        "is_division_code",
        "is_grid_code",
        "is_stat_code",
        "is_town_code",
        "parse_class_code",
        "parse_division_code",
        "parse_grid_code",
        "parse_stat_code",
        "parse_town_code",
        "town_kind",
    }
    assert all(hasattr(_codes, name) for name in _codes.__all__)


def test_identity_numbers_and_credit_codes_left_the_division_codes() -> None:
    moved = {
        "credit_check_char",
        "identity_check_char",
        "is_credit_code",
        "is_identity_number",
        "mask_identity_number",
        "parse_credit_code",
        "parse_identity_number",
    }
    assert moved <= set(_numbers.__all__)
    assert not moved & set(_codes.__all__)
    # still exported where users import them
    import microgov.hierarchy
    import microgov.personal

    assert moved <= set(microgov.hierarchy.__all__)
    identity = {name for name in moved if "identity" in name}
    assert identity <= set(microgov.personal.__all__)


def test_kind_enums_have_keys_and_labels() -> None:
    assert [(k.value, k.label_zh) for k in TownKind] == [
        ("subdistrict", "街道"),
        ("town", "镇"),
        ("township", "乡"),
        ("town_like", "类似乡级单位"),
    ]
    assert [(k.value, k.label_zh) for k in CommitteeKind] == [
        ("residents", "居委会"),
        ("village", "村委会"),
        ("residents_like", "类似居委会"),
        ("village_like", "类似村委会"),
    ]
    assert all(k.label_en for k in [*TownKind, *CommitteeKind])
    assert TownKind("town") is TownKind.TOWN


def test_urban_rural_classes_are_the_seven_codes_and_read_only() -> None:
    assert list(URBAN_RURAL_CLASSES) == ["111", "112", "121", "122", "123", "210", "220"]
    assert URBAN_RURAL_CLASSES["111"] == ("主城区", "main urban area")
    assert URBAN_RURAL_CLASSES["220"][0] == "村庄"
    with pytest.raises(TypeError):
        URBAN_RURAL_CLASSES["999"] = ("x", "x")  # type: ignore[index]


# --------------------------------------------------------------------------- bad input of any kind

PARSERS: list[tuple[Callable[[object], object], str]] = [
    (parse_division_code, "code.division"),
    (parse_town_code, "code.town"),
    (parse_stat_code, "code.stat"),
    (parse_class_code, "code.class"),
    (parse_grid_code, "code.grid"),
    (parse_identity_number, "code.identity"),
    (parse_credit_code, "code.credit"),
]
PREDICATES = [
    is_division_code,
    is_town_code,
    is_stat_code,
    is_grid_code,
    is_identity_number,
    is_credit_code,
]


class _BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


NON_STRINGS = [310113, 310113101043, 3.5, None, b"310113", ["310113"], True, _BadRepr()]


@pytest.mark.parametrize("value", NON_STRINGS, ids=lambda v: type(v).__name__)
@pytest.mark.parametrize(("parse", "code"), PARSERS, ids=lambda p: getattr(p, "__name__", p))
def test_non_str_input_is_an_invalid_code_error_not_a_type_error(
    parse: Callable[[object], object], code: str, value: object
) -> None:
    err = _error(lambda: parse(value))
    assert err.code == code
    assert err.details["reason"] == "type"
    assert isinstance(err, ValueError)
    assert "str" in err.message_en
    assert "str" in err.message_zh


@pytest.mark.parametrize("value", [*NON_STRINGS, "", " ", "310113 ", "３１０１１３", "x" * 1000])
@pytest.mark.parametrize("predicate", PREDICATES)
def test_predicates_answer_false_and_never_raise(
    predicate: Callable[[object], bool], value: object
) -> None:
    assert predicate(value) is False


@pytest.mark.parametrize(
    ("parse", "value", "length"),
    [
        (parse_division_code, "31011", 5),
        (parse_division_code, "3101130", 7),
        (parse_stat_code, "31011310104", 11),
        (parse_stat_code, "3101131010430", 13),
        (parse_class_code, "11", 2),
        (parse_class_code, "1111", 4),
        (parse_town_code, "31011310", 8),
        (parse_town_code, "3101131010", 10),
        (parse_town_code, "31011310100", 11),
    ],
)
def test_wrong_length_says_how_long_it_is(
    parse: Callable[[object], object], value: str, length: int
) -> None:
    err = _error(lambda: parse(value))
    assert err.details["reason"] == "length"
    assert err.details["length"] == length
    assert f"has {length}" in err.message_en
    assert f"为 {length} 位" in err.message_zh


@pytest.mark.parametrize(
    ("value", "position"),
    [
        ("31011A", 6),
        ("31O113", 3),  # letter O for zero
        (" 310113", 1),
        ("310113 ", 7),
        ("３１０１１３", 1),  # full-width digits
        ("31011٣", 6),  # Arabic-Indic digit: str.isdigit() would accept it
        ("3101-13", 5),
    ],
)
def test_non_digits_are_named_with_their_position(value: str, position: int) -> None:
    err = _error(lambda: parse_division_code(value))
    assert err.code == "code.division"
    assert err.details["reason"] == "non_digit"
    assert err.details["position"] == position
    assert f"position {position}" in err.message_en
    assert f"第 {position} 位" in err.message_zh


def test_errors_pickle_with_their_details() -> None:
    err = _error(lambda: parse_stat_code("310113101000"))
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.code, dict(copy.details)) == (err.code, dict(err.details))


# --------------------------------------------------------------------------- divisions


@pytest.mark.parametrize("prefix", [f"{n:02d}" for n in range(100)])
def test_division_code_needs_a_real_province_prefix(prefix: str) -> None:
    code = prefix + "0000"
    assert is_division_code(code) is (prefix in PROVINCES)
    if prefix not in PROVINCES:
        err = _error(lambda: parse_division_code(code))
        assert err.details["reason"] == "province"
        assert repr(prefix) in err.message_en


@pytest.mark.parametrize("code", ["310000", "310100", "310113", "110105", "820000", "710000"])
def test_real_division_codes_are_returned_unchanged(code: str) -> None:
    assert parse_division_code(code) == code


def test_all_zero_division_code_is_invalid() -> None:
    assert not is_division_code("000000")


@pytest.mark.parametrize(
    ("code", "prefix"),
    [("310000", "31"), ("310100", "3101"), ("310113", "310113"), ("441900", "4419")],
)
def test_division_prefix_is_the_significant_part(code: str, prefix: str) -> None:
    assert division_prefix(code) == prefix
    assert (LUODIAN + "043").startswith(division_prefix("310000"))
    assert not "320113".startswith(division_prefix("310000"))


def test_division_prefix_of_an_invalid_code_raises() -> None:
    assert _error(lambda: division_prefix("990000")).code == "code.division"


# --------------------------------------------------------------------------- towns

TOWN_SEGMENTS = [
    ("000", None),
    ("001", TownKind.SUBDISTRICT),
    ("099", TownKind.SUBDISTRICT),
    ("100", TownKind.TOWN),
    ("199", TownKind.TOWN),
    ("200", TownKind.TOWNSHIP),
    ("399", TownKind.TOWNSHIP),
    ("400", TownKind.TOWN_LIKE),
    ("599", TownKind.TOWN_LIKE),
    ("600", None),
    ("999", None),
]


@pytest.mark.parametrize(("segment", "kind"), TOWN_SEGMENTS)
def test_town_segment_ranges(segment: str, kind: TownKind | None) -> None:
    code = "310113" + segment
    if kind is None:
        err = _error(lambda: parse_town_code(code))
        assert err.code == "code.town"
        assert err.details["reason"] == "town_segment"
        assert "001–599" in err.message_en
        assert "001–599" in err.message_zh
        assert not is_town_code(code)
    else:
        assert parse_town_code(code) == code
        assert town_kind(code) is kind
        assert town_kind(code + "000") is kind
        assert town_kind(code + "201") is kind


def test_luodian_is_a_town() -> None:
    assert parse_town_code(LUODIAN) == LUODIAN
    assert town_kind(LUODIAN) is TownKind.TOWN
    assert town_kind(MRJY_043) is TownKind.TOWN


def test_twelve_digit_town_row_is_shortened_to_nine() -> None:
    assert parse_town_code(LUODIAN + "000") == LUODIAN
    assert is_town_code(LUODIAN + "000")


def test_committee_code_is_not_a_town_code() -> None:
    err = _error(lambda: parse_town_code(MRJY_043))
    assert err.details["reason"] == "committee_code"
    assert "parse_stat_code" in err.message_en
    assert "parse_stat_code" in err.message_zh


def test_town_code_needs_a_real_province() -> None:
    assert _error(lambda: parse_town_code("990113101")).details["reason"] == "province"


def test_town_kind_of_an_invalid_code_raises() -> None:
    assert _error(lambda: town_kind("310113600")).code == "code.town"
    assert _error(lambda: town_kind("310113101600")).code == "code.stat"


# --------------------------------------------------------------------------- committees

COMMITTEE_SEGMENTS = [
    ("001", CommitteeKind.RESIDENTS),
    ("199", CommitteeKind.RESIDENTS),
    ("200", CommitteeKind.VILLAGE),
    ("399", CommitteeKind.VILLAGE),
    ("400", CommitteeKind.RESIDENTS_LIKE),
    ("499", CommitteeKind.RESIDENTS_LIKE),
    ("500", CommitteeKind.VILLAGE_LIKE),
    ("599", CommitteeKind.VILLAGE_LIKE),
    ("600", None),
    ("999", None),
]


@pytest.mark.parametrize(("segment", "kind"), COMMITTEE_SEGMENTS)
def test_committee_segment_ranges(segment: str, kind: CommitteeKind | None) -> None:
    code = LUODIAN + segment
    if kind is None:
        err = _error(lambda: parse_stat_code(code))
        assert err.code == "code.stat"
        assert err.details["reason"] == "committee_segment"
        assert not is_stat_code(code)
    else:
        assert parse_stat_code(code) == code
        assert committee_kind(code) is kind


@pytest.mark.parametrize(("segment", "kind"), TOWN_SEGMENTS)
def test_stat_code_checks_the_town_segment_too(segment: str, kind: TownKind | None) -> None:
    assert is_stat_code("310113" + segment + "001") is (kind is not None)


def test_town_row_is_not_a_committee_and_the_error_says_what_to_use() -> None:
    err = _error(lambda: parse_stat_code(LUODIAN + "000"))
    assert err.details["reason"] == "town_row"
    assert "parse_town_code" in err.message_en
    assert "parse_town_code" in err.message_zh


def test_real_committee_codes_of_luodian() -> None:
    assert committee_kind(MRJY_043) is CommitteeKind.RESIDENTS
    # Until 2022 the same committee carried a code in the 类似居委会 range.
    assert committee_kind(MRJY_043_OLD) is CommitteeKind.RESIDENTS_LIKE
    assert committee_kind("310113101201") is CommitteeKind.VILLAGE  # 罗溪村村委会


def test_every_luodian_committee_parses_with_its_kind() -> None:
    rows = list(csv.DictReader(io.StringIO(committees_csv(), newline="")))
    expected = {"居委会": CommitteeKind.RESIDENTS, "村委会": CommitteeKind.VILLAGE}
    assert {row["kind"] for row in rows} == set(expected)
    for row in rows:
        code = row["code"]
        assert parse_stat_code(code) == code
        assert code.startswith(division_prefix("310113"))
        assert code[:9] == LUODIAN
        assert committee_kind(code) is expected[row["kind"]], row["name"]
        if row["old_code_pre2023"]:
            assert committee_kind(row["old_code_pre2023"]) is CommitteeKind.RESIDENTS_LIKE
        if row["class_code_2016"]:
            assert parse_class_code(row["class_code_2016"]) in URBAN_RURAL_CLASSES


# --------------------------------------------------------------------------- class codes


@pytest.mark.parametrize("code", ["111", "112", "121", "122", "123", "210", "220"])
def test_every_class_code_parses(code: str) -> None:
    assert parse_class_code(code) == code


@pytest.mark.parametrize("code", ["000", "100", "113", "124", "200", "211", "221", "999"])
def test_unknown_class_codes_list_the_valid_ones(code: str) -> None:
    err = _error(lambda: parse_class_code(code))
    assert err.code == "code.class"
    assert err.details["reason"] == "unknown_class"
    assert "121 town centre area" in err.message_en
    assert "121 镇中心区" in err.message_zh


# --------------------------------------------------------------------------- grids


def test_grid_code_of_a_luodian_committee() -> None:
    assert grid_code(MRJY_043, 7) == "310113101043007"
    assert parse_grid_code("310113101043007") == "310113101043007"
    assert grid_code(MRJY_043, 999) == "310113101043999"
    assert grid_code(MRJY_043, 7, sequence_width=2) == "31011310104307"
    assert grid_code(MRJY_043, 1, sequence_width=1) == "3101131010431"
    assert grid_code(MRJY_043, 999_999, sequence_width=6) == "310113101043999999"


@pytest.mark.parametrize("width", [1, 2, 3, 4, 5, 6])
def test_grid_length_follows_the_width(width: int) -> None:
    code = MRJY_043 + "0" * (width - 1) + "1"
    assert parse_grid_code(code, sequence_width=width) == code
    assert not is_grid_code(code + "1", sequence_width=width)
    assert not is_grid_code(code[:-1], sequence_width=width)


@pytest.mark.parametrize("width", [0, 7, -1, True, 3.0, "3", None])
def test_grid_width_outside_1_to_6_is_refused(width: object) -> None:
    for call in (
        lambda: parse_grid_code("310113101043007", sequence_width=width),  # type: ignore[arg-type]
        lambda: grid_code(MRJY_043, 1, sequence_width=width),  # type: ignore[arg-type]
    ):
        assert _error(call).code == "code.grid_width"
    assert is_grid_code("310113101043007", sequence_width=width) is False  # type: ignore[arg-type]


def test_grid_sequence_of_zeros_is_refused() -> None:
    err = _error(lambda: parse_grid_code(MRJY_043 + "000"))
    assert (err.code, err.details["reason"]) == ("code.grid", "sequence")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("310113101000007", "town_row"),
        ("310113101600007", "committee_segment"),
        ("310113600043007", "town_segment"),
        ("990113101043007", "province"),
        ("31011310104300A", "non_digit"),
    ],
)
def test_grid_code_with_a_bad_committee_part_is_refused(code: str, reason: str) -> None:
    err = _error(lambda: parse_grid_code(code))
    assert (err.code, err.details["reason"]) == ("code.grid", reason)


@pytest.mark.parametrize(("sequence", "width"), [(0, 3), (1000, 3), (-1, 3), (100, 2), (10, 1)])
def test_grid_sequence_out_of_range_is_refused(sequence: int, width: int) -> None:
    err = _error(lambda: grid_code(MRJY_043, sequence, sequence_width=width))
    assert (err.code, err.details["reason"]) == ("code.grid", "sequence")


@pytest.mark.parametrize("sequence", [True, 1.0, "7"])
def test_grid_sequence_must_be_an_int(sequence: object) -> None:
    assert _error(lambda: grid_code(MRJY_043, sequence)).code == "code.grid"  # type: ignore[arg-type]


def test_grid_code_checks_the_committee_code() -> None:
    assert _error(lambda: grid_code(LUODIAN + "000", 1)).code == "code.stat"
    assert _error(lambda: grid_code(310113101043, 1)).code == "code.stat"  # type: ignore[arg-type]


@st.composite
def committee_codes(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(PROVINCES)))
    rest = draw(st.text(DIGITS, min_size=4, max_size=4))
    town = draw(st.integers(1, 599))
    committee = draw(st.integers(1, 599))
    return f"{province}{rest}{town:03d}{committee:03d}"


@given(committee=committee_codes(), data=st.data())
def test_grid_code_round_trips(committee: str, data: st.DataObject) -> None:
    width = data.draw(st.integers(1, 6))
    sequence = data.draw(st.integers(1, 10**width - 1))
    code = grid_code(committee, sequence, sequence_width=width)
    assert parse_grid_code(code, sequence_width=width) == code
    assert len(code) == 12 + width
    assert code[:12] == committee
    assert int(code[12:]) == sequence


# --------------------------------------------------------------------------- identity numbers


def _iso7064_mod11_2_ok(number: str) -> bool:
    """Independent check of GB 11643: sum of a_i * 2**(18-i) over all 18 is 1 mod 11."""
    values = [10 if ch == "X" else int(ch) for ch in number]
    return sum(v * pow(2, 17 - i, 11) for i, v in enumerate(values)) % 11 == 1


def test_gb11643_example_is_valid_and_lowercase_x_is_normalized() -> None:
    assert identity_check_char(GB11643_EXAMPLE[:17]) == "X"
    assert parse_identity_number(GB11643_EXAMPLE) == GB11643_EXAMPLE
    assert parse_identity_number(GB11643_EXAMPLE.lower()) == GB11643_EXAMPLE
    assert is_identity_number(GB11643_EXAMPLE.lower())
    assert _iso7064_mod11_2_ok(GB11643_EXAMPLE)


def test_birth_before_1900_is_refused_even_with_a_right_check_char() -> None:
    # The second example of GB 11643 Annex A, born 1880-01-01: its check digit is right
    # but the birth date is outside the accepted range.
    number = "440524188001010014"
    assert identity_check_char(number[:17]) == "4"
    err = _error(lambda: parse_identity_number(number))
    assert err.details["reason"] == "birth_date"


def _with_check(first17: str) -> str:
    return first17 + identity_check_char(first17)


@pytest.mark.parametrize(
    ("birth", "ok"),
    [
        ("19000101", True),
        ("18991231", False),
        ("21001231", True),
        ("21010101", False),
        ("20240229", True),
        ("20230229", False),
        ("19900001", False),
        ("19901301", False),
        ("19900100", False),
        ("19900132", False),
        ("19900431", False),
        ("00000000", False),
    ],
)
def test_birth_date_must_be_a_real_date_in_range(birth: str, ok: bool) -> None:
    number = _with_check("310113" + birth + "123")
    assert is_identity_number(number) is ok
    if not ok:
        err = _error(lambda: parse_identity_number(number))
        assert err.details["reason"] == "birth_date"
        assert "1900-01-01" in err.message_en
        assert "YYYYMMDD" in err.message_zh


def test_identity_region_must_start_with_a_province() -> None:
    number = _with_check("990105" + "19491231002")
    err = _error(lambda: parse_identity_number(number))
    assert err.details["reason"] == "province"


@pytest.mark.parametrize(
    ("number", "position"),
    [
        ("1101051949123100XX", 17),
        ("X1010519491231002X", 1),
        ("110105 9491231002X", 7),
        ("11010519491231002Y", 18),
        ("11010519491231002*", 18),
    ],
)
def test_identity_non_digits_are_located_without_showing_them(number: str, position: int) -> None:
    err = _error(lambda: parse_identity_number(number))
    assert err.details["reason"] == "non_digit"
    assert err.details["position"] == position
    assert number not in str(err)


@pytest.mark.parametrize("length", [0, 15, 17, 19])
def test_identity_wrong_length_gives_only_the_length(length: int) -> None:
    number = ("110105194912310020" * 2)[:length]
    err = _error(lambda: parse_identity_number(number))
    assert err.details["reason"] == "length"
    assert err.details["length"] == length
    assert "value" not in err.details
    if number:
        assert number not in str(err)
        assert number not in repr(dict(err.details))


def test_identity_check_char_needs_17_digits() -> None:
    assert _error(lambda: identity_check_char("1101051949123100")).details["reason"] == "length"
    assert _error(lambda: identity_check_char("1101051949123100X")).details["reason"] == (
        "non_digit"
    )
    assert _error(lambda: identity_check_char(11010519491231002)).details["reason"] == "type"  # type: ignore[arg-type]


def test_identity_int_input_does_not_leak_the_number() -> None:
    err = _error(lambda: parse_identity_number(110105194912310021))
    assert "110105194912310021" not in str(err)
    assert "110105194912310021" not in repr(dict(err.details))


@st.composite
def identity_first17(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(sorted(PROVINCES))) + draw(
        st.text(DIGITS, min_size=4, max_size=4)
    )
    birth = draw(
        st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
    )
    sequence = draw(st.text(DIGITS, min_size=3, max_size=3))
    return f"{region}{birth.year:04d}{birth.month:02d}{birth.day:02d}{sequence}"


def _assert_no_leak(err: InvalidCodeError, number: str) -> None:
    shown = " ".join([str(err), repr(err), err.message_en, err.message_zh, repr(dict(err.details))])
    assert number not in shown
    assert number.lower() not in shown
    assert number[6:14] not in shown  # the birth date, hidden by the mask


@given(identity_first17())
def test_identity_check_char_makes_a_valid_number(first17: str) -> None:
    number = _with_check(first17)
    assert parse_identity_number(number) == number
    assert _iso7064_mod11_2_ok(number)
    for other in "0123456789X":
        if other != number[17]:
            wrong = first17 + other
            err = _error(lambda wrong=wrong: parse_identity_number(wrong))  # type: ignore[misc]
            assert err.details["reason"] == "check_char"
            assert err.details["value"] == wrong[:6] + "********" + wrong[14:]
            _assert_no_leak(err, wrong)


@given(identity_first17(), st.sampled_from(["birth_date", "province", "check_char", "length"]))
def test_identity_errors_never_show_the_number(first17: str, fault: str) -> None:
    number = _with_check(first17)
    if fault == "birth_date":
        number = _with_check(first17[:10] + "13" + first17[12:])
    elif fault == "province":
        number = _with_check("00" + first17[2:])
    elif fault == "check_char":
        number = first17 + ("0" if number[17] != "0" else "1")
    else:
        number = number + "1"
    err = _error(lambda: parse_identity_number(number))
    assert err.details["reason"] == fault
    _assert_no_leak(err, number)


@given(identity_first17())
def test_masked_identity_hides_the_middle_eight(first17: str) -> None:
    number = _with_check(first17)
    masked = mask_identity_number(number)
    assert masked == number[:6] + "********" + number[14:]
    assert len(masked) == 18
    assert number[6:14] not in masked


def test_mask_validates_first() -> None:
    assert mask_identity_number(GB11643_EXAMPLE.lower()) == "110105********002X"
    err = _error(lambda: mask_identity_number("110105194912310021"))
    assert err.details["reason"] == "check_char"


# --------------------------------------------------------------------------- credit codes


def _credit_sum_ok(code: str) -> bool:
    """Independent check of GB 32100: weighted sum including the check char is 0 mod 31."""
    values = [CREDIT_ALPHABET.index(ch) for ch in code]
    total: int = sum(v * 3**i for i, v in enumerate(values[:17])) + values[17]
    return total % 31 == 0


def test_credit_code_example() -> None:
    assert parse_credit_code(CREDIT_EXAMPLE) == CREDIT_EXAMPLE
    assert parse_credit_code(CREDIT_EXAMPLE.lower()) == CREDIT_EXAMPLE
    assert credit_check_char(CREDIT_EXAMPLE[:17]) == "3"
    assert credit_check_char(CREDIT_EXAMPLE[:17].lower()) == "3"
    assert _credit_sum_ok(CREDIT_EXAMPLE)


def test_credit_code_wrong_check_char_names_the_right_one() -> None:
    err = _error(lambda: parse_credit_code(CREDIT_EXAMPLE[:17] + "4"))
    assert err.details["reason"] == "check_char"
    assert err.details["expected"] == "3"
    assert "'3'" in err.message_en
    assert "'3'" in err.message_zh


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z", "i", "o"])
def test_credit_code_letters_outside_the_alphabet_are_refused(letter: str) -> None:
    code = CREDIT_EXAMPLE[:8] + letter + CREDIT_EXAMPLE[9:]
    err = _error(lambda: parse_credit_code(code))
    assert err.details["reason"] == "character"
    assert err.details["position"] == 9
    assert "I, O, S, V and Z" in err.message_en


@pytest.mark.parametrize("char", ["-", " ", "Ｍ", "ﬀ", "ı"])
def test_credit_code_non_ascii_and_punctuation_are_refused(char: str) -> None:
    code = CREDIT_EXAMPLE[:8] + char + CREDIT_EXAMPLE[9:]
    assert _error(lambda: parse_credit_code(code)).details["reason"] == "character"


@pytest.mark.parametrize("code", [CREDIT_EXAMPLE[:17], CREDIT_EXAMPLE + "0", ""])
def test_credit_code_wrong_length(code: str) -> None:
    err = _error(lambda: parse_credit_code(code))
    assert err.details["reason"] == "length"
    assert err.details["length"] == len(code)


def test_credit_check_char_needs_17_characters() -> None:
    assert _error(lambda: credit_check_char(CREDIT_EXAMPLE)).details["reason"] == "length"


credit_first17 = st.text(CREDIT_ALPHABET, min_size=17, max_size=17)


@given(credit_first17)
def test_credit_check_char_makes_a_valid_code(first17: str) -> None:
    code = first17 + credit_check_char(first17)
    assert parse_credit_code(code) == code
    assert parse_credit_code(code.lower()) == code
    assert _credit_sum_ok(code)
    for other in CREDIT_ALPHABET:
        if other != code[17]:
            assert not is_credit_code(first17 + other)
