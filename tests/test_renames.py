"""Names renamed for one name, one meaning: the old names still work, with a warning."""

from __future__ import annotations

from datetime import datetime

import pytest

import microgov.audit
import microgov.personal
import microgov.sla
from microgov.calendar import SHANGHAI
from microgov.datasets import meilan_xihu


@pytest.mark.parametrize(
    ("module", "old", "new"),
    [
        (microgov.audit, "replay", "accumulate"),
        (microgov.personal, "Finding", "FoundNumber"),
        (microgov.sla, "TopicLike", "SlaTopic"),
    ],
)
def test_an_old_name_warns_and_is_the_new_one(module: object, old: str, new: str) -> None:
    with pytest.warns(DeprecationWarning, match=rf"\.{old} is deprecated: use .*\.{new}"):
        value = getattr(module, old)
    assert value is getattr(module, new)
    assert old not in module.__all__  # type: ignore[attr-defined]
    assert new in module.__all__  # type: ignore[attr-defined]


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = microgov.audit.nope  # type: ignore[attr-defined]


class _Post:
    id, scope, category = "t1", "area-01", "parking"
    raised_at = datetime(2026, 10, 12, 8, tzinfo=SHANGHAI)
    first_response_at = None


def test_rollup_sla_takes_the_graph_first_and_the_old_order_warns() -> None:
    h, now = meilan_xihu(), datetime(2026, 10, 13, tzinfo=SHANGHAI)
    new = microgov.sla.rollup_sla(h, [_Post()], now=now)
    with pytest.warns(DeprecationWarning, match="pass the graph first"):
        old = microgov.sla.rollup_sla([_Post()], h, now=now)  # type: ignore[arg-type]
    assert old == new
    assert new.summaries["area-01"].overdue == ("t1",)
