"""Ground floor: show each exported class under the public module users import it from.

Implementation lives in private modules (``microgov.store._core``); a user reads
``microgov.store.EventStore`` in a ``repr``, a traceback or the docs.  A package's
``__init__`` calls :func:`publish` once, after its imports.

Setting ``__module__`` moves where :func:`typing.get_type_hints` looks up a class's
string annotations (``from __future__ import annotations``), which cattrs needs to
structure it: :func:`publish` first resolves the annotations of every attrs class
(:func:`attrs.resolve_types`) in the namespace it was written in, then moves it.

Doctests and the docs read a class's source from the module that defines it, so both
look the class up in :data:`DEFINED_IN` (``conftest.py``, ``docs/conf.py``).

Example:
    >>> import microgov.store
    >>> microgov.store.ConcurrencyError
    <class 'microgov.store.ConcurrencyError'>
    >>> DEFINED_IN[microgov.store.ConcurrencyError]
    'microgov.errors'
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, MutableMapping

__all__ = ["DEFINED_IN", "deprecated_names", "lazy_exports", "publish"]

DEFINED_IN: dict[type, str] = {}
"""Each published class → the module that defines it (for doctest collection and the docs,
which read the source of the defining module)."""


def publish(
    module: str,
    namespace: Mapping[str, object],
    names: Iterable[str],
    *,
    adopt: Iterable[type] = (),
) -> None:
    """Set ``__module__`` of the classes ``module`` exports from its private modules.

    Args:
        module: The public module, e.g. ``"microgov.store"``.
        namespace: Its globals.
        names: Its ``__all__``.
        adopt: Classes defined elsewhere (the ground floor) whose public home is
            ``module``, e.g. ``StoreError`` (defined in :mod:`microgov.errors`).

    Example:
        >>> import microgov.hierarchy
        >>> microgov.hierarchy.Hierarchy.__module__
        'microgov.hierarchy'
    """
    import attrs  # here, so that a lazy package (:func:`lazy_exports`) imports it on first use

    private = module + "._"
    classes = [namespace[name] for name in names]
    chosen = [c for c in classes if isinstance(c, type) and c.__module__.startswith(private)]
    moved = [*chosen, *adopt]
    for cls in moved:  # resolve every class before moving any: bases are looked up too
        if attrs.has(cls):
            attrs.resolve_types(cls)
    for cls in moved:
        DEFINED_IN.setdefault(cls, cls.__module__)
        cls.__module__ = module


def deprecated_names(
    module: str, renamed: Mapping[str, tuple[str, object]]
) -> Callable[[str], object]:
    """A module ``__getattr__`` that still answers old names, with a :class:`DeprecationWarning`.

    Args:
        module: The public module, e.g. ``"microgov.audit"``.
        renamed: Old name → (new name, the object).

    Returns:
        The function to bind as the module's ``__getattr__``.

    Example:
        >>> import warnings
        >>> getattr_ = deprecated_names("m", {"old": ("new", 42)})
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     getattr_("old"), str(caught[0].message)
        (42, 'm.old is deprecated: use m.new; see the changelog.')
    """

    def module_getattr(name: str) -> object:
        if name in renamed:
            new, value = renamed[name]
            warnings.warn(
                f"{module}.{name} is deprecated: use {module}.{new}; see the changelog.",
                DeprecationWarning,
                stacklevel=2,
            )
            return value
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return module_getattr


def lazy_exports(
    module: str, namespace: MutableMapping[str, object], sources: Mapping[str, str]
) -> Callable[[str], object]:
    """A module ``__getattr__`` that imports each exported name on first use (PEP 562).

    A package's ``__init__`` then imports none of its private modules: ``import
    microgov.funds`` costs nearly nothing, and ``from microgov.funds import Money``
    loads the ledger alone.  The first name read from a module loads the module, copies
    all the names ``sources`` takes from it into ``namespace`` (later lookups cost
    nothing) and, when the module is private, :func:`publish` es its classes under
    ``module``.

    Args:
        module: The public module, e.g. ``"microgov.funds.ledger"``.
        namespace: Its globals.
        sources: Each exported name → the module it is defined in (a name equal to the
            last part of its source, ``"allocation": "microgov.funds.allocation"``,
            is that submodule itself).

    Returns:
        The function to call from the module's ``__getattr__``.

    Example:
        >>> getattr_ = lazy_exports("m", {}, {"Fraction": "fractions"})
        >>> getattr_("Fraction")
        <class 'fractions.Fraction'>
    """
    private = module + "._"

    def module_getattr(name: str) -> object:
        source = sources.get(name)
        if source is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        __import__(source)
        loaded = sys.modules[source]
        if source == f"{module}.{name}":
            namespace[name] = loaded
            return loaded
        names = [n for n, s in sources.items() if s == source and n != source.rpartition(".")[2]]
        values = {n: getattr(loaded, n) for n in names}
        if source.startswith(private):
            publish(module, values, names)
        namespace.update(values)
        return values[name]

    return module_getattr
