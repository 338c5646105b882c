"""The Hypothesis profiles of the test suite: quick by default, thorough in CI.

``HYPOTHESIS_PROFILE`` picks the profile (``tests/conftest.py`` loads it before any test
module is imported; pytest's ``--hypothesis-profile=NAME`` works too):

``quick`` (the default, for ``python -m pytest``)
    a quarter of Hypothesis's usual budget: 25 examples for a plain ``@given``, and every
    test's own budget scaled the same way (see :func:`examples`).
``ci`` (``HYPOTHESIS_PROFILE=ci``, what ``.ci/run`` uses)
    three times Hypothesis's usual budget: 300 examples for a plain ``@given``.

Every property runs in both; only the number of examples differs.  Neither profile sets a
deadline or the "too slow" health check: both measure wall time, which on a loaded machine
fails a correct test.

A test that needs its own budget writes it in Hypothesis's unit (what it would run under
Hypothesis's default of 100 examples) through :func:`examples`, so that it scales with the
profile instead of being fixed forever::

    @settings(max_examples=examples(40), deadline=None)
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE_VARIABLE = "HYPOTHESIS_PROFILE"
DEFAULT_PROFILE = "quick"
BASELINE = 100
"""Hypothesis's own default ``max_examples``: the unit every test's budget is written in."""

_NOT_TIMED = [HealthCheck.too_slow]

settings.register_profile("quick", max_examples=25, deadline=None, suppress_health_check=_NOT_TIMED)
settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=_NOT_TIMED, print_blob=True
)


def load_profile() -> str:
    """Load the profile named by ``HYPOTHESIS_PROFILE`` (default ``quick``); return its name."""
    name = os.environ.get(PROFILE_VARIABLE) or DEFAULT_PROFILE
    settings.load_profile(name)
    return name


def examples(budget: int) -> int:
    """``budget`` examples (as written for Hypothesis's default of 100) scaled by the profile.

    Under ``quick`` (25 per plain test) ``examples(40)`` is 10; under ``ci`` (300) it is 120.
    Never below 5 (or ``budget`` itself when it is smaller), so that a quick run still
    tries several cases.
    """
    scaled = round(budget * settings().max_examples / BASELINE)
    return max(scaled, min(budget, 5))
