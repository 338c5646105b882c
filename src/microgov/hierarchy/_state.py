"""The private, mutable working state behind a Hierarchy, and the checks shared by
whole-graph validation and single changes.

A :class:`_State` is only ever mutated while it is private to one operation (a
build, a replay, one change applied to a fresh copy); once a Hierarchy owns it, it
is never touched again.  That is what makes every change atomic.
"""

from __future__ import annotations

from bisect import insort

from microgov._numbers import parse_credit_code
from microgov.errors import InvalidCodeError, Problem
from microgov.hierarchy import _codes
from microgov.hierarchy._levels import Level
from microgov.hierarchy._model import (
    CodeScheme,
    Link,
    Node,
    Pairing,
    Resource,
    RoleAssignment,
)

# (parent level, child level) pairs allowed in the containment tree.
ALLOWED_CONTAINMENT = frozenset(
    (parent, child) for child in Level for parent in Level if child.may_be_child_of(parent)
)

# CONTAINMENT_MATRIX[parent][child]: the same, as a table indexed by level value.
CONTAINMENT_MATRIX: tuple[tuple[bool, ...], ...] = tuple(
    tuple((parent, child) in ALLOWED_CONTAINMENT for child in Level) for parent in Level
)

# How many leading characters of a structured code are inherited by the codes below it.
_PREFIX_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.DISTRICT: 6,
    Level.TOWN: 9,
    Level.RESIDENTIAL_AREA: 12,
}
_DIVISION_PREFIX_LENGTH = {Level.PROVINCE: 2, Level.CITY: 4, Level.DISTRICT: 6}
_DIVISION_NAMES = {
    Level.PROVINCE: ("a province code ending in 0000", "以 0000 结尾的省级代码"),
    Level.CITY: ("a city code ending in 00", "以 00 结尾的地级代码"),
    Level.DISTRICT: ("a county-level code", "县级代码"),
}


def problem(
    code: str, en: str, zh: str, *, subject: str | None = None, field: str | None = None
) -> Problem:
    """Build a :class:`Problem` (a short alias used throughout the hierarchy core)."""
    return Problem(code=code, message_en=en, message_zh=zh, subject=subject, field=field)


def structured_code(node: Node, scheme: CodeScheme) -> tuple[str | None, Problem | None]:
    """Check a node's official code for its level.

    Returns:
        ``(normalized, None)`` for a well-formed structured code (the form used for
        prefix and uniqueness checks), ``(None, None)`` for a node without a code or
        at a level whose codes are free text, and ``(None, problem)`` otherwise.
    """
    code, level = node.code, node.level
    if code is None:
        return None, None
    try:
        if level in _DIVISION_PREFIX_LENGTH:
            normalized = _codes.parse_division_code(code)
            if len(_codes.division_prefix(normalized)) != _DIVISION_PREFIX_LENGTH[level]:
                en, zh = _DIVISION_NAMES[level]
                return None, problem(
                    "hierarchy.code_level",
                    f"Code {code!r} of {level.label_en} {node.id!r} is not {en}.",
                    f"{level.label_zh}“{node.name}”的代码 {code!r} 不是{zh}。",
                    subject=node.id,
                    field="code",
                )
            return normalized, None
        if level is Level.TOWN:
            return _codes.parse_town_code(code), None
        if level is Level.RESIDENTIAL_AREA:
            return _codes.parse_stat_code(code), None
        if level is Level.MICRO_GRID:
            return _codes.parse_grid_code(code, sequence_width=scheme.grid_sequence_width), None
        if level is Level.BUILDING_GROUP and scheme.building_sequence_width is not None:
            width = scheme.building_sequence_width
            grid_part, seq = code[:-width], code[-width:]
            _codes.parse_grid_code(grid_part, sequence_width=scheme.grid_sequence_width)
            if not (seq.isascii() and seq.isdigit()) or int(seq) == 0:
                raise InvalidCodeError(
                    f"the last {width} characters must be a sequence number 1–{10**width - 1}",
                    f"末 {width} 位必须是 1–{10**width - 1} 的顺序号",
                )
            return code, None
    except InvalidCodeError as err:
        return None, problem(
            "hierarchy.bad_code",
            f"Code {code!r} of {level.label_en} {node.id!r} is malformed: {err.message_en}",
            f"{level.label_zh}“{node.name}”的代码 {code!r} 格式错误：{err.message_zh}",
            subject=node.id,
            field="code",
        )
    return None, None  # levels with free-text codes (nation, large community, …)


def code_prefix(level: Level, normalized: str) -> str:
    """The part of a structured code that the codes of the nodes below it must start with."""
    length = _PREFIX_LENGTH.get(level)
    return normalized[:length] if length is not None else normalized


def prefix_problem(node: Node, normalized: str, ancestor: Node, ancestor_prefix: str) -> Problem:
    """The problem for a code that does not extend its nearest coded ancestor's code."""
    return problem(
        "hierarchy.code_prefix",
        f"Code {normalized!r} of {node.id!r} does not start with {ancestor_prefix!r}, "
        f"the code of the {ancestor.level.label_en} {ancestor.id!r} above it.",
        f"“{node.name}”的代码 {normalized!r} 与上级{ancestor.level.label_zh}“{ancestor.name}”的"
        f"代码 {ancestor_prefix!r} 不一致。",
        subject=node.id,
        field="code",
    )


def class_code_problem(node: Node) -> Problem | None:
    """The problem with a node's urban–rural class code, if any."""
    if node.class_code is None:
        return None
    try:
        _codes.parse_class_code(node.class_code)
    except InvalidCodeError as err:
        return problem(
            "hierarchy.bad_class_code",
            f"Urban–rural class code of {node.id!r} is invalid: {err.message_en}",
            f"“{node.name}”的城乡分类代码无效：{err.message_zh}",
            subject=node.id,
            field="class_code",
        )
    return None


def level_problem(node: Node, parent: Node) -> Problem:
    """The problem for a node placed under a parent of a level that may not contain it."""
    return problem(
        "hierarchy.level_order",
        f"A {node.level.label_en} ({node.id!r}) cannot sit directly under a "
        f"{parent.level.label_en} ({parent.id!r}).",
        f"{node.level.label_zh}“{node.name}”不能直接隶属于{parent.level.label_zh}“{parent.name}”。",
        subject=node.id,
        field="parent",
    )


def link_problems(link: Link, nodes: dict[str, Node]) -> list[Problem]:
    """Every problem of one link against the nodes it refers to."""
    found: list[Problem] = []
    target = nodes.get(link.node)
    kind_en, kind_zh = _link_kind(link)
    if target is None:
        found.append(
            problem(
                "hierarchy.link_unknown_node",
                f"The {kind_en} {link.id!r} refers to node {link.node!r}, which does not exist.",
                f"{kind_zh} {link.id!r} 指向的节点 {link.node!r} 不存在。",
                subject=link.id,
                field="node",
            )
        )
    else:
        allowed = _allowed_levels(link)
        if target.level not in allowed:
            names_en = " or ".join(level.label_en for level in sorted(allowed))
            names_zh = "或".join(level.label_zh for level in sorted(allowed))
            found.append(
                problem(
                    "hierarchy.link_level",
                    f"The {kind_en} {link.id!r} must be attached to a {names_en}, not to the "
                    f"{target.level.label_en} {target.id!r}.",
                    f"{kind_zh} {link.id!r} 只能关联到{names_zh}，不能关联到"
                    f"{target.level.label_zh}“{target.name}”。",
                    subject=link.id,
                    field="node",
                )
            )
    if (
        isinstance(link, RoleAssignment | Pairing)
        and link.end is not None
        and link.end < link.start
    ):
        found.append(
            problem(
                "hierarchy.link_dates",
                f"The {kind_en} {link.id!r} ends ({link.end}) before it starts ({link.start}).",
                f"{kind_zh} {link.id!r} 的结束日期 {link.end} 早于开始日期 {link.start}。",
                subject=link.id,
                field="end",
            )
        )
    if isinstance(link, Resource) and link.credit_code is not None:
        try:
            parse_credit_code(link.credit_code)
        except InvalidCodeError as err:
            found.append(
                problem(
                    "hierarchy.bad_credit_code",
                    f"The unified social credit code of {link.id!r} is invalid: {err.message_en}",
                    f"{kind_zh} {link.id!r} 的统一社会信用代码无效：{err.message_zh}",
                    subject=link.id,
                    field="credit_code",
                )
            )
    return found


def _link_kind(link: Link) -> tuple[str, str]:
    if isinstance(link, Resource):
        return "resource", "网格资源"
    if isinstance(link, RoleAssignment):
        return f"{link.role.label_en} assignment", f"{link.role.label_zh}任职"
    return "pairing", "结对"


def _allowed_levels(link: Link) -> frozenset[Level]:
    if isinstance(link, Resource):
        return frozenset({Level.MICRO_GRID})
    if isinstance(link, RoleAssignment):
        return link.role.allowed_levels
    return frozenset({Level.BUILDING_GROUP})


SPAN_SHIFT = 32
SPAN_MASK = (1 << SPAN_SHIFT) - 1


class Preorder:
    """Pre-order numbering of a tree; siblings come in id order.

    ``span[id]`` packs a node's position and the last position of its subtree into
    one integer (``pos << 32 | last``): ``a`` is within ``b`` iff
    ``pos(b) <= pos(a) <= last(b)``, answered from two dictionary look-ups.
    """

    __slots__ = ("depth", "last", "nodes", "order", "parent_pos", "span")

    def __init__(
        self, order: list[str], parent_pos: list[int], depth: list[int], nodes: list[Node]
    ) -> None:
        last = list(range(len(order)))
        for i in range(len(order) - 1, 0, -1):
            p = parent_pos[i]
            if p >= 0 and last[i] > last[p]:
                last[p] = last[i]
        self.order = order
        self.parent_pos = parent_pos
        self.depth = depth
        self.last = last
        self.nodes = nodes
        self.span = {
            node_id: i << SPAN_SHIFT | end
            for i, (node_id, end) in enumerate(zip(order, last, strict=True))
        }

    @classmethod
    def of(cls, state: State) -> Preorder:
        """Number the tree of ``state`` (children in id order)."""
        children, nodes = state.children, state.nodes
        order: list[str] = []
        parent_pos: list[int] = []
        depth: list[int] = []
        stack: list[tuple[str, int, int]] = [(r, -1, 0) for r in reversed(state.roots)]
        pop, push = stack.pop, stack.extend
        while stack:
            node_id, up, d = pop()
            me = len(order)
            order.append(node_id)
            parent_pos.append(up)
            depth.append(d)
            kids = children.get(node_id)
            if kids:
                push([(k, me, d + 1) for k in reversed(kids)])
        return cls(order, parent_pos, depth, [nodes[i] for i in order])


class State:
    """Nodes, children, links and code index: the working state of one hierarchy."""

    __slots__ = ("children", "codes", "links", "nodes", "roots", "scheme")

    def __init__(self, scheme: CodeScheme) -> None:
        self.scheme = scheme
        self.nodes: dict[str, Node] = {}
        self.children: dict[str, tuple[str, ...]] = {}  # sorted ids; absent = no children
        self.roots: list[str] = []  # sorted ids
        self.links: dict[str, Link] = {}
        self.codes: dict[tuple[Level, str], str] = {}  # (level, normalized code) -> node id

    def copy(self) -> State:
        """A copy that can be changed without touching this state."""
        new = State(self.scheme)
        new.nodes = self.nodes.copy()
        new.children = self.children.copy()
        new.roots = self.roots.copy()
        new.links = self.links.copy()
        new.codes = self.codes.copy()
        return new

    # -- small mutators, used by the changes on a private copy --------------------

    def attach(self, node_id: str, parent: str | None) -> None:
        """Record ``node_id`` among the children of ``parent`` (or the roots)."""
        if parent is None:
            insort(self.roots, node_id)
        else:
            siblings = list(self.children.get(parent, ()))
            insort(siblings, node_id)
            self.children[parent] = tuple(siblings)

    def detach(self, node_id: str, parent: str | None) -> None:
        """Remove ``node_id`` from the children of ``parent`` (or the roots)."""
        if parent is None:
            self.roots.remove(node_id)
            return
        rest = tuple(c for c in self.children[parent] if c != node_id)
        if rest:
            self.children[parent] = rest
        else:
            del self.children[parent]

    def subtree(self, node_id: str) -> list[str]:
        """``node_id`` and everything below it, in pre-order."""
        out: list[str] = []
        stack = [node_id]
        children = self.children
        while stack:
            current = stack.pop()
            out.append(current)
            below = children.get(current)
            if below:
                stack.extend(reversed(below))
        return out

    def ancestors(self, node_id: str) -> list[str]:
        """The ids above ``node_id``, nearest first."""
        out: list[str] = []
        parent = self.nodes[node_id].parent
        while parent is not None:
            out.append(parent)
            parent = self.nodes[parent].parent
        return out

    def coded_ancestor(self, parent: str | None) -> tuple[Node, str] | None:
        """The nearest node at or above ``parent`` with a structured code, and its prefix."""
        while parent is not None:
            node = self.nodes[parent]
            normalized, _ = structured_code(node, self.scheme)
            if normalized is not None:
                return node, code_prefix(node.level, normalized)
            parent = node.parent
        return None
