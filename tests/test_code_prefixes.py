"""Reason codes and error codes: one prefix per area, so a code says where it comes from.

Every code literal in the source (``code="…"`` and ``default_code = "…"``) and every code
of the verdict catalogue (:data:`microgov.policy.REASONS`) starts with one of the
prefixes below. A new prefix must be added here on purpose, and two prefixes that differ
only by a plural ``s`` (``topic.`` and ``topics.``) are refused: that is how codes drift.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from microgov.policy import REASONS

SRC = Path(__file__).resolve().parent.parent / "src" / "microgov"

PREFIXES = {
    # errors, by area (the base codes of microgov.errors)
    "audit": "the audit log",
    "calendar": "the working-day calendar",
    "code": "official codes and personal numbers (InvalidCodeError)",
    "data": "files and records that cannot be read (DataFormatError)",
    "duties": "grid duties",
    "funds": "money, the ledger and the allocation rules",
    "hierarchy": "the governance graph",
    "lifecycle": "lifecycle tables and commands",
    "metrics": "indicators",
    "microgov": "the base error",
    "pabulib": "pabulib files",
    "personal": "pseudonymization keys and stored personal values",
    "policy": "policy sets and rules used wrongly",
    "refused": "the base refusal",
    "report": "reports and what-if replays",
    "service": "the service's commands",
    "simulation": "the simulations",
    "sla": "response-time SLAs",
    "store": "event stores",
    "time": "times (the aware-datetime check)",
    "text": "texts (the non-empty text check)",
    "topic": "topics",
    "voting": "hands, ballots and score cards",
    # verdicts, by rule family (the catalogue's codes)
    "auth": "authorization",
    "convening": "who may convene a meeting (the residents' committees law)",
    "evaluation": "the residents' evaluation",
    "inspection": "acceptance inspections",
    "majority": "majority rules",
    "notice": "public-notice periods",
    "objection": "objections during the notice",
    "owners": "owners' joint decisions (the Civil Code's Art. 278)",
    "meeting": "meetings and their records",
    "compliance": "a residents' committee's yearly obligations",
    "petition": "convening petitions",
    "quorum": "quorum rules",
    "scoring": "scoring ballots",
    "verdicts": "verdicts supplied with a command",
    "vote": "votes supplied with a command",
}


def source_codes() -> Iterator[tuple[str, str]]:
    """Every code literal of the source, with where it is."""
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = None
            if (isinstance(node, ast.keyword) and node.arg == "code") or (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "default_code" for t in node.targets)
            ):
                value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                yield value.value, f"{path.relative_to(SRC.parent)}:{node.lineno}"


def test_every_source_code_has_a_known_prefix() -> None:
    codes = list(source_codes())
    assert len(codes) > 200
    unknown = [(code, where) for code, where in codes if code.split(".")[0] not in PREFIXES]
    assert unknown == []


def test_every_catalogued_code_has_a_known_prefix() -> None:
    assert sorted(c for c in REASONS if c.split(".")[0] not in PREFIXES) == []


def test_no_two_prefixes_differ_by_a_plural() -> None:
    assert sorted(p for p in PREFIXES if p + "s" in PREFIXES) == []


@pytest.mark.parametrize("code", ["topics.no_areas", "allocations.bad_rule", "stores.x"])
def test_a_drifted_code_is_caught(code: str) -> None:
    assert code.split(".")[0] not in PREFIXES
