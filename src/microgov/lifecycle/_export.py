"""Lifecycle tables as diagrams: Mermaid ``stateDiagram-v2`` and Graphviz DOT."""

from __future__ import annotations

from microgov.lifecycle._table import Lifecycle, Transition

__all__ = ["to_dot", "to_mermaid"]


def _edge_label(t: Transition) -> str:
    label = t.command
    if t.guards:
        label += f" [{', '.join(t.guards)}]"
    return label


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


def to_mermaid(lifecycle: Lifecycle) -> str:
    """The lifecycle as a Mermaid ``stateDiagram-v2``, with zh/en state labels.

    States appear in table order with ``"label_zh / label_en"``; each transition is an
    edge labelled with its command and, in brackets, its guards (a ``"*"`` source is
    drawn from every non-final state).  ``[*]`` marks the initial state and the final
    (DONE/FAILED) states.  The output is deterministic.

    Args:
        lifecycle: The table.

    Returns:
        The diagram source, ending with a newline.

    Example:
        >>> from microgov.lifecycle import TOPIC
        >>> print(to_mermaid(TOPIC))
        stateDiagram-v2
            %% lifecycle: topic
            state "待回应 / open" as open
            ...
            [*] --> open
            open --> acknowledged : acknowledge
            ...
            resolved --> open : reopen
            closed --> open : reopen
            resolved --> [*]
            ...
    """
    lines = ["stateDiagram-v2", f"    %% lifecycle: {_mermaid_text(lifecycle.name)}"]
    for s in lifecycle.states:
        label = _mermaid_text(f"{s.label_zh} / {s.label_en}")
        lines.append(f'    state "{label}" as {s.key}')
    lines.append(f"    [*] --> {lifecycle.initial}")
    for t in lifecycle.transitions:
        label = _mermaid_text(_edge_label(t))
        for source in t.sources(lifecycle.states):
            lines.append(f"    {source} --> {t.target} : {label}")
    for s in lifecycle.states:
        if s.final:
            lines.append(f"    {s.key} --> [*]")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(lifecycle: Lifecycle) -> str:
    """The lifecycle as a Graphviz DOT digraph, with zh/en state labels.

    Each state is a rounded box labelled ``label_zh\\nlabel_en`` (final states drawn
    with a double border, FAILED ones dashed); a point marks the start.  Edges are
    labelled with the command and its guards.  The output is deterministic.

    Args:
        lifecycle: The table.

    Returns:
        The DOT source, ending with a newline.

    Example:
        >>> from microgov.lifecycle import TOPIC
        >>> print(to_dot(TOPIC))
        digraph "topic" {
            rankdir=LR;
            node [shape=box, style=rounded];
            "__start__" [shape=point, label=""];
            "open" [label="待回应\\nopen"];
            ...
            "__start__" -> "open";
            "open" -> "acknowledged" [label="acknowledge"];
            ...
        }
    """
    lines = [
        f"digraph {_dot_text(lifecycle.name)} {{",
        "    rankdir=LR;",
        "    node [shape=box, style=rounded];",
        '    "__start__" [shape=point, label=""];',
    ]
    for s in lifecycle.states:
        label = _dot_text(s.label_zh + "\n" + s.label_en)
        attrs = [f"label={label}"]
        if s.final:
            attrs.append("peripheries=2")
        if s.category.value == "failed":
            attrs.append('style="rounded,dashed"')
        lines.append(f"    {_dot_text(s.key)} [{', '.join(attrs)}];")
    lines.append(f'    "__start__" -> {_dot_text(lifecycle.initial)};')
    for t in lifecycle.transitions:
        label = _dot_text(_edge_label(t))
        for source in t.sources(lifecycle.states):
            lines.append(f"    {_dot_text(source)} -> {_dot_text(t.target)} [label={label}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
