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
# (cached) 美兰西湖 graph: a fund year, a season and a year of topics cost seconds of CPU,
# and a dozen tests and doctests ask for exactly the same ones.  The simulations are
# deterministic for the same graph and arguments, so within one pytest run each is computed
# once and shared.  The package's functions are wrapped here, before any test module is
# collected, so that test modules that import them by name, module-scoped fixtures and the
# library's own call sites all see the shared runs.  Tests that check determinism itself
# (tests/test_simulation.py and any test named ``*deterministic*`` or ``*same_seed*``)
# always get fresh runs.

import functools  # noqa: E402
import gc  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402

import pytest  # noqa: E402

import microgov.simulation as _simulation  # noqa: E402
from microgov.calendar import WorkCalendar  # noqa: E402

_SIMULATIONS: dict[tuple[object, ...], object] = {}
_FRESH = [False]


def _shared(name: str, run: Callable[..., object]) -> Callable[..., object]:
    signature = inspect.signature(run)

    @functools.wraps(run)
    def shared(*args: object, **options: object) -> object:
        bound = signature.bind(*args, **options)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        hierarchy = arguments.pop("hierarchy")
        calendar = arguments.pop("calendar", None)
        if _FRESH[0] or arguments.get("store") is not None:
            return run(*args, **options)  # a caller's own store: never shared
        if calendar is not None and type(calendar) is not WorkCalendar:
            return run(*args, **options)
        key = (name, id(hierarchy), _calendar_key(calendar), tuple(sorted(arguments.items())))
        if key not in _SIMULATIONS:
            _SIMULATIONS[key] = (hierarchy, run(*args, **options))
            # Kept for the whole run: out of the collector's sight, or every full
            # collection would walk these hundreds of thousands of objects again.
            gc.freeze()
        return _SIMULATIONS[key][1]  # type: ignore[index]

    return shared


def _calendar_key(calendar: WorkCalendar | None) -> object:
    """Everything a work calendar is made of (equal keys: the same working days)."""
    if calendar is None:
        return None
    return (
        tuple(sorted(calendar.overrides.items())),
        tuple(sorted(calendar.covered_years)),
        str(calendar.zone),
    )


for _name in ("simulate_season", "simulate_fund_year", "simulate_topics"):
    setattr(_simulation, _name, _shared(_name, getattr(_simulation, _name)))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what collection built (modules, strategies, parametrized data) likewise."""
    gc.freeze()


@pytest.fixture(autouse=True)
def _fresh_simulations_for_determinism_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    name = request.node.name
    path = str(getattr(request.node, "path", ""))
    fresh = path.endswith("test_simulation.py") or "deterministic" in name or "same_seed" in name
    _FRESH[0] = fresh
    try:
        yield
    finally:
        _FRESH[0] = False
