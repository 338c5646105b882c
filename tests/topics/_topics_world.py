"""Shared values for the topic tests: the dataset, its officials, and a topic strategy."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from microgov.datasets import meilan_xihu
from microgov.hierarchy import Role
from microgov.lifecycle import TOPIC
from microgov.topics import AuthorKind, Response, StateChange, Topic

SH = ZoneInfo("Asia/Shanghai")
H = meilan_xihu()
AREA = "area-01"
OTHER_AREA = "area-02"
ON = date(2026, 3, 2)


def holder(node: str, role: Role) -> str:
    """The first person holding ``role`` at ``node`` in 2026."""
    return next(a.person for a in H.holders(node, on=ON, role=role, inherited=False))


SOCIAL_WORKER = holder(AREA, Role.SOCIAL_WORKER)
OTHER_SOCIAL_WORKER = holder(OTHER_AREA, Role.SOCIAL_WORKER)
GRID_LEADER = holder("grid-01-1", Role.GRID_LEADER)
RESIDENT = "resident-1"
RAISED = datetime(2026, 3, 2, 7, 40, tzinfo=SH)  # a Monday, a working day


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in March 2026, Shanghai."""
    return datetime(2026, 3, day, hour, minute, tzinfo=SH)


def fresh(**changes: object) -> Topic:
    """An open topic raised on area-01 at RAISED."""
    fields: dict[str, object] = {
        "id": "t-1",
        "scope": AREA,
        "category": "parking",
        "author": RESIDENT,
        "raised_at": RAISED,
        "title": "车位紧张",
        "text": "晚上没有车位。",
    }
    fields.update(changes)
    return Topic(**fields)  # type: ignore[arg-type]


# -- hypothesis strategies -------------------------------------------------------

keys = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "Pd")), min_size=1, max_size=12
)
texts = st.text(max_size=30)
zones = st.sampled_from(
    [SH, UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=45))]
)


@st.composite
def instants(draw: st.DrawFn, *, after: datetime | None = None) -> datetime:
    """An aware instant in 2000–2100 (or not before ``after``), in one of a few zones."""
    base = after or datetime(2000, 1, 1, tzinfo=UTC)
    seconds = draw(st.integers(min_value=0, max_value=400 * 24 * 3600))
    micro = draw(st.sampled_from([0, 0, 0, 1, 999_999]))
    return (base + timedelta(seconds=seconds, microseconds=micro)).astimezone(draw(zones))


@st.composite
def topics(draw: st.DrawFn) -> Topic:
    """Any valid topic: random responses and a random walk through the TOPIC table."""
    raised = draw(instants())
    author = draw(keys)
    responses = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        responses.append(
            Response(
                author=draw(st.one_of(st.just(author), keys)),
                kind=draw(st.sampled_from(AuthorKind)),
                at=draw(instants(after=raised)),
                text=draw(texts),
            )
        )
    history = []
    state = TOPIC.initial
    last = raised
    project_id: str | None = None
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        commands = TOPIC.commands_from(state)
        if not commands:
            break
        command = draw(st.sampled_from(commands))
        last = draw(st.one_of(st.just(last), instants(after=last)))
        history.append(StateChange(command=command, actor=draw(keys), at=last))
        transition = TOPIC.transition(state, command)
        assert transition is not None
        state = transition.target
        if state == "converted":
            project_id = draw(keys)
    return Topic(
        id=draw(keys),
        scope=draw(keys),
        category=draw(st.one_of(st.sampled_from(["parking", "repair", "other"]), keys)),
        author=author,
        raised_at=raised,
        title=draw(texts.filter(bool)),
        text=draw(texts),
        responses=responses,
        history=history,
        project_id=project_id,
    )
