"""GraphML export of the governance graph, through networkx."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, BinaryIO

from microgov.hierarchy import Hierarchy, Pairing, Resource, RoleAssignment

if TYPE_CHECKING:  # networkx is imported on use: it costs ~24 MB of memory
    import networkx as nx

    MultiDiGraph = nx.MultiDiGraph[str]

__all__ = ["to_graphml_graph", "write_graphml"]


def to_graphml_graph(hierarchy: Hierarchy) -> MultiDiGraph:
    """The hierarchy and its links as a graph of plain attributes, ready for GraphML.

    Tree nodes carry ``kind="node"``, ``level``, ``name``, ``code``, ``status``,
    ``households``, ``residents`` and ``synthetic``; tree edges ``kind="contains"``.
    Resources become nodes (``kind="resource"``) with a ``serves`` edge to their
    grid; people become nodes (``kind="person"``, pseudonymous ids only) with a
    ``role`` edge per assignment and a ``pairing`` edge per pairing.

    Example:
        >>> from microgov.datasets import meilan_xihu
        >>> g = to_graphml_graph(meilan_xihu())
        >>> g.nodes["area-01"]["level"], g.nodes["luodian"]["code"]
        ('residential_area', '310113101')
    """
    import networkx as nx

    graph: MultiDiGraph = nx.MultiDiGraph()
    for node in hierarchy.nodes():
        graph.add_node(
            node.id,
            kind="node",
            level=node.level.key,
            name=node.name,
            code=node.code or "",
            status=node.status.value,
            households=node.households,
            residents=node.residents,
            synthetic=node.synthetic,
        )
        if node.parent is not None:
            graph.add_edge(node.parent, node.id, kind="contains")
    for link in hierarchy.links:
        if isinstance(link, Resource):
            graph.add_node(
                link.id,
                kind="resource",
                resource_kind=link.kind.value,
                name=link.name,
                synthetic=link.synthetic,
            )
            graph.add_edge(link.id, link.node, key=link.id, kind="serves")
            continue
        graph.add_node(link.person, kind="person")
        if isinstance(link, RoleAssignment):
            graph.add_edge(
                link.person,
                link.node,
                key=link.id,
                kind="role",
                role=link.role.value,
                start=link.start.isoformat(),
                end=link.end.isoformat() if link.end else "",
            )
        elif isinstance(link, Pairing):
            graph.add_edge(
                link.person,
                link.node,
                key=link.id,
                kind="pairing",
                household=link.household,
                start=link.start.isoformat(),
                end=link.end.isoformat() if link.end else "",
            )
    return graph


def write_graphml(hierarchy: Hierarchy, path: str | os.PathLike[str] | BinaryIO) -> None:
    """Write the hierarchy and its links as GraphML (see :func:`to_graphml_graph`).

    Example:
        >>> import io, networkx as nx
        >>> from microgov.datasets import meilan_xihu
        >>> buffer = io.BytesIO()
        >>> write_graphml(meilan_xihu(), buffer)
        >>> _ = buffer.seek(0)
        >>> nx.read_graphml(buffer).nodes["grid-01-1"]["level"]
        'micro_grid'
    """
    import networkx as nx

    nx.write_graphml(to_graphml_graph(hierarchy), path, encoding="utf-8")
