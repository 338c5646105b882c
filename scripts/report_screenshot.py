"""Regenerate the docs' screenshot of the demo report's first screen.

Renders ``microgov demo``'s report (zh), opens it in headless Chromium (Debian's
``chromium`` plus a CJK font such as ``fonts-noto-cjk``) and saves the first screen
(1280 × 900) as ``docs/_static/report-first-screen.png``.

Usage::

    python scripts/report_screenshot.py          # rewrite the PNG
    python scripts/report_screenshot.py --check  # run it all into a temporary folder (CI)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from microgov.report import demo_report, write_html
from microgov.report._browser import chromium_path, inspect_page

TARGET = Path(__file__).resolve().parent.parent / "docs" / "_static" / "report-first-screen.png"


def main() -> int:
    """Render, open, check and save; exit 1 if the page requests or logs anything."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="do not touch docs/_static")
    args = parser.parse_args()
    if chromium_path() is None:
        print("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        page = write_html(demo_report(), folder / "report.html", "zh")
        seen = inspect_page(page, screenshots=folder / "shots", sections=())
        if seen.requests or seen.console_errors:
            print(f"requests: {seen.requests}\nconsole errors: {seen.console_errors}")
            return 1
        first = seen.screenshots[0]
        if args.check:
            print(f"ok: {first.name} {first.stat().st_size:,} bytes (not saved: --check)")
            return 0
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(first, TARGET)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
