"""The public surface of microgov.audit: sorted, resolvable, documented."""

from __future__ import annotations

import inspect

import microgov.audit


def test_all_is_sorted_unique_and_resolvable() -> None:
    exported = list(microgov.audit.__all__)
    assert len(set(exported)) == len(exported)
    constants = [n for n in exported if n.isupper()]
    classes = [n for n in exported if not n.isupper() and n[0].isupper()]
    functions = [n for n in exported if n[0].islower()]
    assert exported == sorted(constants) + sorted(classes) + sorted(functions)  # isort style
    for name in exported:
        assert hasattr(microgov.audit, name), name
        assert not name.startswith("_")


def test_every_public_name_is_documented() -> None:
    assert microgov.audit.__doc__
    for name in microgov.audit.__all__:
        value = getattr(microgov.audit, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
        if inspect.isclass(value):
            for attr, member in vars(value).items():
                if not attr.startswith("_") and callable(member):
                    assert inspect.getdoc(member), f"{name}.{attr}"
