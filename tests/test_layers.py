"""The layers of microgov: every import points down, and no two subpackages import each other.

The import graph is read from the source (the AST of every ``.py`` file under
``src/microgov``), not from ``sys.modules``, so an import the tests never execute counts
too. Counted: every ``import microgov…`` and ``from microgov… import …`` (absolute or
relative) anywhere in a file — at module level, inside functions and methods (the lazy
imports that keep ``import microgov`` fast), and inside ``if TYPE_CHECKING:`` blocks (a
type-only import is still a dependency of the design). Not counted: the examples inside
docstrings (they are what a user types, not what the library needs).

A *unit* is a subpackage (``microgov.store``) or a top-level module (``microgov.errors``);
an import inside one unit is free. Between units, an import may only point to the same
layer or one below, and the units must not form a cycle. The layers, bottom to top
(see docs/architecture.md):

0. ground floor — imports nothing of microgov but the ground floor;
1. cores — the pure rules;
2. storage and formats — the event store and its back-ends, file formats, the embedded data;
3. service — composes the cores over a store;
4. hosts — the command line, the simulations, the reports, the package's front page.

A new unit must be given a layer here, or the test fails.
"""

from __future__ import annotations

import ast
import functools
import itertools
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "microgov"

GROUND, CORES, STORAGE, SERVICE, HOSTS = range(5)
LAYER_NAMES = ("ground floor", "cores", "storage and formats", "service", "hosts")

LAYERS: Mapping[str, int] = {
    # ground floor: base types and checks every core uses; imports nothing above
    "errors": GROUND,
    "_time": GROUND,
    "_verdict": GROUND,
    "_checksums": GROUND,
    "_redact": GROUND,
    "_numbers": GROUND,
    "_checks": GROUND,
    "_public": GROUND,
    "_serde": GROUND,
    "_version": GROUND,
    "_event_names": GROUND,
    # cores
    "hierarchy": CORES,
    "policy": CORES,
    "calendar": CORES,
    "personal": CORES,
    "voting": CORES,
    "lifecycle": CORES,
    "audit": CORES,
    "funds": CORES,
    "topics": CORES,
    "sla": CORES,
    "duties": CORES,
    "metrics": CORES,
    "meetings": CORES,
    # storage and formats: what the service writes through and reads from
    "io": STORAGE,
    "store": STORAGE,
    "datasets": STORAGE,
    # the front door
    "service": SERVICE,
    # hosts and adapters on top
    "cli": HOSTS,
    "_display": HOSTS,  # terminal tables for the command (display widths, ¥ amounts, labels)
    "simulation": HOSTS,
    "_law_demo": HOSTS,
    "report": HOSTS,
    "__main__": HOSTS,
    "microgov": HOSTS,  # the package's __init__: re-exports from everywhere
}

Edge = tuple[str, str, str]  # (importing module, imported module, where: "file:line")


def _module_name(path: Path, src: Path = SRC) -> str:
    parts = ["microgov", *path.relative_to(src).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, src: Path = SRC) -> Iterable[tuple[str, int]]:
    """Every microgov module ``path`` imports, anywhere in the file, with its line."""
    module = _module_name(path, src)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "microgov":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] == "microgov":
                yield target, node.lineno


def import_graph(src: Path = SRC) -> list[Edge]:
    """The edges of the import graph of the package at ``src``."""
    edges = []
    for path in sorted(src.rglob("*.py")):
        module = _module_name(path, src)
        for target, line in _imports(path, src):
            edges.append((module, target, f"{path.relative_to(src.parent)}:{line}"))
    return edges


def unit(module: str) -> str:
    """``microgov.store._core`` → ``store``; ``microgov`` → ``microgov``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def violations(edges: Iterable[Edge], layers: Mapping[str, int] = LAYERS) -> list[str]:
    """Every import against the layers, every unit without a layer, every cycle of units."""
    found: list[str] = []
    between: dict[str, set[str]] = {}
    for source, target, where in edges:
        a, b = unit(source), unit(target)
        if a == b:
            continue
        for name in (a, b):
            if name not in layers:
                found.append(f"{where}: {name!r} has no layer (give it one in LAYERS)")
        if a in layers and b in layers and layers[b] > layers[a]:
            found.append(
                f"{where}: {source} ({LAYER_NAMES[layers[a]]}) imports {target} "
                f"({LAYER_NAMES[layers[b]]}), a higher layer"
            )
        between.setdefault(a, set()).add(b)
    found.extend(f"cycle between units: {' -> '.join(c)}" for c in _cycles(between))
    return sorted(set(found))


def _cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = itertools.count()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = next(counter)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [[*c, c[0]] for c in components]


# --------------------------------------------------------------------------- the real graph


@functools.cache
def _real_graph() -> tuple[Edge, ...]:
    return tuple(import_graph())


def test_every_import_points_down_and_no_units_form_a_cycle() -> None:
    edges = _real_graph()
    assert len(edges) > 300  # the graph was read (a broken reader would pass vacuously)
    assert violations(edges) == []


def test_every_unit_of_the_package_has_a_layer() -> None:
    units = {unit(_module_name(p)) for p in SRC.rglob("*.py")}
    assert units <= set(LAYERS), sorted(units - set(LAYERS))


def test_the_ground_floor_imports_nothing_above_it() -> None:
    ground = {u for u, layer in LAYERS.items() if layer == GROUND}
    above = [
        (source, target, where)
        for source, target, where in _real_graph()
        if unit(source) in ground and unit(target) not in ground
    ]
    assert above == []


def test_imports_inside_functions_and_type_checking_blocks_count(tmp_path: Path) -> None:
    pkg = tmp_path / "microgov"
    (pkg / "errors").mkdir(parents=True)
    (pkg / "errors" / "__init__.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from microgov.hierarchy import Hierarchy\n"
        "def redact(text):\n"
        "    from ..personal import _scan\n"
        "    return _scan.redact_text(text)\n"
        '"""\n>>> from microgov.cli import main\n"""\n'
    )
    edges = import_graph(pkg)
    assert {(s, t) for s, t, _ in edges} == {
        ("microgov.errors", "microgov.hierarchy"),
        ("microgov.errors", "microgov.personal"),
    }
    assert len(violations(edges)) == 2


# --------------------------------------------------------------------------- it would fail

# Imports that were in the code before the ground floor (2026-12), and others a change
# could bring back: each must be reported.
KNOWN_BAD: list[tuple[str, str]] = [
    ("microgov.errors", "microgov.personal._scan"),  # the late import that redacted messages
    ("microgov._redact", "microgov.hierarchy"),  # the redaction once checked numbers there
    ("microgov._verdict", "microgov.policy"),
    ("microgov._numbers", "microgov.policy"),
    ("microgov.policy._verdict", "microgov.store"),
    ("microgov.lifecycle._table", "microgov.service"),
    ("microgov.topics._simulate", "microgov.simulation"),
    ("microgov.store._core", "microgov.service"),
    ("microgov.service._write", "microgov.cli"),
    ("microgov.funds._ledger", "microgov.io"),
]


@pytest.mark.parametrize(("source", "target"), KNOWN_BAD)
def test_an_upward_import_is_reported(source: str, target: str) -> None:
    edges = [*_real_graph(), (source, target, "injected:1")]
    found = violations(edges)
    assert any(f.startswith("injected:1: ") for f in found), found


def test_a_cycle_between_cores_is_reported() -> None:
    # calendar once imported policy for Period while policy sets hold periods
    edges = [*_real_graph(), ("microgov.calendar._calendar", "microgov.policy", "injected:1")]
    found = violations(edges)
    assert any(f.startswith("cycle between units:") and "calendar" in f for f in found), found


def test_a_synthetic_graph() -> None:
    edges = [
        ("microgov.errors", "microgov._redact", "a:1"),  # down: fine
        ("microgov.hierarchy._graph", "microgov.errors", "a:2"),  # down: fine
        ("microgov.store._core", "microgov.audit", "a:3"),  # down: fine
        ("microgov.audit._log", "microgov.store", "a:4"),  # up
        ("microgov.funds._ledger", "microgov.lifecycle", "a:5"),  # sideways …
        ("microgov.lifecycle._table", "microgov.funds._tranches", "a:6"),  # … and back: cycle
        ("microgov.newcore._x", "microgov.errors", "a:7"),  # no layer
    ]
    assert violations(edges) == [
        "a:4: microgov.audit._log (cores) imports microgov.store (storage and formats), "
        "a higher layer",
        "a:7: 'newcore' has no layer (give it one in LAYERS)",
        "cycle between units: audit -> store -> audit",
        "cycle between units: funds -> lifecycle -> funds",
    ]
