"""Mermaid and DOT exports: every state and transition present, output deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest

from microgov.lifecycle import (
    PROJECT,
    TOPIC,
    Category,
    Lifecycle,
    StateDef,
    Transition,
    to_dot,
    to_mermaid,
)


@pytest.mark.parametrize("lc", [PROJECT, TOPIC], ids=lambda lc: lc.name)
def test_mermaid_has_every_state_and_transition(lc: Lifecycle) -> None:
    text = to_mermaid(lc)
    lines = text.splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert text.endswith("\n")
    for s in lc.states:
        assert f'    state "{s.label_zh} / {s.label_en}" as {s.key}' in lines
        assert (f"    {s.key} --> [*]" in lines) is s.final
    assert f"    [*] --> {lc.initial}" in lines
    edges = [line for line in lines if "-->" in line and "[*]" not in line]
    expected = [
        (source, t.target, t.command, t.guards)
        for t in lc.transitions
        for source in t.sources(lc.states)
    ]
    assert len(edges) == len(expected)
    for line, (source, target, command, guards) in zip(edges, expected, strict=True):
        label = command + (f" [{', '.join(guards)}]" if guards else "")
        assert line == f"    {source} --> {target} : {label}"
    assert to_mermaid(lc) == text


@pytest.mark.parametrize("lc", [PROJECT, TOPIC], ids=lambda lc: lc.name)
def test_dot_has_every_state_and_transition(lc: Lifecycle) -> None:
    text = to_dot(lc)
    lines = text.splitlines()
    assert lines[0] == f'digraph "{lc.name}" {{'
    assert lines[-1] == "}"
    for s in lc.states:
        line = next(x for x in lines if x.startswith(f'    "{s.key}" ['))
        assert f'label="{s.label_zh}\\n{s.label_en}"' in line
        assert ("peripheries=2" in line) is s.final
        assert ("dashed" in line) is (s.category is Category.FAILED)
    assert f'    "__start__" -> "{lc.initial}";' in lines
    edges = [x for x in lines if " -> " in x and "__start__" not in x]
    assert len(edges) == sum(len(t.sources(lc.states)) for t in lc.transitions)
    assert '    "publicised" -> "evaluated" [label="evaluate [notice.elapsed, objection.none, ' in (
        to_dot(PROJECT)
    )
    assert to_dot(lc) == text


def test_labels_are_escaped() -> None:
    lc = Lifecycle(
        name='odd "name"',
        states=(
            StateDef(key="a", category=Category.OPEN, label_zh='甲"引号"', label_en="a\\b"),
            StateDef(key="b", category=Category.DONE, label_zh="乙", label_en="b"),
        ),
        transitions=(Transition(command="go", source="a", target="b", event="x.go"),),
        initial="a",
    )
    dot = to_dot(lc)
    assert 'digraph "odd \\"name\\"" {' in dot
    assert '"a" [label="甲\\"引号\\"\\na\\\\b"];' in dot
    mermaid = to_mermaid(lc)
    assert 'state "甲#quot;引号#quot; / a\\b" as a' in mermaid


def test_relabelled_export() -> None:
    renamed = TOPIC.with_labels({"open": ("新议题", "new topic")})
    assert 'state "新议题 / new topic" as open' in to_mermaid(renamed)
    assert '"open" [label="新议题\\nnew topic"];' in to_dot(renamed)


@pytest.mark.parametrize(("name", "lc"), [("project", PROJECT), ("topic", TOPIC)])
def test_the_documented_diagrams_are_the_tables(name: str, lc: Lifecycle) -> None:
    """docs/guides/diagrams/*.mmd are generated from the tables; regenerate them if this fails."""
    path = Path(__file__).parents[2] / "docs" / "guides" / "diagrams" / f"{name}.mmd"
    assert path.read_text(encoding="utf-8") == to_mermaid(lc)
