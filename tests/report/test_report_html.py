"""The report: its data model filled from the demo and a store, and the HTML it renders."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from microgov.datasets import meilan_xihu
from microgov.hierarchy import Level
from microgov.report import (
    SECTIONS,
    ReportError,
    copy_events,
    demo_report,
    render_html,
    store_report,
    write_html,
)
from microgov.report._charts import treemap
from microgov.simulation import simulate_fund_year, simulate_season
from microgov.store import MemoryStore, SQLiteStore


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return demo_report()


def test_demo_report_matches_the_demo_figures(report) -> None:  # type: ignore[no-untyped-def]
    season = simulate_season(meilan_xihu(), seed=2026)
    assert report.pipeline.count("proposed") == season.projects_proposed
    assert report.pipeline.count("closed") == season.projects_closed
    assert report.pipeline.count("rejected") == season.projects_rejected
    assert report.participation.share == season.participation
    assert report.audit.ok
    assert report.audit.head == season.log.head
    assert report.audit.events == len(season.log)
    assert len(report.hierarchy.areas) == 30
    assert report.hierarchy.grids == 99


def test_funds_add_up_to_the_ledger(report) -> None:  # type: ignore[no-untyped-def]
    year = simulate_fund_year(meilan_xihu(), seed=2026)
    funds = report.funds
    assert funds is not None
    assert sum(r.returned for r in funds.rows) == year.returned.fen
    assert sum(r.budget for r in funds.rows) == sum(m.fen for m in year.area_budgets.values())
    assert funds.rules == ("MES + add1", "greedy")
    assert sum(r.by_rule["MES + add1"] for r in funds.rows) == int(year.mes.cost)
    assert sum(r.by_rule["greedy"] for r in funds.rows) == int(year.greedy.cost)
    for row in funds.rows:  # money granted is never more than spent plus what came back
        assert row.spent <= row.granted


def test_response_distribution_counts_every_topic(report) -> None:  # type: ignore[no-untyped-def]
    responses = report.responses
    assert responses is not None
    for row in responses.rows:
        assert sum(row.buckets) == row.count
        assert row.within <= row.decided <= row.count
    ranked = sorted(r.rank for r in responses.rows if r.rank is not None)
    assert ranked
    assert ranked[0] == 1


def test_stage_medians_are_non_negative(report) -> None:  # type: ignore[no-untyped-def]
    for stage in report.pipeline.stages:
        assert stage.median_days is None or stage.median_days >= 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_is_self_contained(report, lang: str) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("matplotlib")
    page = render_html(report, lang)
    assert "<script" not in page.lower()
    assert "@import" not in page
    assert "@font-face" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?+(?!#)""", page)
    assert not re.findall(r"url\((?!#)", page)
    assert "default-src 'none'" in page
    for name in SECTIONS:
        assert f"id='sec-{name}'" in page
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.DOTALL)
    assert len(svgs) == 8
    for svg in svgs:
        assert "<path" in svg or "<rect" in svg
    assert page.count("<figcaption>") == len(svgs)
    assert page.count("<table>") >= len(svgs)


def test_chart_text_stays_text(report) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("matplotlib")
    page = render_html(report, "zh")
    area = report.hierarchy.areas[0].name.removesuffix("居委会")
    assert re.search(rf"<text[^>]*>[^<]*{re.escape(area)}", page)


def test_html_is_deterministic(report) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("matplotlib")
    assert render_html(report, "en") == render_html(report, "en")


def test_tables_only_needs_no_plotting_library(report) -> None:  # type: ignore[no-untyped-def]
    page = render_html(report, "en", charts=False)
    assert "<svg" not in page
    assert page.count("<figcaption>") == page.count("<table>") - 1  # + the audit table


def test_unknown_language_is_refused(report) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReportError) as info:
        render_html(report, "fr", charts=False)
    assert info.value.code == "report.bad_language"
    assert "zh" in info.value.message_zh


def test_unknown_node_is_refused() -> None:
    with pytest.raises(ReportError) as info:
        demo_report(node="nowhere")
    assert info.value.code == "report.unknown_node"


def test_unwritable_path(report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReportError) as info:
        write_html(report, tmp_path / "missing" / "r.html", charts=False)
    assert info.value.code == "report.unwritable"


def test_report_of_an_area_covers_that_area_only() -> None:
    r = demo_report(node="area-03")
    assert [a.id for a in r.hierarchy.areas] == ["area-03"]
    assert [row.area for row in r.participation.rows] == ["area-03"]


def test_store_report_reads_the_recorded_facts(tmp_path: Path) -> None:
    h = meilan_xihu()
    season = simulate_season(h, seed=5, start=date(2026, 3, 2), areas=4)
    with SQLiteStore(tmp_path / "s.db") as store:
        copy_events(season.log.events, store)
        before = store.head
        r = store_report(store)
        assert store.head == before  # nothing written
    assert r.pipeline.count("proposed") == season.projects_proposed
    assert r.participation.share == season.participation
    assert r.audit.ok
    assert r.audit.events == len(season.log)
    assert r.responses is not None
    assert sum(row.count for row in r.responses.rows) == season.topics_raised
    assert r.indicators is not None
    assert r.indicators.rows[0].current == season.topics_raised


def test_empty_store_is_unusable() -> None:
    with pytest.raises(ReportError) as info:
        store_report(MemoryStore())
    assert info.value.code == "report.unusable_store"


def test_treemap_tiles_the_box() -> None:
    sizes = [9.0, 7, 5, 5, 3, 2, 1]
    rects = treemap(sizes, 0, 0, 30, 20)
    assert sum(w * h for _, _, w, h in rects) == pytest.approx(600)
    for size, (_, _, w, h) in zip(sizes, rects, strict=True):
        assert w * h == pytest.approx(600 * size / sum(sizes))
    assert all(x >= 0 and x + w <= 30 + 1e-9 and y >= 0 and y + h <= 20 + 1e-9
               for x, y, w, h in rects)  # fmt: skip
    assert treemap([], 0, 0, 1, 1) == []


def test_areas_of_the_report_are_the_areas_of_the_graph() -> None:
    h = meilan_xihu()
    assert len(demo_report(node="luodian").hierarchy.areas) == len(
        h.nodes_at(Level.RESIDENTIAL_AREA)
    )


def test_report_of_a_service_store() -> None:
    from microgov.service import sandbox, walk_to

    service, clock = sandbox()
    walk_to(service, clock, "p-1", "closed")
    r = store_report(service.store)
    assert r.node == "comm"  # the graph the service recorded
    assert r.pipeline.count("closed") == 1
    assert sum(row.votes for row in r.participation.rows) == 1
    assert r.funds is not None
    assert sum(row.granted for row in r.funds.rows) == service.project("p-1").grant_fen
    assert r.audit.ok


def test_report_of_the_demo_store_has_its_money() -> None:
    from microgov.report import record_demo

    year = simulate_fund_year(meilan_xihu(), seed=2026, areas=3)
    with SQLiteStore(":memory:", durable=False) as store:
        record_demo(store, areas=3)
        r = store_report(store)
    assert r.funds is not None
    assert sum(row.returned for row in r.funds.rows) == year.returned.fen
    assert sum(row.budget for row in r.funds.rows) == sum(m.fen for m in year.area_budgets.values())
