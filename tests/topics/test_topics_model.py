"""Topics: hand-checked operations, the SLA interface, links to projects, bad input."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest
from _topics_world import (
    AREA,
    GRID_LEADER,
    OTHER_SOCIAL_WORKER,
    RAISED,
    RESIDENT,
    SH,
    SOCIAL_WORKER,
    H,
    at,
    fresh,
    topics,
)
from hypothesis import given, settings

from microgov.errors import DataFormatError, MicrogovError, NodeNotFound, TransitionRefused
from microgov.lifecycle import TOPIC, Event, replay
from microgov.topics import (
    CATEGORIES,
    AuthorKind,
    ProjectLink,
    Response,
    StateChange,
    Topic,
    TopicCategory,
    acknowledge,
    act,
    close,
    convert,
    lookup_category,
    project_link,
    raise_topic,
    reopen,
    resolve,
    respond,
    start,
    topics_by_project,
)
from profiles import examples


def answered(topic: Topic | None = None, when: datetime | None = None) -> Topic:
    """``topic`` (a fresh one by default) answered and acknowledged by the social worker."""
    t = topic or fresh()
    when = when or at(2, 8, 15)
    t, _ = respond(t, author=SOCIAL_WORKER, kind=AuthorKind.OFFICIAL, at=when, text="收到")
    t, _ = acknowledge(t, actor=SOCIAL_WORKER, at=when, hierarchy=H)
    return t


# -- raising -------------------------------------------------------------------------


def test_raise_topic_gives_an_open_topic_and_a_raised_event() -> None:
    t, events = raise_topic(
        H,
        id="t-9",
        scope=AREA,
        category="environment",
        author=RESIDENT,
        at=at(2, 23, 50),
        title="垃圾房异味",
    )
    assert (t.id, t.scope, t.category, t.state, t.project_id) == (
        "t-9",
        AREA,
        "environment",
        "open",
        None,
    )
    assert t.raised_at == at(2, 23, 50)
    assert t.first_response_at is None
    assert t.resolved_at is None
    assert t.closed_at is None
    assert t.updated_at == t.raised_at
    (event,) = events
    assert isinstance(event, Event)
    assert (event.type, event.item, event.actor, event.at) == (
        "topic.raised",
        "t-9",
        RESIDENT,
        at(2, 23, 50),
    )
    assert dict(event.payload) == {"scope": AREA, "category": "environment"}


def test_a_topic_may_be_raised_on_a_grid_inside_an_area() -> None:
    t, _ = raise_topic(
        H, id="t", scope="grid-01-1", category="other", author=RESIDENT, at=RAISED, title="x"
    )
    assert t.scope == "grid-01-1"


def test_unknown_scope_is_a_clear_error() -> None:
    with pytest.raises(NodeNotFound) as info:
        raise_topic(
            H, id="t", scope="area-99", category="other", author=RESIDENT, at=RAISED, title="x"
        )
    assert info.value.code == "hierarchy.unknown_node"
    assert info.value.details["node_id"] == "area-99"
    assert "area-99" in info.value.message_en
    assert "area-99" in info.value.message_zh


def test_naive_datetimes_are_refused_everywhere() -> None:
    naive = datetime(2026, 3, 2, 8, 0)
    with pytest.raises(DataFormatError) as info:
        raise_topic(H, id="t", scope=AREA, category="other", author=RESIDENT, at=naive, title="x")
    assert info.value.code == "time.not_aware"
    assert info.value.details["field"] == "raised_at"
    t = fresh()
    with pytest.raises(DataFormatError, match="naive") as info:
        respond(t, author=SOCIAL_WORKER, kind=AuthorKind.OFFICIAL, at=naive)
    assert info.value.code == "time.not_aware"
    with pytest.raises(DataFormatError) as info:
        acknowledge(t, actor=SOCIAL_WORKER, at=naive, hierarchy=H)
    assert info.value.code == "time.not_aware"
    with pytest.raises(DataFormatError):
        StateChange(command="close", actor="s", at=naive)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", ""),
        ("id", " t"),
        ("scope", 7),
        ("category", ""),
        ("author", None),
        ("title", ""),
        ("text", None),
        ("raised_at", "2026-03-02T08:00:00+08:00"),
        ("responses", "abc"),
        ("responses", [1]),
        ("history", [None]),
    ],
)
def test_bad_fields_are_refused_with_the_field_named(field: str, value: object) -> None:
    with pytest.raises(DataFormatError) as info:
        fresh(**{field: value})
    keys = {"id", "scope", "category", "author"}
    expected = {True: "text.required", False: "topic.bad_field"}[field in keys]
    expected = "time.not_aware" if field.endswith("_at") else expected
    assert info.value.code == expected
    assert str(info.value.details["field"]).startswith(field)


# -- responses and the SLA interface ----------------------------------------------


def test_first_response_at_is_the_earliest_official_response_not_by_the_author() -> None:
    t = fresh()
    t, _ = respond(t, author="neighbour", kind=AuthorKind.RESIDENT, at=at(2, 7, 50), text="+1")
    # The author marked as official (a resident who is also staff) does not answer himself.
    t, _ = respond(t, author=RESIDENT, kind=AuthorKind.OFFICIAL, at=at(2, 7, 55))
    assert t.first_response_at is None
    t, events = respond(t, author=SOCIAL_WORKER, kind=AuthorKind.OFFICIAL, at=at(2, 13, 20))
    assert events[0].type == "topic.responded"
    assert dict(events[0].payload) == {"kind": "official"}
    t, _ = respond(t, author=GRID_LEADER, kind=AuthorKind.OFFICIAL, at=at(2, 8, 30))
    assert t.first_response_at == at(2, 8, 30)  # the earliest, whatever the order given
    assert t.first_response_at - t.raised_at == timedelta(minutes=50)
    assert t.state == "open"  # a response alone does not change the state
    assert t.updated_at == at(2, 13, 20)
    assert len(t.responses) == 4


def test_a_resident_comment_emits_a_comment_event() -> None:
    _, events = respond(fresh(), author="n", kind=AuthorKind.RESIDENT, at=at(2, 9))
    assert events[0].type == "topic.commented"


def test_a_response_at_the_posting_instant_is_accepted_one_before_is_refused() -> None:
    t, _ = respond(fresh(), author=SOCIAL_WORKER, kind=AuthorKind.OFFICIAL, at=RAISED)
    assert t.first_response_at == RAISED
    before = RAISED - timedelta(seconds=1)
    original = fresh()
    with pytest.raises(DataFormatError) as info:
        respond(original, author=SOCIAL_WORKER, kind=AuthorKind.OFFICIAL, at=before)
    assert info.value.code == "topic.before_post"
    assert info.value.details["field"] == "responses[0].at"
    assert original == fresh()
    assert original.responses == ()
    with pytest.raises(DataFormatError) as info:
        fresh(responses=[Response(author="s", kind=AuthorKind.OFFICIAL, at=before)])
    assert info.value.code == "topic.before_post"


def test_an_instant_in_another_zone_is_compared_as_an_instant() -> None:
    # 00:30 UTC is 08:30 in Shanghai: after the 07:40 post.
    from datetime import UTC

    t, _ = respond(
        fresh(),
        author=SOCIAL_WORKER,
        kind=AuthorKind.OFFICIAL,
        at=datetime(2026, 3, 2, 0, 30, tzinfo=UTC),
    )
    assert t.first_response_at == at(2, 8, 30)


# -- the lifecycle ------------------------------------------------------------------


def test_acknowledge_start_resolve_hand_checked() -> None:
    t = answered()
    assert t.state == "acknowledged"
    t, ev_start = start(t, actor=SOCIAL_WORKER, at=at(2, 13, 10), hierarchy=H)
    t, ev_resolve = resolve(t, actor=SOCIAL_WORKER, at=at(3, 17, 30), hierarchy=H)
    assert t.state == "resolved"
    assert t.resolved_at == at(3, 17, 30)
    assert t.closed_at == at(3, 17, 30)
    assert t.updated_at == at(3, 17, 30)
    assert [s.command for s in t.history] == ["acknowledge", "start", "resolve"]
    assert ev_start[0].type == "topic.started"
    assert ev_resolve[0].type == "topic.resolved"
    # The events' verdicts say why the actor was allowed.
    assert [v.code for v in ev_resolve[0].verdicts] == ["auth.may_act"]


def test_topic_events_are_lifecycle_events_that_replay_to_the_state() -> None:
    t = fresh()
    transitions: list[Event] = []
    for command in ("acknowledge", "start", "resolve"):
        t, events = act(t, command, actor=SOCIAL_WORKER, at=at(3, 9), hierarchy=H)
        transitions.extend(events)
    t, events = reopen(t, actor=RESIDENT, at=at(4, 20), hierarchy=H)
    transitions.extend(events)
    assert replay(TOPIC, transitions) == t.state == "open"


def test_reopen_clears_resolved_at_until_resolved_again() -> None:
    t = answered()
    t, _ = resolve(t, actor=SOCIAL_WORKER, at=at(3, 9), hierarchy=H)
    t, events = reopen(t, actor=RESIDENT, at=at(4, 20), hierarchy=H)
    assert events[0].type == "topic.reopened"
    assert (t.state, t.resolved_at, t.closed_at) == ("open", None, None)
    # The first response stays what it was: reopening does not reset the clock.
    assert t.first_response_at == at(2, 8, 15)
    t = answered(t, at(5, 8, 10))
    t, _ = resolve(t, actor=SOCIAL_WORKER, at=at(5, 13, 5), hierarchy=H)
    assert t.resolved_at == at(5, 13, 5)


def test_close_and_reopen_a_closed_topic() -> None:
    t, _ = close(fresh(), actor=SOCIAL_WORKER, at=at(2, 8, 10), hierarchy=H)
    assert (t.state, t.closed_at, t.resolved_at) == ("closed", at(2, 8, 10), None)
    t, _ = reopen(t, actor="anyone", at=at(2, 9), hierarchy=H)
    assert t.state == "open"


def test_convert_links_both_ways() -> None:
    t = answered()
    t, events = convert(t, project_id="p-2026-7", actor=SOCIAL_WORKER, at=at(9, 10), hierarchy=H)
    assert (t.state, t.project_id) == ("converted", "p-2026-7")
    assert events[0].type == "topic.converted"
    assert dict(events[0].payload) == {"project_id": "p-2026-7"}
    link = project_link(t)
    assert link == ProjectLink(project_id="p-2026-7", topic_id="t-1", scope=AREA, at=at(9, 10))
    assert link.payload() == {"origin": "topic", "topic_id": "t-1", "scope": AREA}
    other = answered(fresh(id="t-2"))
    other, _ = convert(other, project_id="p-2026-7", actor=SOCIAL_WORKER, at=at(9, 11), hierarchy=H)
    assert dict(topics_by_project([fresh(id="t-0"), t, other])) == {"p-2026-7": ("t-1", "t-2")}
    assert project_link(fresh()) is None
    assert t.resolved_at is None
    assert t.closed_at == at(9, 10)


def refused(call: object) -> TransitionRefused:
    assert callable(call)
    with pytest.raises(TransitionRefused) as info:
        call()
    return info.value


def test_refused_transitions_leave_the_topic_unchanged() -> None:
    t = fresh()
    snapshot = attrs.asdict(t, recurse=False)
    # Not allowed from "open".
    err = refused(lambda: resolve(t, actor=SOCIAL_WORKER, at=at(2, 9), hierarchy=H))
    assert err.code == "lifecycle.no_transition"
    # A resident may not acknowledge; a social worker of another area neither.
    assert refused(lambda: acknowledge(t, actor=RESIDENT, at=at(2, 9), hierarchy=H)).code == (
        "auth.outside_jurisdiction"
    )
    assert (
        refused(lambda: acknowledge(t, actor=OTHER_SOCIAL_WORKER, at=at(2, 9), hierarchy=H)).code
        == "auth.outside_jurisdiction"
    )
    # A grid leader acts on the grid, not on the whole area's page.
    assert refused(lambda: acknowledge(t, actor=GRID_LEADER, at=at(2, 9), hierarchy=H)).code == (
        "auth.outside_jurisdiction"
    )
    assert attrs.asdict(t, recurse=False) == snapshot
    assert t == fresh()
    # A converted topic cannot be reopened: the project carries on.
    c, _ = convert(answered(), project_id="p", actor=SOCIAL_WORKER, at=at(3, 9), hierarchy=H)
    before = attrs.asdict(c, recurse=False)
    assert refused(lambda: reopen(c, actor=RESIDENT, at=at(4, 9), hierarchy=H)).code == (
        "lifecycle.no_transition"
    )
    assert attrs.asdict(c, recurse=False) == before


def test_a_grid_leader_may_acknowledge_a_topic_on_the_grid_page() -> None:
    t = fresh(scope="grid-01-1")
    t, _ = acknowledge(t, actor=GRID_LEADER, at=at(2, 8, 5), hierarchy=H)
    assert t.state == "acknowledged"
    # ... but converting into a project needs the office (social worker and above).
    err = refused(lambda: convert(t, project_id="p", actor=GRID_LEADER, at=at(3, 9), hierarchy=H))
    assert err.code == "auth.outside_jurisdiction"


def test_commands_may_not_go_back_in_time() -> None:
    t = answered()
    with pytest.raises(DataFormatError) as info:
        resolve(t, actor=SOCIAL_WORKER, at=at(2, 8, 0), hierarchy=H)
    assert info.value.code == "topic.out_of_order"
    with pytest.raises(DataFormatError) as info:
        close(fresh(), actor=SOCIAL_WORKER, at=RAISED - timedelta(minutes=1), hierarchy=H)
    assert info.value.code == "topic.before_post"


def test_project_id_only_with_convert() -> None:
    t = answered()
    with pytest.raises(DataFormatError) as info:
        act(t, "convert", actor=SOCIAL_WORKER, at=at(3, 9), hierarchy=H)
    assert info.value.code == "topic.project_id"
    with pytest.raises(DataFormatError) as info:
        act(t, "resolve", actor=SOCIAL_WORKER, at=at(3, 9), hierarchy=H, project_id="p")
    assert info.value.code == "topic.project_id"
    with pytest.raises(DataFormatError):
        convert(t, project_id=" p", actor=SOCIAL_WORKER, at=at(3, 9), hierarchy=H)


def test_unknown_scope_on_a_command_is_a_node_error() -> None:
    t = fresh(scope="nowhere")
    with pytest.raises(NodeNotFound):
        acknowledge(t, actor=SOCIAL_WORKER, at=at(2, 9), hierarchy=H)


# -- the value itself ----------------------------------------------------------------


def test_state_is_derived_from_history_and_checked() -> None:
    steps = [StateChange(command="acknowledge", actor="s", at=at(2, 8))]
    assert fresh(history=steps).state == "acknowledged"
    with pytest.raises(TypeError):
        fresh(state="resolved")
    with pytest.raises(DataFormatError) as info:
        fresh(history=[StateChange(command="resolve", actor="s", at=at(2, 8))])
    assert info.value.code == "topic.bad_history"
    with pytest.raises(DataFormatError) as info:
        fresh(
            history=[
                StateChange(command="acknowledge", actor="s", at=at(2, 9)),
                StateChange(command="resolve", actor="s", at=at(2, 8)),
            ]
        )
    assert info.value.code == "topic.out_of_order"
    with pytest.raises(DataFormatError) as info:
        fresh(history=[StateChange(command="close", actor="s", at=at(1, 8))])
    assert info.value.code == "topic.before_post"


def test_project_id_exactly_when_converted() -> None:
    with pytest.raises(DataFormatError) as info:
        fresh(project_id="p-1")
    assert info.value.code == "topic.project_id"
    steps = [
        StateChange(command="acknowledge", actor="s", at=at(2, 8)),
        StateChange(command="convert", actor="s", at=at(2, 9)),
    ]
    with pytest.raises(DataFormatError):
        fresh(history=steps)
    assert fresh(history=steps, project_id="p-1").project_id == "p-1"


def test_topics_are_immutable_values() -> None:
    t = fresh()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        t.state = "closed"  # type: ignore[misc]
    assert fresh() == fresh()
    assert hash(fresh()) == hash(fresh())


def test_response_checks_its_fields() -> None:
    with pytest.raises(DataFormatError):
        Response(author="", kind=AuthorKind.OFFICIAL, at=RAISED)
    with pytest.raises(DataFormatError):
        Response(author="s", kind="official", at=RAISED)  # type: ignore[arg-type]
    with pytest.raises(DataFormatError):
        Response(author="s", kind=AuthorKind.OFFICIAL, at=RAISED, text=None)  # type: ignore[arg-type]


@settings(max_examples=examples(30), deadline=None)
@given(topics())
def test_operations_built_topics_equal_constructed_ones(topic: Topic) -> None:
    # Rebuilding through __init__ re-checks everything: any valid topic passes.
    rebuilt = Topic(
        id=topic.id,
        scope=topic.scope,
        category=topic.category,
        author=topic.author,
        raised_at=topic.raised_at,
        title=topic.title,
        text=topic.text,
        responses=topic.responses,
        history=topic.history,
        project_id=topic.project_id,
    )
    assert rebuilt == topic
    assert rebuilt.state == topic.state
    assert (topic.project_id is not None) == (topic.state == "converted")
    assert topic.first_response_at is None or topic.first_response_at >= topic.raised_at


def test_operations_use_the_fast_path_consistently() -> None:
    # A topic built step by step equals the same topic built in one go.
    t = answered()
    t, _ = start(t, actor=SOCIAL_WORKER, at=at(2, 13), hierarchy=H)
    t, _ = respond(t, author="n", kind=AuthorKind.RESIDENT, at=at(2, 14))
    same = fresh(responses=t.responses, history=t.history)
    assert t == same
    assert t.state == same.state == "in_progress"


# -- categories ----------------------------------------------------------------------


def test_default_catalogue_and_custom_categories() -> None:
    assert [c.key for c in CATEGORIES] == [
        "environment",
        "safety",
        "parking",
        "greening",
        "elderly_care",
        "repair",
        "neighbours",
        "other",
    ]
    assert lookup_category("repair").label_zh == "设施报修"
    assert lookup_category("团购规则") == TopicCategory(
        key="团购规则", label_zh="团购规则", label_en="团购规则"
    )
    own = (TopicCategory(key="parking", label_zh="停车", label_en="parking"),)
    assert lookup_category("parking", own).label_zh == "停车"
    assert lookup_category("repair", own).label_zh == "repair"
    assert fresh(category="团购规则").category == "团购规则"
    with pytest.raises(DataFormatError):
        lookup_category(" parking")


def test_every_error_is_a_microgov_error_with_both_languages() -> None:
    with pytest.raises(MicrogovError) as info:
        fresh(raised_at=datetime(2026, 3, 2, tzinfo=None))
    assert info.value.message_en
    assert info.value.message_zh
    assert SH.key == "Asia/Shanghai"


def test_responses_and_history_may_be_any_iterable() -> None:
    responses = (Response(author=f"s-{n}", kind=AuthorKind.OFFICIAL, at=at(2, 9)) for n in range(2))
    steps = iter([StateChange(command="close", actor="s", at=at(2, 9))])
    t = fresh(responses=responses, history=steps)
    assert [r.author for r in t.responses] == ["s-0", "s-1"]
    assert t.state == "closed"
