"""The vote-family guard: a common-parts project decided by the owners' vote, not the residents'."""

from __future__ import annotations

from datetime import UTC, date, datetime

from microgov.lifecycle import Command, vote_of
from microgov.policy import Matter, PolicySet, owners_decision, owners_rule_for

ON = date(2025, 5, 15)
AT = datetime(2025, 5, 16, tzinfo=UTC)


def _owners(in_favour_owners: int) -> Command:
    verdicts = owners_decision(
        owners_rule_for(ON),
        matter=Matter.CHANGE_USE_OF_COMMON_PARTS,
        total_area=1200,
        total_owners=12,
        participating_area=1200,
        participating_owners=12,
        in_favour_area=900,
        in_favour_owners=in_favour_owners,
        on=ON,
    )
    return Command(name="accept", item="p", actor="u", at=AT, verdicts=verdicts)


def test_the_policy_names_the_vote_and_the_guard_takes_only_that_vote() -> None:
    family = PolicySet(owners_decide_common_parts=True).vote_family(touches_common_parts=True)
    guard = vote_of(family)
    assert guard("hand_raised", _owners(9), None).code == "vote.passed"  # type: ignore[arg-type]
    assert guard("hand_raised", _owners(8), None).code == "vote.not_passed"  # type: ignore[arg-type]
    residents = vote_of("residents_meeting")("hand_raised", _owners(9), None)  # type: ignore[arg-type]
    assert residents.code == "vote.incomplete"
    assert residents.figures["family"] == "residents_meeting"
