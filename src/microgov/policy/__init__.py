"""Policy rules (政策规则): verdicts, citations, policy sets and quorum presets.

A rule is a pure function of explicit inputs — never a clock or a global — that
returns a :class:`Verdict`: passed or not, a stable reason code, the figures it used,
a message in Chinese and English, and the law it comes from.

- The law itself (:data:`PROVISIONS`, :class:`Provision`): every article a rule rests
  on, quoted verbatim with its source and in-force dates, or marked unverified.
- Owners' joint decisions (:data:`OWNERS_RULES`, :func:`owners_decision`): 民法典
  第二百七十八条's double thresholds of area and headcount, and before 2021 物权法 第七十六条.
- Quorum presets (:class:`QuorumPreset`, :data:`PRESETS`, :func:`preset_for`,
  :func:`quorum_met`, :func:`majority_met`) encode the meeting rules of the residents'
  and villagers' committee laws, with their citations and in-force dates.
- Policy sets (:class:`PolicySet`, :class:`PolicyBook`) hold the parameters a town sets
  and a community or residential area may override, effective-dated and inherited down
  the governance graph; :func:`load_policy_book` reads them from JSON or TOML.

Example:
    >>> from datetime import date
    >>> from microgov.policy import MeetingMode, Verdict, judge, preset_for, quorum_met
    >>> ok = Verdict(rule="demo", passed=True, code="demo.ok", message_en="ok", message_zh="通过")
    >>> judge(ok).passed
    True
    >>> preset = preset_for("residents_meeting", date(2025, 6, 1))
    >>> quorum_met(preset, mode=MeetingMode.ALL_ADULTS, present=31, entitled=60,
    ...            on=date(2025, 6, 1)).code
    'quorum.met'
"""

from microgov._public import publish as _publish
from microgov._verdict import Citation, Figure, Judgement, Verdict, judge
from microgov.calendar import Period, PeriodUnit
from microgov.policy._convening import (
    CONVENING_RULES,
    ConveningRule,
    PetitionBasis,
    convening_met,
    convening_rule_for,
)
from microgov.policy._law import PROVISIONS, Provision, provision
from microgov.policy._load import (
    POLICY_BOOK_FORMAT,
    POLICY_BOOK_VERSION,
    dump_policy_book,
    dumps_policy_book,
    load_policy_book,
)
from microgov.policy._obligations import OBLIGATIONS, PUBLICATION_ITEMS, Obligation
from microgov.policy._owners import (
    OWNERS_RULES,
    Matter,
    OwnersRule,
    format_area,
    owners_decision,
    owners_rule_for,
    square_metres,
)
from microgov.policy._policyset import (
    DEFAULT_SOURCE,
    POLICY_FIELDS,
    PolicyBook,
    PolicyEntry,
    PolicyOverride,
    PolicySet,
    SecondHand,
)
from microgov.policy._quorum import (
    CIVIL_CODE_INCLUSIVE_NUMBERS,
    MAJORITY_RULE_PREFIX,
    PRESETS,
    QUORUM_RULE_PREFIX,
    MeetingMode,
    QuorumPreset,
    Threshold,
    custom_preset,
    majority_met,
    preset_for,
    quorum_met,
)
from microgov.policy._reasons import REASONS, Reason, reason

__all__ = [
    "CIVIL_CODE_INCLUSIVE_NUMBERS",
    "CONVENING_RULES",
    "DEFAULT_SOURCE",
    "MAJORITY_RULE_PREFIX",
    "OBLIGATIONS",
    "OWNERS_RULES",
    "POLICY_BOOK_FORMAT",
    "POLICY_BOOK_VERSION",
    "POLICY_FIELDS",
    "PRESETS",
    "PROVISIONS",
    "PUBLICATION_ITEMS",
    "QUORUM_RULE_PREFIX",
    "REASONS",
    "Citation",
    "ConveningRule",
    "Figure",
    "Judgement",
    "Matter",
    "MeetingMode",
    "Obligation",
    "OwnersRule",
    "Period",
    "PeriodUnit",
    "PetitionBasis",
    "PolicyBook",
    "PolicyEntry",
    "PolicyOverride",
    "PolicySet",
    "Provision",
    "QuorumPreset",
    "Reason",
    "SecondHand",
    "Threshold",
    "Verdict",
    "convening_met",
    "convening_rule_for",
    "custom_preset",
    "dump_policy_book",
    "dumps_policy_book",
    "format_area",
    "judge",
    "load_policy_book",
    "majority_met",
    "owners_decision",
    "owners_rule_for",
    "preset_for",
    "provision",
    "quorum_met",
    "reason",
    "square_metres",
]

_publish(__name__, globals(), __all__, adopt=(Verdict, Citation, Judgement))
