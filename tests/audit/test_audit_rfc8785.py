"""Differential test: the hand-written RFC 8785 canonical JSON against the ``rfc8785`` package.

microgov keeps its own writer (the C JSON encoder plus an exact writer for keys beyond
U+E000; see ``benchmarks/canonical.py`` for the speed) and checks it here against an
independent implementation, so a third party using any RFC 8785 library reproduces
every hash.  ``rfc8785`` is a test dependency only.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from audit_world import HEAVY, keys, logs, safe_ints
from hypothesis import given
from hypothesis import strategies as st

from microgov.audit import AuditLog, canonical_json, encode_event

# ------------------------------------------------------------------ differential: rfc8785

rfc8785 = pytest.importorskip("rfc8785")

json_data = st.recursive(
    st.one_of(st.none(), st.booleans(), safe_ints, st.text()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)


@HEAVY
@given(data=json_data)
def test_the_hand_written_jcs_agrees_with_rfc8785(data: Any) -> None:
    assert canonical_json(data) == rfc8785.dumps(data)


@HEAVY
@given(log=logs(min_size=1, max_size=4))
def test_every_event_hash_is_reproduced_by_rfc8785(log: AuditLog) -> None:
    for event in log.events:
        data = json.loads(encode_event(event))
        del data["hash"]
        assert hashlib.sha256(rfc8785.dumps(data)).hexdigest() == event.hash
