"""The shape of funds: two halves with no import between them, one prefix for its codes."""

from __future__ import annotations

import ast
import re
import warnings
from datetime import datetime
from pathlib import Path

import pytest

import microgov.funds
from microgov.calendar import SHANGHAI
from microgov.funds import Account, Money, fund_area

FUNDS = Path(microgov.funds.__file__).parent


def _imports(half: str) -> set[str]:
    found: set[str] = set()
    for path in (FUNDS / half).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize(("half", "other"), [("ledger", "allocation"), ("allocation", "ledger")])
def test_the_halves_import_nothing_of_each_other(half: str, other: str) -> None:
    assert not [m for m in _imports(half) if m.startswith(f"microgov.funds.{other}")]
    assert "microgov.funds" not in _imports(half)


def test_every_rule_has_its_own_module() -> None:
    rules = {p.stem for p in (FUNDS / "allocation" / "_rules").glob("*.py")}
    assert {"greedy", "mes", "own_area_first"} <= rules


def test_reason_codes_of_funds_share_one_prefix_per_error_kind() -> None:
    codes: set[str] = set()
    for path in FUNDS.rglob("*.py"):
        codes.update(re.findall(r'code="([a-z0-9_.]+)"', path.read_text(encoding="utf-8")))
    assert codes
    # FundsError codes start with "funds."; the pabulib reader's DataFormatError codes
    # with "pabulib." (or the generic "data." of the shared reader).
    assert {c.split(".")[0] for c in codes} <= {"funds", "pabulib", "data"}


def test_the_old_name_of_fund_area_warns_and_posts_the_same() -> None:
    at = datetime(2026, 1, 5, tzinfo=SHANGHAI)
    with pytest.warns(DeprecationWarning, match="fund_area"):
        old = microgov.funds.allocate(Account.area("a"), Money.of_yuan(1), id="c", at=at)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        new = fund_area(Account.area("a"), Money.of_yuan(1), id="c", at=at)
    assert old == new
