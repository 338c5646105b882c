"""The reason-code catalogue: bilingual, well-formed, and complete for every verdict made."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType

import pytest

import microgov
from lifecycle._lifecycle_world import AT, CTX_A, good_command
from microgov.datasets import meilan_xihu
from microgov.errors import BallotRefused, PolicyError, Refused, TransitionRefused
from microgov.lifecycle import DEFAULT_GUARDS, PROJECT, Command, apply
from microgov.policy import (
    PRESETS,
    REASONS,
    Matter,
    MeetingMode,
    PetitionBasis,
    Reason,
    Verdict,
    majority_met,
    quorum_met,
    reason,
)
from microgov.simulation import simulate_season
from microgov.voting import (
    Choice,
    OwnersRoll,
    OwnersState,
    OwnersVote,
    PaperSheet,
    Petition,
    PetitionState,
    Roll,
    ScoringBallot,
    ScoringState,
    SheetLine,
    Unit,
    VoteState,
    cast_owner_vote,
    cast_scores,
    enter_sheet,
    raise_hand,
    sign_petition,
    tally,
    withdraw_hand,
)
from voting.voting_world import at, graph, person, roll, vote

CODE = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
CJK = re.compile(r"[\u4e00-\u9fff]")


# -- (a) the catalogue itself ------------------------------------------------------------------


def test_every_entry_is_bilingual_dotted_and_keyed_by_its_code() -> None:
    assert len(REASONS) == 73
    for code, entry in REASONS.items():
        assert isinstance(entry, Reason)
        assert entry.code == code
        assert CODE.match(code), code
        assert entry.summary_en.strip(), code
        assert not CJK.search(entry.summary_en), code
        assert CJK.search(entry.summary_zh), code
        assert entry.area in {"quorum", "voting", "law", "lifecycle", "service"}, code


def test_catalogue_is_sorted_and_read_only() -> None:
    assert list(REASONS) == sorted(REASONS)
    assert isinstance(REASONS, MappingProxyType)
    with pytest.raises(TypeError):
        REASONS["x.y"] = REASONS["quorum.met"]  # type: ignore[index]


def test_meeting_codes_cite_the_laws_and_procedure_codes_cite_nothing() -> None:
    residents_2018 = PRESETS["residents_meeting_2018"].citation
    for code in ("quorum.met", "quorum.not_met", "majority.met", "majority.not_met"):
        entry = reason(code)
        assert entry.citation is residents_2018
        assert PRESETS["residents_meeting_2025"].citation in entry.see_also
        assert PRESETS["village_meeting"].citation in entry.see_also
        assert any(c.article == "第一千二百五十九条" for c in entry.see_also)
    assert reason("quorum.mode_not_allowed").citation is PRESETS["village_meeting"].citation
    for entry in REASONS.values():
        if entry.area == "law":
            assert entry.citation is not None, entry.code
        elif entry.area != "quorum":
            assert entry.citation is None, entry.code
            assert entry.see_also == (), entry.code


def test_passing_codes() -> None:
    assert sorted(c for c, r in REASONS.items() if r.passed) == [
        "auth.may_act",
        "auth.named_helper",
        "auth.resident",
        "compliance.met",
        "convening.met",
        "evaluation.passed",
        "inspection.passed",
        "majority.met",
        "notice.elapsed",
        "objection.none",
        "owners.approved",
        "owners.participation_met",
        "owners.participation_not_required",
        "quorum.met",
        "verdicts.all_passed",
        "vote.passed",
    ]


def test_reason_refuses_unknown_codes() -> None:
    assert reason("voting.closed") is REASONS["voting.closed"]
    for bad in ("quorum.nope", "policy.bad_count", "", 42):
        with pytest.raises(PolicyError) as err:
            reason(bad)  # type: ignore[arg-type]
        assert err.value.code == "policy.unknown_reason"


# -- (b) completeness by behaviour -------------------------------------------------------------

Seen = dict[str, bool]


def _record(seen: Seen, verdicts: Iterable[object]) -> None:
    for v in verdicts:
        assert isinstance(v, Verdict)
        assert seen.get(v.code, v.passed) == v.passed, f"{v.code} both passes and fails"
        seen[v.code] = v.passed


def _refusal(seen: Seen, kind: type[Refused], action: Callable[[], object]) -> None:
    with pytest.raises(kind) as err:
        action()
    assert err.value.verdicts
    _record(seen, err.value.verdicts)


def _assert_catalogued(seen: Seen) -> None:
    missing = sorted(set(seen) - set(REASONS))
    assert not missing, f"verdict codes not in REASONS: {missing}"
    for code, passed in seen.items():
        assert REASONS[code].passed is passed, code


def test_quorum_and_majority_codes_are_catalogued() -> None:
    seen: Seen = {}
    for preset in PRESETS.values():
        day = preset.citation.in_force_from or date(2020, 1, 1)
        for mode in MeetingMode:
            for present in (0, 10):
                _record(seen, [quorum_met(preset, mode=mode, present=present, entitled=10, on=day)])
        for in_favour in (0, 10):
            _record(seen, [majority_met(preset, in_favour=in_favour, present=10, on=day)])
    assert set(seen) == {
        "quorum.met",
        "quorum.not_met",
        "quorum.mode_not_allowed",
        "majority.met",
        "majority.not_met",
    }
    _assert_catalogued(seen)


def _guard_commands() -> list[Command]:
    ok = Verdict(
        rule="inspection.works",
        passed=True,
        code="inspection.passed",
        message_en="ok",
        message_zh="通过",
    )
    no = Verdict(
        rule="inspection.works",
        passed=False,
        code="inspection.failed",
        message_en="no",
        message_zh="未通过",
    )
    q_ok = Verdict(
        rule="quorum.residents_meeting",
        passed=True,
        code="quorum.met",
        message_en="ok",
        message_zh="通过",
    )
    m_ok = Verdict(
        rule="majority.residents_meeting",
        passed=True,
        code="majority.met",
        message_en="ok",
        message_zh="通过",
    )
    m_no = Verdict(
        rule="majority.residents_meeting",
        passed=False,
        code="majority.not_met",
        message_en="no",
        message_zh="未通过",
    )
    s_ok = Verdict(
        rule="evaluation.satisfaction",
        passed=True,
        code="evaluation.passed",
        message_en="ok",
        message_zh="通过",
    )
    s_no = Verdict(
        rule="evaluation.satisfaction",
        passed=False,
        code="evaluation.failed",
        message_en="no",
        message_zh="未通过",
    )
    verdict_sets = [(), (ok,), (no,), (q_ok,), (q_ok, m_ok), (q_ok, m_no), (s_ok,), (s_no,)]
    payloads: list[dict[str, object]] = [
        {},
        {"notice_ends_at": (AT - timedelta(days=1)).isoformat(), "objections": 0},
        {"notice_ends_at": (AT + timedelta(days=1)).isoformat(), "objections": 3},
    ]
    return [
        Command(name="c", item="p", actor="u", at=AT, payload=p, verdicts=vs)
        for vs in verdict_sets
        for p in payloads
    ]


def test_every_builtin_guard_code_is_catalogued() -> None:
    seen: Seen = {}
    for guard in DEFAULT_GUARDS.values():
        produced: Seen = {}
        for command in _guard_commands():
            _record(produced, [guard("state", command, CTX_A)])
        assert set(produced.values()) == {True, False}
        seen.update(produced)
    assert len(seen) == 15
    _assert_catalogued(seen)


def _refused_transition(seen: Seen, state: str, command: Command) -> None:
    _refusal(seen, TransitionRefused, lambda: apply(PROJECT, state, command, CTX_A))


def test_apply_codes_are_catalogued() -> None:
    seen: Seen = {}
    keys = [s.key for s in PROJECT.states]
    for t in PROJECT.transitions:
        source = t.sources(PROJECT.states)[0]
        command = good_command(PROJECT, t)
        _, events = apply(PROJECT, source, command, CTX_A)
        # An event keeps the command's own verdicts (made by the caller) before apply's.
        _record(seen, (v for e in events for v in e.verdicts if v not in command.verdicts))
        wrong = next(k for k in keys if t.command not in PROJECT.commands_from(k))
        _refused_transition(seen, wrong, command)
        if t.roles:
            stranger = Command(
                name=command.name,
                item=command.item,
                actor="sec-b",
                at=AT,
                payload=command.payload,
                verdicts=command.verdicts,
            )
            _refused_transition(seen, source, stranger)
    assert {"lifecycle.no_transition", "auth.may_act", "auth.outside_jurisdiction"} <= set(seen)
    _assert_catalogued(seen)


def test_simulated_season_codes_are_catalogued() -> None:
    season = simulate_season(meilan_xihu(), areas=3)
    seen: Seen = {}
    _record(seen, (v for event in season.store.read_all() for v in event.verdicts))
    assert {"quorum.met", "inspection.passed", "evaluation.passed"} <= set(seen)
    _assert_catalogued(seen)


def _sheet(*voters: str) -> PaperSheet:
    return PaperSheet(
        reference="S-1",
        counted_by="w1",
        counted_at=at(12, 3),
        lines=[SheetLine(voter=v, choice=Choice.IN_FAVOUR) for v in voters],
    )


def test_voting_refusal_codes_are_catalogued() -> None:
    h, r = graph(), roll()
    seen: Seen = {}
    v = vote(MeetingMode.HOUSEHOLDS)
    start = VoteState.start(v.id)

    def hand(voter: str, when: object = None, state: VoteState = start) -> Callable[[], object]:
        moment = at(12, 2) if when is None else when
        return lambda: raise_hand(
            v,
            state,
            r,
            h,
            voter=voter,
            choice=Choice.IN_FAVOUR,
            at=moment,  # type: ignore[arg-type]
        )

    for call in (
        hand("r1", at(11, 30)),  # not_open
        hand("r1", at(12, 31, 19)),  # closed
        hand("nobody"),  # unknown_voter
        hand("r5"),  # not_verified
        hand("r3"),  # not_adult
        hand("r8"),  # outside_scope
        hand("r2"),  # not_entitled: h1 raises its hand through r1
        hand(
            "r1", state=raise_hand(v, start, r, h, voter="r1", choice=Choice.AGAINST, at=at(12, 2))
        ),
        lambda: withdraw_hand(v, start, voter="r4", at=at(12, 2)),  # no_hand
        lambda: tally(v, start, r, h, on=date(2025, 12, 2)),  # not_closed
        lambda: enter_sheet(v, start, r, h, sheet=_sheet("r1", "r2")),  # sheet_duplicate
        lambda: enter_sheet(
            v,
            enter_sheet(v, start, r, h, sheet=_sheet("r1")),
            r,
            h,
            sheet=_sheet("r4"),
        ),  # sheet_already_entered
    ):
        _refusal(seen, BallotRefused, call)

    scored = Roll(residents=[*r, person("c1", "hc", "b111")])
    ballot = ScoringBallot(
        id="s",
        scope="a1",
        subjects=["c1", "c2"],
        min_score=0,
        max_score=100,
        opens_at=at(12, 1),
        closes_at=at(12, 15),
    )
    empty = ScoringState.start("s")
    once = cast_scores(ballot, empty, scored, h, voter="r1", scores={"c1": 90}, at=at(12, 2))

    def card(voter: str, scores: dict[str, int], state: ScoringState = empty) -> None:
        cast_scores(ballot, state, scored, h, voter=voter, scores=scores, at=at(12, 3))

    for call in (
        lambda: cast_scores(ballot, empty, scored, h, voter="r1", scores={"c1": 1}, at=at(11, 1)),
        lambda: card("nobody", {"c1": 1}),
        lambda: card("r3", {"c1": 1}),
        lambda: card("r7", {"c1": 1}),
        lambda: card("r8", {"c1": 1}),
        lambda: card("c1", {"c2": 1}),  # self_scoring
        lambda: card("r1", {"c1": 1}, once),  # second_ballot
        lambda: card("r2", {}),  # empty_card
        lambda: card("r2", {"zz": 1}),  # unknown_subject
        lambda: card("r2", {"c1": 101}),  # score_out_of_range
    ):
        _refusal(seen, BallotRefused, call)

    petition = Petition(
        id="p",
        scope="a1",
        basis=PetitionBasis.ADULTS,
        purpose_zh="议停车",
        purpose_en="Parking",
        opened_at=at(12, 1),
    )
    signed = sign_petition(petition, PetitionState.start("p"), r, h, signer="r1", at=at(12, 2))
    _refusal(
        seen,
        BallotRefused,
        lambda: sign_petition(petition, signed, r, h, signer="r1", at=at(12, 3)),
    )
    units = OwnersRoll(
        scope="a1", units=[Unit(id="1", area=100, owners=["x"]), Unit(id="2", area=100)]
    )
    owners_vote = OwnersVote(
        id="ov",
        scope="a1",
        matter=Matter.REBUILD,
        question_zh="重建？",
        question_en="Rebuild?",
        opens_at=at(12, 1),
        closes_at=at(12, 9),
    )
    cast = cast_owner_vote(
        owners_vote, OwnersState.start("ov"), units, unit="1", choice=Choice.IN_FAVOUR, at=at(12, 2)
    )
    for call in (
        lambda: cast_owner_vote(
            owners_vote, cast, units, unit="1", choice=Choice.AGAINST, at=at(12, 2)
        ),
        lambda: cast_owner_vote(
            owners_vote, cast, units, unit="9", choice=Choice.AGAINST, at=at(12, 2)
        ),
    ):
        _refusal(seen, BallotRefused, call)
    assert {c for c in seen if c.startswith(("voting.", "petition.", "owners."))} == {
        c for c, entry in REASONS.items() if entry.area == "voting"
    }
    _assert_catalogued(seen)


# -- (c) completeness by source ----------------------------------------------------------------

_SRC = Path(microgov.__file__).parent
_SOURCES = (
    "policy/_quorum.py",
    "policy/_convening.py",
    "policy/_owners.py",
    "voting/_petition.py",
    "voting/_owners.py",
    "meetings/_compliance.py",
    "meetings/_meeting.py",
    "voting/_common.py",
    "voting/_roll.py",
    "voting/_vote.py",
    "voting/_scoring.py",
    "lifecycle/_apply.py",
    "lifecycle/_guards.py",
    "service/_service.py",
)
# Where the reason code sits in a call: Verdict(code=...), fail(rule, code, ...),
# _verdict(rule, passed, code, ...), the service's verdict(rule, passed, code, ...).
_CODE_POSITION = {"Verdict": None, "fail": 1, "_verdict": 2, "verdict": 2}


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    return node.func.attr if isinstance(node.func, ast.Attribute) else None


def _calls(tree: ast.AST) -> Iterable[ast.Call]:
    """Every call in ``tree`` outside the bodies of the helpers themselves."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.FunctionDef) and child.name in _CODE_POSITION:
            continue
        if isinstance(child, ast.Call):
            yield child
        yield from _calls(child)


def _literal_codes(expr: ast.expr, where: str) -> set[str]:
    """The string literals a code argument can take (a literal or a conditional of two)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return _literal_codes(expr.body, where) | _literal_codes(expr.orelse, where)
    raise AssertionError(f"{where}: a verdict code that is not a literal; catalogue it by hand")


def _source_codes() -> set[str]:
    codes: set[str] = set()
    for relative in _SOURCES:
        path = _SRC / relative
        for node in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if _call_name(node) not in _CODE_POSITION:
                continue
            where = f"{relative}:{node.lineno}"
            position = _CODE_POSITION[_call_name(node) or ""]
            keyword = next((k.value for k in node.keywords if k.arg == "code"), None)
            if keyword is not None:
                codes |= _literal_codes(keyword, where)
            elif position is not None and len(node.args) > position:
                codes |= _literal_codes(node.args[position], where)
            elif not any(isinstance(a, ast.Starred) for a in node.args):
                raise AssertionError(f"{where}: a verdict without a code")
    return codes


def test_every_verdict_code_in_the_source_is_catalogued_and_vice_versa() -> None:
    codes = _source_codes()
    assert all(CODE.match(c) for c in codes), codes
    assert codes == set(REASONS)
