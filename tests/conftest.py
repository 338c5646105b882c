"""Suite-wide configuration: load the Hypothesis profile before any test module is imported.

The profiles (``quick`` by default, ``ci`` under ``HYPOTHESIS_PROFILE=ci``) are described in
``tests/profiles.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis.errors import InvalidArgument

from profiles import PROFILE_VARIABLE, load_profile

try:
    load_profile()
except InvalidArgument as error:
    raise pytest.UsageError(f"{PROFILE_VARIABLE}: {error} (the profiles: quick, ci)") from None


def pytest_report_header(config: pytest.Config) -> str:
    return (
        f"hypothesis: {settings().max_examples} examples per property "
        "(HYPOTHESIS_PROFILE=quick by default; =ci for the thorough run)"
    )
