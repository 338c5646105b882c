"""Lifecycle and audit together: random command sequences recorded in a hash-chained log.

Every accepted command's events go into an :class:`~microgov.audit.AuditLog`; the chain
must verify after every step, replaying the logged events must give the current state,
and tampering with any stored event must be found at the right place.
"""

from __future__ import annotations

import attrs
import test_lifecycle_stateful as base
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from microgov.audit import AuditLog, EventDraft, verify
from microgov.lifecycle import PROJECT, Event, replay
from profiles import examples


class AuditedMachine(base.GuidedMachine):
    """The guided project machine, with every event written to an audit log."""

    def __init__(self) -> None:
        super().__init__()
        self.log = AuditLog(chain_id="test-lifecycle")

    def _record(self) -> None:
        fresh = self.events[len(self.log.events) :]
        self.log.extend(
            EventDraft(
                stream=f"project:{e.item}",
                type=e.type,
                at=e.at,
                actor=e.actor,
                payload=dict(e.payload),  # type: ignore[arg-type]
                verdicts=e.verdicts,
            )
            for e in fresh
        )

    @invariant()
    def chain_verifies_and_replays(self) -> None:
        self._record()
        report = verify(self.log.events, genesis=self.log.genesis, head=self.log.head)
        assert report.ok, report.findings
        logged = [
            Event(
                type=e.type,
                item=e.stream.split(":", 1)[1],
                actor=e.actor,
                at=e.at,
                payload=e.payload,
                verdicts=e.verdicts,
            )
            for e in self.log.events
        ]
        assert replay(PROJECT, logged) == self.state

    @precondition(lambda self: len(self.log.events) > 0)
    @rule(data=st.data(), what=st.sampled_from(["actor", "type", "payload", "drop", "swap"]))
    def tampering_is_found(self, data: st.DataObject, what: str) -> None:
        events = list(self.log.events)
        i = data.draw(st.integers(min_value=0, max_value=len(events) - 1))
        if what == "actor":
            events[i] = attrs.evolve(events[i], actor=events[i].actor + "-forged")
        elif what == "type":
            events[i] = attrs.evolve(events[i], type=events[i].type + ".forged")
        elif what == "payload":
            events[i] = attrs.evolve(events[i], payload={**events[i].payload, "forged": 1})
        elif what == "drop":
            del events[i]
        elif len(events) > 1:
            j = (i + 1) % len(events)
            events[i], events[j] = events[j], events[i]
        else:
            return
        report = verify(events, genesis=self.log.genesis, head=self.log.head)
        assert not report.ok
        if what in ("actor", "type", "payload"):
            assert report.findings[0].sequence == i + 1


AuditedMachine.TestCase.settings = settings(
    max_examples=examples(40), stateful_step_count=40, deadline=None
)
TestAuditedMachine = AuditedMachine.TestCase
