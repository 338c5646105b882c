"""Validate and parse the official Chinese codes microgov keeps on its nodes and people.

Codes are kept as ``str`` (never ``int``: leading zeros matter and some codes end in a
letter). Each ``parse_*`` function returns the normalized code or raises
:class:`~microgov.errors.InvalidCodeError` with a message, in English and Chinese, that
says what is wrong; each ``is_*`` function answers ``True``/``False`` and never raises.

The codes, from the largest unit to the smallest:

* :func:`parse_division_code`: administrative division (行政区划代码), 6 digits (2 + 2 + 2);
* :func:`parse_town_code`: town (乡级代码), 9 digits (6 + 3);
* :func:`parse_stat_code`: committee (统计用区划代码), 12 digits (6 + 3 + 3);
* :func:`parse_class_code`: urban-rural class (城乡分类代码), 3 digits;
* :func:`parse_grid_code`: micro-grid (网格编码), 12 + 1 to 6 digits (15 by default);
* :func:`parse_identity_number`: citizen identity number (公民身份号码), 17 digits + check;
* :func:`parse_credit_code`: unified social credit code (统一社会信用代码), 17 + check.

Identity numbers are personal data (PIPL Art. 28, GB/T 35273): an error about one never
shows the number in clear, only its masked form (first 6 + ``********`` + last 4) or its
length.

References:
    * GB/T 2260-2007 《中华人民共和国行政区划代码》 (administrative division codes), issued
      2007-11-14, in force 2008-02-01.
    * GB/T 10114-2003 《县级以下行政区划代码编制规则》 (codes below the county), issued
      2003-07-25, in force 2003-12-01.
    * 《统计用区划代码和城乡划分代码编制规则》 (国统字〔2009〕91号, National Bureau of
      Statistics, 2009), published with NBS Order No. 14 (2010).
    * GB/T 30428.1-2013 《数字化城市管理信息系统 第1部分：单元网格》 (unit grids), 2013.
    * CJ/T 349-2010 《数字社区管理与服务 网格划分与编码规则》 (community grids), 2010.
    * GB 11643-1999 《公民身份号码》 (citizen identity number), issued 1999-01-01, in force
      1999-07-01.
    * GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》 (unified social credit code),
      issued 2015-09-17, in force 2015-10-01.

Example:
    >>> parse_stat_code("310113101043")
    '310113101043'
    >>> committee_kind("310113101043").label_zh
    '居委会'
    >>> is_stat_code("310113101000")  # the town's own row, not a committee
    False
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Container, Mapping
from types import MappingProxyType
from typing import Final, NamedTuple

from microgov.errors import InvalidCodeError

__all__ = [
    "URBAN_RURAL_CLASSES",
    "CommitteeKind",
    "TownKind",
    "committee_kind",
    "credit_check_char",
    "division_prefix",
    "grid_code",
    "identity_check_char",
    "is_credit_code",
    "is_division_code",
    "is_grid_code",
    "is_identity_number",
    "is_stat_code",
    "is_town_code",
    "mask_identity_number",
    "parse_class_code",
    "parse_credit_code",
    "parse_division_code",
    "parse_grid_code",
    "parse_identity_number",
    "parse_stat_code",
    "parse_town_code",
    "town_kind",
]


# --------------------------------------------------------------------------- kinds


class TownKind(enum.Enum):
    """The kind of a town-level unit (乡级单位), read from digits 7–9 of its code.

    ===============  ===========  ====================================================
    member           segment      meaning
    ===============  ===========  ====================================================
    ``SUBDISTRICT``  001–099      街道 subdistrict (street office)
    ``TOWN``         100–199      镇 town
    ``TOWNSHIP``     200–399      乡 township
    ``TOWN_LIKE``    400–599      类似乡级单位: development zone, farm… not confirmed
                                  by the civil-affairs department
    ===============  ===========  ====================================================

    References:
        * GB/T 10114-2003 (001–399), in force 2003-12-01.
        * 《统计用区划代码和城乡划分代码编制规则》, 国统字〔2009〕91号 (400–599).

    Example:
        >>> town_kind("310113101") is TownKind.TOWN
        True
        >>> TownKind.SUBDISTRICT.label_zh, TownKind.SUBDISTRICT.label_en
        ('街道', 'subdistrict')
    """

    SUBDISTRICT = "subdistrict"
    TOWN = "town"
    TOWNSHIP = "township"
    TOWN_LIKE = "town_like"

    @property
    def label_zh(self) -> str:
        """The Chinese name of the kind, e.g. ``'镇'``."""
        return _TOWN_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English name of the kind, e.g. ``'town'``."""
        return _TOWN_LABELS[self][1]


class CommitteeKind(enum.Enum):
    """The kind of a village-level unit (村级单位), read from digits 10–12 of its code.

    ==================  ===========  ===============================================
    member              segment      meaning
    ==================  ===========  ===============================================
    ``RESIDENTS``       001–199      居委会 residents' committee
    ``VILLAGE``         200–399      村委会 village committee
    ``RESIDENTS_LIKE``  400–499      类似居委会: not (yet) formally constituted
    ``VILLAGE_LIKE``    500–599      类似村委会: not (yet) formally constituted
    ==================  ===========  ===============================================

    The NBS tables also use 498 and 598 for a virtual unit of a town that has no
    village-level unit; they fall in the ``*_LIKE`` ranges.

    References:
        * 《统计用区划代码和城乡划分代码编制规则》, 国统字〔2009〕91号 (National Bureau of
          Statistics, 2009).

    Example:
        >>> committee_kind("310113101401") is CommitteeKind.RESIDENTS_LIKE
        True
        >>> CommitteeKind.VILLAGE.label_zh, CommitteeKind.VILLAGE.label_en
        ('村委会', 'village committee')
    """

    RESIDENTS = "residents"
    VILLAGE = "village"
    RESIDENTS_LIKE = "residents_like"
    VILLAGE_LIKE = "village_like"

    @property
    def label_zh(self) -> str:
        """The Chinese name of the kind, e.g. ``'居委会'``."""
        return _COMMITTEE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English name of the kind, e.g. ``"residents' committee"``."""
        return _COMMITTEE_LABELS[self][1]


_TOWN_LABELS: Final[Mapping[TownKind, tuple[str, str]]] = MappingProxyType(
    {
        TownKind.SUBDISTRICT: ("街道", "subdistrict"),
        TownKind.TOWN: ("镇", "town"),
        TownKind.TOWNSHIP: ("乡", "township"),
        TownKind.TOWN_LIKE: ("类似乡级单位", "town-like unit"),
    }
)

_COMMITTEE_LABELS: Final[Mapping[CommitteeKind, tuple[str, str]]] = MappingProxyType(
    {
        CommitteeKind.RESIDENTS: ("居委会", "residents' committee"),
        CommitteeKind.VILLAGE: ("村委会", "village committee"),
        CommitteeKind.RESIDENTS_LIKE: ("类似居委会", "residents'-committee-like unit"),
        CommitteeKind.VILLAGE_LIKE: ("类似村委会", "village-committee-like unit"),
    }
)

# Segment ranges (inclusive).  GB/T 10114-2003 gives 001-399 for towns confirmed by
# the civil-affairs department; 国统字〔2009〕91号 adds 400-599 for town-like units and
# the committee ranges.
_TOWN_RANGES: Final[tuple[tuple[int, int, TownKind], ...]] = (
    (1, 99, TownKind.SUBDISTRICT),
    (100, 199, TownKind.TOWN),
    (200, 399, TownKind.TOWNSHIP),
    (400, 599, TownKind.TOWN_LIKE),
)
_COMMITTEE_RANGES: Final[tuple[tuple[int, int, CommitteeKind], ...]] = (
    (1, 199, CommitteeKind.RESIDENTS),
    (200, 399, CommitteeKind.VILLAGE),
    (400, 499, CommitteeKind.RESIDENTS_LIKE),
    (500, 599, CommitteeKind.VILLAGE_LIKE),
)


def _ranges_text(ranges: tuple[tuple[int, int, TownKind | CommitteeKind], ...]) -> tuple[str, str]:
    en = ", ".join(f"{lo:03d}–{hi:03d} {kind.label_en}" for lo, hi, kind in ranges)
    zh = "，".join(f"{lo:03d}–{hi:03d} {kind.label_zh}" for lo, hi, kind in ranges)
    return en, zh


_TOWN_RANGES_TEXT: Final = _ranges_text(_TOWN_RANGES)
_COMMITTEE_RANGES_TEXT: Final = _ranges_text(_COMMITTEE_RANGES)

URBAN_RURAL_CLASSES: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "111": ("主城区", "main urban area"),
        "112": ("城乡结合区", "urban-rural fringe area"),
        "121": ("镇中心区", "town centre area"),
        "122": ("镇乡结合区", "town-rural fringe area"),
        "123": ("特殊区域", "special area"),
        "210": ("乡中心区", "township centre area"),
        "220": ("村庄", "village"),
    }
)
"""The urban-rural class codes (城乡分类代码) of 国统字〔2009〕91号: code → (zh, en) label.

Codes 1xx are urban (城镇), 2xx rural (乡村). Read-only.
"""

# First two digits of GB/T 2260: provinces, autonomous regions, municipalities (incl.
# 71 Taiwan, 81 Hong Kong, 82 Macao).
_PROVINCE_PREFIXES: Final[frozenset[str]] = frozenset(
    f"{n:02d}"
    for lo, hi in ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 82))
    for n in range(lo, hi + 1)
)
_PROVINCES_TEXT_EN: Final = "11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82"
_PROVINCES_TEXT_ZH: Final = "11–15、21–23、31–37、41–46、50–54、61–65、71、81、82"

_DIGITS: Final[frozenset[str]] = frozenset("0123456789")
_SHOWN_MAX: Final = 40


# --------------------------------------------------------------------------- helpers


class _Kind(NamedTuple):
    """What a code is called, for messages, and its error code."""

    code: str
    name_en: str
    name_zh: str


_DIVISION: Final = _Kind(
    "code.division", "administrative division code (GB/T 2260)", "行政区划代码"
)
_TOWN: Final = _Kind("code.town", "town code (GB/T 10114)", "乡级区划代码")
_STAT: Final = _Kind("code.stat", "statistical division code (统计用区划代码)", "统计用区划代码")
_CLASS: Final = _Kind("code.class", "urban-rural class code (城乡分类代码)", "城乡分类代码")
_GRID: Final = _Kind("code.grid", "grid code", "网格编码")
_GRID_WIDTH: Final = _Kind("code.grid_width", "grid sequence width", "网格顺序码位数")
_IDENTITY: Final = _Kind("code.identity", "citizen identity number (GB 11643)", "公民身份号码")
_CREDIT: Final = _Kind("code.credit", "unified social credit code (GB 32100)", "统一社会信用代码")


def _shown(value: object) -> str:
    """A short, safe ``repr`` of ``value`` for a message."""
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not turn into another error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"


def _detail(value: object) -> str:
    """The input as it goes into ``details['value']``: the text itself, or a repr."""
    if isinstance(value, str):
        return value if len(value) <= _SHOWN_MAX else value[: _SHOWN_MAX - 1] + "…"
    return _shown(value)


def _error(kind: _Kind, en: str, zh: str, *, reason: str, **details: object) -> InvalidCodeError:
    return InvalidCodeError(en, zh, code=kind.code, reason=reason, **details)


def _text(value: object, kind: _Kind) -> str:
    """``value`` if it is a ``str``; else the ``type`` error (showing the value)."""
    if isinstance(value, str):
        return value
    type_name = type(value).__name__
    raise _error(
        kind,
        f"The {kind.name_en} must be given as text (str), but got {type_name} {_shown(value)}; "
        "keep codes as text so that leading zeros are not lost.",
        f"{kind.name_zh}必须以文本（str）形式给出，收到的是 {type_name} {_shown(value)}；"
        "代码请保存为文本，以免丢失开头的 0。",
        reason="type",
        value=_shown(value),
        type=type_name,
    )


def _first_bad(text: str, allowed: Container[str]) -> int:
    """The index of the first character of ``text`` not in ``allowed``, or -1."""
    for i, ch in enumerate(text):
        if ch not in allowed:
            return i
    return -1


def _require_digits(text: str, kind: _Kind) -> None:
    bad = _first_bad(text, _DIGITS)
    if bad >= 0:
        raise _error(
            kind,
            f"The {kind.name_en} may contain only the digits 0–9; {_shown(text)} has "
            f"{text[bad]!r} at position {bad + 1}.",
            f"{kind.name_zh}只能由数字 0–9 组成，"
            f"{_shown(text)} 的第 {bad + 1} 位是 {text[bad]!r}。",
            reason="non_digit",
            value=_detail(text),
            position=bad + 1,
        )


def _require_length(text: str, kind: _Kind, length: int) -> None:
    if len(text) != length:
        raise _error(
            kind,
            f"The {kind.name_en} must have {length} digits; {_shown(text)} has {len(text)}.",
            f"{kind.name_zh}应为 {length} 位，{_shown(text)} 为 {len(text)} 位。",
            reason="length",
            value=_detail(text),
            length=len(text),
        )


def _digits(value: object, kind: _Kind, length: int) -> str:
    text = _text(value, kind)
    _require_digits(text, kind)
    _require_length(text, kind, length)
    return text


def _check_province(text: str, kind: _Kind) -> None:
    """Digits 1–2 of ``text`` must be a province prefix of GB/T 2260."""
    prefix = text[:2]
    if prefix not in _PROVINCE_PREFIXES:
        raise _error(
            kind,
            f"{_shown(text)} does not start with a province code: {prefix!r} is not a province, "
            f"autonomous region or municipality of China (valid: {_PROVINCES_TEXT_EN}).",
            f"{_shown(text)} 的前两位 {prefix!r} 不是省级行政区代码"
            f"（有效值：{_PROVINCES_TEXT_ZH}）。",
            reason="province",
            value=_detail(text),
            segment=prefix,
        )


def _check_town_segment(text: str, kind: _Kind) -> TownKind:
    """Digits 7–9 of ``text`` must be a town segment 001–599; returns its kind."""
    segment = text[6:9]
    number = int(segment)
    for lo, hi, town in _TOWN_RANGES:
        if lo <= number <= hi:
            return town
    en, zh = _TOWN_RANGES_TEXT
    raise _error(
        kind,
        f"The town part (digits 7–9) of {_shown(text)} is {segment}; it must be 001–599 ({en}).",
        f"{_shown(text)} 的乡级代码（第 7–9 位）为 {segment}，应在 001–599 之间（{zh}）。",
        reason="town_segment",
        value=_detail(text),
        segment=segment,
    )


def _check_committee_segment(text: str, kind: _Kind) -> CommitteeKind:
    """Digits 10–12 of ``text`` must be a committee segment 001–599; returns its kind."""
    segment = text[9:12]
    if segment == "000":
        hint_en = "; use parse_town_code for a town code" if kind is _STAT else ""
        hint_zh = "；乡级代码请用 parse_town_code" if kind is _STAT else ""
        raise _error(
            kind,
            f"The committee part (digits 10–12) of {_shown(text)} is 000: that is the row of the "
            f"town itself, not a residents' or village committee{hint_en}.",
            f"{_shown(text)} 的村级代码（第 10–12 位）为 000，表示乡级单位本身，"
            f"不是居委会或村委会{hint_zh}。",
            reason="town_row",
            value=_detail(text),
            segment=segment,
        )
    number = int(segment)
    for lo, hi, committee in _COMMITTEE_RANGES:
        if lo <= number <= hi:
            return committee
    en, zh = _COMMITTEE_RANGES_TEXT
    raise _error(
        kind,
        f"The committee part (digits 10–12) of {_shown(text)} is {segment}; it must be 001–599 "
        f"({en}).",
        f"{_shown(text)} 的村级代码（第 10–12 位）为 {segment}，应在 001–599 之间（{zh}）。",
        reason="committee_segment",
        value=_detail(text),
        segment=segment,
    )


def _check_stat(text: str, kind: _Kind) -> CommitteeKind:
    """Checks the first 12 digits of ``text`` (already known to be digits)."""
    _check_province(text, kind)
    _check_town_segment(text, kind)
    return _check_committee_segment(text, kind)


# --------------------------------------------------------------------------- divisions


def parse_division_code(value: object) -> str:
    """Check a 6-digit administrative division code (行政区划代码) and return it.

    The code is province (2) + prefecture/city (2) + county (2) digits; a province is
    written ``xx0000`` and a city ``xxxx00``. The first two digits must be a province,
    autonomous region or municipality: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71
    (Taiwan), 81 (Hong Kong), 82 (Macao). Whether the code is still in force is not
    checked (codes are retired over time; identity numbers keep old ones).

    References:
        GB/T 2260-2007 《中华人民共和国行政区划代码》, issued 2007-11-14, in force
        2008-02-01.

    Args:
        value: The code, as text.

    Returns:
        The code, unchanged.

    Raises:
        InvalidCodeError: ``code.division``, if ``value`` is not a ``str``, not 6 digits,
            or does not start with a province code.

    Example:
        >>> parse_division_code("310113")  # 上海市宝山区
        '310113'
        >>> parse_division_code("990000")
        Traceback (most recent call last):
        ...
        microgov.errors.InvalidCodeError: '990000' does not start with a province code: ...
    """
    text = _digits(value, _DIVISION, 6)
    _check_province(text, _DIVISION)
    return text


def division_prefix(code: str) -> str:
    """The significant prefix of a division code: what its subdivisions start with.

    ``"310000"`` (a province) gives ``"31"``, ``"310100"`` (a city) gives ``"3101"``,
    ``"310113"`` (a county) gives the whole code. A town or committee code lies inside
    a division exactly when it starts with the division's prefix. O(1).

    References:
        GB/T 2260-2007, issued 2007-11-14, in force 2008-02-01.

    Args:
        code: A 6-digit division code.

    Returns:
        The prefix: 2, 4 or 6 digits.

    Raises:
        InvalidCodeError: ``code.division``, if ``code`` is not a valid division code.

    Example:
        >>> division_prefix("310000"), division_prefix("310100"), division_prefix("310113")
        ('31', '3101', '310113')
        >>> "310113101043".startswith(division_prefix("310100"))
        True
    """
    text = parse_division_code(code)
    if text[2:] == "0000":
        return text[:2]
    if text[4:] == "00":
        return text[:4]
    return text


def parse_town_code(value: object) -> str:
    """Check a 9-digit town code (乡级区划代码) and return it.

    The code is a division code (6) + a town segment (3): 001–099 街道 subdistrict,
    100–199 镇 town, 200–399 乡 township, 400–599 类似乡级单位 town-like unit. The
    12-digit form used for town rows in the NBS tables, ``<9 digits>000``, is accepted
    and shortened to 9 digits.

    References:
        * GB/T 10114-2003 《县级以下行政区划代码编制规则》, issued 2003-07-25, in force
          2003-12-01.
        * 《统计用区划代码和城乡划分代码编制规则》, 国统字〔2009〕91号 (400–599).

    Args:
        value: The code, as text: 9 digits, or 12 digits ending in ``000``.

    Returns:
        The 9-digit town code.

    Raises:
        InvalidCodeError: ``code.town``, if ``value`` is not a ``str``, has a wrong length or
            a non-digit, a bad province, a town segment outside 001–599, or is a
            12-digit committee code (use :func:`parse_stat_code` for those).

    Example:
        >>> parse_town_code("310113101")  # 罗店镇
        '310113101'
        >>> parse_town_code("310113101000")
        '310113101'
        >>> is_town_code("310113600")
        False
    """
    text = _text(value, _TOWN)
    _require_digits(text, _TOWN)
    if len(text) == 12:
        if text[9:] != "000":
            raise _error(
                _TOWN,
                f"{_shown(text)} is a committee code (digits 10–12 are {text[9:]}), not a town "
                "code; a town is 9 digits, or 12 ending in 000. Use parse_stat_code for "
                "committee codes.",
                f"{_shown(text)} 是村（居）委会代码（第 10–12 位为 {text[9:]}），不是乡级代码；"
                "乡级代码为 9 位，或以 000 结尾的 12 位。村（居）委会代码请用 parse_stat_code。",
                reason="committee_code",
                value=_detail(text),
                segment=text[9:],
            )
        text = text[:9]
    elif len(text) != 9:
        raise _error(
            _TOWN,
            f"The {_TOWN.name_en} must have 9 digits (or 12 ending in 000, as in the NBS "
            f"tables); {_shown(text)} has {len(text)}.",
            f"{_TOWN.name_zh}应为 9 位（或以 000 结尾的 12 位），"
            f"{_shown(text)} 为 {len(text)} 位。",
            reason="length",
            value=_detail(text),
            length=len(text),
        )
    _check_province(text, _TOWN)
    _check_town_segment(text, _TOWN)
    return text


def town_kind(code: str) -> TownKind:
    """The kind of the town a town or committee code belongs to.

    References:
        GB/T 10114-2003, in force 2003-12-01; 国统字〔2009〕91号.

    Args:
        code: A 9-digit town code, a 12-digit town row (``…000``) or a 12-digit
            committee code.

    Returns:
        The town's kind, from digits 7–9.

    Raises:
        InvalidCodeError: ``code.town`` or ``code.stat``, if ``code`` is not valid.

    Example:
        >>> town_kind("310113101")  # 罗店镇
        <TownKind.TOWN: 'town'>
        >>> town_kind("310113001001").label_zh
        '街道'
    """
    if isinstance(code, str) and len(code) == 12 and code[9:] != "000":
        text = parse_stat_code(code)
    else:
        text = parse_town_code(code)
    return _check_town_segment(text, _TOWN)


def parse_stat_code(value: object) -> str:
    """Check a 12-digit statistical division code (统计用区划代码) of a committee.

    The code is division (6) + town (3, 001–599) + committee (3): 001–199 居委会
    residents' committee, 200–399 村委会 village committee, 400–499 类似居委会,
    500–599 类似村委会. There is no check digit. A committee part of ``000`` is the
    town's own row in the NBS tables, not a committee: use :func:`parse_town_code`.

    References:
        《统计用区划代码和城乡划分代码编制规则》, 国统字〔2009〕91号 (National Bureau of
        Statistics, 2009); GB/T 2260-2007; GB/T 10114-2003.

    Args:
        value: The code, as text.

    Returns:
        The code, unchanged.

    Raises:
        InvalidCodeError: ``code.stat``, if ``value`` is not a ``str``, not 12 digits, has
            a bad province, or a town or committee segment outside 001–599.

    Example:
        >>> parse_stat_code("310113101043")  # 美罗家园金丰苑第一居委会
        '310113101043'
        >>> parse_stat_code("310113101000")
        Traceback (most recent call last):
        ...
        microgov.errors.InvalidCodeError: The committee part (digits 10–12) of ...
    """
    text = _digits(value, _STAT, 12)
    _check_stat(text, _STAT)
    return text


def committee_kind(code: str) -> CommitteeKind:
    """The kind of a committee, from digits 10–12 of its statistical code.

    References:
        国统字〔2009〕91号 (National Bureau of Statistics, 2009).

    Args:
        code: A 12-digit committee code.

    Returns:
        The committee's kind.

    Raises:
        InvalidCodeError: ``code.stat``, if ``code`` is not a valid committee code.

    Example:
        >>> committee_kind("310113101043")
        <CommitteeKind.RESIDENTS: 'residents'>
        >>> committee_kind("310113101201").label_en  # 罗溪村村委会
        'village committee'
    """
    return _check_stat(parse_stat_code(code), _STAT)


def parse_class_code(value: object) -> str:
    """Check a 3-digit urban-rural class code (城乡分类代码) and return it.

    References:
        《统计用区划代码和城乡划分代码编制规则》, 国统字〔2009〕91号; 《统计上划分城乡的
        规定》 (国函〔2008〕60号).

    Args:
        value: The code, as text.

    Returns:
        The code, one of :data:`URBAN_RURAL_CLASSES`.

    Raises:
        InvalidCodeError: ``code.class``, if ``value`` is not a ``str`` or not one of
            111, 112, 121, 122, 123, 210, 220.

    Example:
        >>> code = parse_class_code("121")
        >>> code, URBAN_RURAL_CLASSES[code]
        ('121', ('镇中心区', 'town centre area'))
    """
    text = _digits(value, _CLASS, 3)
    if text not in URBAN_RURAL_CLASSES:
        en = ", ".join(f"{c} {label[1]}" for c, label in URBAN_RURAL_CLASSES.items())
        zh = "，".join(f"{c} {label[0]}" for c, label in URBAN_RURAL_CLASSES.items())
        raise _error(
            _CLASS,
            f"{_shown(text)} is not an urban-rural class code; valid codes: {en}.",
            f"{_shown(text)} 不是有效的城乡分类代码；有效代码：{zh}。",
            reason="unknown_class",
            value=_detail(text),
        )
    return text


# --------------------------------------------------------------------------- grids


def _check_width(sequence_width: object) -> int:
    if (
        isinstance(sequence_width, bool)
        or not isinstance(sequence_width, int)
        or not 1 <= sequence_width <= 6
    ):
        raise _error(
            _GRID_WIDTH,
            f"The grid sequence width must be a whole number from 1 to 6, not "
            f"{_shown(sequence_width)}.",
            f"网格顺序码位数必须是 1 到 6 的整数，不能是 {_shown(sequence_width)}。",
            reason="width",
            value=_shown(sequence_width),
        )
    return sequence_width


def parse_grid_code(value: object, *, sequence_width: int = 3) -> str:
    """Check a micro-grid code (网格编码) and return it.

    A grid code is a valid 12-digit committee code (:func:`parse_stat_code`) followed
    by a sequence number of ``sequence_width`` digits, not all zeros. The default, 3,
    gives the 15-digit unit-grid code of GB/T 30428.1 (6 + 3 + 3 + 3). CJ/T 349-2010
    community grids instead use a 2-digit sequence inside a 20-digit code that starts
    with a 6-digit service-object code: strip that prefix and pass
    ``sequence_width=2``. No Shanghai (DB31) micro-grid code standard was found, so the
    width is configurable.

    References:
        * GB/T 30428.1-2013 《数字化城市管理信息系统 第1部分：单元网格》, 2013.
        * CJ/T 349-2010 《数字社区管理与服务 网格划分与编码规则》, 2010.

    Args:
        value: The code, as text.
        sequence_width: Digits of the sequence number, 1–6.

    Returns:
        The code, unchanged.

    Raises:
        InvalidCodeError: ``code.grid_width`` if ``sequence_width`` is not 1–6;
            ``code.grid`` if ``value`` is not a ``str``, has a wrong length or a
            non-digit, a bad committee part, or a sequence of all zeros.

    Example:
        >>> parse_grid_code("310113101043007")
        '310113101043007'
        >>> parse_grid_code("31011310104307", sequence_width=2)
        '31011310104307'
        >>> is_grid_code("310113101043000")  # sequence 000
        False
    """
    width = _check_width(sequence_width)
    text = _digits(value, _GRID, 12 + width)
    _check_stat(text, _GRID)
    if text[12:] == "0" * width:
        raise _error(
            _GRID,
            f"The sequence part (digits 13–{12 + width}) of grid code {_shown(text)} is all "
            "zeros; grids are numbered from 1.",
            f"网格编码 {_shown(text)} 的顺序码（第 13–{12 + width} 位）全为 0；网格从 1 开始编号。",
            reason="sequence",
            value=_detail(text),
        )
    return text


def grid_code(committee_code: str, sequence: int, *, sequence_width: int = 3) -> str:
    """Build a micro-grid code from its committee's code and a sequence number.

    References:
        GB/T 30428.1-2013 (15-digit unit grid); CJ/T 349-2010.

    Args:
        committee_code: The 12-digit statistical code of the committee.
        sequence: The grid's number inside the committee, 1 to ``10**sequence_width - 1``.
        sequence_width: Digits of the sequence number, 1–6.

    Returns:
        The grid code: ``committee_code`` + ``sequence`` zero-padded.

    Raises:
        InvalidCodeError: ``code.stat`` for a bad ``committee_code``,
            ``code.grid_width`` for a bad ``sequence_width``, ``code.grid`` for a
            ``sequence`` out of range.

    Example:
        >>> grid_code("310113101043", 7)
        '310113101043007'
        >>> grid_code("310113101043", 7, sequence_width=2)
        '31011310104307'
    """
    width = _check_width(sequence_width)
    stat = parse_stat_code(committee_code)
    top = 10**width - 1
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 1 <= sequence <= top:
        raise _error(
            _GRID,
            f"A grid sequence number of {width} digit(s) must be a whole number from 1 to "
            f"{top}, not {_shown(sequence)}.",
            f"{width} 位网格顺序码必须是 1 到 {top} 的整数，不能是 {_shown(sequence)}。",
            reason="sequence",
            value=_shown(sequence),
        )
    return f"{stat}{sequence:0{width}d}"


# --------------------------------------------------------------------------- identity

_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS: Final = "10X98765432"
_ID_LAST: Final[frozenset[str]] = _DIGITS | {"X", "x"}
_ID_FIRST_BIRTH: Final = datetime.date(1900, 1, 1)
_ID_LAST_BIRTH: Final = datetime.date(2100, 12, 31)


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
        raise _error(
            _IDENTITY,
            f"The {what_en} must be given as text (str), not {type_name}.",
            f"{what_zh}必须以文本（str）形式给出，不能是 {type_name}。",
            reason="type",
            type=type_name,
        )
    if len(value) != length:
        raise _error(
            _IDENTITY,
            f"The {what_en} must be exactly {length} characters long; the text given has "
            f"{len(value)}.",
            f"{what_zh}应恰为 {length} 位，所给文本为 {len(value)} 位。",
            reason="length",
            length=len(value),
        )
    bad = _first_bad(value[:17], _DIGITS)
    if bad < 0 and length == 18 and value[17] not in _ID_LAST:
        bad = 17
    if bad >= 0:
        allowed_en = "a digit or X" if bad == 17 else "a digit"
        allowed_zh = "数字或 X" if bad == 17 else "数字"
        extra = {"value": _mask(value)} if length == 18 else {}
        raise _error(
            _IDENTITY,
            f"Character {bad + 1} of the {what_en} must be {allowed_en}.",
            f"{what_zh}的第 {bad + 1} 位应为{allowed_zh}。",
            reason="non_digit",
            position=bad + 1,
            **extra,
        )
    return value


def _identity_sum_char(first17: str) -> str:
    return _ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


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
    return _identity_sum_char(_identity_text(first17, 17))


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
    if text[:2] not in _PROVINCE_PREFIXES:
        raise _error(
            _IDENTITY,
            f"The region code (digits 1–6) of the {what_en} {masked} does not start with a "
            f"province code ({text[:2]!r}; valid: {_PROVINCES_TEXT_EN}).",
            f"{what_zh} {masked} 的地址码（第 1–6 位）前两位 {text[:2]!r} 不是省级行政区代码"
            f"（有效值：{_PROVINCES_TEXT_ZH}）。",
            reason="province",
            value=masked,
        )
    birth: datetime.date | None
    try:
        birth = datetime.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        birth = None
    if birth is None or not _ID_FIRST_BIRTH <= birth <= _ID_LAST_BIRTH:
        raise _error(
            _IDENTITY,
            f"The birth date (digits 7–14, YYYYMMDD) of the {what_en} {masked} is not a real "
            f"calendar date from {_ID_FIRST_BIRTH} to {_ID_LAST_BIRTH}.",
            f"{what_zh} {masked} 的出生日期码（第 7–14 位，YYYYMMDD）不是 {_ID_FIRST_BIRTH} 至 "
            f"{_ID_LAST_BIRTH} 之间的有效日期。",
            reason="birth_date",
            value=masked,
        )
    if _identity_sum_char(text[:17]) != text[17]:
        raise _error(
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

_CREDIT_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES: Final[Mapping[str, int]] = MappingProxyType(
    {ch: i for i, ch in enumerate(_CREDIT_ALPHABET)}
)
_CREDIT_WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))
_CREDIT_INPUT: Final = frozenset(_CREDIT_ALPHABET + _CREDIT_ALPHABET.lower())
_CREDIT_UNUSED: Final = frozenset("IOSVZ")


def _credit_text(value: object, length: int) -> str:
    if length == 18:
        what_en, what_zh = _CREDIT.name_en, _CREDIT.name_zh
    else:
        what_en = f"first {length} characters (without the check character) of a {_CREDIT.name_en}"
        what_zh = f"{_CREDIT.name_zh}的前 {length} 位（不含校验码）"
    text = _text(value, _CREDIT)
    bad = _first_bad(text, _CREDIT_INPUT)
    if bad >= 0:
        ch = text[bad]
        if ch.isascii() and ch.upper() in _CREDIT_UNUSED:
            note_en = (
                f" (the letters I, O, S, V and Z are never used; {ch!r} may be a misread digit)"
            )
            note_zh = f"（不使用字母 I、O、S、V、Z，{ch!r} 可能是误读的数字）"
        else:
            note_en = note_zh = ""
        raise _error(
            _CREDIT,
            f"The {_CREDIT.name_en} uses only the digits 0–9 and the letters "
            f"ABCDEFGHJKLMNPQRTUWXY; {_shown(text)} has {ch!r} at position {bad + 1}{note_en}.",
            f"{_CREDIT.name_zh}只能由数字 0–9 和字母 ABCDEFGHJKLMNPQRTUWXY 组成，"
            f"{_shown(text)} 的第 {bad + 1} 位是 {ch!r}{note_zh}。",
            reason="character",
            value=_detail(text),
            position=bad + 1,
        )
    text = text.upper()
    if len(text) != length:
        raise _error(
            _CREDIT,
            f"The {what_en} must be exactly {length} characters long; {_shown(text)} has "
            f"{len(text)}.",
            f"{what_zh}应恰为 {length} 位，{_shown(text)} 为 {len(text)} 位。",
            reason="length",
            value=_detail(text),
            length=len(text),
        )
    return text


def _credit_sum_char(first17: str) -> str:
    total = sum(_CREDIT_VALUES[ch] * w for ch, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


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
    return _credit_sum_char(_credit_text(first17, 17))


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
    expected = _credit_sum_char(text[:17])
    if expected != text[17]:
        raise _error(
            _CREDIT,
            f"The check character (18th) of the {_CREDIT.name_en} {_shown(text)} is {text[17]!r}, "
            f"but the first 17 characters give {expected!r}; a character was probably "
            "mistyped.",
            f"{_CREDIT.name_zh} {_shown(text)} 的校验码（第 18 位）为 {text[17]!r}，"
            f"按前 17 位应为 {expected!r}，可能有字符录入错误。",
            reason="check_char",
            value=text,
            expected=expected,
        )
    return text


# --------------------------------------------------------------------------- predicates


def _accepts(parse: Callable[..., object], value: object, **options: int) -> bool:
    """Whether ``parse`` accepts ``value``: the body of every ``is_*`` predicate."""
    try:
        parse(value, **options)
    except InvalidCodeError:
        return False
    return True


def is_division_code(value: object) -> bool:
    """Whether ``value`` is a valid division code (see :func:`parse_division_code`).

    Args:
        value: Anything.

    Returns:
        True if :func:`parse_division_code` accepts it; never raises.

    Example:
        >>> is_division_code("310113"), is_division_code(310113), is_division_code("3101")
        (True, False, False)
    """
    return _accepts(parse_division_code, value)


def is_town_code(value: object) -> bool:
    """Whether ``value`` is a valid town code (see :func:`parse_town_code`).

    Args:
        value: Anything.

    Returns:
        True if :func:`parse_town_code` accepts it; never raises.

    Example:
        >>> is_town_code("310113101"), is_town_code("310113101000"), is_town_code("310113101043")
        (True, True, False)
    """
    return _accepts(parse_town_code, value)


def is_stat_code(value: object) -> bool:
    """Whether ``value`` is a valid committee code (see :func:`parse_stat_code`).

    Args:
        value: Anything.

    Returns:
        True if :func:`parse_stat_code` accepts it; never raises.

    Example:
        >>> is_stat_code("310113101043"), is_stat_code("310113101000")
        (True, False)
    """
    return _accepts(parse_stat_code, value)


def is_grid_code(value: object, *, sequence_width: int = 3) -> bool:
    """Whether ``value`` is a valid grid code (see :func:`parse_grid_code`).

    Args:
        value: Anything.
        sequence_width: Digits of the sequence number; an invalid width gives False.

    Returns:
        True if :func:`parse_grid_code` accepts it; never raises.

    Example:
        >>> is_grid_code("310113101043007"), is_grid_code("310113101043007", sequence_width=2)
        (True, False)
    """
    return _accepts(parse_grid_code, value, sequence_width=sequence_width)


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
    return _accepts(parse_identity_number, value)


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
    return _accepts(parse_credit_code, value)
