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

Identity numbers (公民身份号码, GB 11643) and unified social credit codes (统一社会信用代码,
GB 32100) are checked on the ground floor (``microgov._numbers``): identity numbers are
personal data (:mod:`microgov.personal`), and every error message is redacted with the
same check. :mod:`microgov.hierarchy` still exports their functions.

References:
    * GB/T 2260-2007 《中华人民共和国行政区划代码》 (administrative division codes), issued
      2007-11-14, in force 2008-02-01.
    * GB/T 10114-2003 《县级以下行政区划代码编制规则》 (codes below the county), issued
      2003-07-25, in force 2003-12-01.
    * 《统计用区划代码和城乡划分代码编制规则》 (国统字〔2009〕91号, National Bureau of
      Statistics, 2009), published with NBS Order No. 14 (2010).
    * GB/T 30428.1-2013 《数字化城市管理信息系统 第1部分：单元网格》 (unit grids), 2013.
    * CJ/T 349-2010 《数字社区管理与服务 网格划分与编码规则》 (community grids), 2010.

Example:
    >>> parse_stat_code("310113101043")
    '310113101043'
    >>> committee_kind("310113101043").label_zh
    '居委会'
    >>> is_stat_code("310113101000")  # the town's own row, not a committee
    False
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from microgov._checksums import DIGITS as _DIGITS
from microgov._checksums import PROVINCE_PREFIXES as _PROVINCE_PREFIXES
from microgov._checksums import PROVINCES_TEXT_EN as _PROVINCES_TEXT_EN
from microgov._checksums import PROVINCES_TEXT_ZH as _PROVINCES_TEXT_ZH
from microgov._numbers import CodeKind as _Kind
from microgov._numbers import accepts as _accepts
from microgov._numbers import code_error as _error
from microgov._numbers import detail as _detail
from microgov._numbers import first_bad as _first_bad
from microgov._numbers import require_text as _text
from microgov._numbers import shown as _shown

__all__ = [
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


# --------------------------------------------------------------------------- helpers


_DIVISION: Final = _Kind(
    "code.division", "administrative division code (GB/T 2260)", "行政区划代码"
)
_TOWN: Final = _Kind("code.town", "town code (GB/T 10114)", "乡级区划代码")
_STAT: Final = _Kind("code.stat", "statistical division code (统计用区划代码)", "统计用区划代码")
_CLASS: Final = _Kind("code.class", "urban-rural class code (城乡分类代码)", "城乡分类代码")
_GRID: Final = _Kind("code.grid", "grid code", "网格编码")
_GRID_WIDTH: Final = _Kind("code.grid_width", "grid sequence width", "网格顺序码位数")


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


# --------------------------------------------------------------------------- predicates


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
