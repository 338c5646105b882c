"""Personal numbers: checked on input, kept only as a keyed digest and a masked form."""

from __future__ import annotations

import hashlib
import hmac
import pickle
from collections.abc import Callable

import pytest
from _personal_numbers import KEY, identity_numbers, mobile_numbers, near_misses
from hypothesis import given
from hypothesis import strategies as st

import microgov.personal
from microgov.errors import InvalidCodeError, MicrogovError
from microgov.hierarchy import is_identity_number
from microgov.personal import (
    MIN_KEY_BYTES,
    MOBILE_NUMBERING,
    MOBILE_SECOND_DIGITS,
    FoundNumber,
    Mobile,
    PersonalDataError,
    PersonalId,
    PersonalKind,
    Pseudonymizer,
    is_mobile_number,
    mask_mobile_number,
    normalize_identity_number,
    parse_mobile_number,
    redact_text,
    scan_text,
)

GB_EXAMPLE = "11010519491231002X"  # GB 11643-1999, Annex A
P = Pseudonymizer(key=KEY)


def leaks(err: MicrogovError, clear: str) -> list[str]:
    """Every place where ``err`` shows ``clear`` (or a clear number at all)."""
    shown = [str(err), repr(err), err.message_en, err.message_zh, repr(dict(err.details))]
    found = [text for text in shown if clear and clear in text]
    found += [f"{f.kind.value} {f.masked}" for text in shown for f in scan_text(text)]
    return found


def raised(call: Callable[[], object]) -> InvalidCodeError | None:
    """The error ``call`` raises, or None."""
    try:
        call()
    except InvalidCodeError as err:
        return err
    return None


# -- the key --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (bytes(range(31)), "length"),
        (b"x" * 30 + b"y", "length"),
        (b"", "length"),
        ("0123456789abcdef0123456789abcdef", "type"),
        (bytearray(range(32)), "type"),
        (b"\x00" * 64, "uniform"),
        (b"secretsecretsecretsecretsecret!!", "uniform"),
    ],
)
def test_weak_or_wrong_keys_are_refused_without_showing_them(key: object, reason: str) -> None:
    with pytest.raises(PersonalDataError) as info:
        Pseudonymizer(key=key)  # type: ignore[arg-type]
    assert info.value.code == "personal.key"
    assert info.value.details["reason"] == reason
    assert isinstance(info.value, ValueError)
    if isinstance(key, bytes | str) and len(key) >= 4:
        text = key if isinstance(key, str) else key.decode("latin-1")
        assert text not in str(info.value)
        assert repr(key) not in str(info.value)


def test_minimum_key_length_is_accepted() -> None:
    assert MIN_KEY_BYTES == 32
    assert Pseudonymizer(key=bytes(range(32))).identity(GB_EXAMPLE).masked == "110105********002X"


@pytest.mark.parametrize("key_id", ["", "密钥", "a b", "x" * 65, 7])
def test_bad_key_ids_are_refused(key_id: object) -> None:
    with pytest.raises(PersonalDataError) as info:
        Pseudonymizer(key=KEY, key_id=key_id)  # type: ignore[arg-type]
    assert info.value.code == "personal.key_id"


def test_the_key_is_never_shown() -> None:
    shown = repr(P) + str(P)
    assert KEY.hex() not in shown
    assert repr(KEY) not in shown
    assert shown.startswith("Pseudonymizer(key_id='k1')")


def test_pseudonymizers_compare_by_identity_not_by_key() -> None:
    assert Pseudonymizer(key=KEY) != Pseudonymizer(key=KEY)
    assert P == P


# -- identity numbers -----------------------------------------------------------------


def test_identity_digest_is_hmac_sha256_of_a_domain_separated_message() -> None:
    value = P.identity(GB_EXAMPLE)
    expected = hmac.new(
        KEY, b"microgov.personal/1/identity_number/" + GB_EXAMPLE.encode(), hashlib.sha256
    ).hexdigest()
    assert value == PersonalId(digest=expected, masked="110105********002X", key_id="k1")
    assert value.digest != hashlib.sha256(GB_EXAMPLE.encode()).hexdigest()  # keyed, not plain


@given(identity_numbers())
def test_identity_values_never_hold_the_number(number: str) -> None:
    value = P.identity(number)
    assert value.masked == number[:6] + "*" * 8 + number[-4:]
    for shown in (repr(value), str(value), pickle.dumps(value).decode("latin-1")):
        assert number not in shown
        assert scan_text(shown) == []
    assert P.matches(value, number)
    assert P.identity(number.lower()) == value


@given(identity_numbers(), identity_numbers())
def test_different_numbers_have_different_digests(a: str, b: str) -> None:
    assert (P.identity(a) == P.identity(b)) == (a == b)


def test_another_key_gives_another_digest() -> None:
    other = Pseudonymizer(key=bytes(range(1, 33)), key_id="k2")
    assert other.identity(GB_EXAMPLE).digest != P.identity(GB_EXAMPLE).digest
    with pytest.raises(PersonalDataError) as info:
        other.matches(P.identity(GB_EXAMPLE), GB_EXAMPLE)
    assert info.value.code == "personal.key_mismatch"


@pytest.mark.parametrize(
    "typed",
    [
        " 11010519491231002x ",
        "110105 19491231 002X",
        "110105-19491231-002X",
        "１１０１０５１９４９１２３１００２Ｘ",
    ],
)
def test_identity_numbers_are_normalized(typed: str) -> None:
    assert normalize_identity_number(typed) == GB_EXAMPLE
    assert P.identity(typed) == P.identity(GB_EXAMPLE)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("110105194912310021", "check_char"),
        ("110105194902300028", "birth_date"),
        ("990105194912310028", "province"),
        ("1101051949123100", "length"),
        ("1101051949123100A2", "non_digit"),
        (110105194912310021, "type"),
    ],
)
def test_identity_errors_say_which_check_failed_and_never_echo_the_number(
    typed: object, reason: str
) -> None:
    with pytest.raises(InvalidCodeError) as info:
        P.identity(typed)
    assert info.value.code == "code.identity"
    assert info.value.details["reason"] == reason
    assert leaks(info.value, str(typed)) == []


@given(identity_numbers().flatmap(near_misses))
def test_no_error_about_an_identity_number_echoes_it(typed: str) -> None:
    err = raised(lambda: P.identity(typed))
    if err is None:
        assert is_identity_number(normalize_identity_number(typed))
    else:
        assert leaks(err, typed.strip()) == []
        assert leaks(err, typed.replace(" ", "").replace("-", "")) == []


# -- mobile numbers -------------------------------------------------------------------


@given(mobile_numbers())
def test_mobile_values_never_hold_the_number(number: str) -> None:
    value = P.mobile(number)
    assert value.masked == number[:3] + "****" + number[-4:]
    for shown in (repr(value), str(value), pickle.dumps(value).decode("latin-1")):
        assert number not in shown
        assert scan_text(shown) == []
    assert P.matches(value, number)
    assert not P.matches(value, number[:-1] + str((int(number[-1]) + 1) % 10))


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "86 13812345678",
        "１３８１２３４５６７８",
        " 138-1234-5678\n",
    ],
)
def test_mobile_numbers_are_normalized(typed: str) -> None:
    assert parse_mobile_number(typed) == "13812345678"
    assert mask_mobile_number(typed) == "138****5678"
    assert P.mobile(typed) == P.mobile("13812345678")


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("12812345678", "second_digit"),
        ("10812345678", "second_digit"),
        ("23812345678", "first_digit"),
        ("1381234567", "length"),
        ("138123456789", "length"),
        ("+8713812345678", "non_digit"),
        ("138１２３４５６７８a", "non_digit"),
        ("138.1234.5678", "non_digit"),
        (13812345678, "type"),
        (None, "type"),
    ],
)
def test_mobile_errors_say_which_check_failed_and_never_echo_the_number(
    typed: object, reason: str
) -> None:
    with pytest.raises(InvalidCodeError) as info:
        P.mobile(typed)
    assert info.value.code == "code.mobile"
    assert info.value.details["reason"] == reason
    assert leaks(info.value, "" if typed is None else str(typed)) == []
    assert not is_mobile_number(typed)


@given(mobile_numbers().flatmap(near_misses))
def test_no_error_about_a_mobile_number_echoes_it(typed: str) -> None:
    err = raised(lambda: P.mobile(typed))
    if err is None:
        assert is_mobile_number(typed)
    else:
        assert leaks(err, typed.strip()) == []
        assert leaks(err, typed.replace(" ", "").replace("-", "")) == []


def test_second_digit_is_a_parameter_with_an_unverified_citation() -> None:
    assert frozenset("3456789") == MOBILE_SECOND_DIGITS
    assert not MOBILE_NUMBERING.verified
    assert is_mobile_number("12012345678", second_digits="2")
    assert not is_mobile_number("13812345678", second_digits="2")
    assert P.mobile("12012345678", second_digits={"2"}).masked == "120****5678"


def test_identity_and_mobile_digests_are_domain_separated() -> None:
    # The same digits never digest alike across kinds (the message names the kind).
    a = P._digest(PersonalKind.IDENTITY_NUMBER, "13812345678")
    b = P._digest(PersonalKind.MOBILE, "13812345678")
    assert a != b


# -- stored values --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "fields"),
    [
        (PersonalId, {"digest": "0" * 64, "masked": GB_EXAMPLE}),
        (PersonalId, {"digest": "0" * 64, "masked": "110105*******0002X"}),
        (PersonalId, {"digest": "0" * 63, "masked": "110105********002X"}),
        (PersonalId, {"digest": "A" * 64, "masked": "110105********002X"}),
        (Mobile, {"digest": "0" * 64, "masked": "13812345678"}),
        (Mobile, {"digest": "0" * 64, "masked": "138*****678"}),
        (Mobile, {"digest": GB_EXAMPLE, "masked": "138****5678"}),
    ],
)
def test_stored_values_refuse_anything_but_a_digest_and_a_mask(
    cls: type[PersonalId | Mobile], fields: dict[str, str]
) -> None:
    with pytest.raises(PersonalDataError) as info:
        cls(key_id="k1", **fields)
    assert info.value.code == "personal.value"
    assert leaks(info.value, GB_EXAMPLE) == []
    assert "13812345678" not in str(info.value)


def test_stored_values_round_trip() -> None:
    m = P.mobile("13812345678")
    assert Mobile(digest=m.digest, masked=m.masked, key_id=m.key_id) == m
    assert pickle.loads(pickle.dumps(m)) == m
    err = pickle.loads(pickle.dumps(PersonalDataError("x", "x", code="personal.key")))
    assert type(err) is PersonalDataError
    assert err.code == "personal.key"


# -- scanning -------------------------------------------------------------------------


@given(
    identity_numbers(),
    mobile_numbers(),
    st.text(alphabet="abc 中文，。:()\n", max_size=5),
    st.sampled_from(["", "-", " "]),
)
def test_scan_finds_every_clear_number(ident: str, mobile: str, filler: str, sep: str) -> None:
    spaced = f"{mobile[:3]}{sep}{mobile[3:7]}{sep}{mobile[7:]}"
    text = f"{filler}身份证{ident}{filler}电话{spaced}{filler}"
    found = scan_text(text)
    assert [(f.kind, f.masked) for f in found] == [
        (PersonalKind.IDENTITY_NUMBER, ident[:6] + "********" + ident[-4:]),
        (PersonalKind.MOBILE, mobile[:3] + "****" + mobile[-4:]),
    ]
    assert text[found[0].start : found[0].end] == ident
    assert text[found[1].start : found[1].end] == spaced


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("tel:+8613812345678.", ["mobile"]),
        ("0086 138 1234 5678", ["mobile"]),
        ("１３８１２３４５６７８", ["mobile"]),
        ("ID11010519491231002x!", ["identity_number"]),
        ("110105-19491231-002X", ["identity_number"]),
        ("138123456789", []),  # 12 digits: not a mobile number
        ("12812345678", []),  # second digit 2
        ("110105194912310021", []),  # wrong check character
        ("310113101043 310113101043007", []),  # statistical and grid codes
        ("138****5678 110105********002X", []),  # masked forms
        ("2026-03-02T01:00:00.000000+00:00", []),
        ("a" * 20 + "13812345678" + "b" * 20, []),  # inside a hex digest
        ("hash=" + "f" * 10 + "11010519491231002" + "e" * 10, []),
        ("x13812345678y", ["mobile"]),  # a short hexadecimal run is not a digest
    ],
)
def test_scan_examples(text: str, kinds: list[str]) -> None:
    assert [f.kind.value for f in scan_text(text)] == kinds


def test_scan_reports_identity_not_its_inner_digits_as_mobile() -> None:
    ident = "11010519491231002X"
    assert [f.kind for f in scan_text(f"{ident[:6]} {ident[6:14]} {ident[14:]}")] == [
        PersonalKind.IDENTITY_NUMBER
    ]


def test_findings_never_hold_the_number() -> None:
    (finding,) = scan_text("电话 13812345678")
    assert finding == FoundNumber(kind=PersonalKind.MOBILE, start=3, end=14, masked="138****5678")
    assert "13812345678" not in repr(finding)


def test_public_names() -> None:
    assert len(set(microgov.personal.__all__)) == len(microgov.personal.__all__)
    for name in microgov.personal.__all__:
        value = getattr(microgov.personal, name)
        if callable(value):
            assert value.__doc__, name
    assert PersonalDataError.__module__ == "microgov.personal"
    assert issubclass(PersonalDataError, MicrogovError)


@given(
    identity_numbers(),
    mobile_numbers(),
    st.text(alphabet="abc 中文，。:()'\n*", max_size=6),
)
def test_redacted_text_has_nothing_left_to_find(ident: str, mobile: str, filler: str) -> None:
    text = f"{filler}{ident}{filler}+86 {mobile}，{filler}{mobile}"
    redacted = redact_text(text)
    assert scan_text(redacted) == []
    assert ident not in redacted
    assert mobile not in redacted
    assert redacted.count(ident[:6] + "********" + ident[-4:]) >= 1
    assert redacted.count(mobile[:3] + "****" + mobile[-4:]) == 2


def test_redact_leaves_text_without_numbers_alone() -> None:
    text = "代码 310113101043，哈希 " + "ab12" * 16
    assert redact_text(text) is text
