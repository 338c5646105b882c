"""Ground floor: identity numbers (GB 11643) and credit codes (GB 32100), checked with reasons.

The public homes of these functions are :mod:`microgov.personal` (identity numbers are
personal data) and :mod:`microgov.hierarchy` (credit codes of resources; identity
numbers there too, as before).  They sit on the ground floor, beside the pure check
characters of :mod:`microgov._checksums`, because the error messages of every core
are redacted with the same checks; this module imports only the ground floor.

Identity numbers are personal data (PIPL Art. 28, GB/T 35273): an error about one never
shows the number in clear, only its masked form (first 6 + ``********`` + last 4) or its
length.

Also here: the small helpers every official-code parser shares (what a code is called,
how a bad value is shown in a message), used by :mod:`microgov.hierarchy`.

References:
    * GB 11643-1999 《公民身份号码》 (citizen identity number), issued 1999-01-01, in force
      1999-07-01.
    * GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》 (unified social credit code),
      issued 2015-09-17, in force 2015-10-01.

Example:
    >>> parse_identity_number("11010519491231002x"), parse_credit_code("91350100m000100y43")
    ('11010519491231002X', '91350100M000100Y43')
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Final, NamedTuple

from microgov._checksums import (
    CREDIT_ALPHABET,
    DIGITS,
    ID_FIRST_BIRTH,
    ID_LAST_BIRTH,
    PROVINCE_PREFIXES,
    PROVINCES_TEXT_EN,
    PROVINCES_TEXT_ZH,
    credit_sum_char,
    identity_birth_date,
    identity_sum_char,
)
from microgov.errors import InvalidCodeError

__all__ = [
    "CodeKind",
    "accepts",
    "code_error",
    "credit_check_char",
    "detail",
    "first_bad",
    "identity_check_char",
    "is_credit_code",
    "is_identity_number",
    "mask_identity_number",
    "parse_credit_code",
    "parse_identity_number",
    "require_text",
    "shown",
]

_SHOWN_MAX: Final = 40

# --------------------------------------------------------------------------- helpers


class CodeKind(NamedTuple):
    """What a code is called, for messages, and its error code."""

    code: str
    name_en: str
    name_zh: str


_IDENTITY: Final = CodeKind("code.identity", "citizen identity number (GB 11643)", "公民身份号码")
_CREDIT: Final = CodeKind(
    "code.credit", "unified social credit code (GB 32100)", "统一社会信用代码"
)


def shown(value: object) -> str:
    """A short, safe ``repr`` of ``value`` for a message."""
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not turn into another error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"


def detail(value: object) -> str:
    """The input as it goes into ``details['value']``: the text itself, or a repr."""
    if isinstance(value, str):
        return value if len(value) <= _SHOWN_MAX else value[: _SHOWN_MAX - 1] + "…"
    return shown(value)


def code_error(
    kind: CodeKind, en: str, zh: str, *, reason: str, **details: object
) -> InvalidCodeError:
    """The :class:`~microgov.errors.InvalidCodeError` for ``kind``, with ``details["reason"]``."""
    return InvalidCodeError(en, zh, code=kind.code, reason=reason, **details)


def require_text(value: object, kind: CodeKind) -> str:
    """``value`` if it is a ``str``; else the ``type`` error (showing the value)."""
    if isinstance(value, str):
        return value
    type_name = type(value).__name__
    raise code_error(
        kind,
        f"The {kind.name_en} must be given as text (str), but got {type_name} {shown(value)}; "
        "keep codes as text so that leading zeros are not lost.",
        f"{kind.name_zh}必须以文本（str）形式给出，收到的是 {type_name} {shown(value)}；"
        "代码请保存为文本，以免丢失开头的 0。",
        reason="type",
        value=shown(value),
        type=type_name,
    )


def first_bad(text: str, allowed: Container[str]) -> int:
    """The index of the first character of ``text`` not in ``allowed``, or -1."""
    for i, ch in enumerate(text):
        if ch not in allowed:
            return i
    return -1


# --------------------------------------------------------------------------- identity

_ID_LAST: Final[frozenset[str]] = DIGITS | {"X", "x"}


def _mask(text: str) -> str:
    return f"{text[:6]}********{text[-4:]}"


def _identity_text(value: object, length: int) -> str:
    """The identity text, checked for type, length and digits; never shows the number."""
    if length == 18:
        what_en, what_zh = _IDENTITY.name_en, _IDENTITY.name_zh
    else:
        what_en = f"first {length} digits (without the check character) of a {_IDENTITY.name_en}"
        what_zh = f"{_IDENTITY.name_zh}的前 {length} 位（不含校验码）"
    if not isinstance(value, str):
        type_name = type(value).__name__
        raise code_error(
            _IDENTITY,
            f"The {what_en} must be given as text (str), not {type_name}.",
            f"{what_zh}必须以文本（str）形式给出，不能是 {type_name}。",
            reason="type",
            type=type_name,
        )
    if len(value) != length:
        raise code_error(
            _IDENTITY,
            f"The {what_en} must be exactly {length} characters long; the text given has "
            f"{len(value)}.",
            f"{what_zh}应恰为 {length} 位，所给文本为 {len(value)} 位。",
            reason="length",
            length=len(value),
        )
    bad = first_bad(value[:17], DIGITS)
    if bad < 0 and length == 18 and value[17] not in _ID_LAST:
        bad = 17
    if bad >= 0:
        allowed_en = "a digit or X" if bad == 17 else "a digit"
        allowed_zh = "数字或 X" if bad == 17 else "数字"
        extra = {"value": _mask(value)} if length == 18 else {}
        raise code_error(
            _IDENTITY,
            f"Character {bad + 1} of the {what_en} must be {allowed_en}.",
            f"{what_zh}的第 {bad + 1} 位应为{allowed_zh}。",
            reason="non_digit",
            position=bad + 1,
            **extra,
        )
    return value


def identity_check_char(first17: str) -> str:
    """The check character (校验码) of an identity number, from its first 17 digits.

    The check is ISO 7064 MOD 11-2: with weights 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9,
    10, 5, 8, 4, 2, the character is ``"10X98765432"[sum % 11]``. Only the digits are
    checked here, not the region or birth date.

    References:
        GB 11643-1999 《公民身份号码》, clause 8 and Annex B, issued 1999-01-01, in force
        1999-07-01.

    Args:
        first17: The first 17 digits.

    Returns:
        The 18th character: a digit or ``'X'``.

    Raises:
        InvalidCodeError: ``code.identity``, if ``first17`` is not 17 digits (the message
            never contains them).

    Example:
        >>> identity_check_char("11010519491231002")  # the example of GB 11643, Annex A
        'X'
    """
    return identity_sum_char(_identity_text(first17, 17))


def parse_identity_number(value: object) -> str:
    """Check an 18-character citizen identity number (公民身份号码) and return it.

    The number is region (6, a GB/T 2260 code: its first two digits must be a province)
    + birth date (8, ``YYYYMMDD``, a real date from 1900-01-01 to 2100-12-31) + sequence
    (3; odd 17th digit = male) + check character (see :func:`identity_check_char`).
    A lowercase ``x`` is accepted and returned as ``X``.

    Identity numbers are sensitive personal information (PIPL Art. 28): the error never
    shows the number, only its masked form (:func:`mask_identity_number`) or its length.

    References:
        GB 11643-1999 《公民身份号码》, issued 1999-01-01, in force 1999-07-01;
        GB/T 2260-2007 for the region code.

    Args:
        value: The number, as text.

    Returns:
        The number, with the check character in upper case.

    Raises:
        InvalidCodeError: ``code.identity``, if ``value`` is not a ``str``, not 18
            characters, has a non-digit, a bad region, an impossible birth date, or a
            wrong check character.

    Example:
        >>> parse_identity_number("11010519491231002x")  # GB 11643, Annex A
        '11010519491231002X'
        >>> parse_identity_number("110105194912310021")
        Traceback (most recent call last):
        ...
        microgov.errors.InvalidCodeError: The check character (18th) of the citizen ...
    """
    text = _identity_text(value, 18).upper()
    masked = _mask(text)
    what_en, what_zh = _IDENTITY.name_en, _IDENTITY.name_zh
    if text[:2] not in PROVINCE_PREFIXES:
        raise code_error(
            _IDENTITY,
            f"The region code (digits 1–6) of the {what_en} {masked} does not start with a "
            f"province code ({text[:2]!r}; valid: {PROVINCES_TEXT_EN}).",
            f"{what_zh} {masked} 的地址码（第 1–6 位）前两位 {text[:2]!r} 不是省级行政区代码"
            f"（有效值：{PROVINCES_TEXT_ZH}）。",
            reason="province",
            value=masked,
        )
    birth = identity_birth_date(text)
    if birth is None:
        raise code_error(
            _IDENTITY,
            f"The birth date (digits 7–14, YYYYMMDD) of the {what_en} {masked} is not a real "
            f"calendar date from {ID_FIRST_BIRTH} to {ID_LAST_BIRTH}.",
            f"{what_zh} {masked} 的出生日期码（第 7–14 位，YYYYMMDD）不是 {ID_FIRST_BIRTH} 至 "
            f"{ID_LAST_BIRTH} 之间的有效日期。",
            reason="birth_date",
            value=masked,
        )
    if identity_sum_char(text[:17]) != text[17]:
        raise code_error(
            _IDENTITY,
            f"The check character (18th) of the {what_en} {masked} does not match the first "
            "17 digits; a digit was probably mistyped.",
            f"{what_zh} {masked} 的校验码（第 18 位）与前 17 位不符，可能有数字录入错误。",
            reason="check_char",
            value=masked,
        )
    return text


def mask_identity_number(value: str) -> str:
    """The display form of an identity number: first 6, eight ``*``, last 4.

    The number is validated first, so a masked form always stands for a well-formed
    number; the birth date and most of the sequence are hidden.

    References:
        GB 11643-1999; PIPL (个人信息保护法, 2021) Art. 28; GB/T 35273 (personal
        information security specification).

    Args:
        value: The 18-character identity number.

    Returns:
        The masked form, e.g. ``'110105********002X'``.

    Raises:
        InvalidCodeError: ``code.identity``, as :func:`parse_identity_number`.

    Example:
        >>> mask_identity_number("11010519491231002x")
        '110105********002X'
    """
    return _mask(parse_identity_number(value))


# --------------------------------------------------------------------------- credit codes

_CREDIT_INPUT: Final = frozenset(CREDIT_ALPHABET + CREDIT_ALPHABET.lower())
_CREDIT_UNUSED: Final = frozenset("IOSVZ")


def _credit_text(value: object, length: int) -> str:
    if length == 18:
        what_en, what_zh = _CREDIT.name_en, _CREDIT.name_zh
    else:
        what_en = f"first {length} characters (without the check character) of a {_CREDIT.name_en}"
        what_zh = f"{_CREDIT.name_zh}的前 {length} 位（不含校验码）"
    text = require_text(value, _CREDIT)
    bad = first_bad(text, _CREDIT_INPUT)
    if bad >= 0:
        ch = text[bad]
        if ch.isascii() and ch.upper() in _CREDIT_UNUSED:
            note_en = (
                f" (the letters I, O, S, V and Z are never used; {ch!r} may be a misread digit)"
            )
            note_zh = f"（不使用字母 I、O、S、V、Z，{ch!r} 可能是误读的数字）"
        else:
            note_en = note_zh = ""
        raise code_error(
            _CREDIT,
            f"The {_CREDIT.name_en} uses only the digits 0–9 and the letters "
            f"ABCDEFGHJKLMNPQRTUWXY; {shown(text)} has {ch!r} at position {bad + 1}{note_en}.",
            f"{_CREDIT.name_zh}只能由数字 0–9 和字母 ABCDEFGHJKLMNPQRTUWXY 组成，"
            f"{shown(text)} 的第 {bad + 1} 位是 {ch!r}{note_zh}。",
            reason="character",
            value=detail(text),
            position=bad + 1,
        )
    text = text.upper()
    if len(text) != length:
        raise code_error(
            _CREDIT,
            f"The {what_en} must be exactly {length} characters long; {shown(text)} has "
            f"{len(text)}.",
            f"{what_zh}应恰为 {length} 位，{shown(text)} 为 {len(text)} 位。",
            reason="length",
            value=detail(text),
            length=len(text),
        )
    return text


def credit_check_char(first17: str) -> str:
    """The check character of a unified social credit code, from its first 17.

    Each character has its value in the alphabet ``0-9ABCDEFGHJKLMNPQRTUWXY`` (no I, O,
    S, V, Z), weights are ``3**i % 31`` for i = 0..16, and the check is
    ``ALPHABET[(31 - sum % 31) % 31]``.

    References:
        GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》, issued 2015-09-17, in
        force 2015-10-01.

    Args:
        first17: The first 17 characters (lowercase accepted).

    Returns:
        The 18th character.

    Raises:
        InvalidCodeError: ``code.credit``, if ``first17`` is not 17 characters of the
            alphabet.

    Example:
        >>> credit_check_char("91350100M000100Y4")
        '3'
    """
    return credit_sum_char(_credit_text(first17, 17))


def parse_credit_code(value: object) -> str:
    """Check an 18-character unified social credit code (统一社会信用代码) and return it.

    The code is registration authority (1) + organisation type (1) + division code (6)
    + organisation code (9) + check character (see :func:`credit_check_char`). Only the
    alphabet, the length and the check character are checked. Lowercase is accepted
    and returned in upper case.

    References:
        GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》, issued 2015-09-17, in
        force 2015-10-01.

    Args:
        value: The code, as text.

    Returns:
        The code in upper case.

    Raises:
        InvalidCodeError: ``code.credit``, if ``value`` is not a ``str``, has a character
            outside the alphabet, is not 18 characters, or has a wrong check character.

    Example:
        >>> parse_credit_code("91350100m000100y43")
        '91350100M000100Y43'
        >>> is_credit_code("91350100M000100Y44")
        False
    """
    text = _credit_text(value, 18)
    expected = credit_sum_char(text[:17])
    if expected != text[17]:
        raise code_error(
            _CREDIT,
            f"The check character (18th) of the {_CREDIT.name_en} {shown(text)} is {text[17]!r}, "
            f"but the first 17 characters give {expected!r}; a character was probably "
            "mistyped.",
            f"{_CREDIT.name_zh} {shown(text)} 的校验码（第 18 位）为 {text[17]!r}，"
            f"按前 17 位应为 {expected!r}，可能有字符录入错误。",
            reason="check_char",
            value=text,
            expected=expected,
        )
    return text


# --------------------------------------------------------------------------- predicates
# --------------------------------------------------------------------------- predicates


def accepts(parse: Callable[..., object], value: object, **options: int) -> bool:
    """Whether ``parse`` accepts ``value``: the body of every ``is_*`` predicate."""
    try:
        parse(value, **options)
    except InvalidCodeError:
        return False
    return True


def is_identity_number(value: object) -> bool:
    """Whether ``value`` is a valid identity number (see :func:`parse_identity_number`).

    Args:
        value: Anything.

    Returns:
        True if :func:`parse_identity_number` accepts it; never raises.

    Example:
        >>> is_identity_number("11010519491231002X"), is_identity_number("110105194912310021")
        (True, False)
    """
    return accepts(parse_identity_number, value)


def is_credit_code(value: object) -> bool:
    """Whether ``value`` is a valid unified social credit code (see :func:`parse_credit_code`).

    Args:
        value: Anything.

    Returns:
        True if :func:`parse_credit_code` accepts it; never raises.

    Example:
        >>> is_credit_code("91350100M000100Y43"), is_credit_code("91350100M000100Y4")
        (True, False)
    """
    return accepts(parse_credit_code, value)
