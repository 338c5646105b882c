"""Check that built HTML docs make no network request: no script, style or font from http(s).

Usage::

    python scripts/check_offline_docs.py docs/_build/html

Every ``.html`` and ``.css`` file under the folder is read; a ``<script src>``, a
``<link href>`` (stylesheets, fonts, preloads, icons), an ``<img src>``/``<iframe src>``,
a CSS ``url(...)``/``@import`` or a module ``import … from`` that names an ``http://``,
``https://`` or protocol-relative (``//host``) address is reported with its file and line.
Plain links (``<a href>``) are fine: following one is the reader's choice.  Exits 1 when
anything was found, 0 otherwise.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

_REMOTE = r"""(?:https?:)?//[^"'\s)]+"""
_PATTERNS = (
    re.compile(rf"""<script\b[^>]*\bsrc\s*=\s*["']?({_REMOTE})""", re.IGNORECASE),
    re.compile(rf"""<link\b[^>]*\bhref\s*=\s*["']?({_REMOTE})""", re.IGNORECASE),
    re.compile(rf"""<(?:img|iframe|source|embed)\b[^>]*\bsrc\s*=\s*["']?({_REMOTE})""", re.I),
    re.compile(rf"""url\(\s*["']?({_REMOTE})""", re.IGNORECASE),
    re.compile(rf"""@import\s+["']({_REMOTE})""", re.IGNORECASE),
    re.compile(rf"""\bimport\b[^;"']*?\bfrom\s*["']({_REMOTE})""", re.IGNORECASE),
    re.compile(rf"""\bimport\(\s*["']({_REMOTE})""", re.IGNORECASE),
)


def remote_references(text: str) -> Iterator[tuple[int, str]]:
    """Each network address a page or stylesheet would load, with its line number.

    Example:
        >>> page = '<a href="https://pabulib.org">x</a>\\n<script src="https://cdn.x/m.js"></script>'
        >>> list(remote_references(page))
        [(2, 'https://cdn.x/m.js')]
    """
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            yield text.count("\n", 0, match.start()) + 1, match.group(1)


def main(argv: list[str]) -> int:
    """Scan the folder named in ``argv`` and report what would be fetched."""
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python scripts/check_offline_docs.py BUILT_HTML_FOLDER", file=sys.stderr)
        return 2
    root = Path(argv[0])
    found = 0
    pages = 0
    for path in sorted([*root.rglob("*.html"), *root.rglob("*.css")]):
        pages += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        for line, address in sorted(set(remote_references(text))):
            found += 1
            print(f"{path.relative_to(root)}:{line}: loads {address}", file=sys.stderr)
    if found:
        print(f"{found} network reference(s) in {pages} files", file=sys.stderr)
        return 1
    print(f"{pages} files, no network reference")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
