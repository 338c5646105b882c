"""The demo's report opened in a real browser: headless Chromium, over its DevTools pipe.

Skipped with a reason when Chromium is not installed, except in CI (``CI`` set), where
``.ci/run`` installs Debian's ``chromium`` and a CJK font and this test must run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from microgov.report import SECTIONS, demo_report, write_html
from microgov.report._browser import chromium_path, inspect_page

pytest.importorskip("matplotlib")

if chromium_path() is None:
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser test: chromium is missing", pytrace=False)
    pytest.skip(
        "headless Chromium is not installed (apt-get install chromium fonts-noto-cjk)",
        allow_module_level=True,
    )

_PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("browser")
    page = write_html(demo_report(), folder / "report.html", "zh")
    return inspect_page(page, screenshots=folder / "shots")


def test_the_page_requests_nothing(seen) -> None:  # type: ignore[no-untyped-def]
    assert seen.requests == ()


def test_the_page_logs_no_console_error(seen) -> None:  # type: ignore[no-untyped-def]
    assert seen.console_errors == ()


def test_every_chart_is_drawn(seen) -> None:  # type: ignore[no-untyped-def]
    assert len(seen.charts) == 8
    for chart_id, drawn, width, height in seen.charts:
        assert drawn > 0, chart_id
        assert width > 100, chart_id
        assert height > 50, chart_id


def test_a_screenshot_per_section(seen) -> None:  # type: ignore[no-untyped-def]
    assert seen.sections == tuple(f"sec-{name}" for name in SECTIONS)
    names = [p.name for p in seen.screenshots]
    assert names == ["first-screen.png", *(f"sec-{name}.png" for name in SECTIONS)]
    for shot in seen.screenshots:
        data = shot.read_bytes()
        assert data.startswith(_PNG)
        assert len(data) > 2_000


def test_a_request_would_be_caught(tmp_path: Path) -> None:
    """The check itself: a page asking for an outside image is refused by its CSP, and
    both the attempt and the console error are seen (nothing leaves the machine)."""
    page = tmp_path / "leaky.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta http-equiv='Content-Security-Policy' "
        "content=\"default-src 'none'\"></head><body>"
        "<img src='http://127.0.0.1:9/outside.png' alt=''></body></html>",
        encoding="utf-8",
    )
    seen = inspect_page(page)
    assert seen.requests == ("http://127.0.0.1:9/outside.png",)
    assert any("Content Security Policy" in e for e in seen.console_errors)
