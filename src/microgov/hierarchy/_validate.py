"""Whole-graph validation: every problem of a set of nodes and links, at once."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from operator import attrgetter

from microgov.errors import Problem
from microgov.hierarchy._model import CodeScheme, Link, Node
from microgov.hierarchy._state import (
    CONTAINMENT_MATRIX,
    Preorder,
    State,
    class_code_problem,
    code_prefix,
    level_problem,
    link_problems,
    prefix_problem,
    problem,
    structured_code,
)

__all__ = ["validate"]

_node_id = attrgetter("id")


def validate(
    nodes: Iterable[Node], links: Iterable[Link] = (), *, scheme: CodeScheme | None = None
) -> tuple[Problem, ...]:
    """Check nodes and links as a governance graph and report every problem at once.

    The checks: duplicate node and link ids; orphans (a parent that does not exist);
    cycles; a level out of order (a micro-grid's parent must be a residential area, a
    building group's a micro-grid, …); malformed official codes for the node's level;
    a code that does not extend the code of the nearest coded node above it; two
    nodes with the same official code; bad urban–rural class codes; and links that
    refer to missing nodes or to nodes of the wrong level, end before they start or
    carry a malformed unified social credit code.

    Args:
        nodes: The nodes, in any order.
        links: Resources, role assignments and pairings.
        scheme: How grid and building-group codes are formed (default :class:`CodeScheme`).

    Returns:
        The problems, sorted by subject then code; empty if the graph is valid.

    Example:
        >>> from microgov.hierarchy import Level, Node, validate
        >>> town = Node(id="t", level=Level.TOWN, name="罗店镇", code="310113101")
        >>> grid = Node(id="g", level=Level.MICRO_GRID, name="1号网格", parent="t")
        >>> [p.code for p in validate([town, grid])]
        ['hierarchy.level_order']
        >>> validate([town])
        ()

    Complexity:
        O(n + m) for n nodes and m links.
    """
    _, found, _ = build_state(nodes, links, scheme or CodeScheme())
    return sort_problems(found)


def sort_problems(found: Iterable[Problem]) -> tuple[Problem, ...]:
    """Problems in a stable order: by subject, then code, field and message."""
    return tuple(
        sorted(found, key=lambda p: (p.subject or "", p.code, p.field or "", p.message_en))
    )


def build_state(
    nodes: Iterable[Node], links: Iterable[Link], scheme: CodeScheme
) -> tuple[State, list[Problem], Preorder]:
    """Build the working state of a graph and collect every problem on the way.

    Also returns the pre-order numbering of the tree, complete when there are no
    problems.  The cyclic garbage collector is paused meanwhile: a national graph
    allocates millions of objects, none of them in reference cycles, and the
    collector's passes over them would cost more than the build itself.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build_state(nodes, links, scheme)
    finally:
        if collecting:
            gc.enable()


def _build_state(
    nodes: Iterable[Node], links: Iterable[Link], scheme: CodeScheme
) -> tuple[State, list[Problem], Preorder]:
    state = State(scheme)
    found: list[Problem] = []
    by_id = state.nodes
    # One pass: index by id (catching duplicates) and group the nodes by parent id.
    groups: dict[str | None, list[Node]] = {}
    for node in nodes:
        size = len(by_id)
        by_id.setdefault(node.id, node)
        if len(by_id) == size:
            found.append(
                problem(
                    "hierarchy.duplicate_id",
                    f"Node id {node.id!r} is used more than once.",
                    f"节点编号 {node.id!r} 重复。",
                    subject=node.id,
                    field="id",
                )
            )
            continue
        group = groups.get(node.parent)
        if group is None:
            groups[node.parent] = [node]
        else:
            group.append(node)
    roots = groups.pop(None, [])
    for parent in [p for p in groups if p not in by_id]:
        for node in groups.pop(parent):
            found.append(
                problem(
                    "hierarchy.orphan",
                    f"Node {node.id!r} names parent {parent!r}, which does not exist.",
                    f"节点“{node.name}”({node.id!r}) 的上级节点 {parent!r} 不存在。",
                    subject=node.id,
                    field="parent",
                )
            )
    roots.sort(key=_node_id)
    state.roots = [r.id for r in roots]
    preorder = _walk(state, roots, groups, found)
    if len(preorder.order) < len(by_id):
        _report_cycles(state, groups, found)
    state_links = state.links
    for link in links:
        if link.id in state_links:
            found.append(
                problem(
                    "hierarchy.duplicate_id",
                    f"Link id {link.id!r} is used more than once.",
                    f"关联编号 {link.id!r} 重复。",
                    subject=link.id,
                    field="id",
                )
            )
            continue
        state_links[link.id] = link
        found.extend(link_problems(link, by_id))
    return state, found, preorder


def _walk(
    state: State, roots: list[Node], groups: dict[str | None, list[Node]], found: list[Problem]
) -> Preorder:
    """Walk the tree from its roots, filling ``state.children`` and checking levels and codes.

    Returns:
        The pre-order numbering of the nodes reached (the jurisdiction index), built
        on the way so that a graph is walked once.
    """
    children, scheme, codes = state.children, state.scheme, state.codes
    may_contain = CONTAINMENT_MATRIX
    order: list[str] = []
    in_order: list[Node] = []
    parent_pos: list[int] = []
    depth: list[int] = []
    # Stack entries: node, nearest coded ancestor with its code prefix, parent's
    # position in the pre-order, depth.
    stack: list[tuple[Node, tuple[Node, str] | None, int, int]] = [
        (r, None, -1, 0) for r in reversed(roots)
    ]
    pop, push = stack.pop, stack.extend
    while stack:
        node, coded, up, d = pop()
        node_id = node.id
        me = len(order)
        order.append(node_id)
        in_order.append(node)
        parent_pos.append(up)
        depth.append(d)
        if node.class_code is not None:
            bad_class = class_code_problem(node)
            if bad_class is not None:
                found.append(bad_class)
        below = coded
        if node.code is not None:
            normalized, bad = structured_code(node, scheme)
            if bad is not None:
                found.append(bad)
            elif normalized is not None:
                if coded is not None and not normalized.startswith(coded[1]):
                    found.append(prefix_problem(node, normalized, coded[0], coded[1]))
                key = (node.level, normalized)
                holder = codes.get(key)
                if holder is None:
                    codes[key] = node_id
                else:
                    found.append(
                        problem(
                            "hierarchy.duplicate_code",
                            f"Nodes {holder!r} and {node_id!r} have the same code {normalized!r}.",
                            f"节点 {holder!r} 与 {node_id!r} 的代码 {normalized!r} 重复。",
                            subject=node_id,
                            field="code",
                        )
                    )
                below = (node, code_prefix(node.level, normalized))
        kids = groups.get(node_id)
        if kids:
            if len(kids) > 1:
                kids.sort(key=_node_id)
            allowed = may_contain[node.level]
            for kid in kids:
                if not allowed[kid.level]:
                    found.append(level_problem(kid, node))
            children[node_id] = tuple(map(_node_id, kids))
            push([(kid, below, me, d + 1) for kid in reversed(kids)])
    return Preorder(order, parent_pos, depth, in_order)


def _report_cycles(
    state: State, groups: dict[str | None, list[Node]], found: list[Problem]
) -> None:
    """Report the nodes that no root reaches: on a cycle, or hanging below one.

    Nodes below an orphan are not reported again: the orphan's problem covers them.
    """
    nodes = state.nodes
    # id -> "root" (reached from a root), "cycle" (on or below a cycle), "orphan".
    fate: dict[str, str] = {}
    stack = list(state.roots)
    while stack:
        reached = stack.pop()
        fate[reached] = "root"
        stack.extend(kid.id for kid in groups.get(reached, ()))
    for start in sorted(nodes):
        if start in fate:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        current: str | None = start
        while current is not None and current not in fate and current not in on_path:
            path.append(current)
            on_path.add(current)
            parent = nodes[current].parent
            current = parent if parent in nodes else None
        if current is None:
            outcome = "orphan"
        elif current in on_path:
            cut = path.index(current)
            loop, path = path[cut:], path[:cut]
            members = " → ".join([*loop, loop[0]])
            for member in sorted(loop):
                fate[member] = "cycle"
                found.append(
                    problem(
                        "hierarchy.cycle",
                        f"Node {member!r} is on a containment cycle: {members}.",
                        f"节点 {member!r} 处于循环隶属关系中：{members}。",
                        subject=member,
                        field="parent",
                    )
                )
            outcome = "cycle"
        else:
            outcome = fate[current]
        for member in path:
            fate[member] = outcome
            if outcome == "cycle":
                found.append(
                    problem(
                        "hierarchy.under_cycle",
                        f"Node {member!r} hangs below a containment cycle and reaches no root.",
                        f"节点 {member!r} 隶属于一个循环，无法追溯到根节点。",
                        subject=member,
                        field="parent",
                    )
                )
