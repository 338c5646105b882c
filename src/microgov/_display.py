"""Text tables for terminals: display widths, money, bilingual labels (an adapter helper).

CJK characters take two terminal columns, combining marks none; ``len`` counts
neither right.  The standard library's :func:`unicodedata.east_asian_width` is
enough for the text microgov prints (Chinese, Latin, digits, ``¥``): no dependency
is added for it (``wcwidth`` would also know emoji sequences, which we never print).

Example:
    >>> t = Table(("area 居民区", "<"), ("topics 议题", ">"))
    >>> t.add("美兰湖", 12)
    >>> print("\\n".join(t.lines()))
    area 居民区  topics 议题
    -----------  -----------
    美兰湖                12
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from fractions import Fraction
from typing import Final

__all__ = [
    "CHANGE_KINDS",
    "MAX_WIDTH",
    "OUTCOMES",
    "Table",
    "bilingual",
    "clip",
    "pad",
    "percent",
    "width",
    "wrap",
    "yuan",
]

MAX_WIDTH: Final = 100
"""The widest line the demo prints, in terminal columns."""

CHANGE_KINDS: Final[dict[str, tuple[str, str]]] = {
    "add_node": ("added", "新增"),
    "remove_node": ("removed", "撤销"),
    "move_node": ("moved", "调整隶属"),
    "split_node": ("split", "拆分"),
    "merge_nodes": ("merged", "合并"),
    "rename": ("renamed", "更名"),
    "change_status": ("status changed", "状态变更"),
    "change_code": ("code changed", "代码变更"),
    "set_counts": ("counts updated", "户数人数更新"),
    "add_link": ("link added", "新增关联"),
    "remove_link": ("link removed", "删除关联"),
    "end_link": ("link ended", "关联终止"),
}
"""English and Chinese labels of the hierarchy's change kinds (``Change.kind``)."""

OUTCOMES: Final[dict[str, tuple[str, str]]] = {
    "funded": ("funded", "资助"),
    "funded_by_completion": ("funded (completion)", "补足时资助"),
    "funded_by_pool": ("funded by the pool", "统筹资助"),
    "funded_partially": ("funded in part", "部分资助"),
    "funded_by_override": ("funded by decision", "议定资助"),
    "does_not_fit": ("does not fit", "资金不足"),
    "stopped": ("stopped", "已停止"),
    "below_threshold": ("below threshold", "未达门槛"),
    "over_cap": ("over the cap", "超出上限"),
    "no_supporters": ("no supporters", "无人支持"),
    "unaffordable": ("unaffordable", "份额不足"),
    "skipped_by_override": ("left out by decision", "议定不资助"),
    "no_heading": ("no heading", "无预算科目"),
}
"""English and Chinese labels of allocation outcomes (``Outcome.value``)."""


def width(text: str) -> int:
    """The number of terminal columns ``text`` takes (wide CJK: 2, combining marks: 0).

    Args:
        text: One line of text.

    Returns:
        Its display width.

    Example:
        >>> width("abc"), width("居民区"), width("e\\u0301")
        (3, 6, 1)
    """
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return total


def pad(text: str, columns: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``columns`` display columns (``<`` left, ``>`` right).

    Text wider than ``columns`` is returned unchanged (never cut: figures stay whole).

    Args:
        text: The text.
        columns: The display width wanted.
        align: ``"<"`` to pad on the right, ``">"`` to pad on the left.

    Returns:
        The padded text.

    Example:
        >>> pad("筹建", 6) + "|", pad("12", 4, ">") + "|"
        ('筹建  |', '  12|')
    """
    gap = " " * max(columns - width(text), 0)
    return gap + text if align == ">" else text + gap


def clip(text: str, columns: int) -> str:
    """``text`` cut to at most ``columns`` display columns, ending in ``…`` when cut.

    Args:
        text: One line of text.
        columns: The widest it may be (at least 1).

    Returns:
        ``text`` itself when it fits, else its longest start that fits with ``…``.

    Example:
        >>> clip("美兰湖社区花园", 9), clip("garden", 9)
        ('美兰湖社…', 'garden')
    """
    if width(text) <= columns:
        return text
    cut = ""
    for ch in text:
        if width(cut + ch) > columns - 1:
            break
        cut += ch
    return cut + "…"


def bilingual(pair: tuple[str, str]) -> str:
    """An (English, Chinese) label as ``"English 中文"``.

    Example:
        >>> bilingual(OUTCOMES["does_not_fit"])
        'does not fit 资金不足'
    """
    return f"{pair[0]} {pair[1]}"


def yuan(fen: int) -> str:
    """An amount of fen as ``¥1,234.00`` (the demo's one way of writing money).

    Args:
        fen: Whole fen (may be negative).

    Returns:
        The amount in yuan with thousands separators and two decimals.

    Example:
        >>> yuan(123400), yuan(-5), yuan(0)
        ('¥1,234.00', '-¥0.05', '¥0.00')
    """
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"


def percent(value: Fraction | float | None, places: int = 1) -> str:
    """A share as a percentage (``-`` when unknown).

    Example:
        >>> percent(Fraction(1, 3)), percent(None)
        ('33.3%', '-')
    """
    if value is None:
        return "-"
    return f"{float(value):.{places}%}"


_NO_LINE_START: Final = frozenset("，。、；：？！）」』》”’,.;:?!)")


def wrap(text: str, columns: int = MAX_WIDTH, indent: int = 0) -> list[str]:
    """``text`` cut into lines of at most ``columns`` display columns.

    Lines break at a recent space when there is one, otherwise between any two
    characters (Chinese has no spaces); every line is indented.

    Args:
        text: One paragraph.
        columns: The widest line, indent included.
        indent: Spaces before each line.

    Returns:
        The lines.

    Example:
        >>> wrap("每户举手家庭平均持有一份资金", 12, indent=2)
        ['  每户举手家', '  庭平均持有', '  一份资金']
        >>> wrap("one two three", 9)
        ['one two', 'three']
        >>> wrap("甲乙丙丁（戊）", 12)
        ['甲乙丙丁（', '戊）']
    """
    lead = " " * indent
    room = max(columns - indent, 2)
    lines: list[str] = []
    current = ""
    for ch in text:
        if width(current + ch) > room:
            cut = current.rfind(" ")
            if cut > 0 and ch != " " and width(current[cut:]) <= 24:
                lines.append(current[:cut])
                current = current[cut + 1 :]
            elif ch in _NO_LINE_START and len(current) > 1:
                # 避头: closing punctuation never starts a line; carry one character over
                lines.append(current[:-1].rstrip())
                current = current[-1]
            else:
                lines.append(current.rstrip())
                current = ""
            if ch == " " and not current:
                continue
        current += ch
    if current.strip():
        lines.append(current.rstrip())
    return [lead + line for line in lines]


class Table:
    """Columns with headings, aligned by display width, two spaces apart.

    A heading may have two lines (``"funded\\n资助"``): English over Chinese.

    Args:
        *columns: ``(heading, align)`` pairs, ``align`` being ``"<"`` or ``">"``.
        indent: Spaces before every line.

    Example:
        >>> t = Table(("rule", "<"), ("funded", ">"), indent=2)
        >>> t.add("greedy", 3)
        >>> t.lines()[0], t.lines()[2]
        ('  rule    funded', '  greedy       3')
    """

    def __init__(self, *columns: tuple[str, str], indent: int = 0) -> None:
        self.headings = tuple(heading for heading, _ in columns)
        self.aligns = tuple(align for _, align in columns)
        self.indent = indent
        self.rows: list[tuple[str, ...]] = []

    def add(self, *cells: object) -> None:
        """Add a row: one cell per column, each shown with ``str``.

        Example:
            >>> t = Table(("a", "<"))
            >>> t.add("x")
            >>> t.rows
            [('x',)]
        """
        if len(cells) != len(self.headings):
            raise ValueError(f"{len(cells)} cells for {len(self.headings)} columns")
        self.rows.append(tuple(str(c) for c in cells))

    def widths(self) -> tuple[int, ...]:
        """The display width of each column: its widest cell or heading.

        Example:
            >>> t = Table(("a", "<"), ("bb", ">"))
            >>> t.add("居民区", 1)
            >>> t.widths()
            (6, 2)
        """
        return tuple(
            max(width(cell) for cell in (*heading.split("\n"), *(row[i] for row in self.rows)))
            for i, heading in enumerate(self.headings)
        )

    def lines(self) -> list[str]:
        """The heading line, a rule, then the rows, trailing spaces removed.

        Example:
            >>> Table(("a", "<")).lines()
            ['a', '-']
        """
        sizes = self.widths()
        lead = " " * self.indent

        def render(cells: Iterable[str]) -> str:
            parts = (pad(c, n, a) for c, n, a in zip(cells, sizes, self.aligns, strict=True))
            return (lead + "  ".join(parts)).rstrip()

        split = [heading.split("\n") for heading in self.headings]
        height = max((len(lines) for lines in split), default=1)
        out = [render(lines[k] if k < len(lines) else "" for lines in split) for k in range(height)]
        out.append(render("-" * n for n in sizes))
        out.extend(render(row) for row in self.rows)
        return out

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines())
