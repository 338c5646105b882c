"""The public surface: what each package exports, and that every public name is documented."""

from __future__ import annotations

import importlib
import inspect

import pytest

PACKAGES = [
    "microgov",
    "microgov.audit",
    "microgov.calendar",
    "microgov.datasets",
    "microgov.duties",
    "microgov.errors",
    "microgov.funds",
    "microgov.funds.allocation",
    "microgov.funds.ledger",
    "microgov.hierarchy",
    "microgov.io",
    "microgov.lifecycle",
    "microgov.meetings",
    "microgov.metrics",
    "microgov.personal",
    "microgov.policy",
    "microgov.report",
    "microgov.service",
    "microgov.sla",
    "microgov.store",
    "microgov.topics",
    "microgov.voting",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_unique_and_resolvable(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert len(set(exported)) == len(exported)
    for symbol in exported:
        assert hasattr(module, symbol), symbol


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_name_has_a_docstring(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__
    for symbol in module.__all__:
        value = getattr(module, symbol)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name}.{symbol} has no docstring"
        if inspect.isclass(value):
            for attr, member in vars(value).items():
                if attr.startswith("_") or not callable(member):
                    continue
                assert inspect.getdoc(member), f"{name}.{symbol}.{attr} has no docstring"


def test_private_modules_are_not_exported() -> None:
    import microgov.hierarchy

    assert not [n for n in microgov.hierarchy.__all__ if n.startswith("_")]
