"""The governance graph: an immutable, validated, effective-dated containment tree."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import attrs

from microgov.errors import ChangeRefused, HierarchyValidationError, NodeNotFound, Problem
from microgov.hierarchy._changes import Change
from microgov.hierarchy._levels import Level
from microgov.hierarchy._model import (
    CodeScheme,
    Link,
    Node,
    Pairing,
    Resource,
    ResourceKind,
    Role,
    RoleAssignment,
)
from microgov.hierarchy._state import SPAN_MASK, SPAN_SHIFT, Preorder, State
from microgov.hierarchy._validate import build_state, sort_problems, validate

if TYPE_CHECKING:  # networkx is imported when a graph is asked for: it costs ~24 MB
    import networkx as nx

    DiGraph = nx.DiGraph[str]

__all__ = ["Hierarchy", "HierarchyDiff"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class HierarchyDiff:
    """What differs between two states of the governance graph.

    Attributes:
        added: Nodes present only in the later state.
        removed: Nodes present only in the earlier state.
        changed: ``(before, after)`` pairs of nodes whose values differ (moved,
            renamed, re-coded, status or counts changed).
        links_added: Links present only in the later state.
        links_removed: Links present only in the earlier state.
        links_changed: ``(before, after)`` pairs of links that differ.

    Example:
        >>> from datetime import date
        >>> from microgov.datasets import meilan_xihu
        >>> h = meilan_xihu()
        >>> diff = h.diff(date(2023, 1, 1), date(2023, 12, 31))
        >>> [(before.code[-3:], after.code[-3:]) for before, after in diff.changed
        ...  if after.level.key == "residential_area" and before.code != after.code
        ...  and before.code is not None][:3]
        [('401', '043'), ('402', '044'), ('403', '045')]
    """

    added: tuple[Node, ...] = ()
    removed: tuple[Node, ...] = ()
    changed: tuple[tuple[Node, Node], ...] = ()
    links_added: tuple[Link, ...] = ()
    links_removed: tuple[Link, ...] = ()
    links_changed: tuple[tuple[Link, Link], ...] = ()

    def __bool__(self) -> bool:
        return any(attrs.astuple(self, recurse=False))


class Hierarchy:
    """The governance graph: a validated containment tree with typed links beside it.

    The tree runs town (镇/街道) → large community (大居) → residential area (居民区) →
    micro-grid (微网格) → building group (楼组), optionally below a district, city,
    province or nation.  Beside it sit links: resources serving micro-grids, people
    holding roles at nodes, pairings with households.

    A ``Hierarchy`` is an immutable value.  It is always valid: every constructor
    checks the whole graph and raises :class:`~microgov.errors.HierarchyValidationError`
    with every problem found.  Changes (:class:`AddNode`, :class:`MoveNode`,
    :class:`MergeNodes`, …) are effective-dated; :meth:`apply` returns a new
    hierarchy that remembers them, :meth:`as_of` gives the hierarchy in force on a
    date and :meth:`diff` what changed between two dates.

    Jurisdiction questions are answered from a pre-order numbering of the tree,
    built once per hierarchy on first use: :meth:`is_within` is O(1).

    Args:
        nodes: The nodes, in any order.
        links: Resources, role assignments and pairings.
        scheme: How micro-grid and building-group codes are formed.

    Raises:
        HierarchyValidationError: If the graph has any problem; all are listed.

    Example:
        >>> from microgov.hierarchy import Hierarchy, Level, Node
        >>> h = Hierarchy([
        ...     Node(id="t", level=Level.TOWN, name="罗店镇", code="310113101"),
        ...     Node(id="a", level=Level.RESIDENTIAL_AREA, name="美罗家园某苑居委会",
        ...          parent="t", code="310113101043"),
        ...     Node(id="g", level=Level.MICRO_GRID, name="1号网格", parent="a",
        ...          code="310113101043001"),
        ... ])
        >>> h.is_within("g", "t"), h.is_within("t", "g")
        (True, False)
        >>> [n.name for n in h.ancestors("g")]
        ['美罗家园某苑居委会', '罗店镇']
        >>> Hierarchy([Node(id="g", level=Level.MICRO_GRID, name="1号网格", parent="zz")])
        Traceback (most recent call last):
        ...
        microgov.errors.HierarchyValidationError: The governance graph has 1 problem(s): ...
    """

    __slots__ = ("_baseline", "_changes", "_index", "_links_by_node", "_roles_by_person", "_state")

    _state: State
    _baseline: State
    _changes: tuple[Change, ...]
    _index: Preorder | None
    _links_by_node: dict[str, tuple[Link, ...]] | None
    _roles_by_person: dict[str, tuple[RoleAssignment, ...]] | None

    def __init__(
        self,
        nodes: Iterable[Node] = (),
        links: Iterable[Link] = (),
        *,
        scheme: CodeScheme | None = None,
    ) -> None:
        state, found, preorder = build_state(nodes, links, scheme or CodeScheme())
        if found:
            raise HierarchyValidationError(sort_problems(found))
        self._setup(state, state, ())
        self._index = preorder

    def _setup(self, state: State, baseline: State, changes: tuple[Change, ...]) -> None:
        self._state = state
        self._baseline = baseline
        self._changes = changes
        self._index = None
        self._links_by_node = None
        self._roles_by_person = None

    @classmethod
    def _make(cls, state: State, baseline: State, changes: tuple[Change, ...]) -> Hierarchy:
        new = cls.__new__(cls)
        new._setup(state, baseline, changes)
        return new

    @classmethod
    def from_nodes(
        cls,
        nodes: Iterable[Node],
        links: Iterable[Link] = (),
        *,
        scheme: CodeScheme | None = None,
    ) -> Hierarchy:
        """Build and validate a hierarchy (the same as calling :class:`Hierarchy`).

        Args:
            nodes: The nodes, in any order.
            links: Resources, role assignments and pairings.
            scheme: How micro-grid and building-group codes are formed.

        Returns:
            The hierarchy, with no change history.

        Raises:
            HierarchyValidationError: If the graph has any problem; all are listed.

        Example:
            >>> from microgov.hierarchy import Hierarchy, Level, Node
            >>> len(Hierarchy.from_nodes([Node(id="t", level=Level.TOWN, name="罗店镇")]))
            1

        Complexity:
            O(n log n + m) for n nodes and m links.
        """
        return cls(nodes, links, scheme=scheme)

    # -- identity, size and iteration --------------------------------------------

    @property
    def scheme(self) -> CodeScheme:
        """How micro-grid and building-group codes are formed in this graph."""
        return self._state.scheme

    @property
    def changes(self) -> tuple[Change, ...]:
        """Every change applied since the baseline, in effective-date order."""
        return self._changes

    @property
    def baseline(self) -> Hierarchy:
        """The hierarchy before any of :attr:`changes`.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> h = meilan_xihu()
            >>> h.baseline.changes
            ()
        """
        return Hierarchy._make(self._baseline, self._baseline, ())

    def __len__(self) -> int:
        return len(self._state.nodes)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._state.nodes

    def __iter__(self) -> Iterator[str]:
        """Iterate over node ids in pre-order (parents before children, siblings by id)."""
        return iter(self._idx().order)

    def __getitem__(self, node_id: str) -> Node:
        try:
            return self._state.nodes[node_id]
        except (KeyError, TypeError):
            raise NodeNotFound.for_id(str(node_id)) from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Hierarchy):
            return NotImplemented
        a, b = self._state, other._state
        return (
            a.scheme == b.scheme
            and a.nodes == b.nodes
            and a.links == b.links
            and self._changes == other._changes
            and self._baseline.nodes == other._baseline.nodes
            and self._baseline.links == other._baseline.links
        )

    __hash__ = None  # type: ignore[assignment]  # equal by value, but large: not hashable

    def __repr__(self) -> str:
        return (
            f"<Hierarchy: {len(self)} nodes, {len(self._state.links)} links, "
            f"{len(self._changes)} changes>"
        )

    def node(self, node_id: str) -> Node:
        """The node with id ``node_id`` (the same as ``h[node_id]``).

        Raises:
            NodeNotFound: If there is no such node.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> meilan_xihu().node("luodian").code
            '310113101'
        """
        return self[node_id]

    def nodes(self, level: Level | None = None, *, under: str | None = None) -> tuple[Node, ...]:
        """The nodes in pre-order, optionally only those of one level and/or below a node.

        Args:
            level: Keep only nodes of this level.
            under: Keep only this node and the nodes inside it.

        Returns:
            The nodes, parents before children and siblings ordered by id.

        Raises:
            NodeNotFound: If ``under`` is not in the graph.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> from microgov.hierarchy import Level
            >>> h = meilan_xihu()
            >>> len(h.nodes(Level.RESIDENTIAL_AREA)), len(h.nodes(Level.MICRO_GRID))
            (30, 99)

        Complexity:
            O(k) for the k nodes scanned (the subtree when ``under`` is given).
        """
        idx = self._idx()
        if under is None:
            found: list[Node] = idx.nodes
        else:
            start = self._pos(under)
            found = idx.nodes[start : idx.last[start] + 1]
        if level is None:
            return tuple(found)
        return tuple(n for n in found if n.level is level)

    def nodes_at(self, level: Level, *, under: str | None = None) -> tuple[Node, ...]:
        """The nodes of one level, optionally inside a node (e.g. the grids of an area).

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> from microgov.hierarchy import Level
            >>> h = meilan_xihu()
            >>> area = h.nodes_at(Level.RESIDENTIAL_AREA)[0]
            >>> all(h.is_within(g.id, area.id) for g in h.nodes_at(Level.MICRO_GRID, under=area.id))
            True
        """
        return self.nodes(level, under=under)

    @property
    def roots(self) -> tuple[Node, ...]:
        """The nodes without a parent, ordered by id."""
        return tuple(self._state.nodes[r] for r in self._state.roots)

    # -- tree queries ------------------------------------------------------------

    def parent(self, node_id: str) -> Node | None:
        """The node directly containing ``node_id``, or None for a root.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> meilan_xihu().parent("meilan-xihu").name
            '罗店镇'
        """
        parent = self[node_id].parent
        return None if parent is None else self._state.nodes[parent]

    def children(self, node_id: str) -> tuple[Node, ...]:
        """The nodes directly inside ``node_id``, ordered by id.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> len(meilan_xihu().children("meilan-xihu"))
            30
        """
        self[node_id]
        nodes = self._state.nodes
        return tuple(nodes[c] for c in self._state.children.get(node_id, ()))

    def ancestors(self, node_id: str) -> tuple[Node, ...]:
        """The nodes above ``node_id``, nearest first.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> [n.level.label_en for n in meilan_xihu().ancestors("grid-01-1")]
            ['residential area', 'large community', 'town']

        Complexity:
            O(depth).
        """
        nodes = self._state.nodes
        out: list[Node] = []
        parent = self[node_id].parent
        while parent is not None:
            node = nodes[parent]
            out.append(node)
            parent = node.parent
        return tuple(out)

    def descendants(self, node_id: str) -> tuple[Node, ...]:
        """The nodes inside ``node_id`` (not itself), in pre-order.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> from microgov.hierarchy import Level
            >>> h = meilan_xihu()
            >>> {n.level for n in h.descendants("area-01")} == {Level.MICRO_GRID,
            ...                                                  Level.BUILDING_GROUP}
            True

        Complexity:
            O(k) for the k nodes returned.
        """
        return self.nodes(under=node_id)[1:]

    def depth(self, node_id: str) -> int:
        """How many edges separate ``node_id`` from its root (a root has depth 0)."""
        return self._idx().depth[self._pos(node_id)]

    def is_within(self, node_id: str, container_id: str) -> bool:
        """Whether ``node_id`` is ``container_id`` or lies inside it.

        Args:
            node_id: The node asked about (e.g. a micro-grid).
            container_id: The would-be container (e.g. a residential area).

        Returns:
            True if ``node_id == container_id`` or ``container_id`` is an ancestor.

        Raises:
            NodeNotFound: If either id is not in the graph.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> h = meilan_xihu()
            >>> h.is_within("grid-01-1", "area-01"), h.is_within("grid-01-1", "area-02")
            (True, False)

        Complexity:
            O(1): two dictionary look-ups on a pre-order numbering.
        """
        span = (self._index or self._idx()).span
        try:
            inner = span[node_id]
            outer = span[container_id]
        except (KeyError, TypeError):
            known = isinstance(node_id, str) and node_id in span
            missing = container_id if known else node_id
            raise NodeNotFound.for_id(str(missing)) from None
        return outer >> SPAN_SHIFT <= inner >> SPAN_SHIFT <= outer & SPAN_MASK

    def lowest_common_ancestor(self, a: str, b: str) -> Node | None:
        """The deepest node that contains both ``a`` and ``b`` (either may be it).

        Returns:
            The node, or None if ``a`` and ``b`` are in different trees.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> meilan_xihu().lowest_common_ancestor("grid-01-1", "grid-02-1").id
            'meilan-xihu'

        Complexity:
            O(depth).
        """
        idx = self._idx()
        pa, pb = self._pos(a), self._pos(b)
        depth, parent_pos, last = idx.depth, idx.parent_pos, idx.last
        if depth[pa] < depth[pb]:
            pa, pb = pb, pa
        while pa >= 0 and not (pa <= pb <= last[pa]):
            pa = parent_pos[pa]
        return None if pa < 0 else self._state.nodes[idx.order[pa]]

    def path(self, a: str, b: str) -> tuple[Node, ...]:
        """The nodes on the tree path from ``a`` up to their common ancestor and down to ``b``.

        Raises:
            NodeNotFound: If either id is missing, or the two are in different trees.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> [n.id for n in meilan_xihu().path("grid-01-1", "area-02")]
            ['grid-01-1', 'area-01', 'meilan-xihu', 'area-02']
        """
        top = self.lowest_common_ancestor(a, b)
        if top is None:
            raise NodeNotFound(
                f"No path between {a!r} and {b!r}: they are in different trees.",
                f"{a!r} 与 {b!r} 不在同一棵树中，没有路径。",
                code="hierarchy.no_path",
                node_id=a,
                other_id=b,
            )
        up = [self[a], *self.ancestors(a)]
        down = [self[b], *self.ancestors(b)]
        up = up[: up.index(top) + 1]
        down = down[: down.index(top)]
        return (*up, *reversed(down))

    # -- links -------------------------------------------------------------------

    @property
    def links(self) -> tuple[Link, ...]:
        """Every resource, role assignment and pairing, ordered by id."""
        return tuple(self._state.links[k] for k in sorted(self._state.links))

    def link(self, link_id: str) -> Link:
        """The link with id ``link_id``.

        Raises:
            NodeNotFound: If there is no such link (code ``hierarchy.unknown_link``).
        """
        try:
            return self._state.links[link_id]
        except KeyError:
            raise NodeNotFound(
                f"No link {link_id!r} in the governance graph.",
                f"找不到关联 {link_id!r}。",
                code="hierarchy.unknown_link",
                link_id=link_id,
            ) from None

    def links_at(self, node_id: str) -> tuple[Link, ...]:
        """The links attached directly to ``node_id``, ordered by id."""
        self[node_id]
        return self._by_node().get(node_id, ())

    def resources(
        self, *, under: str | None = None, kind: ResourceKind | None = None
    ) -> tuple[Resource, ...]:
        """The grid resources, optionally only those serving grids inside ``under``.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> h = meilan_xihu()
            >>> len(h.resources(under="area-01")) >= 1
            True
        """
        found = [
            link
            for link in self.links
            if isinstance(link, Resource)
            and (kind is None or link.kind is kind)
            and (under is None or self.is_within(link.node, under))
        ]
        return tuple(found)

    def holders(
        self,
        node_id: str,
        *,
        on: date,
        role: Role | None = None,
        inherited: bool = True,
    ) -> tuple[RoleAssignment, ...]:
        """Who holds a role over ``node_id`` on a day: at the node, or above it if inherited.

        A grid leader holds over every building group of the grid; a residential
        area's party-branch secretary over every grid of the area.

        Args:
            node_id: The node asked about.
            on: The day asked about (time is always passed in, never read from a clock).
            role: Only this role; all roles if None.
            inherited: Include roles held at the nodes above (default True).

        Returns:
            The assignments, nearest node first, then by id.

        Example:
            >>> from datetime import date
            >>> from microgov.datasets import meilan_xihu
            >>> from microgov.hierarchy import Role
            >>> h = meilan_xihu()
            >>> [a.node for a in h.holders("bg-01-1-01", role=Role.GRID_LEADER,
            ...                            on=date(2024, 6, 1))]
            ['grid-01-1']

        Complexity:
            O(depth + k) for the k assignments at the nodes on the way up.
        """
        by_node = self._by_node()
        chain = [self[node_id], *self.ancestors(node_id)] if inherited else [self[node_id]]
        out: list[RoleAssignment] = []
        for node in chain:
            for link in by_node.get(node.id, ()):
                if (
                    isinstance(link, RoleAssignment)
                    and (role is None or link.role is role)
                    and link.active_on(on)
                ):
                    out.append(link)
        return tuple(out)

    def may_act(
        self, person: str, node_id: str, *, on: date, roles: Iterable[Role] | None = None
    ) -> bool:
        """Whether ``person`` holds, on ``on``, a role at ``node_id`` or above it.

        Args:
            person: The person's pseudonymous id.
            node_id: The node to act on.
            on: The day of the action.
            roles: The roles that give the right to act; by default every role whose
                :attr:`Role.authority` is true.

        Returns:
            True if such a role is held.

        Example:
            >>> from datetime import date
            >>> from microgov.datasets import meilan_xihu
            >>> from microgov.hierarchy import Role
            >>> h = meilan_xihu()
            >>> leader = h.holders("grid-01-1", role=Role.GRID_LEADER, on=date(2024, 6, 1))[0]
            >>> h.may_act(leader.person, "bg-01-1-01", on=date(2024, 6, 1))
            True
            >>> h.may_act(leader.person, "grid-02-1", on=date(2024, 6, 1))
            False

        Complexity:
            O(k) for the k role assignments of ``person`` (each an O(1) ``is_within``).
        """
        allowed = frozenset(roles) if roles is not None else None
        self._pos(node_id)  # an unknown node is an error, not a "no"
        is_within = self.is_within
        for a in self._person_roles().get(person, ()):
            if (
                (a.role in allowed if allowed is not None else a.role.authority)
                and a.active_on(on)
                and is_within(node_id, a.node)
            ):
                return True
        return False

    def pairings(self, *, person: str | None = None, on: date | None = None) -> tuple[Pairing, ...]:
        """The pairings (结对), optionally of one person and/or in force on a day."""
        return tuple(
            link
            for link in self.links
            if isinstance(link, Pairing)
            and (person is None or link.person == person)
            and (on is None or link.active_on(on))
        )

    # -- rollup ------------------------------------------------------------------

    @overload
    def rollup(
        self,
        values: Literal["households", "residents"],
        *,
        combine: Callable[[int, int], int] | None = None,
        under: str | None = None,
    ) -> dict[str, int]: ...

    @overload
    def rollup(
        self,
        values: Callable[[Node], T | None] | Mapping[str, T],
        *,
        combine: Callable[[T, T], T] | None = None,
        under: str | None = None,
    ) -> dict[str, T]: ...

    def rollup(
        self,
        values: str | Callable[[Node], Any] | Mapping[str, Any],
        *,
        combine: Callable[[Any, Any], Any] | None = None,
        under: str | None = None,
    ) -> dict[str, Any]:
        """Total a value over every subtree, in one pass from the leaves up.

        Each node's result combines its own value with its children's results.

        Args:
            values: ``"households"`` or ``"residents"``; or a callable giving a node's
                own value (None for no value); or a mapping from node id to value
                (missing ids have no value).
            combine: How two values combine; ``+`` by default.
            under: Only roll up the subtree of this node.

        Returns:
            Node id → combined value, for every node with a value in its subtree.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> h = meilan_xihu()
            >>> totals = h.rollup("households")
            >>> totals["meilan-xihu"] == sum(totals[a.id] for a in h.children("meilan-xihu"))
            True
            >>> grids = h.rollup(lambda n: 1 if n.level.key == "micro_grid" else None)
            >>> grids["meilan-xihu"]
            99

        Complexity:
            O(n) for the n nodes rolled up; a single loop over the pre-order.
        """
        idx = self._idx()
        if under is None:
            start, stop = 0, len(idx.order)
        else:
            start = self._pos(under)
            stop = idx.last[start] + 1
        order = idx.order[start:stop]
        in_order = idx.nodes[start:stop]
        parent_pos = idx.parent_pos
        own: list[Any]
        if isinstance(values, str):
            if values not in ("households", "residents"):
                raise TypeError(f"rollup() takes 'households' or 'residents', not {values!r}")
            own = list(map(operator.attrgetter(values), in_order))
            if combine is None:
                # Every node has an integer: no None to skip, plain addition.
                for i in range(len(own) - 1, 0, -1):
                    p = parent_pos[start + i] - start
                    if p >= 0:
                        own[p] += own[i]
                return dict(zip(order, own, strict=True))
        elif isinstance(values, Mapping):
            own = [values.get(i) for i in order]
        else:
            own = list(map(values, in_order))
        add = combine or operator.add
        for i in range(len(own) - 1, 0, -1):
            value = own[i]
            if value is None:
                continue
            p = parent_pos[start + i] - start
            if p < 0:
                continue
            acc = own[p]
            own[p] = value if acc is None else add(acc, value)
        return {node_id: v for node_id, v in zip(order, own, strict=True) if v is not None}

    # -- changes and time --------------------------------------------------------

    def apply(self, change: Change) -> Hierarchy:
        """Apply one effective-dated change and return the new hierarchy.

        A change dated before changes already applied is slotted in by date and the
        later changes are replayed after it; if any of them no longer applies, the
        whole change is refused.

        Args:
            change: The change.

        Returns:
            A new hierarchy; this one is unchanged.

        Raises:
            ChangeRefused: If the change would break the graph (the code says why).
            NodeNotFound: If the change names a node that does not exist.

        Example:
            >>> from datetime import date
            >>> from microgov.datasets import meilan_xihu
            >>> from microgov.hierarchy import Rename
            >>> h = meilan_xihu()
            >>> h2 = h.apply(Rename(node_id="grid-01-1", name="东区网格",
            ...                     effective=date(2025, 3, 1)))
            >>> h2["grid-01-1"].name, h["grid-01-1"].name != "东区网格"
            ('东区网格', True)
        """
        return self.apply_all([change])

    def apply_all(self, changes: Iterable[Change]) -> Hierarchy:
        """Apply several changes as one: either all apply, or none does.

        Raises:
            ChangeRefused: If any change would break the graph; nothing is applied.
            NodeNotFound: If a change names a node that does not exist.

        Example:
            >>> from datetime import date
            >>> from microgov.datasets import meilan_xihu
            >>> from microgov.hierarchy import Rename, RemoveNode
            >>> h = meilan_xihu()
            >>> h.apply_all([Rename(node_id="area-01", name="新名", effective=date(2025, 1, 1)),
            ...              RemoveNode(node_id="area-01", effective=date(2025, 1, 2))])
            Traceback (most recent call last):
            ...
            microgov.errors.ChangeRefused: Node 'area-01' still has ... child node(s); ...
        """
        batch = list(changes)
        for change in batch:
            if not isinstance(change, Change):
                raise ChangeRefused(
                    f"Not a change: {type(change).__name__}.",
                    f"不是有效的变更：{type(change).__name__}。",
                    code="hierarchy.not_a_change",
                )
        if not batch:
            return self
        last = self._changes[-1].effective if self._changes else None
        if last is None or min(c.effective for c in batch) >= last:
            # The common case: changes at or after the end of history, applied in
            # date order (stable for equal dates) on one private copy.
            ordered = sorted(batch, key=lambda c: c.effective)
            state = self._state.copy()
            for change in ordered:
                change._apply(state)
            return Hierarchy._make(state, self._baseline, (*self._changes, *ordered))
        merged = sorted([*self._changes, *batch], key=lambda c: c.effective)
        state = self._baseline.copy()
        new = set(map(id, batch))
        for change in merged:
            try:
                change._apply(state)
            except (ChangeRefused, NodeNotFound) as err:
                if id(change) in new:
                    raise
                raise ChangeRefused(
                    f"The back-dated change conflicts with the later change of "
                    f"{change.effective} ({change.kind}): {err.message_en}",
                    f"补录的变更与 {change.effective} 的后续变更（{change.kind}）冲突："
                    f"{err.message_zh}",
                    code="hierarchy.conflicts_with_later",
                    cause=err.code,
                ) from err
        return Hierarchy._make(state, self._baseline, tuple(merged))

    def as_of(self, day: date) -> Hierarchy:
        """The hierarchy in force on ``day``: the baseline with the changes effective by then.

        Args:
            day: The day asked about.

        Returns:
            A hierarchy whose :attr:`changes` are those effective on or before ``day``.

        Example:
            >>> from datetime import date
            >>> from microgov.datasets import meilan_xihu
            >>> h = meilan_xihu()
            >>> h.as_of(date(2022, 12, 31))["area-22"].code[-3:], h["area-22"].code[-3:]
            ('401', '043')

        Complexity:
            O(n + the work of replaying the kept changes), unless no change is later
            than ``day`` (then O(1)).
        """
        if type(day) is not date:
            raise TypeError(f"as_of() needs a datetime.date, not {type(day).__name__}")
        kept = tuple(c for c in self._changes if c.effective <= day)
        if len(kept) == len(self._changes):
            return self
        state = self._baseline.copy()
        for change in kept:
            change._apply(state)
        return Hierarchy._make(state, self._baseline, kept)

    def diff(self, before: date, after: date) -> HierarchyDiff:
        """What changed between the hierarchy in force on ``before`` and on ``after``.

        Example:
            >>> from datetime import date
            >>> from microgov.datasets import meilan_xihu
            >>> bool(meilan_xihu().diff(date(2024, 1, 1), date(2024, 1, 1)))
            False
        """
        return compare(self.as_of(before), self.as_of(after))

    # -- checks and export ---------------------------------------------------------

    def validate(self) -> tuple[Problem, ...]:
        """Re-check the whole graph from scratch; a hierarchy should always return ``()``.

        Useful as an independent check after a series of changes, or after loading
        data that bypassed the usual constructors.

        Example:
            >>> from microgov.datasets import meilan_xihu
            >>> meilan_xihu().validate()
            ()
        """
        state = self._state
        return validate(state.nodes.values(), state.links.values(), scheme=state.scheme)

    def to_networkx(self) -> DiGraph:
        """The containment tree as a :class:`networkx.DiGraph` (edges parent → child).

        Each node carries ``node`` (the :class:`Node`), ``level`` (its key),
        ``name`` and ``code``; each edge ``kind="contains"``.  The graph is a copy:
        changing it does not change the hierarchy.

        Example:
            >>> import networkx as nx
            >>> from microgov.datasets import meilan_xihu
            >>> g = meilan_xihu().to_networkx()
            >>> nx.is_arborescence(g)
            True
        """
        import networkx as nx

        graph: DiGraph = nx.DiGraph()
        nodes = self._state.nodes
        for node_id in self._idx().order:
            node = nodes[node_id]
            graph.add_node(
                node_id, node=node, level=node.level.key, name=node.name, code=node.code or ""
            )
            if node.parent is not None:
                graph.add_edge(node.parent, node_id, kind="contains")
        return graph

    # -- internals ---------------------------------------------------------------

    def _idx(self) -> Preorder:
        idx = self._index
        if idx is None:
            idx = self._index = Preorder.of(self._state)
        return idx

    def _pos(self, node_id: str) -> int:
        try:
            return self._idx().span[node_id] >> SPAN_SHIFT
        except (KeyError, TypeError):
            raise NodeNotFound.for_id(str(node_id)) from None

    def _person_roles(self) -> dict[str, tuple[RoleAssignment, ...]]:
        by_person = self._roles_by_person
        if by_person is None:
            grouped: dict[str, list[RoleAssignment]] = {}
            for link in self._state.links.values():
                if isinstance(link, RoleAssignment):
                    grouped.setdefault(link.person, []).append(link)
            by_person = self._roles_by_person = {k: tuple(v) for k, v in grouped.items()}
        return by_person

    def _by_node(self) -> dict[str, tuple[Link, ...]]:
        by_node = self._links_by_node
        if by_node is None:
            grouped: dict[str, list[Link]] = {}
            for link_id in sorted(self._state.links):
                link = self._state.links[link_id]
                grouped.setdefault(link.node, []).append(link)
            by_node = self._links_by_node = {k: tuple(v) for k, v in grouped.items()}
        return by_node


def compare(before: Hierarchy, after: Hierarchy) -> HierarchyDiff:
    """The differences between two hierarchies (see :meth:`Hierarchy.diff`)."""
    a, b = before._state, after._state
    return HierarchyDiff(
        added=tuple(b.nodes[k] for k in sorted(b.nodes.keys() - a.nodes.keys())),
        removed=tuple(a.nodes[k] for k in sorted(a.nodes.keys() - b.nodes.keys())),
        changed=tuple(
            (a.nodes[k], b.nodes[k])
            for k in sorted(a.nodes.keys() & b.nodes.keys())
            if a.nodes[k] != b.nodes[k]
        ),
        links_added=tuple(b.links[k] for k in sorted(b.links.keys() - a.links.keys())),
        links_removed=tuple(a.links[k] for k in sorted(a.links.keys() - b.links.keys())),
        links_changed=tuple(
            (a.links[k], b.links[k])
            for k in sorted(a.links.keys() & b.links.keys())
            if a.links[k] != b.links[k]
        ),
    )
