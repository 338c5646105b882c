"""Convening petitions: one signature per person, household or group, judged on the roll."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov.errors import BallotRefused
from microgov.policy import PetitionBasis
from microgov.voting import Petition, PetitionState, Resident, Roll, judge_petition, sign_petition
from profiles import examples
from voting.voting_world import at, graph, person, roll

H, R = graph(), roll()


def _petition(basis: PetitionBasis) -> Petition:
    return Petition(
        id="p1",
        scope="a1",
        basis=basis,
        purpose_zh="讨论停车收费",
        purpose_en="Discuss parking fees",
        opened_at=at(3, 1),
    )


def _sign(p: Petition, *signers: str, state: PetitionState | None = None) -> PetitionState:
    s = state or PetitionState.start(p.id)
    for signer in signers:
        s = sign_petition(p, s, R, H, signer=signer, at=at(3, 2))
    return s


def test_adults_sign_once_each() -> None:
    p = _petition(PetitionBasis.ADULTS)
    s = _sign(p, "r1", "r2")
    assert s.slots() == {"r1", "r2"}
    with pytest.raises(BallotRefused) as info:
        _sign(p, "r1", state=s)
    assert info.value.code == "petition.second_signature"
    v = judge_petition(p, s, R, H, on=date(2025, 3, 9))
    # six verified adults in a1: 1/5 of 6 is 1.2, so 2 are needed and 2 signed
    assert (v.passed, v.figures["counted"], v.figures["required"]) == (True, 6, 2)
    assert v.figures["petition"] == "p1"
    assert judge_petition(p, _sign(p, "r1"), R, H, on=date(2025, 3, 9)).code == "convening.not_met"


def test_households_sign_once_through_their_representative() -> None:
    p = _petition(PetitionBasis.HOUSEHOLDS)
    with pytest.raises(BallotRefused) as info:
        _sign(p, "r2")  # h1 designated r1
    assert info.value.code == "voting.not_entitled"
    s = _sign(p, "r9")
    with pytest.raises(BallotRefused) as second:
        _sign(p, "r10", state=s)  # same household h6
    assert second.value.code == "petition.second_signature"
    v = judge_petition(p, s, R, H, on=date(2025, 3, 9))
    assert (v.passed, v.figures["signatures"], v.figures["counted"]) == (True, 1, 4)  # 0.8 needed


def test_groups_sign_through_a_group_representative() -> None:
    p = _petition(PetitionBasis.GROUPS)
    with pytest.raises(BallotRefused) as info:
        _sign(p, "r1")
    assert info.value.code == "voting.not_entitled"
    s = _sign(p, "r6")  # representative of group b121
    assert s.slots() == {"b121"}
    v = judge_petition(p, s, R, H, on=date(2025, 3, 9))
    # groups in a1: b111, b112, b121 — one of three is exactly one third: inclusive
    assert (v.passed, v.figures["counted"], v.figures["required"]) == (True, 3, 1)


def test_residents_groups_can_be_drawn_across_building_groups() -> None:
    residents = [*R, person("r20", "h20", "b112")]
    custom = Roll(
        residents=[
            Resident(
                id=r.id,
                household=r.household,
                home=r.home,
                adult=r.adult,
                verified=r.verified,
                household_representative=r.household_representative,
                group_representative=r.group_representative,
                group="east" if r.home in {"b111", "b112"} else None,
            )
            for r in residents
        ]
    )
    assert custom.groups(H, scope="a1") == ("b121", "east")
    assert custom.group_of(custom["r20"]) == "east"


def test_refusals_list_every_reason_and_change_nothing() -> None:
    p = _petition(PetitionBasis.ADULTS)
    start = PetitionState.start("p1")
    with pytest.raises(BallotRefused) as early:
        sign_petition(p, start, R, H, signer="r1", at=at(2, 28))
    assert early.value.code == "voting.not_open"
    for signer, code in (
        ("nobody", "voting.unknown_voter"),
        ("r5", "voting.not_verified"),
        ("r3", "voting.not_adult"),
        ("r8", "voting.outside_scope"),
    ):
        with pytest.raises(BallotRefused) as info:
            sign_petition(p, start, R, H, signer=signer, at=at(3, 2))
        assert code in {v.code for v in info.value.verdicts}
    assert start.signatures == ()


@settings(max_examples=examples(50), deadline=None)
@given(
    signers=st.lists(
        st.sampled_from(["r1", "r2", "r4", "r6", "r9", "r10", "r3", "r8"]), max_size=12
    ),
    basis=st.sampled_from(list(PetitionBasis)),
)
def test_property_one_signature_per_slot(signers: list[str], basis: PetitionBasis) -> None:
    p = _petition(basis)
    s = PetitionState.start("p1")
    for signer in signers:
        before = s
        try:
            s = sign_petition(p, s, R, H, signer=signer, at=at(3, 2))
        except BallotRefused:
            assert s is before
    slots = [x.slot for x in s.signatures]
    assert len(slots) == len(set(slots))
    v = judge_petition(p, s, R, H, on=date(2025, 3, 9))
    assert v.figures["signatures"] == len(slots) <= v.figures["counted"]
