"""Seeded, simulated demos on the embedded community: clients of the service.

The stories here say only who does what when; every rule is the service's
(:mod:`microgov.service`): commands in, queries out, the chain verified from the store.

* :func:`simulate_season` — topics, projects, hand-raising votes, funding, inspection,
  公示 and evaluation of a season;
* :func:`simulate_fund_year` — a year of special funds: hand-accepted projects, an
  allocation round (MES with add1, own area first), tranches, a cancellation with its
  refund and the year-end return to the town pool, with greedy for comparison;
* :func:`simulate_topics` — a year of topics (议题) with responses, for the SLA demo.

The numbers are synthetic, the rules real; the same seed gives the same result.

Example:
    >>> from datetime import date
    >>> from microgov.datasets import meilan_xihu
    >>> season = simulate_season(meilan_xihu(), seed=7, start=date(2026, 3, 2), areas=3)
    >>> season.audit.ok, season.projects_closed <= season.projects_proposed
    (True, True)
"""

from microgov.simulation._funds import FundYear, simulate_fund_year
from microgov.simulation._season import (
    TOWN_OFFICE,
    Season,
    SeasonLog,
    demo_service,
    simulate_season,
)
from microgov.simulation._topics import PATROLS_REST_DAY, PATROLS_WORKING_DAY, simulate_topics

__all__ = [
    "PATROLS_REST_DAY",
    "PATROLS_WORKING_DAY",
    "TOWN_OFFICE",
    "FundYear",
    "Season",
    "SeasonLog",
    "demo_service",
    "simulate_fund_year",
    "simulate_season",
    "simulate_topics",
]
