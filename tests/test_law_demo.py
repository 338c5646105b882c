"""The demo's year of meetings and yearly obligations: deterministic, every area, printed."""

from __future__ import annotations

import io

from microgov._law_demo import print_law_year, simulate_law_year
from microgov.datasets import meilan_xihu
from microgov.meetings import MeetingKind


def test_the_law_year_covers_every_area_and_is_deterministic() -> None:
    h = meilan_xihu()
    year = simulate_law_year(h, seed=5)
    assert year == simulate_law_year(h, seed=5)
    assert len(year.report.areas) == 30
    assert year.year == 2026
    judged = [m for m in year.meetings if m.kind is MeetingKind.RESIDENTS_MEETING]
    assert judged
    assert all(m.quorum is not None for m in judged)
    assert {m.quorum.figures["preset"] for m in judged if m.quorum} == {"residents_meeting_2025"}
    for compliance in year.report.areas.values():
        assert set(compliance.verdicts) == {
            "residents_meeting_yearly",
            "democratic_review_yearly",
            "publication_yearly",
        }


def test_the_demo_prints_per_area_which_obligations_were_met() -> None:
    h = meilan_xihu()
    year = simulate_law_year(h, seed=5)
    out = io.StringIO()
    print_law_year(year, h, out)
    text = out.getvalue()
    for word in ("居民会议", "民主评议", "居务公开", "2026", "✓", "✗"):
        assert word in text
    for area in year.report.areas:
        assert h.node(area).name in text
    met = len(year.report.compliant_areas())
    assert f"every obligation met 全部履行: {met} of 30 areas" in text


def test_microgov_demo_shows_the_yearly_obligations() -> None:
    from microgov.cli import main

    out = io.StringIO()
    assert main(["demo"], out=out) == 0
    text = out.getvalue()
    assert "Yearly obligations 年度义务 2026" in text
    assert "every obligation met 全部履行:" in text
