"""The personal-number scanner as first written: the reference the fast one must equal.

One ``finditer`` per full pattern, look-behind first, over the whole text translated from
full-width.  ``tests/personal/test_scan_exact.py`` checks :func:`microgov.personal.scan_text`
and :func:`~microgov.personal.redact_text` against it over random texts, and
``benchmarks/scan.py`` times it as the baseline.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from microgov._checksums import identity_number_ok
from microgov.personal import MOBILE_SECOND_DIGITS, FoundNumber, PersonalKind

WIDE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "\uff38": "X",
        "\uff58": "x",
        "\uff0b": "+",
        "\uff0d": "-",
        "\u3000": " ",
    }
)
IDENTITY = re.compile(r"(?<![0-9])([0-9]{6})[ -]?([0-9]{8})[ -]?([0-9]{3}[0-9Xx])(?![0-9])")
MOBILE = re.compile(
    r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?(1[0-9]{2})[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])"
)
HEX = frozenset("0123456789abcdefABCDEF")


def in_digest(text: str, start: int, end: int) -> bool:
    if any(ch not in HEX for ch in text[start:end]):
        return False
    left, right = start, end
    while left > 0 and text[left - 1] in HEX:
        left -= 1
    while right < len(text) and text[right] in HEX:
        right += 1
    return right - left >= 32


def reference_scan(
    text: str, second_digits: Collection[str] = MOBILE_SECOND_DIGITS
) -> list[FoundNumber]:
    plain = text.translate(WIDE)
    found: list[FoundNumber] = []
    taken: list[tuple[int, int]] = []
    for match in IDENTITY.finditer(plain):
        number = "".join(match.groups()).upper()
        start, end = match.span()
        if identity_number_ok(number) and not in_digest(plain, start, end):
            masked = f"{number[:6]}********{number[-4:]}"
            found.append(
                FoundNumber(kind=PersonalKind.IDENTITY_NUMBER, start=start, end=end, masked=masked)
            )
            taken.append((start, end))
    for match in MOBILE.finditer(plain):
        number = "".join(match.groups())
        start, end = match.span()
        if (
            number[1] in second_digits
            and not any(s < end and start < e for s, e in taken)
            and not in_digest(plain, start, end)
        ):
            masked = f"{number[:3]}****{number[-4:]}"
            found.append(FoundNumber(kind=PersonalKind.MOBILE, start=start, end=end, masked=masked))
    found.sort(key=lambda f: f.start)
    return found


def reference_redact(text: str, second_digits: Collection[str] = MOBILE_SECOND_DIGITS) -> str:
    parts: list[str] = []
    last = 0
    for finding in reference_scan(text, second_digits):
        parts += [text[last : finding.start], finding.masked]
        last = finding.end
    return "".join(parts) + text[last:]
