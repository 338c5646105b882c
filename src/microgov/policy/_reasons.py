"""The catalogue of reason codes (理由代码): every code a microgov verdict can carry."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from microgov._verdict import Citation
from microgov.errors import PolicyError
from microgov.policy._convening import CONVENING_RULES
from microgov.policy._obligations import OBLIGATIONS
from microgov.policy._owners import OWNERS_RULES
from microgov.policy._quorum import CIVIL_CODE_INCLUSIVE_NUMBERS, PRESETS

__all__ = ["REASONS", "Reason", "reason"]


@attrs.frozen(kw_only=True)
class Reason:
    """One reason code: what it means, in English and Chinese, and where it comes from.

    A :class:`~microgov.policy.Verdict` names its reason with a stable dotted ``code``;
    the catalogue :data:`REASONS` says what each code means, independently of the
    figures of one verdict.

    Attributes:
        code: The stable dotted code, e.g. ``'quorum.not_met'``.
        passed: Whether a verdict with this code is a passing one.
        summary_en: What the code means, in English.
        summary_zh: What the code means, in Chinese.
        citation: The rule family's principal legal source, or None when the rule is
            a platform or procedure rule with no statute behind it.  A verdict carries
            its own, exact citation (e.g. the preset in force on the day); this one
            names the family.
        see_also: Further sources of the same family (later revisions, the rule on
            inclusive numbers), in no particular weight.
        area: The subject area: ``'quorum'`` (quorum and majority rules),
            ``'voting'`` (hands, signatures and score cards), ``'law'`` (convening,
            owners' decisions, meetings and yearly obligations), ``'lifecycle'``
            (transitions, authorisation and the built-in guards) or ``'service'``
            (decisions the service makes on the facts it holds, :mod:`microgov.service`).

    Example:
        >>> r = reason("quorum.not_met")
        >>> r.passed, r.area, r.citation.article
        (False, 'quorum', '第九条第三款')
        >>> reason("voting.second_hand").citation is None
        True
    """

    code: str
    passed: bool
    summary_en: str
    summary_zh: str
    citation: Citation | None = None
    see_also: tuple[Citation, ...] = ()
    area: str


_RESIDENTS_2018: Final = PRESETS["residents_meeting_2018"].citation
_RESIDENTS_2025: Final = PRESETS["residents_meeting_2025"].citation
_VILLAGE: Final = PRESETS["village_meeting"].citation

_MEETING_ALSO: Final = (_RESIDENTS_2025, _VILLAGE, CIVIL_CODE_INCLUSIVE_NUMBERS)


def _quorum(code: str, passed: bool, en: str, zh: str) -> Reason:
    return Reason(
        code=code,
        passed=passed,
        summary_en=en,
        summary_zh=zh,
        citation=_RESIDENTS_2018,
        see_also=_MEETING_ALSO,
        area="quorum",
    )


_CONVENING: Final = CONVENING_RULES["residents_convening_2018"].citation
_CONVENING_ALSO: Final = (
    CONVENING_RULES["residents_convening_2025"].citation,
    CIVIL_CODE_INCLUSIVE_NUMBERS,
)


_OWNERS: Final = OWNERS_RULES["owners_decision_2021"].citation
_OWNERS_ALSO: Final = (
    OWNERS_RULES["owners_decision_2007"].citation,
    CIVIL_CODE_INCLUSIVE_NUMBERS,
)


def _law(
    code: str,
    passed: bool,
    en: str,
    zh: str,
    citation: Citation,
    also: tuple[Citation, ...] = (),
) -> Reason:
    return Reason(
        code=code,
        passed=passed,
        summary_en=en,
        summary_zh=zh,
        citation=citation,
        see_also=also,
        area="law",
    )


def _plain(area: str, code: str, passed: bool, en: str, zh: str) -> Reason:
    return Reason(code=code, passed=passed, summary_en=en, summary_zh=zh, area=area)


_ALL: Final[tuple[Reason, ...]] = (
    # -- quorum and majority (microgov.policy.quorum_met / majority_met) -------------------
    _quorum(
        "quorum.met",
        True,
        "Enough of those entitled are present for the meeting to be held.",
        "到会人数达到法定人数，会议可以举行。",
    ),
    _quorum(
        "quorum.not_met",
        False,
        "Too few of those entitled are present: the meeting cannot be held.",
        "到会人数未达到法定人数，会议不能举行。",
    ),
    Reason(
        code="quorum.mode_not_allowed",
        passed=False,
        summary_en="The rule does not allow a meeting composed this way "
        "(e.g. group representatives at a villagers' meeting).",
        summary_zh="该规则不允许这种会议组成方式（如村民会议由居民小组代表组成）。",
        citation=_VILLAGE,
        see_also=(_RESIDENTS_2018, _RESIDENTS_2025),
        area="quorum",
    ),
    _quorum(
        "majority.met",
        True,
        "Enough of those present agree: the decision passes.",
        "赞成人数达到到会人数的法定比例，决定通过。",
    ),
    _quorum(
        "majority.not_met",
        False,
        "Too few of those present agree (a tie never passes 'more than half').",
        "赞成人数未达到到会人数的法定比例（票数相等不算过半数），决定未通过。",
    ),
    # -- law: convening petitions (microgov.policy.convening_met, voting.judge_petition) ---
    _law(
        "convening.met",
        True,
        "Enough adults, households or residents' groups proposed the meeting: the "
        "committee must convene it.",
        "提议的居民、户或居民小组达到法定比例，居民委员会应当召集居民会议。",
        _CONVENING,
        _CONVENING_ALSO,
    ),
    _law(
        "convening.not_met",
        False,
        "Too few adults, households or residents' groups proposed the meeting.",
        "提议的居民、户或居民小组未达到法定比例。",
        _CONVENING,
        _CONVENING_ALSO,
    ),
    _law(
        "convening.basis_not_allowed",
        False,
        "The convening rule does not count proposers this way.",
        "该召集规则不以这种方式计算提议人数。",
        _CONVENING,
        _CONVENING_ALSO,
    ),
    # -- law: owners' joint decisions (microgov.policy.owners_decision, voting.decide_owners)
    _law(
        "owners.participation_met",
        True,
        "Owners holding enough of the exclusive area, and enough owners, took part.",
        "参与表决的业主专有部分面积和人数均达到法定比例。",
        _OWNERS,
        _OWNERS_ALSO,
    ),
    _law(
        "owners.participation_not_met",
        False,
        "Too little of the exclusive area, or too few owners, took part (both must reach "
        "the threshold).",
        "参与表决的业主专有部分面积或人数未达到法定比例（两者均须达到）。",
        _OWNERS,
        _OWNERS_ALSO,
    ),
    _law(
        "owners.participation_not_required",
        True,
        "The rule in force sets no participation threshold (Property Law, Art. 76).",
        "当时有效的规则未规定参与表决的比例（物权法第七十六条）。",
        OWNERS_RULES["owners_decision_2007"].citation,
        (_OWNERS,),
    ),
    _law(
        "owners.approved",
        True,
        "Owners holding enough of the area, and enough owners, agree: the decision is made.",
        "同意的业主专有部分面积和人数均达到法定比例，决定通过。",
        _OWNERS,
        _OWNERS_ALSO,
    ),
    _law(
        "owners.not_approved",
        False,
        "Not enough of the area, or not enough owners, agree (both must reach the "
        "threshold), or participation fell short.",
        "同意的业主专有部分面积或人数未达到法定比例（两者均须达到），或参与表决不足。",
        _OWNERS,
        _OWNERS_ALSO,
    ),
    _plain(
        "voting",
        "owners.second_vote",
        False,
        "This owner has already voted (an owner of several units votes once for all of them).",
        "该业主已表决（拥有多个专有部分的业主对其全部专有部分只表决一次）。",
    ),
    # -- law: yearly obligations (microgov.meetings.yearly_compliance) --------------------
    _law(
        "compliance.met",
        True,
        "The year's record holds what the obligation requires for the area.",
        "该居民区本年度的记录满足该项义务。",
        OBLIGATIONS["residents_meeting_yearly"].citation,
        tuple(o.citation for k, o in OBLIGATIONS.items() if k != "residents_meeting_yearly"),
    ),
    _law(
        "compliance.missing",
        False,
        "The year's record lacks what the obligation requires for the area (a residents' "
        "meeting held with its quorum, a democratic review, a published item).",
        "该居民区本年度的记录缺少该项义务所要求的内容（达到法定人数的居民会议、民主评议或公开事项）。",
        OBLIGATIONS["residents_meeting_yearly"].citation,
        tuple(o.citation for k, o in OBLIGATIONS.items() if k != "residents_meeting_yearly"),
    ),
    _plain(
        "voting",
        "voting.unknown_unit",
        False,
        "The unit (exclusive part) is not on the owners' roll.",
        "该专有部分不在业主名册上。",
    ),
    _plain(
        "voting",
        "petition.second_signature",
        False,
        "This person, household or residents' group has already signed the petition.",
        "该居民、户或居民小组已在提议上签名，只能签一次。",
    ),
    # -- voting: hands (microgov.voting.raise_hand / withdraw_hand / tally) ----------------
    _plain(
        "voting",
        "voting.not_open",
        False,
        "The vote or ballot has not opened yet.",
        "表决或打分尚未开始。",
    ),
    _plain(
        "voting",
        "voting.closed",
        False,
        "The vote or ballot has closed.",
        "表决或打分已截止。",
    ),
    _plain(
        "voting",
        "voting.unknown_voter",
        False,
        "The voter is not on the electoral roll.",
        "投票人不在选民名册上。",
    ),
    _plain(
        "voting",
        "voting.not_verified",
        False,
        "The resident has not passed real-name verification (a platform rule).",
        "居民未通过实名认证（平台规则）。",
    ),
    _plain(
        "voting",
        "voting.not_adult",
        False,
        "The resident is not an adult (18 or over).",
        "居民未满十八周岁。",
    ),
    _plain(
        "voting",
        "voting.outside_scope",
        False,
        "The resident lives outside the vote's or ballot's scope.",
        "居民不住在表决或打分的范围内。",
    ),
    _plain(
        "voting",
        "voting.not_entitled",
        False,
        "In this meeting mode the resident may not raise a hand (not the household's "
        "designated representative, or not a group representative).",
        "按该会议组成方式，该居民无权举手（不是本户指定的户代表，或不是居民小组代表）。",
    ),
    _plain(
        "voting",
        "voting.second_hand",
        False,
        "The resident (or household) has already raised a hand, through any channel "
        "(online, at a meeting, on paper), and the vote refuses a second one.",
        "该居民（或该户）已通过某一渠道（线上、会议现场或纸质表决单）举过手，本次表决不接受再次举手。",
    ),
    _plain(
        "voting",
        "voting.sheet_duplicate",
        False,
        "Two lines of one counted sheet take the same slot (the same household, or "
        "the same voter): the sheet is refused until it is corrected.",
        "同一张计票单中有两行占用同一名额（同一户或同一人），须更正后再录入。",
    ),
    _plain(
        "voting",
        "voting.sheet_already_entered",
        False,
        "A counted sheet with this reference was already entered in the vote; a sheet counts once.",
        "该编号的计票单已录入本次表决，每张计票单只计一次。",
    ),
    _plain(
        "voting",
        "voting.no_hand",
        False,
        "There is no raised hand to withdraw.",
        "没有可撤回的举手。",
    ),
    _plain(
        "voting",
        "voting.not_closed",
        False,
        "The vote cannot be decided before it closes.",
        "表决截止前不能作出决定。",
    ),
    # -- voting: score cards (microgov.voting.cast_scores) ---------------------------------
    _plain(
        "voting",
        "voting.self_scoring",
        False,
        "A person scored on the ballot may not score.",
        "被考核对象不能参与打分。",
    ),
    _plain(
        "voting",
        "voting.second_ballot",
        False,
        "The resident has already cast a score card; one each.",
        "该居民已打过分，每人只能打一次。",
    ),
    _plain(
        "voting",
        "voting.empty_card",
        False,
        "The score card scores nobody.",
        "打分表没有为任何对象打分。",
    ),
    _plain(
        "voting",
        "voting.unknown_subject",
        False,
        "The card scores someone who is not a subject of the ballot.",
        "打分表为非考核对象打了分。",
    ),
    _plain(
        "voting",
        "voting.score_out_of_range",
        False,
        "A score is not an integer within the ballot's range.",
        "分数不是打分范围内的整数。",
    ),
    # -- lifecycle: transitions and authorisation (microgov.lifecycle.apply) ---------------
    _plain(
        "lifecycle",
        "lifecycle.no_transition",
        False,
        "The command cannot be issued in the item's current state.",
        "当前状态下不能执行该命令。",
    ),
    _plain(
        "lifecycle",
        "auth.may_act",
        True,
        "The actor holds one of the required roles at the item's node or above.",
        "执行人在事项所在节点或其上级担任所需角色之一。",
    ),
    _plain(
        "lifecycle",
        "auth.outside_jurisdiction",
        False,
        "The actor holds none of the required roles at the item's node or above.",
        "执行人在事项所在节点及其上级均未担任所需角色，无权执行。",
    ),
    # -- lifecycle: built-in guards (microgov.lifecycle.DEFAULT_GUARDS) --------------------
    _plain(
        "lifecycle",
        "verdicts.all_passed",
        True,
        "The command carries verdicts and every one passed.",
        "命令附有结论且全部通过。",
    ),
    _plain(
        "lifecycle",
        "verdicts.none",
        False,
        "The command carries no verdict.",
        "命令未附任何结论。",
    ),
    _plain(
        "lifecycle",
        "verdicts.failed",
        False,
        "A verdict the command carries did not pass.",
        "命令所附结论中有未通过的。",
    ),
    _plain(
        "lifecycle",
        "vote.passed",
        True,
        "The vote passed: quorum and majority met.",
        "表决通过：达到法定人数并获多数同意。",
    ),
    _plain(
        "lifecycle",
        "vote.incomplete",
        False,
        "The vote's quorum or majority verdict was not supplied.",
        "未附表决的法定人数或多数结论。",
    ),
    _plain(
        "lifecycle",
        "vote.not_passed",
        False,
        "The vote did not pass (its quorum or majority verdict failed).",
        "表决未通过（法定人数或多数结论未通过）。",
    ),
    _plain(
        "lifecycle",
        "notice.elapsed",
        True,
        "The public-notice period is over.",
        "公示期已届满。",
    ),
    _plain(
        "lifecycle",
        "notice.running",
        False,
        "The public-notice period is still running.",
        "公示期尚未届满。",
    ),
    _plain(
        "lifecycle",
        "notice.not_given",
        False,
        "The end of the notice period was not given.",
        "未提供公示期截止时间。",
    ),
    _plain(
        "lifecycle",
        "evaluation.passed",
        True,
        "The residents' evaluation (scoring) passed.",
        "居民评价（评分）通过。",
    ),
    _plain(
        "lifecycle",
        "evaluation.failed",
        False,
        "The residents' evaluation (scoring) did not pass.",
        "居民评价（评分）未通过。",
    ),
    _plain(
        "lifecycle",
        "evaluation.missing",
        False,
        "No evaluation (scoring) verdict was supplied.",
        "未附评价（评分）结论。",
    ),
    _plain(
        "lifecycle",
        "objection.none",
        True,
        "No objection is outstanding.",
        "无未处理的异议。",
    ),
    _plain(
        "lifecycle",
        "objection.outstanding",
        False,
        "Objections are still outstanding.",
        "尚有未处理的异议。",
    ),
    _plain(
        "lifecycle",
        "objection.not_given",
        False,
        "The number of outstanding objections was not given.",
        "未提供尚未处理的异议数量。",
    ),
    # -- the service (microgov.service): decisions on stored facts ------------------------
    _plain(
        "service",
        "inspection.passed",
        True,
        "An acceptance-inspection check was recorded as passed by a person with the role.",
        "验收项已由有相应职责的人员记录为合格。",
    ),
    _plain(
        "service",
        "inspection.failed",
        False,
        "An acceptance-inspection check was recorded as failed.",
        "验收项被记录为不合格。",
    ),
    _plain(
        "service",
        "auth.resident",
        True,
        "The actor lives within the item's node, according to the roll.",
        "根据名册，执行人居住在事项所在节点范围内。",
    ),
    _plain(
        "service",
        "auth.named_helper",
        True,
        "The actor is a talent or volunteer named on the project.",
        "执行人是该项目登记的达人或志愿者。",
    ),
    _plain(
        "service",
        "vote.no_tally",
        False,
        "No vote of the project has been closed and counted.",
        "该项目尚无已截止并计票的表决。",
    ),
    _plain(
        "service",
        "vote.passed_cannot_reject",
        False,
        "The project's vote passed: it cannot be rejected on that tally.",
        "项目表决已通过，不能据此否决。",
    ),
    _plain(
        "service",
        "funds.insufficient",
        False,
        "The fund holds less than the grant beyond what it has already promised.",
        "资金扣除已承诺部分后不足以拨付。",
    ),
    _plain(
        "service",
        "funds.year_closed",
        False,
        "The budget year is already closed.",
        "该预算年度已结账。",
    ),
    _plain(
        "service",
        "objection.unknown",
        False,
        "No such outstanding objection is recorded.",
        "没有记录该项待处理的异议。",
    ),
    _plain(
        "service",
        "hierarchy.unknown_node",
        False,
        "The node is not in the governance graph in force.",
        "现行治理结构图中没有该节点。",
    ),
    _plain(
        "service",
        "service.no_graph",
        False,
        "No governance graph is recorded yet.",
        "尚未记录治理结构图。",
    ),
    _plain(
        "service",
        "service.unknown_project",
        False,
        "No such project is recorded.",
        "没有记录该项目。",
    ),
    _plain(
        "service",
        "service.unknown_vote",
        False,
        "No such vote is recorded.",
        "没有记录该表决。",
    ),
    _plain(
        "service",
        "service.unknown_topic",
        False,
        "No such topic is recorded.",
        "没有记录该议题。",
    ),
    _plain(
        "service",
        "service.unknown_round",
        False,
        "No such allocation round is recorded.",
        "没有记录该分配轮次。",
    ),
    _plain(
        "service",
        "service.already_exists",
        False,
        "An item with this id already exists.",
        "该编号的事项已存在。",
    ),
    _plain(
        "service",
        "service.vote_open",
        False,
        "The project already has an open vote.",
        "该项目已有进行中的表决。",
    ),
    _plain(
        "service",
        "service.bad_input",
        False,
        "A field of the command is not of the kind the command needs.",
        "命令的某个字段不符合要求。",
    ),
    _plain(
        "service",
        "service.no_command_id",
        False,
        "The command has no id (a retry must send the same id).",
        "命令缺少编号（重试须使用相同编号）。",
    ),
    _plain(
        "service",
        "service.no_actor",
        False,
        "The command does not name the person issuing it.",
        "命令未注明执行人。",
    ),
)

REASONS: Final[Mapping[str, Reason]] = MappingProxyType(
    {r.code: r for r in sorted(_ALL, key=lambda r: r.code)}
)
"""Every reason code a microgov verdict can carry, sorted by code (read-only).

Only verdict codes are listed: the codes of errors raised for bad input (such as
``policy.bad_count``) are not reasons, they are in the error's ``code``.

Example:
    >>> len(REASONS) == len(set(REASONS)), list(REASONS)[:3]
    (True, ['auth.may_act', 'auth.outside_jurisdiction', 'evaluation.failed'])
    >>> sorted(r.code for r in REASONS.values() if r.area == "quorum")
    ['majority.met', 'majority.not_met', 'quorum.met', 'quorum.mode_not_allowed', 'quorum.not_met']
"""


def reason(code: str) -> Reason:
    """The catalogue entry of a reason code.

    Args:
        code: A verdict's code, e.g. ``verdict.code``.

    Returns:
        Its :class:`Reason`.

    Raises:
        PolicyError: ``policy.unknown_reason`` if the code is not in :data:`REASONS`.

    Example:
        >>> reason("majority.not_met").summary_zh
        '赞成人数未达到到会人数的法定比例（票数相等不算过半数），决定未通过。'
        >>> reason("quorum.nope")
        Traceback (most recent call last):
        ...
        microgov.errors.PolicyError: Unknown reason code 'quorum.nope'. ...
    """
    found = REASONS.get(code) if isinstance(code, str) else None
    if found is None:
        raise PolicyError(
            f"Unknown reason code {code!r}. See microgov.policy.REASONS for the known codes.",
            f"未知的理由代码 {code!r}，已知代码见 microgov.policy.REASONS。",
            code="policy.unknown_reason",
            reason=str(code),
        )
    return found
