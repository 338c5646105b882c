"""Public examples import only public modules: what a user copies must keep working.

Every docstring of a public name (a package's ``__all__``, and the members of its
classes) and every documentation page is searched for an import of a private module
(``microgov._time``, ``microgov.store._core``); none may have one.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import microgov

DOCS = Path(__file__).resolve().parent.parent / "docs"
README = DOCS.parent / "README.md"

# "from microgov._x import", "import microgov.store._core", "microgov.audit._canonical.jcs("
PRIVATE = re.compile(r"\bmicrogov(?:\.[a-z][a-z0-9_]*)*\._[a-z][a-z0-9_]*\b(?!__)")
IMPORT_LINE = re.compile(r"^\s*(?:>>>|\.\.\.)?\s*(?:from|import)\s+(\S+)")


def public_modules() -> Iterator[str]:
    yield "microgov"
    for info in pkgutil.walk_packages(microgov.__path__, "microgov."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            yield info.name


def public_docstrings() -> Iterator[tuple[str, str]]:
    for name in public_modules():
        module = importlib.import_module(name)
        yield name, inspect.getdoc(module) or ""
        for attr in getattr(module, "__all__", ()):
            value = getattr(module, attr)
            yield f"{name}.{attr}", inspect.getdoc(value) or ""
            if inspect.isclass(value):
                for member, obj in vars(value).items():
                    if not member.startswith("_") or member == "__init__":
                        doc = inspect.getdoc(obj) if not isinstance(obj, str) else None
                        yield f"{name}.{attr}.{member}", doc or ""


def private_imports(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        match = IMPORT_LINE.match(line)
        if match and PRIVATE.search(match.group(1) + " "):
            found.append(line.strip())
    return found


def test_no_public_docstring_imports_a_private_module() -> None:
    docs = list(public_docstrings())
    assert sum(">>>" in doc for _, doc in docs) > 300  # the examples were read
    offenders = {where: bad for where, doc in docs if (bad := private_imports(doc))}
    assert offenders == {}


@pytest.mark.parametrize(
    "page",
    [*sorted(DOCS.rglob("*.md")), *sorted(DOCS.rglob("*.rst")), README],
    ids=lambda p: str(p.relative_to(DOCS.parent)),
)
def test_no_doc_page_imports_a_private_module(page: Path) -> None:
    assert private_imports(page.read_text(encoding="utf-8")) == []


def test_the_check_finds_a_private_import() -> None:
    assert private_imports(">>> from microgov._time import SHANGHAI") != []
    assert private_imports("    >>> import microgov.store._core as core") != []
    assert private_imports("from microgov.calendar import SHANGHAI") == []
    assert private_imports(">>> from microgov import __version__") == []
