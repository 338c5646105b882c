"""Policy rules (政策规则): verdicts, citations, policy sets and quorum presets.

A rule is a pure function of explicit inputs — never a clock or a global — that
returns a :class:`Verdict`: passed or not, a stable reason code, the figures it used,
a message in Chinese and English, and the law it comes from.

Example:
    >>> from microgov.policy import Verdict, judge
    >>> ok = Verdict(rule="demo", passed=True, code="demo.ok", message_en="ok", message_zh="通过")
    >>> judge(ok).passed
    True
"""

from microgov.policy._verdict import Citation, Figure, Judgement, Verdict, judge

__all__ = ["Citation", "Figure", "Judgement", "Verdict", "judge"]
