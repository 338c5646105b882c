"""State diagrams drawn at build time as inline SVG: the built docs load no script.

The lifecycle pages show ``docs/guides/diagrams/*.mmd``, the Mermaid ``stateDiagram-v2``
text that :func:`microgov.lifecycle.to_mermaid` generates from the tables (a test keeps
them in step).  Mermaid itself is a JavaScript library fetched from a CDN by the browser,
so offline the diagrams showed as raw source.  This extension reads the same text and
draws it in Python when the docs are built: states in layers from the initial state
down (longest path over the forward transitions), ordered within a layer by the mean
place of their predecessors, transitions as labelled curves, back transitions on the
right, the start as a dot and final states with a ring.  The page carries the SVG
itself, so nothing is requested from the network.

Usage, in MyST (the directive keeps Mermaid's name so that the pages stay as they are)::

    ```{mermaid} diagrams/project.mmd
    ```

Only the ``stateDiagram-v2`` subset :func:`~microgov.lifecycle.to_mermaid` writes is
read (``state "label" as id``, ``a --> b : label``, ``[*] --> a``, ``a --> [*]``,
``%%`` comments); anything else stops the build with the line that was not understood.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_STATE = re.compile(r'^state\s+"(?P<label>[^"]*)"\s+as\s+(?P<id>[\w.-]+)$')
_EDGE = re.compile(
    r"^(?P<src>\[\*\]|[\w.-]+)\s*-->\s*(?P<dst>\[\*\]|[\w.-]+)(?:\s*:\s*(?P<label>.*))?$"
)

CHAR = 7.2  # px per display column of 12px text
BOX_H = 30
GAP_X = 36
GAP_Y = 64
MARGIN = 24
LABEL_SIZE = 11


class DiagramError(ValueError):
    """A diagram this renderer does not understand (the build stops, naming the line)."""


@dataclass
class Diagram:
    """A parsed state diagram: labels by state id, transitions, initial and final states."""

    labels: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    initial: list[str] = field(default_factory=list)
    final: list[str] = field(default_factory=list)
    upward: bool = False  # a ``flowchart BT``: the first layer at the bottom


_NODE = re.compile(r'^(?P<id>[\w.-]+)\s*[\[(]"?(?P<label>[^"\])]*)"?[\])]$')
_ARROW = re.compile(r"^(?P<src>[\w.-]+)\s*-->\s*(?:\|(?P<label>[^|]*)\|\s*)?(?P<dst>[\w.-]+)$")


def _flowchart(lines: list[str], direction: str) -> Diagram:
    if direction not in ("TB", "TD", "BT"):
        raise DiagramError(f"flowchart {direction}: only TB, TD and BT are drawn")
    diagram = Diagram(upward=direction == "BT")
    for number, line in enumerate(lines[1:], start=2):
        node, arrow = _NODE.match(line), _ARROW.match(line)
        if node:
            diagram.labels[node["id"]] = node["label"]
        elif arrow:
            diagram.edges.append((arrow["src"], arrow["dst"], (arrow["label"] or "").strip()))
            for name in (arrow["src"], arrow["dst"]):
                diagram.labels.setdefault(name, name)
        else:
            raise DiagramError(f"line {number} not understood: {line!r}")
    return diagram


def parse(text: str) -> Diagram:
    """Read the ``stateDiagram-v2`` subset that ``to_mermaid`` writes, or a plain flowchart.

    A ``flowchart`` (``TB``, ``TD`` or ``BT``) may have ``id["label"]`` nodes and
    ``a --> b`` or ``a -->|label| b`` arrows.

    Example:
        >>> d = parse('stateDiagram-v2\\n state "开 / open" as o\\n [*] --> o\\n o --> o : x')
        >>> d.labels, d.initial, d.edges
        ({'o': '开 / open'}, ['o'], [('o', 'o', 'x')])
    """
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("%%")]
    head = lines[0].split() if lines else []
    if len(head) == 2 and head[0] in ("flowchart", "graph"):
        return _flowchart(lines, head[1])
    if head != ["stateDiagram-v2"]:
        raise DiagramError("only stateDiagram-v2 and flowchart diagrams are drawn at build time")
    diagram = Diagram()
    for number, line in enumerate(lines[1:], start=2):
        state = _STATE.match(line)
        edge = _EDGE.match(line)
        if state:
            diagram.labels[state["id"]] = state["label"]
        elif edge:
            src, dst, label = edge["src"], edge["dst"], (edge["label"] or "").strip()
            if src == "[*]":
                diagram.initial.append(dst)
            elif dst == "[*]":
                diagram.final.append(src)
            else:
                diagram.edges.append((src, dst, label))
            for name in (src, dst):
                if name != "[*]":
                    diagram.labels.setdefault(name, name)
        else:
            raise DiagramError(f"line {number} not understood: {line!r}")
    return diagram


def _width(text: str) -> float:
    columns = sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )
    return columns * CHAR


def _layers(d: Diagram) -> dict[str, int]:
    """Each state's layer: the longest path from an initial state over forward edges."""
    order = list(d.labels)
    successors: dict[str, list[str]] = {s: [] for s in order}
    for src, dst, _ in d.edges:
        if src != dst and dst not in successors[src]:
            successors[src].append(dst)
    forward: set[tuple[str, str]] = set()
    seen: set[str] = set()
    on_path: set[str] = set()

    def visit(state: str) -> None:
        seen.add(state)
        on_path.add(state)
        for nxt in successors[state]:
            if nxt in on_path:
                continue  # a back transition: drawn on the right, not used for layers
            forward.add((state, nxt))
            if nxt not in seen:
                visit(nxt)
        on_path.discard(state)

    for start in [*d.initial, *order]:
        if start not in seen:
            visit(start)
    layer = dict.fromkeys(order, 0)
    for _ in order:  # longest path by relaxation (the forward edges form a DAG)
        changed = False
        for src, dst in forward:
            if layer[dst] < layer[src] + 1:
                layer[dst] = layer[src] + 1
                changed = True
        if not changed:
            break
    return layer


def render(d: Diagram) -> str:
    """The diagram as one ``<svg>`` element (no script, no external reference).

    Transitions that skip layers pass through placeholders in the layers between, so
    that they never cross a state; back transitions go around the right.

    Example:
        >>> svg = render(parse('stateDiagram-v2\\n state "开 / open" as o\\n [*] --> o\\n'
        ...                    ' o --> d : finish\\n d --> [*]'))
        >>> svg.startswith("<svg") and "开 / open" in svg and "finish" in svg
        True
    """
    layer = _layers(d)
    widths: dict[str, float] = {s: max(_width(label) + 24, 60) for s, label in d.labels.items()}
    chains: list[tuple[list[str], str, str, str]] = []  # (points, src, dst, label)
    for k, (src, dst, label) in enumerate(d.edges):
        if src != dst and layer[dst] > layer[src]:
            points = [src]
            for step in range(layer[src] + 1, layer[dst]):
                dummy = f"\0{k}.{step}"
                layer[dummy] = step
                widths[dummy] = 14.0
                points.append(dummy)
            points.append(dst)
            chains.append((points, src, dst, label))
    preds: dict[str, list[str]] = {}
    for points, *_ in chains:
        for a, b in itertools.pairwise(points):
            preds.setdefault(b, []).append(a)
    rows: dict[int, list[str]] = {}
    for name in widths:
        rows.setdefault(layer[name], []).append(name)
    place: dict[str, float] = {}
    for number in sorted(rows):  # order each layer by its predecessors' mean place
        if number:

            def key(name: str) -> float:
                got = [place[p] for p in preds.get(name, ()) if p in place]
                return sum(got) / len(got) if got else 0.0

            rows[number].sort(key=key)
        for i, name in enumerate(rows[number]):
            place[name] = float(i)
    row_width = {
        n: sum(widths[s] for s in names) + GAP_X * (len(names) - 1) for n, names in rows.items()
    }
    span = max(row_width.values())
    total_w = span + 2 * MARGIN + 260  # room on the right for back transitions
    pos: dict[str, tuple[float, float]] = {}
    for number, names in rows.items():
        x = MARGIN + (span - row_width[number]) / 2
        shown = max(rows) - number if d.upward else number
        y = MARGIN + 40 + shown * (BOX_H + GAP_Y)
        for name in names:
            pos[name] = (x + widths[name] / 2, y + BOX_H / 2)
            x += widths[name] + GAP_X
    total_h = MARGIN + 40 + (max(rows) + 1) * (BOX_H + GAP_Y) + MARGIN
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="statediagram" role="img" '
        f'viewBox="0 0 {total_w:.0f} {total_h:.0f}" style="max-width:100%;height:auto" '
        f'font-family="sans-serif" font-size="12">',
        '<defs><marker id="sd-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ]
    edges: list[str] = []
    labels: list[tuple[float, float, str, str]] = []

    def line(path: str) -> None:
        edges.append(
            f'<path d="{path}" fill="none" stroke="#555" stroke-width="1.2" '
            'marker-end="url(#sd-arrow)"/>'
        )

    for points, _, _, label in chains:
        parts: list[str] = []
        mids: list[tuple[float, float]] = []
        for a, b in itertools.pairwise(points):
            (xa, ya), (xb, yb) = pos[a], pos[b]
            down = -1 if d.upward else 1
            sy, ty = ya + down * BOX_H / 2, yb - down * BOX_H / 2
            if a.startswith("\0"):
                parts.append(f"L{xa:.1f},{sy:.1f}")
            else:
                parts.append(f"M{xa:.1f},{sy:.1f}")
            mid = (sy + ty) / 2
            parts.append(f"C{xa:.1f},{mid:.1f} {xb:.1f},{mid:.1f} {xb:.1f},{ty:.1f}")
            mids.append(((xa + xb) / 2, mid))
        line(" ".join(parts))
        if label:  # on the middle segment: siblings' labels part as their paths do
            labels.append((*mids[len(mids) // 2], "middle", label))
    side = 0
    for src, dst, label in d.edges:
        (x1, y1), (x2, y2) = pos[src], pos[dst]
        w1 = widths[src] / 2
        if src == dst:
            line(
                f"M{x1 + w1:.1f},{y1 - 6:.1f} C{x1 + w1 + 40:.1f},{y1 - 30:.1f} "
                f"{x1 + w1 + 40:.1f},{y1 + 30:.1f} {x1 + w1:.1f},{y1 + 6:.1f}"
            )
            if label:
                labels.append((x1 + w1 + 34, y1, "start", label))
        elif layer[dst] <= layer[src]:  # back (or sideways): around the right of the layers
            side += 1
            far = MARGIN + span + 30 + 22 * side
            # from the top of the source (over any state beside it) to the target's right
            sx, sy, tx = x1 + w1 * 0.6, y1 - BOX_H / 2, x2 + widths[dst] / 2
            top = sy - GAP_Y / 3
            line(
                f"M{sx:.1f},{sy:.1f} C{sx:.1f},{top:.1f} {far:.1f},{top:.1f} "
                f"{far:.1f},{(top + y2) / 2:.1f} "
                f"S{far:.1f},{y2:.1f} {tx:.1f},{y2:.1f}"
            )
            if label:
                labels.append((far + 4, (top + y2) / 2, "start", label))
    out.extend(edges)
    for state in d.initial:
        x, y = pos[state]
        out.append(f'<circle cx="{x:.1f}" cy="{y - BOX_H / 2 - 34:.1f}" r="7" fill="#333"/>')
        out.append(
            f'<path d="M{x:.1f},{y - BOX_H / 2 - 27:.1f} L{x:.1f},{y - BOX_H / 2:.1f}" '
            'stroke="#555" stroke-width="1.2" marker-end="url(#sd-arrow)"/>'
        )
    final = set(d.final)
    for state, label in d.labels.items():
        x, y = pos[state]
        w = widths[state]
        stroke = 'stroke="#333" stroke-width="2.4"' if state in final else 'stroke="#555"'
        out.append(
            f'<rect x="{x - w / 2:.1f}" y="{y - BOX_H / 2:.1f}" width="{w:.1f}" '
            f'height="{BOX_H}" rx="9" fill="#eef3fb" {stroke}/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" fill="#111">'
            f"{html.escape(label)}</text>"
        )
    placed: list[tuple[float, float, float]] = []  # x, y, width of the labels drawn
    for lx, ly, anchor, label in labels:
        lw = _width(label) * LABEL_SIZE / 12
        bx = lx - lw / 2 if anchor == "middle" else lx
        for shift in (0, 14, -14, 28, -28, 42):  # step aside from a label already there
            if not any(
                abs(ly + shift - y) < 13 and bx < x + w + 4 and x < bx + lw + 4
                for x, y, w in placed
            ):
                ly += shift
                break
        placed.append((bx, ly, lw))
        out.append(
            f'<rect x="{bx - 2:.1f}" y="{ly - 9:.1f}" width="{lw + 4:.1f}" height="13" '
            'fill="white" fill-opacity="0.85"/>'
            f'<text x="{lx:.1f}" y="{ly + 1:.1f}" text-anchor="{anchor}" '
            f'font-size="{LABEL_SIZE}" fill="#333">{html.escape(label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _directive() -> Any:
    from docutils import nodes
    from docutils.parsers.rst import Directive

    class StateDiagram(Directive):
        """``mermaid`` with a ``.mmd`` path (or inline text): drawn here as inline SVG."""

        optional_arguments = 1
        final_argument_whitespace = False
        has_content = True

        def run(self) -> list[Any]:
            env = self.state.document.settings.env
            if self.arguments:
                rel, path = env.relfn2path(self.arguments[0])
                env.note_dependency(rel)
                text = Path(path).read_text(encoding="utf-8")
            else:
                text = "\n".join(self.content)
            try:
                svg = render(parse(text))
            except DiagramError as err:
                where = self.arguments[0] if self.arguments else "diagram"
                raise self.error(f"{where}: {err}") from None
            return [nodes.raw("", f'<figure class="statediagram">{svg}</figure>', format="html")]

    return StateDiagram


def setup(app: Any) -> dict[str, Any]:
    """Register the ``mermaid`` directive, drawn at build time."""
    app.add_directive("mermaid", _directive())
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
