"""The public surface of microgov.policy: exported, resolvable and documented."""

from __future__ import annotations

import inspect

import microgov.policy


def test_all_is_unique_and_resolvable() -> None:
    exported = list(microgov.policy.__all__)
    assert len(set(exported)) == len(exported)
    assert not [n for n in exported if n.startswith("_")]
    for name in exported:
        assert hasattr(microgov.policy, name), name


def test_the_names_other_packages_rely_on_are_exported() -> None:
    assert {
        "Citation",
        "Figure",
        "Judgement",
        "MeetingMode",
        "PRESETS",
        "Period",
        "PeriodUnit",
        "PolicyBook",
        "PolicyOverride",
        "PolicySet",
        "QuorumPreset",
        "SecondHand",
        "Threshold",
        "Verdict",
        "custom_preset",
        "judge",
        "load_policy_book",
        "majority_met",
        "preset_for",
        "quorum_met",
    } <= set(microgov.policy.__all__)


def test_every_public_name_has_a_docstring() -> None:
    for name in microgov.policy.__all__:
        value = getattr(microgov.policy, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
        if inspect.isclass(value):
            for attr, member in vars(value).items():
                if attr.startswith("_") or not (callable(member) or isinstance(member, property)):
                    continue
                assert inspect.getdoc(member), f"{name}.{attr}"
