"""Adapters between the governance graph and files: JSON, CSV and GraphML.

The domain classes know nothing of formats; a cattrs :data:`converter` owns the
(un)structuring.  Every loader reports bad input as a
:class:`~microgov.errors.DataFormatError` naming the file, the line or path and the
field, or as a :class:`~microgov.errors.HierarchyValidationError` listing every
problem of the graph — never a bare ``KeyError`` or ``JSONDecodeError``.

Example:
    >>> from microgov.datasets import meilan_xihu
    >>> from microgov.io import dumps_hierarchy, loads_hierarchy
    >>> h = meilan_xihu()
    >>> loads_hierarchy(dumps_hierarchy(h)) == h
    True
"""

from microgov._public import publish as _publish
from microgov.io._csv import NODE_COLUMNS, hierarchy_from_csv, nodes_from_csv, nodes_from_nbs_csv
from microgov.io._graphml import to_graphml_graph, write_graphml
from microgov.io._json import (
    FORMAT,
    FORMAT_VERSION,
    converter,
    dump_hierarchy,
    dumps_hierarchy,
    load_hierarchy,
    loads_hierarchy,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "NODE_COLUMNS",
    "converter",
    "dump_hierarchy",
    "dumps_hierarchy",
    "hierarchy_from_csv",
    "load_hierarchy",
    "loads_hierarchy",
    "nodes_from_csv",
    "nodes_from_nbs_csv",
    "to_graphml_graph",
    "write_graphml",
]

_publish(__name__, globals(), __all__)
