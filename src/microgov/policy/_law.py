"""The statute texts behind microgov's rules (法律条文): each article quoted verbatim.

A :class:`Provision` is one article (or paragraph) of a law, regulation or judicial
interpretation, with the organ that made it, when it was adopted and in force, the
exact wording **as read**, and where it was read.  A provision whose wording could
not be read is kept with ``text=None`` and ``verified=False``: the rule that uses it
is then a parameter, not a claim about the law.  :data:`PROVISIONS` is the
catalogue; the quorum presets, convening rules and owners' rules cite from it, and
the "Law" page of the documentation is generated from it.

References (python-holidays style: the instrument and its dates, here with the file
each wording was read from — the consolidated texts of the public ``LawRefBook/Laws``
collection):

- 中华人民共和国城市居民委员会组织法: 全国人民代表大会常务委员会, adopted
  1989-12-26 (第七届全国人民代表大会常务委员会第十一次会议), in force 1990-01-01 (Art. 23),
  amended 2018-12-29 (第十三届全国人民代表大会常务委员会第七次会议); revised 2025-10-28,
  in force 2026-01-01 (the revised wording was not read).
- 中华人民共和国村民委员会组织法: 全国人民代表大会常务委员会, adopted 1998-11-04, revised
  2010-10-28, amended 2018-12-29; in force on promulgation (Art. 41).
- 中华人民共和国民法典: 全国人民代表大会, adopted 2020-05-28, in force 2021-01-01
  (Art. 1260, which also repeals the 物权法).
- 中华人民共和国物权法: 全国人民代表大会, adopted 2007-03-16, in force 2007-10-01,
  repealed 2021-01-01 (民法典 Art. 1260); the official text was not read here.
- 最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释: 最高人民法院,
  adopted 2009-03-23 (审判委员会第1464次会议), in force 2009-10-01 (Art. 19), amended
  2020-12-23 (审判委员会第1823次会议).
- 上海市居民委员会工作条例: 上海市人民代表大会常务委员会, adopted 2017-04-20, in force
  2017-07-01, amended 2020-05-14; its articles were not read here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

import attrs

from microgov._verdict import Citation
from microgov.errors import PolicyError

__all__ = ["PROVISIONS", "Provision", "provision"]


@attrs.frozen(kw_only=True)
class Provision:
    """One article of a statute, quoted verbatim, with its source and in-force dates.

    Attributes:
        key: A stable key, e.g. ``'urban_residents_committee_law.art9'``.
        instrument: The instrument's official title, e.g. ``'中华人民共和国民法典'``.
        article: The article (and paragraph), e.g. ``'第二百七十八条第二款'``.
        organ: The organ that made it, e.g. ``'全国人民代表大会常务委员会'``.
        promulgation: Its adoption and amendments as the official text states them.
        in_force_from: First day in force of this wording, if known.
        in_force_to: Last day in force, or None while in force.
        text: The wording, verbatim as read; None when it was not read.
        verified: True only when ``text`` was read from a full text of the instrument.
        read_from: Where the wording was read (collection, file and version), if read.
        note: What a reader should know (what was not read, why a date is assumed).

    Example:
        >>> p = PROVISIONS["civil_code.art1259"]
        >>> p.verified, p.text[:9]
        (True, '民法所称的“以上”')
        >>> p.citation.in_force_on(date(2021, 1, 1))
        True
    """

    key: str
    instrument: str
    article: str
    organ: str
    promulgation: str
    in_force_from: date | None = None
    in_force_to: date | None = None
    text: str | None = None
    verified: bool = False
    read_from: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.verified and not self.text:
            raise PolicyError(
                f"Provision {self.key!r} is marked verified but quotes no text.",
                f"条文 {self.key!r} 标为已核对，却没有引用原文。",
                code="policy.bad_provision",
                provision=self.key,
            )

    @property
    def citation(self) -> Citation:
        """This provision as a :class:`~microgov.policy.Citation` (the quoted text as note).

        Example:
            >>> PROVISIONS["urban_residents_committee_law.art9"].citation.article
            '第九条第三款'
        """
        note = self.text if self.text else ""
        if self.note:
            note = f"{note} [{self.note}]" if note else self.note
        return Citation(
            source=self.instrument,
            article=self.article,
            in_force_from=self.in_force_from,
            in_force_to=self.in_force_to,
            verified=self.verified,
            note=note or None,
        )


_RESIDENTS_LAW: Final = "中华人民共和国城市居民委员会组织法"
_RESIDENTS_PROMULGATION: Final = (
    "1989年12月26日第七届全国人民代表大会常务委员会第十一次会议通过；"
    "2018年12月29日第十三届全国人民代表大会常务委员会第七次会议"
    "《关于修改〈中华人民共和国村民委员会组织法〉〈中华人民共和国城市居民委员会组织法〉的决定》修正"
)
_RESIDENTS_READ: Final = "LawRefBook/Laws 宪法相关法/城市居民委员会组织法(2018-12-29).md (8fbca02)"
_RESIDENTS_RANGE_NOTE: Final = (
    "In force 1990-01-01 (第二十三条：本法自1990年1月1日起施行). Quoted from the text as "
    "amended on 2018-12-29; the 2018 amending decision itself was not read here — it is "
    "taken, as the issue that introduced this rule states, to have changed the committee's "
    "term and not this article."
)
_VILLAGE_LAW: Final = "中华人民共和国村民委员会组织法"
_VILLAGE_PROMULGATION: Final = (
    "1998年11月4日第九届全国人民代表大会常务委员会第五次会议通过；"
    "2010年10月28日第十一届全国人民代表大会常务委员会第十七次会议修订；"
    "2018年12月29日第十三届全国人民代表大会常务委员会第七次会议修正"
)
_VILLAGE_READ: Final = "LawRefBook/Laws 宪法相关法/村民委员会组织法(2018-12-29).md (8fbca02)"
_CIVIL_CODE: Final = "中华人民共和国民法典"
_CIVIL_PROMULGATION: Final = "2020年5月28日第十三届全国人民代表大会第三次会议通过"
_CIVIL_READ: Final = "LawRefBook/Laws 民法商法/民法典.md (3cd6e86)"
_SPC: Final = "最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释"
_SPC_PROMULGATION: Final = (
    "2009年3月23日最高人民法院审判委员会第1464次会议通过；2020年12月23日最高人民法院"
    "审判委员会第1823次会议通过的《最高人民法院关于修改〈最高人民法院关于在民事审判工作中"
    "适用《中华人民共和国工会法》若干问题的解释〉等二十七件民事类司法解释的决定》修正"
)
_SPC_READ: Final = (
    "LawRefBook/Laws 司法解释/"
    "最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释.md (3cd6e86)"
)
_SHANGHAI: Final = "上海市居民委员会工作条例"
_SHANGHAI_PROMULGATION: Final = (
    "2017年4月20日上海市第十四届人民代表大会常务委员会第三十七次会议通过，自2017年7月1日起"
    "施行；根据2020年5月14日上海市第十五届人民代表大会常务委员会第二十一次会议"
    "《关于修改本市部分地方性法规的决定》第一次修正"
)
_SHANGHAI_NOTE: Final = (
    "NOT READ: the regulation's full text was not available where the statutes were read; "
    "the obligation is encoded from the article's summary and is a parameter until its "
    "wording is quoted."
)

_ALL: Final[tuple[Provision, ...]] = (
    Provision(
        key="urban_residents_committee_law.art9",
        instrument=_RESIDENTS_LAW,
        article="第九条第三款",
        organ="全国人民代表大会常务委员会",
        promulgation=_RESIDENTS_PROMULGATION,
        in_force_from=date(1990, 1, 1),
        in_force_to=date(2025, 12, 31),
        text=(
            "居民会议必须有全体十八周岁以上的居民、户的代表或者居民小组选举的代表的过半数出席，"
            "才能举行。会议的决定，由出席人的过半数通过。"
        ),
        verified=True,
        read_from=_RESIDENTS_READ,
        note=_RESIDENTS_RANGE_NOTE,
    ),
    Provision(
        key="urban_residents_committee_law.art9.2",
        instrument=_RESIDENTS_LAW,
        article="第九条第二款",
        organ="全国人民代表大会常务委员会",
        promulgation=_RESIDENTS_PROMULGATION,
        in_force_from=date(1990, 1, 1),
        in_force_to=date(2025, 12, 31),
        text=(
            "居民会议可以由全体十八周岁以上的居民或者每户派代表参加，也可以由每个居民小组选举"
            "代表二至三人参加。"
        ),
        verified=True,
        read_from=_RESIDENTS_READ,
        note=_RESIDENTS_RANGE_NOTE,
    ),
    Provision(
        key="urban_residents_committee_law.art10",
        instrument=_RESIDENTS_LAW,
        article="第十条第二款",
        organ="全国人民代表大会常务委员会",
        promulgation=_RESIDENTS_PROMULGATION,
        in_force_from=date(1990, 1, 1),
        in_force_to=date(2025, 12, 31),
        text=(
            "居民会议由居民委员会召集和主持。有五分之一以上的十八周岁以上的居民、五分之一以上"
            "的户或者三分之一以上的居民小组提议，应当召集居民会议。涉及全体居民利益的重要问题，"
            "居民委员会必须提请居民会议讨论决定。"
        ),
        verified=True,
        read_from=_RESIDENTS_READ,
        note=_RESIDENTS_RANGE_NOTE,
    ),
    Provision(
        key="urban_residents_committee_law.art14",
        instrument=_RESIDENTS_LAW,
        article="第十四条",
        organ="全国人民代表大会常务委员会",
        promulgation=_RESIDENTS_PROMULGATION,
        in_force_from=date(1990, 1, 1),
        in_force_to=date(2025, 12, 31),
        text="居民委员会可以分设若干居民小组，小组长由居民小组推选。",
        verified=True,
        read_from=_RESIDENTS_READ,
        note=_RESIDENTS_RANGE_NOTE,
    ),
    Provision(
        key="urban_residents_committee_law_2025.ch4",
        instrument=f"{_RESIDENTS_LAW}（2025年修订）",
        article="第四章 居民会议和居民代表会议",
        organ="全国人民代表大会常务委员会",
        promulgation="2025年10月28日修订，自2026年1月1日起施行",
        in_force_from=date(2026, 1, 1),
        note=(
            "NOT READ: the revised chapter 4 wording (居民会议和居民代表会议) was not found where "
            "the statutes were read; the 2018 parameters are repeated as a parameter."
        ),
    ),
    Provision(
        key="villagers_committee_law.art22",
        instrument=_VILLAGE_LAW,
        article="第二十二条第一款",
        organ="全国人民代表大会常务委员会",
        promulgation=_VILLAGE_PROMULGATION,
        in_force_from=date(2018, 12, 29),
        in_force_to=date(2025, 12, 31),
        text=(
            "召开村民会议，应当有本村十八周岁以上村民的过半数，或者本村三分之二以上的户的代表"
            "参加，村民会议所作决定应当经到会人员的过半数通过。法律对召开村民会议及作出决定另有"
            "规定的，依照其规定。"
        ),
        verified=True,
        read_from=_VILLAGE_READ,
        note=(
            "in_force_from is the date of the 2018 amendment (the 2010 revision's own wording "
            "was not read). in_force_to assumes the 2025-10-28 amendment takes effect on "
            "2026-01-01 like the residents' law; that date was not read."
        ),
    ),
    Provision(
        key="villagers_committee_law_2025.art22",
        instrument=f"{_VILLAGE_LAW}（2025年修正）",
        article="第二十二条",
        organ="全国人民代表大会常务委员会",
        promulgation="2025年10月28日修正",
        in_force_from=date(2026, 1, 1),
        note=(
            "NOT READ: neither the amended wording nor its in-force date was read; the 2018 "
            "parameters and 2026-01-01 (the residents' law's date) are assumed."
        ),
    ),
    Provision(
        key="civil_code.art278",
        instrument=_CIVIL_CODE,
        article="第二百七十八条第二款",
        organ="全国人民代表大会",
        promulgation=_CIVIL_PROMULGATION,
        in_force_from=date(2021, 1, 1),
        text=(
            "业主共同决定事项，应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的"
            "业主参与表决。决定前款第六项至第八项规定的事项，应当经参与表决专有部分面积四分之三"
            "以上的业主且参与表决人数四分之三以上的业主同意。决定前款其他事项，应当经参与表决"
            "专有部分面积过半数的业主且参与表决人数过半数的业主同意。"
        ),
        verified=True,
        read_from=_CIVIL_READ,
        note="In force 2021-01-01 (第一千二百六十条).",
    ),
    Provision(
        key="civil_code.art1259",
        instrument=_CIVIL_CODE,
        article="第一千二百五十九条",
        organ="全国人民代表大会",
        promulgation=_CIVIL_PROMULGATION,
        in_force_from=date(2021, 1, 1),
        text=(
            "民法所称的“以上”、“以下”、“以内”、“届满”，包括本数；所称的“不满”、“超过”、“以外”，"
            "不包括本数。"
        ),
        verified=True,
        read_from=_CIVIL_READ,
    ),
    Provision(
        key="property_law.art76",
        instrument="中华人民共和国物权法",
        article="第七十六条第二款",
        organ="全国人民代表大会",
        promulgation="2007年3月16日第十届全国人民代表大会第五次会议通过，自2007年10月1日起施行",
        in_force_from=date(2007, 10, 1),
        in_force_to=date(2020, 12, 31),
        note=(
            "NOT VERIFIED: the official text was not available where the statutes were read. "
            "Two secondary reprints read (legislative commentary pages) give: 决定前款第五项和"
            "第六项规定的事项，应当经专有部分占建筑物总面积三分之二以上的业主且占总人数三分之二"
            "以上的业主同意。决定前款其他事项，应当经专有部分占建筑物总面积过半数的业主且占总人数"
            "过半数的业主同意。 (item 5: 筹集和使用建筑物及其附属设施的维修资金; item 6: 改建、"
            "重建建筑物及其附属设施). Repealed 2021-01-01 by 民法典 第一千二百六十条."
        ),
    ),
    Provision(
        key="spc_building_ownership.art8",
        instrument=_SPC,
        article="第八条",
        organ="最高人民法院",
        promulgation=_SPC_PROMULGATION,
        in_force_from=date(2009, 10, 1),
        text=(
            "民法典第二百七十八条第二款和第二百八十三条规定的专有部分面积可以按照不动产登记簿"
            "记载的面积计算；尚未进行物权登记的，暂按测绘机构的实测面积计算；尚未进行实测的，"
            "暂按房屋买卖合同记载的面积计算。"
        ),
        verified=True,
        read_from=_SPC_READ,
        note="In force 2009-10-01 (第十九条); quoted as amended 2020-12-23.",
    ),
    Provision(
        key="spc_building_ownership.art9",
        instrument=_SPC,
        article="第九条",
        organ="最高人民法院",
        promulgation=_SPC_PROMULGATION,
        in_force_from=date(2009, 10, 1),
        text=(
            "民法典第二百七十八条第二款规定的业主人数可以按照专有部分的数量计算，一个专有部分按"
            "一人计算。但建设单位尚未出售和虽已出售但尚未交付的部分，以及同一买受人拥有一个以上"
            "专有部分的，按一人计算。"
        ),
        verified=True,
        read_from=_SPC_READ,
        note="In force 2009-10-01 (第十九条); quoted as amended 2020-12-23.",
    ),
    Provision(
        key="shanghai_residents_committee_regulation.art11",
        instrument=_SHANGHAI,
        article="第十一条",
        organ="上海市人民代表大会常务委员会",
        promulgation=_SHANGHAI_PROMULGATION,
        in_force_from=date(2017, 7, 1),
        note=(
            f"Residents' meeting at least once a year (居民会议每年至少召开一次). {_SHANGHAI_NOTE}"
        ),
    ),
    Provision(
        key="shanghai_residents_committee_regulation.art16",
        instrument=_SHANGHAI,
        article="第十六条",
        organ="上海市人民代表大会常务委员会",
        promulgation=_SHANGHAI_PROMULGATION,
        in_force_from=date(2017, 7, 1),
        note=(
            "The three meetings (听证会、协调会、评议会) of residents' self-governance. "
            f"{_SHANGHAI_NOTE}"
        ),
    ),
    Provision(
        key="shanghai_residents_committee_regulation.art17",
        instrument=_SHANGHAI,
        article="第十七条",
        organ="上海市人民代表大会常务委员会",
        promulgation=_SHANGHAI_PROMULGATION,
        in_force_from=date(2017, 7, 1),
        note=(
            "Items the committee must make public (居务公开), among them the three meetings and "
            f"the use of work funds. {_SHANGHAI_NOTE}"
        ),
    ),
    Provision(
        key="shanghai_residents_committee_regulation.art18",
        instrument=_SHANGHAI,
        article="第十八条",
        organ="上海市人民代表大会常务委员会",
        promulgation=_SHANGHAI_PROMULGATION,
        in_force_from=date(2017, 7, 1),
        note=f"Democratic evaluation (民主评议) at least once a year. {_SHANGHAI_NOTE}",
    ),
)

PROVISIONS: Final[Mapping[str, Provision]] = MappingProxyType({p.key: p for p in _ALL})
"""Every statute provision microgov's rules rest on, by key (read-only).

Example:
    >>> sum(p.verified for p in PROVISIONS.values()), len(PROVISIONS)
    (9, 16)
    >>> PROVISIONS["property_law.art76"].verified
    False
"""


def provision(key: str) -> Provision:
    """The provision with this key.

    Args:
        key: A key of :data:`PROVISIONS`, e.g. ``'civil_code.art278'``.

    Returns:
        The provision.

    Raises:
        PolicyError: ``policy.unknown_provision`` for an unknown key.

    Example:
        >>> provision("civil_code.art278").article
        '第二百七十八条第二款'
        >>> provision("nope")
        Traceback (most recent call last):
        ...
        microgov.errors.PolicyError: Unknown provision 'nope'. ...
    """
    found = PROVISIONS.get(key) if isinstance(key, str) else None
    if found is None:
        raise PolicyError(
            f"Unknown provision {key!r}. See microgov.policy.PROVISIONS for the known keys.",
            f"未知的条文 {key!r}，已知条文见 microgov.policy.PROVISIONS。",
            code="policy.unknown_provision",
            provision=str(key),
        )
    return found
