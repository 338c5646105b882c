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


# -------------------------------------------------------------- one demo simulation per run
#
# ``microgov demo``, the report and several tests simulate the same seeded year on the same
# (cached) 美兰西湖 graph: a fund year and a season cost about 15 s of CPU together, and a
# dozen tests and doctests ask for exactly the same ones.  The simulations are deterministic
# for the same graph and arguments, so within one pytest run they are computed once and
# shared.  Tests that check determinism itself (tests/test_simulation.py and any test named
# ``*deterministic*`` or ``*same_seed*``) always get fresh runs.

import functools  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402

import pytest  # noqa: E402

_SIMULATIONS: dict[tuple[object, ...], object] = {}


def _shared(name: str, run: Callable[..., object]) -> Callable[..., object]:
    @functools.wraps(run)
    def shared(hierarchy: object, **options: object) -> object:
        if options.get("store") is not None or options.get("calendar") is not None:
            return run(hierarchy, **options)  # a caller's own store or calendar: never shared
        key = (name, id(hierarchy), tuple(sorted(options.items())))
        if key not in _SIMULATIONS:
            _SIMULATIONS[key] = (hierarchy, run(hierarchy, **options))
        return _SIMULATIONS[key][1]  # type: ignore[index]

    return shared


@pytest.fixture(autouse=True)
def _share_demo_simulations(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    name = request.node.name
    path = str(getattr(request.node, "path", ""))
    if path.endswith("test_simulation.py") or "deterministic" in name or "same_seed" in name:
        yield
        return
    import microgov.simulation as simulation

    for fn in ("simulate_season", "simulate_fund_year"):
        monkeypatch.setattr(simulation, fn, _shared(fn, getattr(simulation, fn)))
    yield
