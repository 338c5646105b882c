"""Effective-dated changes to the governance graph.

Each change is an immutable value with the date it takes effect.  Applying one to a
:class:`~microgov.hierarchy.Hierarchy` returns a new hierarchy; a change that would
break the graph raises :class:`~microgov.errors.ChangeRefused` and the hierarchy it
was applied to is untouched (changes work on a private copy of the state).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, ClassVar

import attrs

from microgov.errors import ChangeRefused, NodeNotFound, Problem
from microgov.hierarchy._model import Link, Node, NodeStatus, Pairing, RoleAssignment
from microgov.hierarchy._state import (
    ALLOWED_CONTAINMENT,
    State,
    class_code_problem,
    code_prefix,
    level_problem,
    link_problems,
    prefix_problem,
    structured_code,
)

__all__ = [
    "AddLink",
    "AddNode",
    "Change",
    "ChangeCode",
    "ChangeStatus",
    "EndLink",
    "MergeNodes",
    "MoveNode",
    "RemoveLink",
    "RemoveNode",
    "Rename",
    "SetCounts",
    "SplitNode",
]


def _check_date(_: object, attribute: attrs.Attribute[date], value: object) -> None:
    if type(value) is not date:
        raise TypeError(f"{attribute.name} must be a datetime.date, not {type(value).__name__}")


def _ids(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _pairs(values: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in values)


def _nodes(values: Iterable[Node]) -> tuple[Node, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Change:
    """Base of every change: the date it takes effect.

    Attributes:
        effective: The first day on which the change is in force.

    Example:
        >>> from datetime import date
        >>> Rename(node_id="ra-1", name="新名称", effective=date(2024, 1, 1)).kind
        'rename'
    """

    kind: ClassVar[str] = "change"

    effective: date = attrs.field(validator=_check_date)

    def _apply(self, state: State) -> None:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


def _refuse(code: str, en: str, zh: str, **details: object) -> ChangeRefused:
    return ChangeRefused(en, zh, code=f"hierarchy.{code}", **details)


def _need(state: State, node_id: str) -> Node:
    node = state.nodes.get(node_id)
    if node is None:
        raise NodeNotFound.for_id(node_id)
    return node


def _refuse_problem(p: Problem) -> ChangeRefused:
    return ChangeRefused(p.message_en, p.message_zh, code=p.code, node_id=p.subject, field=p.field)


def _check_placement(state: State, node: Node) -> None:
    """Refuse ``node`` if its level, codes or code uniqueness do not fit its parent."""
    if node.parent is not None:
        parent = _need(state, node.parent)
        if (parent.level, node.level) not in ALLOWED_CONTAINMENT:
            raise _refuse_problem(level_problem(node, parent))
    bad_class = class_code_problem(node)
    if bad_class is not None:
        raise _refuse_problem(bad_class)
    normalized, bad = structured_code(node, state.scheme)
    if bad is not None:
        raise _refuse_problem(bad)
    if normalized is not None:
        coded = state.coded_ancestor(node.parent)
        if coded is not None and not normalized.startswith(coded[1]):
            raise _refuse_problem(prefix_problem(node, normalized, coded[0], coded[1]))
        holder = state.codes.get((node.level, normalized))
        if holder is not None and holder != node.id:
            raise _refuse(
                "duplicate_code",
                f"Code {normalized!r} already belongs to node {holder!r}.",
                f"代码 {normalized!r} 已属于节点 {holder!r}。",
                node_id=node.id,
                field="code",
            )


def _index_code(state: State, node: Node) -> None:
    normalized, _ = structured_code(node, state.scheme)
    if normalized is not None:
        state.codes[(node.level, normalized)] = node.id


def _unindex_code(state: State, node: Node) -> None:
    normalized, _ = structured_code(node, state.scheme)
    if normalized is not None and state.codes.get((node.level, normalized)) == node.id:
        del state.codes[(node.level, normalized)]


def _put(state: State, old: Node, reason: str, **changes: Any) -> None:
    """Replace ``old`` by a copy with ``changes``: re-parent, re-index and re-code as needed.

    ``reason`` names the refusal (``hierarchy.<reason>``) when a value is invalid.
    """
    try:
        new = attrs.evolve(old, **changes)
    except (TypeError, ValueError) as err:
        raise _refuse(reason, f"Invalid value: {err}", f"取值无效：{err}", node_id=old.id) from None
    if new.code == old.code and new.parent == old.parent:
        state.nodes[new.id] = new
        return
    old_prefix = _prefix_of(state, old)
    _unindex_code(state, old)
    _check_placement(state, new)
    if new.parent != old.parent:
        state.detach(old.id, old.parent)
        state.attach(new.id, new.parent)
    state.nodes[new.id] = new
    _index_code(state, new)
    new_prefix = _prefix_of(state, new)
    if old_prefix is not None and new_prefix is not None and old_prefix != new_prefix:
        _recode_below(state, new.id, old_prefix, new_prefix)
    _check_recoded_prefixes(state, new.id)


def _recode_below(state: State, node_id: str, old_prefix: str, new_prefix: str) -> None:
    """Re-prefix the codes of everything below ``node_id`` that extended ``old_prefix``."""
    below = state.subtree(node_id)[1:]
    for child_id in below:
        _unindex_code(state, state.nodes[child_id])
    for child_id in below:
        child = state.nodes[child_id]
        if child.code is not None and child.code.startswith(old_prefix):
            child = attrs.evolve(child, code=new_prefix + child.code[len(old_prefix) :])
            state.nodes[child_id] = child
    for child_id in below:
        child = state.nodes[child_id]
        normalized, bad = structured_code(child, state.scheme)
        if bad is not None:
            raise _refuse_problem(bad)
        if normalized is not None:
            key = (child.level, normalized)
            holder = state.codes.get(key)
            if holder is not None:
                raise _refuse(
                    "duplicate_code",
                    f"Re-coding {child_id!r} gives code {normalized!r}, which {holder!r} "
                    "already has.",
                    f"重新编码后 {child_id!r} 的代码 {normalized!r} 与 {holder!r} 重复。",
                    node_id=child_id,
                    field="code",
                )
            state.codes[key] = child_id


def _check_recoded_prefixes(state: State, node_id: str) -> None:
    """After a move or recode, every coded node below must still extend its coded ancestor."""
    start = state.nodes[node_id]
    coded = state.coded_ancestor(start.parent)
    stack: list[tuple[str, tuple[Node, str] | None]] = [(node_id, coded)]
    while stack:
        current, above = stack.pop()
        node = state.nodes[current]
        normalized, _ = structured_code(node, state.scheme)
        if normalized is not None:
            if above is not None and not normalized.startswith(above[1]):
                raise _refuse_problem(prefix_problem(node, normalized, above[0], above[1]))
            above = (node, code_prefix(node.level, normalized))
        stack.extend((kid, above) for kid in state.children.get(current, ()))


def _prefix_of(state: State, node: Node) -> str | None:
    normalized, _ = structured_code(node, state.scheme)
    return None if normalized is None else code_prefix(node.level, normalized)


@attrs.frozen(kw_only=True)
class AddNode(Change):
    """Add a node under an existing parent (or as a new root).

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> h = Hierarchy.from_nodes([Node(id="t", level=Level.TOWN, name="罗店镇")])
        >>> area = Node(id="a", level=Level.RESIDENTIAL_AREA, name="某居民区", parent="t")
        >>> h.apply(AddNode(node=area, effective=date(2024, 1, 1))).is_within("a", "t")
        True
    """

    kind: ClassVar[str] = "add_node"

    node: Node = attrs.field(validator=attrs.validators.instance_of(Node))

    def _apply(self, state: State) -> None:
        node = self.node
        if node.id in state.nodes:
            raise _refuse(
                "duplicate_id",
                f"Node {node.id!r} already exists.",
                f"节点 {node.id!r} 已存在。",
                node_id=node.id,
            )
        _check_placement(state, node)
        state.nodes[node.id] = node
        state.attach(node.id, node.parent)
        _index_code(state, node)


@attrs.frozen(kw_only=True)
class RemoveNode(Change):
    """Remove a node; refused while it has children or links unless ``cascade`` is set.

    With ``cascade=True`` the whole subtree goes, with every link attached to it.

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> h = Hierarchy.from_nodes([
        ...     Node(id="t", level=Level.TOWN, name="罗店镇"),
        ...     Node(id="a", level=Level.RESIDENTIAL_AREA, name="某居民区", parent="t")])
        >>> h.apply(RemoveNode(node_id="t", effective=date(2024, 1, 1)))
        Traceback (most recent call last):
        ...
        microgov.errors.ChangeRefused: Node 't' still has 1 child node(s); ...
        >>> len(h.apply(RemoveNode(node_id="t", cascade=True, effective=date(2024, 1, 1))))
        0
    """

    kind: ClassVar[str] = "remove_node"

    node_id: str
    cascade: bool = False

    def _apply(self, state: State) -> None:
        node = _need(state, self.node_id)
        kids = state.children.get(node.id, ())
        if kids and not self.cascade:
            raise _refuse(
                "has_children",
                f"Node {node.id!r} still has {len(kids)} child node(s); move them first or "
                "remove with cascade.",
                f"节点“{node.name}”仍有 {len(kids)} 个下级节点；请先迁移，或选择级联删除。",
                node_id=node.id,
            )
        doomed = set(state.subtree(node.id))
        attached = sorted(lid for lid, link in state.links.items() if link.node in doomed)
        if attached and not self.cascade:
            raise _refuse(
                "has_links",
                f"Node {node.id!r} still has {len(attached)} link(s) (resources, roles, "
                f"pairings): {', '.join(attached[:5])}; end them first or remove with cascade.",
                f"节点“{node.name}”仍有 {len(attached)} 项关联（资源、任职、结对）；"
                "请先解除，或选择级联删除。",
                node_id=node.id,
                links=tuple(attached),
            )
        for link_id in attached:
            del state.links[link_id]
        state.detach(node.id, node.parent)
        for gone in doomed:
            _unindex_code(state, state.nodes.pop(gone))
            state.children.pop(gone, None)


@attrs.frozen(kw_only=True)
class MoveNode(Change):
    """Move a node (e.g. a building group to another micro-grid) with everything below it.

    If codes below the old parent extended the old parent's code, give the node its
    new ``code``: the codes below it are re-prefixed to match.

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> h = Hierarchy.from_nodes([
        ...     Node(id="a", level=Level.RESIDENTIAL_AREA, name="某居民区"),
        ...     Node(id="g1", level=Level.MICRO_GRID, name="1号网格", parent="a"),
        ...     Node(id="g2", level=Level.MICRO_GRID, name="2号网格", parent="a"),
        ...     Node(id="b", level=Level.BUILDING_GROUP, name="1号楼", parent="g1")])
        >>> moved = h.apply(MoveNode(node_id="b", new_parent="g2", effective=date(2024, 5, 1)))
        >>> moved.parent("b").id
        'g2'
    """

    kind: ClassVar[str] = "move_node"

    node_id: str
    new_parent: str
    code: str | None = None

    def _apply(self, state: State) -> None:
        node = _need(state, self.node_id)
        target = _need(state, self.new_parent)
        if target.id == node.id or node.id in state.ancestors(target.id):
            raise _refuse(
                "cycle",
                f"Cannot move {node.id!r} under {target.id!r}, which lies inside it.",
                f"不能把“{node.name}”迁移到其自身的下级“{target.name}”之下。",
                node_id=node.id,
                new_parent=target.id,
            )
        code = node.code if self.code is None else self.code
        _put(state, node, "bad_code", parent=target.id, code=code)


@attrs.frozen(kw_only=True)
class SplitNode(Change):
    """Split a node (typically a micro-grid): new siblings take over some of its children.

    Attributes:
        node_id: The node being split; it keeps the children not moved.
        new_nodes: The new nodes, with the same parent and level as the split node.
        moves: ``(child id, new node id)`` pairs: which child goes where.

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> h = Hierarchy.from_nodes([
        ...     Node(id="a", level=Level.RESIDENTIAL_AREA, name="某居民区"),
        ...     Node(id="g1", level=Level.MICRO_GRID, name="1号网格", parent="a"),
        ...     Node(id="b1", level=Level.BUILDING_GROUP, name="1号楼", parent="g1"),
        ...     Node(id="b2", level=Level.BUILDING_GROUP, name="2号楼", parent="g1")])
        >>> g2 = Node(id="g2", level=Level.MICRO_GRID, name="2号网格", parent="a")
        >>> h2 = h.apply(SplitNode(node_id="g1", new_nodes=(g2,), moves=(("b2", "g2"),),
        ...                        effective=date(2024, 5, 1)))
        >>> [n.id for n in h2.children("g1")], [n.id for n in h2.children("g2")]
        (['b1'], ['b2'])
    """

    kind: ClassVar[str] = "split_node"

    node_id: str
    new_nodes: tuple[Node, ...] = attrs.field(converter=_nodes)
    moves: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)

    def _apply(self, state: State) -> None:
        source = _need(state, self.node_id)
        if not self.new_nodes:
            raise _refuse(
                "split_empty",
                f"Splitting {source.id!r} needs at least one new node.",
                f"拆分“{source.name}”至少需要一个新节点。",
                node_id=source.id,
            )
        for new in self.new_nodes:
            if new.parent != source.parent or new.level is not source.level:
                raise _refuse(
                    "split_shape",
                    f"New node {new.id!r} must have the same parent and level as {source.id!r}.",
                    f"新节点 {new.id!r} 必须与“{source.name}”同级、同上级。",
                    node_id=new.id,
                )
            AddNode(node=new, effective=self.effective)._apply(state)
        targets = {new.id for new in self.new_nodes}
        kids = set(state.children.get(source.id, ()))
        for child_id, target in self.moves:
            if child_id not in kids:
                raise _refuse(
                    "split_child",
                    f"{child_id!r} is not a child of {source.id!r}.",
                    f"{child_id!r} 不是“{source.name}”的下级。",
                    node_id=child_id,
                )
            if target not in targets:
                raise _refuse(
                    "split_target",
                    f"{target!r} is not one of the new nodes of this split.",
                    f"{target!r} 不是本次拆分产生的新节点。",
                    node_id=target,
                )
            MoveNode(node_id=child_id, new_parent=target, effective=self.effective)._apply(state)


@attrs.frozen(kw_only=True)
class MergeNodes(Change):
    """Merge nodes (typically micro-grids) into one: children and links move, sources go.

    The sources and the target must be siblings of the same level.  Codes below a
    source that extended its code are re-prefixed with the target's code.

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> h = Hierarchy.from_nodes([
        ...     Node(id="a", level=Level.RESIDENTIAL_AREA, name="某居民区"),
        ...     Node(id="g1", level=Level.MICRO_GRID, name="1号网格", parent="a"),
        ...     Node(id="g2", level=Level.MICRO_GRID, name="2号网格", parent="a"),
        ...     Node(id="b2", level=Level.BUILDING_GROUP, name="2号楼", parent="g2")])
        >>> h2 = h.apply(MergeNodes(sources=("g2",), into="g1", effective=date(2024, 5, 1)))
        >>> "g2" in h2, h2.parent("b2").id
        (False, 'g1')
    """

    kind: ClassVar[str] = "merge_nodes"

    sources: tuple[str, ...] = attrs.field(converter=_ids)
    into: str

    def _apply(self, state: State) -> None:
        target = _need(state, self.into)
        if not self.sources:
            raise _refuse(
                "merge_empty",
                "A merge needs at least one source node.",
                "合并至少需要一个被合并节点。",
                node_id=target.id,
            )
        for source_id in self.sources:
            source = _need(state, source_id)
            if (
                source.id == target.id
                or source.parent != target.parent
                or (source.level is not target.level)
            ):
                raise _refuse(
                    "merge_shape",
                    f"{source_id!r} cannot be merged into {target.id!r}: merged nodes must be "
                    "different siblings of the same level.",
                    f"“{source.name}”不能并入“{target.name}”：只能合并同级、同上级的不同节点。",
                    node_id=source_id,
                )
            source_prefix = _prefix_of(state, source)
            target_prefix = _prefix_of(state, target)
            for child_id in state.children.get(source_id, ()):
                code = state.nodes[child_id].code
                if source_prefix and target_prefix and code and code.startswith(source_prefix):
                    code = target_prefix + code[len(source_prefix) :]
                MoveNode(
                    node_id=child_id, new_parent=target.id, code=code, effective=self.effective
                )._apply(state)
            for link_id, link in list(state.links.items()):
                if link.node == source_id:
                    state.links[link_id] = attrs.evolve(link, node=target.id)
            RemoveNode(node_id=source_id, effective=self.effective)._apply(state)


@attrs.frozen(kw_only=True)
class Rename(Change):
    """Give a node a new name; its id and code stay.

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> h = Hierarchy.from_nodes([Node(id="t", level=Level.TOWN, name="罗店乡")])
        >>> h.apply(Rename(node_id="t", name="罗店镇", effective=date(2000, 1, 1)))["t"].name
        '罗店镇'
    """

    kind: ClassVar[str] = "rename"

    node_id: str
    name: str

    def _apply(self, state: State) -> None:
        _put(state, _need(state, self.node_id), "bad_name", name=self.name)


@attrs.frozen(kw_only=True)
class ChangeStatus(Change):
    """Change a node's status, e.g. a residents' committee constituted (去筹).

    The node's ``status_since`` becomes the change's effective date.

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy, Level, Node, NodeStatus
        >>> h = Hierarchy.from_nodes([Node(id="a", level=Level.RESIDENTIAL_AREA, name="某居民区",
        ...                                status=NodeStatus.PREPARATORY)])
        >>> h2 = h.apply(ChangeStatus(node_id="a", status=NodeStatus.CONSTITUTED,
        ...                           effective=date(2022, 9, 1)))
        >>> h2["a"].status.label_zh, h2["a"].status_since
        ('正式', datetime.date(2022, 9, 1))
    """

    kind: ClassVar[str] = "change_status"

    node_id: str
    status: NodeStatus = attrs.field(validator=attrs.validators.instance_of(NodeStatus))

    def _apply(self, state: State) -> None:
        node = _need(state, self.node_id)
        _put(state, node, "bad_status", status=self.status, status_since=self.effective)


@attrs.frozen(kw_only=True)
class ChangeCode(Change):
    """Give a node a new official code while keeping its identity.

    Codes below it that extended the old code are re-prefixed (the 2023 renumbering
    of 罗店镇's committees 401–407 → 043–049 carried their grids along).

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> h = Hierarchy.from_nodes([
        ...     Node(id="a", level=Level.RESIDENTIAL_AREA, name="美罗家园某苑居委会",
        ...          code="310113101401"),
        ...     Node(id="g", level=Level.MICRO_GRID, name="1号网格", parent="a",
        ...          code="310113101401001")])
        >>> h2 = h.apply(ChangeCode(node_id="a", code="310113101043", effective=date(2023, 6, 30)))
        >>> h2["g"].code
        '310113101043001'
    """

    kind: ClassVar[str] = "change_code"

    node_id: str
    code: str | None

    def _apply(self, state: State) -> None:
        _put(state, _need(state, self.node_id), "bad_code", code=self.code)


@attrs.frozen(kw_only=True)
class SetCounts(Change):
    """Record a node's households and residents.

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> h = Hierarchy.from_nodes([Node(id="b", level=Level.BUILDING_GROUP, name="1号楼")])
        >>> h.apply(SetCounts(node_id="b", households=48, residents=130,
        ...                   effective=date(2024, 1, 1)))["b"].households
        48
    """

    kind: ClassVar[str] = "set_counts"

    node_id: str
    households: int
    residents: int

    def _apply(self, state: State) -> None:
        node = _need(state, self.node_id)
        _put(state, node, "bad_counts", households=self.households, residents=self.residents)


@attrs.frozen(kw_only=True)
class AddLink(Change):
    """Add a resource, role assignment or pairing.

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy, Level, Node, Role, RoleAssignment
        >>> h = Hierarchy.from_nodes([Node(id="g", level=Level.MICRO_GRID, name="1号网格")])
        >>> leader = RoleAssignment(id="r1", person="p1", role=Role.GRID_LEADER, node="g",
        ...                         start=date(2024, 1, 1))
        >>> h.apply(AddLink(link=leader, effective=date(2024, 1, 1))).may_act(
        ...     "p1", "g", on=date(2024, 2, 1))
        True
    """

    kind: ClassVar[str] = "add_link"

    link: Link

    def _apply(self, state: State) -> None:
        link = self.link
        if link.id in state.links:
            raise _refuse(
                "duplicate_id",
                f"Link {link.id!r} already exists.",
                f"关联 {link.id!r} 已存在。",
                link_id=link.id,
            )
        found = link_problems(link, state.nodes)
        if found:
            raise _refuse_problem(found[0])
        state.links[link.id] = link


@attrs.frozen(kw_only=True)
class RemoveLink(Change):
    """Remove a link entirely (a record made in error).  To end a role, use :class:`EndLink`.

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy
        >>> Hierarchy.from_nodes([]).apply(RemoveLink(link_id="x", effective=date(2024, 1, 1)))
        Traceback (most recent call last):
        ...
        microgov.errors.ChangeRefused: No link 'x'. / 关联 'x' 不存在。 [hierarchy.unknown_link]
    """

    kind: ClassVar[str] = "remove_link"

    link_id: str

    def _apply(self, state: State) -> None:
        if state.links.pop(self.link_id, None) is None:
            raise _unknown_link(self.link_id)


def _unknown_link(link_id: str) -> ChangeRefused:
    return _refuse(
        "unknown_link", f"No link {link_id!r}.", f"关联 {link_id!r} 不存在。", link_id=link_id
    )


@attrs.frozen(kw_only=True)
class EndLink(Change):
    """End a role assignment or pairing: its last day becomes the day before ``effective``.

    Example:
        >>> from datetime import date
        >>> from microgov.hierarchy import Hierarchy, Level, Node, Role, RoleAssignment
        >>> h = Hierarchy.from_nodes(
        ...     [Node(id="g", level=Level.MICRO_GRID, name="1号网格")],
        ...     [RoleAssignment(id="r1", person="p1", role=Role.GRID_LEADER, node="g",
        ...                     start=date(2024, 1, 1))])
        >>> h.apply(EndLink(link_id="r1", effective=date(2025, 1, 1))).link("r1").end
        datetime.date(2024, 12, 31)
    """

    kind: ClassVar[str] = "end_link"

    link_id: str

    def _apply(self, state: State) -> None:
        link = state.links.get(self.link_id)
        if link is None:
            raise _unknown_link(self.link_id)
        if not isinstance(link, RoleAssignment | Pairing):
            raise _refuse(
                "not_endable",
                f"Link {link.id!r} is a resource; remove it instead of ending it.",
                f"关联 {link.id!r} 是网格资源，应删除而非终止。",
                link_id=link.id,
            )
        last_day = self.effective - timedelta(days=1)
        if last_day < link.start or (link.end is not None and link.end < last_day):
            raise _refuse(
                "link_dates",
                f"Link {link.id!r} runs {link.start}–{link.end or '…'}; "
                f"it cannot end on {last_day}.",
                f"关联 {link.id!r} 的期限为 {link.start}–{link.end or '…'}，"
                f"不能在 {last_day} 终止。",
                link_id=link.id,
            )
        state.links[link.id] = attrs.evolve(link, end=last_day)
