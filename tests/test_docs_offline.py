"""The docs work offline: diagrams drawn at build time, no script or style from the network."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

from microgov.lifecycle import PROJECT, TOPIC, Lifecycle, to_mermaid

ROOT = Path(__file__).resolve().parents[1]


def _module(folder: str, name: str) -> ModuleType:
    path = str(ROOT / folder)
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module(name)


@pytest.mark.parametrize("lifecycle", [PROJECT, TOPIC], ids=lambda lc: lc.name)
def test_lifecycle_diagrams_are_drawn_as_svg_with_every_state_and_transition(
    lifecycle: Lifecycle,
) -> None:
    diagram = _module("docs/_ext", "statediagram")
    parsed = diagram.parse(to_mermaid(lifecycle))
    svg = diagram.render(parsed)
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert "<script" not in svg
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for label in parsed.labels.values():
        assert label.replace("&", "&amp;") in svg
    for _, _, label in parsed.edges:
        assert label.replace("&", "&amp;") in svg


def test_an_unknown_diagram_stops_the_build_naming_the_line() -> None:
    diagram = _module("docs/_ext", "statediagram")
    with pytest.raises(diagram.DiagramError, match="line 3"):
        diagram.parse("stateDiagram-v2\n  a --> b\n  note right of a: hi\n")
    with pytest.raises(diagram.DiagramError):
        diagram.parse("flowchart LR\n  a --> b\n")


def test_the_offline_check_finds_scripts_styles_and_imports_from_the_network() -> None:
    check = _module("scripts", "check_offline_docs")
    page = "\n".join(
        [
            '<a href="https://pabulib.org">a plain link is fine</a>',
            '<script src="https://cdn.jsdelivr.net/npm/mermaid/dist/mermaid.min.js"></script>',
            '<link rel="stylesheet" href="//fonts.example/x.css">',
            '<script type="module">import mermaid from "https://cdn.x/m.mjs";</script>',
            "<style>@import 'https://fonts.example/y.css';</style>",
            '<script src="_static/local.js"></script>',
        ]
    )
    assert [line for line, _ in check.remote_references(page)] == [2, 3, 5, 4]


def test_the_docs_load_no_diagram_script_from_a_cdn() -> None:
    conf = (ROOT / "docs" / "conf.py").read_text(encoding="utf-8")
    assert "sphinxcontrib.mermaid" not in conf
    assert '"statediagram"' in conf


def test_a_flowchart_bottom_to_top_is_drawn_with_its_first_layer_at_the_bottom() -> None:
    diagram = _module("docs/_ext", "statediagram")
    parsed = diagram.parse('flowchart BT\n  g["ground"]\n  c["cores"]\n  c --> g\n')
    assert parsed.upward
    svg = diagram.render(parsed)
    y_of = {
        label: float(svg.split(f">{label}</text>")[0].rsplit('y="', 1)[1].split('"')[0])
        for label in ("ground", "cores")
    }
    assert y_of["ground"] < y_of["cores"]  # the arrow's target above its source
