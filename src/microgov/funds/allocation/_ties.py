"""Ties: the rule that orders equally supported projects, and the record of each tie met.

A tie is never left to dictionary order.  :class:`TieBreak` names the order; every rule
takes it as ``tie=`` (and, for a public lot, ``seed=``), reports each :class:`Tie` it met
in :attr:`Allocation.ties <microgov.funds.Allocation.ties>`, and the explanation of each
project in a tie names it.
"""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Final

import attrs

from microgov.errors import FundsError

if TYPE_CHECKING:
    from microgov.funds.allocation._instance import Proposal

__all__ = ["Tie", "TieBreak", "lot_order"]


class TieBreak(enum.Enum):
    """How a rule orders projects that are otherwise tied; never left to dictionary order.

    * ``ID`` — project ids compared as strings, ``"10"`` before ``"9"`` (pabutools'
      default, and microgov's default, so that results agree with pabutools).
    * ``ID_DESC`` — project ids as strings, last first (CONSUL orders by
      ``ballot_lines_count DESC, id DESC``).
    * ``NUMBER`` — project ids compared as numbers where they are numbers (``"64"``
      before ``"1534"``; ``"L21"`` before ``"L203"``: the digit runs of an id compare as
      numbers, the rest as text).
    * ``COST`` — lower cost first, then most votes, then ``ID`` (equalshares.net's
      order, with the id as the last resort instead of a lot).
    * ``HIGHER_COST`` — higher cost first, then ``NUMBER``.
    * ``SUBMISSION`` — earlier submission first (:attr:`Proposal.submitted
      <microgov.funds.Proposal.submitted>`; projects without a time after those with
      one), then ``NUMBER``.
    * ``LOT`` — a public lot (抽签) drawn from a recorded seed: the tied projects are
      ordered by the SHA-256 digest of ``seed + "\\x00" + project id`` (lowest first),
      so anyone holding the seed can redraw it (:func:`lot_order`).

    Example:
        >>> TieBreak("cost") is TieBreak.COST, TieBreak.NUMBER.label_en
        (True, 'project id as a number')
    """

    ID = "id"
    ID_DESC = "id-desc"
    NUMBER = "number"
    COST = "cost"
    HIGHER_COST = "higher-cost"
    SUBMISSION = "submission"
    LOT = "lot"

    @property
    def label_en(self) -> str:
        """What the order compares, in English.

        Example:
            >>> TieBreak.LOT.label_en
            'public lot'
        """
        return _LABELS[self][0]

    @property
    def label_zh(self) -> str:
        """What the order compares, in Chinese.

        Example:
            >>> TieBreak.COST.label_zh
            '费用低者优先'
        """
        return _LABELS[self][1]


_LABELS: Final = {
    TieBreak.ID: ("project id as text", "项目编号（按文本）"),
    TieBreak.ID_DESC: ("project id as text, last first", "项目编号（按文本倒序）"),
    TieBreak.NUMBER: ("project id as a number", "项目编号（按数值）"),
    TieBreak.COST: ("lower cost first", "费用低者优先"),
    TieBreak.HIGHER_COST: ("higher cost first", "费用高者优先"),
    TieBreak.SUBMISSION: ("earlier submission first", "提交早者优先"),
    TieBreak.LOT: ("public lot", "公开抽签"),
}

_DIGITS: Final = re.compile(r"(\d+)")


def _natural(project_id: str) -> tuple[tuple[str | int, ...], str]:
    parts: list[str | int] = []
    for i, part in enumerate(_DIGITS.split(project_id)):
        parts.append(int(part) if i % 2 else part)
    return tuple(parts), project_id


def _lot(seed: str, project_id: str) -> bytes:
    return hashlib.sha256(f"{seed}\x00{project_id}".encode()).digest()


def lot_order(project_ids: Sequence[str], seed: str) -> tuple[str, ...]:
    """Redraw a public lot: the projects in the order the lot with ``seed`` puts them.

    The draw is the SHA-256 digest of the UTF-8 text ``seed + "\\x00" + project id``,
    lowest first: anyone can repeat it with the recorded seed and any SHA-256 tool.

    Args:
        project_ids: The tied projects.
        seed: The recorded seed (e.g. the date and the numbers read out at the draw).

    Returns:
        The projects, first drawn first.

    Raises:
        FundsError: ``funds.no_seed`` for an empty seed.

    Example:
        >>> lot_order(["a", "b", "c"], "2026-05-01 public draw")
        ('b', 'a', 'c')
        >>> lot_order(["c", "b", "a"], "2026-05-01 public draw")  # the same draw
        ('b', 'a', 'c')
        >>> import hashlib  # anyone can redraw it
        >>> sorted("abc", key=lambda p: hashlib.sha256(
        ...     f"2026-05-01 public draw\\x00{p}".encode()).digest())
        ['b', 'a', 'c']
    """
    check_seed(TieBreak.LOT, seed)
    assert seed is not None
    return tuple(sorted(project_ids, key=lambda pid: (_lot(seed, pid), pid)))


def check_seed(tie: TieBreak, seed: str | None) -> None:
    """Refuse a lot without a seed (the seed is what makes the lot public)."""
    if tie is TieBreak.LOT and not seed:
        raise FundsError(
            "A public lot needs a recorded seed (seed=...).",
            "公开抽签需要记录的种子（seed=...）。",
            code="funds.no_seed",
        )


TieKey = Callable[["Proposal", int], tuple[object, ...]]


def tie_key(tie: TieBreak, seed: str | None) -> TieKey:
    """The sort key (proposal, approvals) → key of a tie order; lowest first."""
    check_seed(tie, seed)
    if tie is TieBreak.NUMBER:
        return lambda p, _a: _natural(p.id)
    if tie is TieBreak.COST:
        return lambda p, a: (p.cost, -a, p.id)
    if tie is TieBreak.HIGHER_COST:
        return lambda p, _a: (-p.cost, _natural(p.id))
    if tie is TieBreak.SUBMISSION:
        return lambda p, _a: (*_submission(p.submitted), _natural(p.id))
    if tie is TieBreak.LOT:
        assert seed is not None
        return lambda p, _a: (_lot(seed, p.id), p.id)
    raise AssertionError(tie)  # ID and ID_DESC are sorted by the id itself


def _submission(at: datetime | None) -> tuple[object, ...]:
    return (1,) if at is None else (0, at)


def _ids(value: Sequence[str]) -> tuple[str, ...]:
    return tuple(value)


def _split(tie: Tie) -> bool:
    return 0 < len(tie.funded) < len(tie.projects)


@attrs.frozen(kw_only=True)
class Tie:
    """Projects a rule found equal, and how the tie-break ordered them.

    Attributes:
        projects: The tied projects, in the order the tie-break put them (first =
            considered first).
        figure: The equal figure: the votes or score they were ranked by, or for the
            Method of Equal Shares the price ρ at which they were equally affordable.
        measure: What ``figure`` is: ``"votes"``, ``"score"`` or ``"rho"``.
        rule: The tie-break used.
        seed: The recorded seed of a public lot, else None.
        funded: Those of ``projects`` that were funded.
        decisive: Whether the tie-break decided who got money: another order of the
            tied projects could have funded others.  Greedy knows exactly (a project
            left out that would have fitted had it come first); by default, and for
            the Method of Equal Shares, it is "some funded, some not".

    Example:
        >>> t = Tie(projects=("64", "1534"), figure=Fraction(272), measure="votes",
        ...         rule=TieBreak.NUMBER, funded=("64",))
        >>> t.decisive
        True
        >>> Tie(projects=("a", "b"), figure=Fraction(1), measure="votes",
        ...     rule=TieBreak.ID, funded=("a", "b")).decisive
        False
        >>> print(t.describe())
        tie at 272 votes between 64, 1534, broken by project id as a number: 64 first;
        funded 64; not funded 1534
        >>> print(t.describe("zh"))
        同为 272 票：64、1534，以「项目编号（按数值）」决定：64 在先；获资助 64；未获资助 1534
    """

    projects: tuple[str, ...] = attrs.field(converter=_ids)
    figure: Fraction
    measure: str
    rule: TieBreak
    seed: str | None = None
    funded: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    decisive: bool = attrs.field(
        default=attrs.Factory(
            lambda self: 0 < len(self.funded) < len(self.projects), takes_self=True
        )
    )

    def describe(self, language: str = "en") -> str:
        """One line naming the tie, its projects, the rule used and the outcome.

        Args:
            language: ``"en"`` or ``"zh"``.

        Example:
            >>> t = Tie(projects=("b", "a"), figure=Fraction(3), measure="votes",
            ...         rule=TieBreak.LOT, seed="s1", funded=("b", "a"))
            >>> print(t.describe())
            tie at 3 votes between b, a, broken by public lot (seed 's1'): b first;
            funded b, a
        """
        figure = _figure(self.figure)
        rest = [p for p in self.projects if p not in self.funded]
        if language == "zh":
            unit = {"votes": f"{figure} 票", "score": f"{figure} 分"}.get(
                self.measure, f"ρ = {figure}"
            )
            how = self.rule.label_zh + (f"（种子 {self.seed!r}）" if self.seed else "")
            names = "、".join(self.projects)
            text = f"同为 {unit}：{names}，以「{how}」决定：{self.projects[0]} 在先"
            if self.funded:
                text += f"；获资助 {'、'.join(self.funded)}"
            if rest:
                text += f"；未获资助 {'、'.join(rest)}"
            return text
        votes = f"{figure} vote" if self.figure == 1 else f"{figure} votes"
        unit = {"votes": votes, "score": f"score {figure}"}.get(self.measure, f"rho {figure}")
        how = self.rule.label_en + (f" (seed {self.seed!r})" if self.seed else "")
        text = (
            f"tie at {unit} between {', '.join(self.projects)}, broken by {how}: "
            f"{self.projects[0]} first"
        )
        if self.funded:
            text += f"; funded {', '.join(self.funded)}"
        if rest:
            text += f"; not funded {', '.join(rest)}"
        return text

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict of the tie.

        Example:
            >>> Tie(projects=("a", "b"), figure=Fraction(1, 2), measure="rho",
            ...     rule=TieBreak.ID).to_dict()["figure"]
            '1/2'
        """
        return {
            "projects": list(self.projects),
            "figure": str(self.figure),
            "measure": self.measure,
            "rule": self.rule.value,
            "seed": self.seed,
            "funded": list(self.funded),
            "why": self.describe(),
        }


def _figure(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.6g}"


def find_ties(
    ordered: Sequence[str],
    figures: Sequence[Fraction],
    funded: set[str] | frozenset[str],
    *,
    measure: str,
    rule: TieBreak,
    seed: str | None,
    costs: Sequence[Fraction] | None = None,
    money_before: Sequence[Fraction] | None = None,
) -> list[Tie]:
    """The runs of equal figures in a ranked list (``ordered[i]`` has ``figures[i]``).

    With ``costs`` and ``money_before`` (the money left before ``ordered[i]`` was
    decided), a tie is decisive when a project of it left unfunded would have fitted
    had it come first.
    """
    ties: list[Tie] = []
    start = 0
    for i in range(1, len(ordered) + 1):
        if i < len(ordered) and figures[i] == figures[start]:
            continue
        if i - start > 1:
            members = tuple(ordered[start:i])
            got = tuple(p for p in members if p in funded)
            decisive = 0 < len(got) < len(members)
            if costs is not None and money_before is not None:
                decisive = any(
                    ordered[j] not in funded and costs[j] <= money_before[start]
                    for j in range(start, i)
                )
            ties.append(
                Tie(
                    projects=members,
                    figure=figures[start],
                    measure=measure,
                    rule=rule,
                    seed=seed if rule is TieBreak.LOT else None,
                    funded=got,
                    decisive=decisive,
                )
            )
        start = i
    return ties
