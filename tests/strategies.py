"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from hypothesis import strategies as st

from microgov.hierarchy import Hierarchy, Level, Node

TREE_LEVELS = (
    Level.TOWN,
    Level.LARGE_COMMUNITY,
    Level.RESIDENTIAL_AREA,
    Level.MICRO_GRID,
    Level.BUILDING_GROUP,
)

names = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=8
)


@st.composite
def tree_nodes(draw: st.DrawFn, *, max_nodes: int = 40, coded: bool | None = None) -> list[Node]:
    """A random valid forest: towns → (large community) → areas → grids → building groups.

    Each new node picks a random existing parent of a level that may contain it, so
    shapes vary from chains to bushes; ids are shuffled so that id order and tree
    order differ.  With ``coded`` (drawn if None), towns, areas and grids get
    well-formed codes that extend their parent's.
    """
    use_codes = draw(st.booleans()) if coded is None else coded
    count = draw(st.integers(min_value=1, max_value=max_nodes))
    labels = draw(
        st.lists(
            st.integers(min_value=0, max_value=10**6), min_size=count, max_size=count, unique=True
        )
    )
    nodes: list[Node] = []
    town_seq = 100
    child_seq: dict[str, int] = {}
    for i in range(count):
        candidates = [n for n in nodes if n.level is not Level.BUILDING_GROUP]
        parent: Node | None = None
        if candidates and (i > 0) and draw(st.integers(min_value=0, max_value=9)) > 0:
            parent = draw(st.sampled_from(candidates))
        if parent is None:
            level = Level.TOWN
        else:
            choices = [lv for lv in TREE_LEVELS if lv.may_be_child_of(parent.level)]
            level = draw(st.sampled_from(choices))
        code: str | None = None
        if use_codes:
            if level is Level.TOWN:
                town_seq += 1
                code = f"310113{town_seq:03d}"
            elif level in (Level.RESIDENTIAL_AREA, Level.MICRO_GRID):
                # An area's code extends its town's, a grid's its area's.
                anchor = parent
                if (
                    level is Level.RESIDENTIAL_AREA
                    and anchor is not None
                    and anchor.level is Level.LARGE_COMMUNITY
                ):
                    anchor = next(n for n in nodes if n.id == anchor.parent)
                if anchor is not None and anchor.code is not None:
                    child_seq[anchor.id] = child_seq.get(anchor.id, 0) + 1
                    code = f"{anchor.code}{child_seq[anchor.id]:03d}"
        nodes.append(
            Node(
                id=f"n{labels[i]}",
                level=level,
                name=draw(names),
                parent=None if parent is None else parent.id,
                code=code,
                households=draw(st.integers(min_value=0, max_value=500)),
            )
        )
    return draw(st.permutations(nodes))


@st.composite
def hierarchies(draw: st.DrawFn, *, max_nodes: int = 40) -> Hierarchy:
    """A random valid :class:`Hierarchy` (see :func:`tree_nodes`)."""
    return Hierarchy(draw(tree_nodes(max_nodes=max_nodes)))
