"""Ground floor: the check characters of personal and organisation numbers, pure.

This module imports nothing of microgov: :mod:`microgov.errors` redacts identity and
mobile numbers from every message with the help of these checks, so they sit below
every error.  The checks that raise (with messages in English and Chinese) are in
:mod:`microgov._numbers`; the public names are
:func:`microgov.personal.parse_identity_number` (identity numbers, personal data),
:func:`microgov.hierarchy.parse_credit_code` (organisations) and
:func:`microgov.personal.parse_mobile_number`.

References:
    * GB 11643-1999 《公民身份号码》 (citizen identity number), issued 1999-01-01, in force
      1999-07-01: ISO 7064 MOD 11-2 check character.
    * GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》 (unified social credit code),
      issued 2015-09-17, in force 2015-10-01: MOD 31 check character.
    * GB/T 2260-2007 for the province prefixes.

Example:
    >>> identity_sum_char("11010519491231002"), credit_sum_char("91350100M000100Y4")
    ('X', '3')
    >>> identity_number_ok("11010519491231002X"), identity_number_ok("110105194912310021")
    (True, False)
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "CREDIT_ALPHABET",
    "CREDIT_VALUES",
    "DIGITS",
    "ID_FIRST_BIRTH",
    "ID_LAST_BIRTH",
    "MOBILE_SECOND_DIGITS",
    "PROVINCES_TEXT_EN",
    "PROVINCES_TEXT_ZH",
    "PROVINCE_PREFIXES",
    "credit_sum_char",
    "identity_birth_date",
    "identity_number_ok",
    "identity_sum_char",
]

DIGITS: Final[frozenset[str]] = frozenset("0123456789")

# First two digits of GB/T 2260: provinces, autonomous regions, municipalities (incl.
# 71 Taiwan, 81 Hong Kong, 82 Macao).
PROVINCE_PREFIXES: Final[frozenset[str]] = frozenset(
    f"{n:02d}"
    for lo, hi in ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 82))
    for n in range(lo, hi + 1)
)
PROVINCES_TEXT_EN: Final = "11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82"
PROVINCES_TEXT_ZH: Final = "11–15、21–23、31–37、41–46、50–54、61–65、71、81、82"

_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS: Final = "10X98765432"
ID_FIRST_BIRTH: Final = datetime.date(1900, 1, 1)
ID_LAST_BIRTH: Final = datetime.date(2100, 12, 31)

CREDIT_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_VALUES: Final[Mapping[str, int]] = MappingProxyType(
    {ch: i for i, ch in enumerate(CREDIT_ALPHABET)}
)
_CREDIT_WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))

MOBILE_SECOND_DIGITS: Final[frozenset[str]] = frozenset("3456789")
"""The second digits accepted for a mainland mobile number by default (a parameter, see
:data:`microgov.personal.MOBILE_NUMBERING`)."""


def identity_sum_char(first17: str) -> str:
    """The GB 11643 check character of 17 ASCII digits (ISO 7064 MOD 11-2; unchecked input).

    Example:
        >>> identity_sum_char("11010519491231002")
        'X'
    """
    return _ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def identity_birth_date(text: str) -> datetime.date | None:
    """The birth date of an identity number (digits 7–14), or None if not a real date in range.

    Example:
        >>> identity_birth_date("11010519491231002X"), identity_birth_date("110105194902300020")
        (datetime.date(1949, 12, 31), None)
    """
    try:
        birth = datetime.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return None
    return birth if ID_FIRST_BIRTH <= birth <= ID_LAST_BIRTH else None


def identity_number_ok(text: str) -> bool:
    """Whether ``text`` is a well-formed identity number in canonical form (upper-case ``X``).

    The same checks as :func:`microgov.personal.parse_identity_number` (length, digits,
    province, birth date, check character), without a message; never raises.

    Example:
        >>> identity_number_ok("11010519491231002X"), identity_number_ok("11010519491231002x")
        (True, False)
    """
    return (
        len(text) == 18
        and all(ch in DIGITS for ch in text[:17])
        and text[:2] in PROVINCE_PREFIXES
        and identity_birth_date(text) is not None
        and identity_sum_char(text[:17]) == text[17]
    )


def credit_sum_char(first17: str) -> str:
    """The GB 32100 check character of 17 upper-case alphabet characters (unchecked input).

    Example:
        >>> credit_sum_char("91350100M000100Y4")
        '3'
    """
    total = sum(CREDIT_VALUES[ch] * w for ch, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]
