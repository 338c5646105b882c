"""The public surface of microgov.topics: exported, sorted, documented with examples."""

from __future__ import annotations

import inspect

import microgov.topics as topics

EXPECTED = {
    "CATEGORIES",
    "EXTENSION_FORMAT",
    "EXTENSION_KEY",
    "EXTENSION_VERSION",
    "OPEN311_FIELDS",
    "AuthorKind",
    "ProjectLink",
    "Response",
    "StateChange",
    "Topic",
    "TopicCategory",
    "TopicCommand",
    "acknowledge",
    "act",
    "close",
    "convert",
    "dumps_open311",
    "from_open311",
    "loads_open311",
    "lookup_category",
    "project_link",
    "raise_topic",
    "reopen",
    "resolve",
    "respond",
    "start",
    "to_open311",
    "topics_by_project",
}


def test_all_is_the_public_surface() -> None:
    assert set(topics.__all__) == EXPECTED
    assert len(topics.__all__) == len(EXPECTED)
    assert {n for n in vars(topics) if not n.startswith("_")} == EXPECTED


def test_every_class_and_function_has_a_doctested_example() -> None:
    for name in topics.__all__:
        value = getattr(topics, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            doc = inspect.getdoc(value) or ""
            assert "Example:" in doc, name
            assert ">>>" in doc, name


def test_the_sla_interface() -> None:
    # What microgov.sla codes against: plain attributes and two properties.
    fields = {f.name for f in topics.Topic.__attrs_attrs__}
    assert {"id", "scope", "category", "raised_at", "state", "project_id"} <= fields
    assert isinstance(inspect.getattr_static(topics.Topic, "first_response_at"), property)
    assert isinstance(inspect.getattr_static(topics.Topic, "resolved_at"), property)
