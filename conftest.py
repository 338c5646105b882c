"""Doctest collection for classes shown under their public module.

:func:`microgov._public.publish` sets ``__module__`` of exported classes to the public
package (``microgov.store.EventStore``).  The standard doctest finder keeps a class's
examples only in the module named by ``__module__``, where the class's own methods then
look foreign (their globals are the defining module's); so a published class would lose
the examples of its methods.  Here a published class belongs to the module that defines
it, and its examples run there, with that module's globals, as before.
"""

from __future__ import annotations

import doctest
import inspect
import types

from microgov._public import DEFINED_IN

_from_module = doctest.DocTestFinder._from_module  # type: ignore[attr-defined]


def _from_defining_module(
    self: doctest.DocTestFinder, module: types.ModuleType | None, obj: object
) -> bool:
    if module is not None and inspect.isclass(obj) and obj in DEFINED_IN:
        return DEFINED_IN[obj] == module.__name__
    return bool(_from_module(self, module, obj))


doctest.DocTestFinder._from_module = _from_defining_module  # type: ignore[attr-defined]
