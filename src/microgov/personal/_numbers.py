"""Identity and mobile numbers: normalising, checking and masking, never echoing them."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from typing import Final

from microgov._checksums import MOBILE_SECOND_DIGITS
from microgov._numbers import parse_identity_number
from microgov._redact import PersonalKind
from microgov._verdict import Citation
from microgov.errors import InvalidCodeError

__all__ = [
    "MOBILE_NUMBERING",
    "MOBILE_SECOND_DIGITS",
    "PersonalKind",
    "is_mobile_number",
    "mask_mobile_number",
    "normalize_identity_number",
    "parse_mobile_number",
]


MOBILE_NUMBERING: Final = Citation(
    source="工业和信息化部《电信网编号计划（2017年版）》",
    article=None,
    in_force_from=None,
    verified=False,
    note=(
        "Mainland public mobile numbers are 11 digits in the 1xx number space; the segments in "
        "use start 13–19 (130–139, 145–149, 150–159, 162–167, 170–178, 180–189, 190–199 as "
        "allocated by MIIT over time). NOT checked against the official plan: the second digit "
        "3–9 is a parameter (MOBILE_SECOND_DIGITS), and the third digit is not checked because "
        "allocations change (e.g. 192 in 2019). 手机号码号段未经与官方编号计划核对，第二位 3–9 "
        "作为参数。"
    ),
)
"""Where the mobile-number shape comes from (unverified: the shape is a parameter)."""

_ASCII_DIGITS: Final = frozenset("0123456789")
_SEPARATORS: Final = str.maketrans("", "", " -")
_COUNTRY_PREFIXES: Final = ("+86", "0086", "86")


def _error(en: str, zh: str, *, reason: str, **details: object) -> InvalidCodeError:
    return InvalidCodeError(en, zh, code="code.mobile", reason=reason, **details)


def _clean(value: str) -> str:
    """NFKC (full-width digits become ASCII), trimmed, without spaces and hyphens."""
    return unicodedata.normalize("NFKC", value).strip().translate(_SEPARATORS)


def _mask_mobile(digits: str) -> str:
    return f"{digits[:3]}****{digits[-4:]}"


def normalize_identity_number(value: object) -> str:
    """Check an identity number as typed by a person, and return its canonical form.

    Full-width digits are read as ASCII (Unicode NFKC), surrounding whitespace and
    inner spaces and hyphens are dropped, then the number is checked by
    :func:`parse_identity_number` (GB 11643-1999: region, birth date,
    check character); a lowercase ``x`` becomes ``X``.

    References:
        GB 11643-1999 《公民身份号码》, in force 1999-07-01 (the check itself lives in
        :func:`identity_check_char`).

    Args:
        value: The number, as text.

    Returns:
        The 18-character number, check character in upper case.

    Raises:
        InvalidCodeError: ``code.identity``; ``details["reason"]`` says which check failed
            (``type``, ``length``, ``non_digit``, ``province``, ``birth_date``,
            ``check_char``). The message never shows the number, only its masked form.

    Example:
        >>> normalize_identity_number(" 110105 19491231 002x ")
        '11010519491231002X'
        >>> normalize_identity_number("110105194912310021")
        Traceback (most recent call last):
        ...
        microgov.errors.InvalidCodeError: The check character (18th) ... 110105********0021 ...
    """
    if not isinstance(value, str):
        return parse_identity_number(value)  # the type error, without the value
    return parse_identity_number(_clean(value))


def parse_mobile_number(
    value: object, *, second_digits: Collection[str] = MOBILE_SECOND_DIGITS
) -> str:
    """Check a mainland mobile number (手机号码) and return its 11 digits.

    Full-width digits are read as ASCII (NFKC); surrounding whitespace, inner spaces and
    hyphens, and a leading country code ``+86``, ``0086`` or ``86`` are dropped.  The
    rest must be 11 ASCII digits, start with ``1``, and have a second digit in
    ``second_digits``.

    References:
        :data:`MOBILE_NUMBERING` (unverified: ``second_digits`` is a parameter).

    Args:
        value: The number, as text.
        second_digits: The accepted second digits (default :data:`MOBILE_SECOND_DIGITS`).

    Returns:
        The 11 digits, e.g. ``'13812345678'``.

    Raises:
        InvalidCodeError: ``code.mobile``; ``details["reason"]`` is ``type``,
            ``non_digit``, ``length``, ``first_digit`` or ``second_digit``.  The message
            never shows the number: only its length, a position, or its masked form
            (``138****5678``).

    Example:
        >>> parse_mobile_number("+86 138-1234-5678")
        '13812345678'
        >>> parse_mobile_number("12812345678")
        Traceback (most recent call last):
        ...
        microgov.errors.InvalidCodeError: The second digit of the mobile number 128****5678 ...
    """
    if not isinstance(value, str):
        type_name = type(value).__name__
        raise _error(
            f"A mobile number must be given as text (str), not {type_name}.",
            f"手机号码必须以文本（str）形式给出，不能是 {type_name}。",
            reason="type",
            type=type_name,
        )
    text = _clean(value)
    for prefix in _COUNTRY_PREFIXES:
        if len(text) == len(prefix) + 11 and text.startswith(prefix):
            text = text[len(prefix) :]
            break
    for position, ch in enumerate(text, start=1):
        if ch not in _ASCII_DIGITS:
            raise _error(
                f"Character {position} of the mobile number (after removing spaces, hyphens "
                "and the country code) must be a digit.",
                f"手机号码（去除空格、连字符和国家代码后）的第 {position} 位应为数字。",
                reason="non_digit",
                position=position,
            )
    if len(text) != 11:
        raise _error(
            f"A mobile number must have 11 digits; the text given has {len(text)}.",
            f"手机号码应为 11 位数字，所给文本为 {len(text)} 位。",
            reason="length",
            length=len(text),
        )
    masked = _mask_mobile(text)
    if text[0] != "1":
        raise _error(
            f"The mobile number {masked} must start with 1.",
            f"手机号码 {masked} 应以 1 开头。",
            reason="first_digit",
            value=masked,
        )
    if text[1] not in second_digits:
        allowed = "".join(sorted(second_digits)) or "none"
        raise _error(
            f"The second digit of the mobile number {masked} is {text[1]!r}, not one of "
            f"{allowed} (a parameter: see MOBILE_NUMBERING).",
            f"手机号码 {masked} 的第 2 位为 {text[1]!r}，不在允许范围 {allowed} 内。",
            reason="second_digit",
            value=masked,
        )
    return text


def mask_mobile_number(
    value: object, *, second_digits: Collection[str] = MOBILE_SECOND_DIGITS
) -> str:
    """The display form of a mobile number: first 3, four ``*``, last 4.

    Args:
        value: The number (checked first, as :func:`parse_mobile_number`).
        second_digits: The accepted second digits.

    Returns:
        The masked form, e.g. ``'138****5678'``.

    Raises:
        InvalidCodeError: ``code.mobile``, as :func:`parse_mobile_number`.

    Example:
        >>> mask_mobile_number("13812345678")
        '138****5678'
    """
    return _mask_mobile(parse_mobile_number(value, second_digits=second_digits))


def is_mobile_number(
    value: object, *, second_digits: Collection[str] = MOBILE_SECOND_DIGITS
) -> bool:
    """Whether ``value`` is a mobile number :func:`parse_mobile_number` accepts.

    Args:
        value: Anything.
        second_digits: The accepted second digits.

    Returns:
        True if accepted; never raises.

    Example:
        >>> is_mobile_number("13812345678"), is_mobile_number("12812345678")
        (True, False)
    """
    try:
        parse_mobile_number(value, second_digits=second_digits)
    except InvalidCodeError:
        return False
    return True
