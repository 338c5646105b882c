"""Public export (全过程公开): the whole history of a stream, personal data masked."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from audit_world import BASE, HEAVY, logs
from hypothesis import given
from hypothesis import strategies as st

from microgov.audit import EXPORT_FORMAT, AuditLog, export_stream, mask_text
from microgov.errors import AuditError
from microgov.policy import Citation, Verdict

# Digit runs that look like an identity number (18) or a mainland mobile number (11),
# not inside a longer run of letters or digits (so hex hashes do not count).
IDENTITY = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")
IDENTITY_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
MOBILE_IN_TEXT = re.compile(r"(?<![0-9])(?:86)?1[3-9][0-9]{9}(?![0-9])")

VALID_ID = "11010519491231002x"  # valid checksum, lower-case x
OTHER_ID = "310113199001011234"  # checksum not valid: masked all the same
PHONE = "13812345678"


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _project_log() -> AuditLog:
    log = AuditLog()
    verdict = Verdict(
        rule="eligibility",
        passed=True,
        code="eligibility.ok",
        message_en=f"Resident {PHONE} is eligible.",
        message_zh=f"居民 {VALID_ID} 符合条件。",
        figures={"present": 31},
        citation=Citation(source="城市居民委员会组织法", article="第九条"),
    )
    log.append(
        stream="project:p-1",
        type="project.proposed",
        actor="u-17",
        at=BASE,
        payload={
            "title": f"晾衣架（联系人 {PHONE}，身份证 {VALID_ID}）",
            "notes": [f"备用 {OTHER_ID}", {"tel": f"+86{PHONE}"}, "楼组 310113101001"],
            "phone": "021-66661234",
            "contact_mobile": 13987654321,
            "identity_number": "not-even-a-number",
            "budget_fen": 1_250_000,
        },
        verdicts=[verdict],
    )
    log.append(
        stream="project:p-2",
        type="project.proposed",
        actor="u-2",
        at=BASE,
        payload={"title": "other project"},
    )
    log.append(
        stream="project:p-1",
        type="project.established",
        actor="u-2",
        at=BASE + timedelta(days=7),
        payload={"hands": 31},
    )
    return log


def test_export_masks_identity_and_phone_numbers() -> None:
    text = export_stream(_project_log(), "project:p-1")
    assert not IDENTITY.findall(text)
    assert not MOBILE.findall(text)
    doc = json.loads(text)
    for s in _strings(doc):
        if len(s) == 64 and re.fullmatch(r"[0-9a-f]{64}", s):
            continue  # hashes are not personal data
        assert not IDENTITY_IN_TEXT.search(s), s
        assert not MOBILE_IN_TEXT.search(s), s
    payload = doc["events"][0]["payload"]
    assert payload["title"] == "晾衣架（联系人 138****5678，身份证 110105********002X）"
    assert payload["notes"] == [
        "备用 310113********1234",
        {"tel": "+86138****5678"},
        "楼组 310113101001",
    ]
    assert payload["phone"] == "********1234"
    assert payload["contact_mobile"] == "139****4321"
    assert payload["identity_number"] == "*************mber"
    assert payload["budget_fen"] == 1_250_000
    verdict = doc["events"][0]["verdicts"][0]
    assert verdict["message_en"] == "Resident 138****5678 is eligible."
    assert verdict["message_zh"] == "居民 110105********002X 符合条件。"


def test_export_holds_the_whole_history_of_one_stream() -> None:
    log = _project_log()
    doc = json.loads(export_stream(log, "project:p-1"))
    assert doc["format"] == EXPORT_FORMAT
    assert doc["version"] == 1
    assert doc["stream"] == "project:p-1"
    events = doc["events"]
    assert [e["sequence"] for e in events] == [1, 3]
    assert [e["stream_sequence"] for e in events] == [1, 2]
    assert [e["type"] for e in events] == ["project.proposed", "project.established"]
    assert [e["actor"] for e in events] == ["u-17", "u-2"]
    assert events[0]["at"] == "2026-03-02T01:00:00.000000+00:00"
    original = log.stream("project:p-1")
    assert [e["hash"] for e in events] == [e.hash for e in original]
    assert [e["prev_hash"] for e in events] == [e.prev_hash for e in original]
    assert [e["masked"] for e in events] == [True, False]
    verdict = events[0]["verdicts"][0]
    assert verdict["code"] == "eligibility.ok"
    assert verdict["passed"] is True
    assert verdict["citation"].startswith("城市居民委员会组织法 第九条")
    assert events[1]["payload"] == {"hands": 31}
    assert json.loads(export_stream(log, "nobody"))["events"] == []


def test_export_is_deterministic() -> None:
    log = _project_log()
    assert export_stream(log, "project:p-1") == export_stream(list(log.events), "project:p-1")


def test_custom_mask() -> None:
    log = _project_log()
    text = export_stream(log, "project:p-1", mask=lambda s: mask_text(s).replace("晾衣架", "***"))
    assert "晾衣架" not in text
    assert not MOBILE.findall(text)
    with pytest.raises(AuditError) as info:
        export_stream(log, "project:p-1", mask=lambda s: None)  # type: ignore[arg-type,return-value]
    assert info.value.code == "audit.mask"
    with pytest.raises(AuditError) as info:
        export_stream([{"stream": "project:p-1"}], "project:p-1")  # type: ignore[list-item]
    assert info.value.code == "audit.event_type"


@given(
    st.lists(
        st.one_of(
            st.text(alphabet="abc 号，-+", max_size=4),
            st.from_regex(r"(\+86|0086|86)?1[3-9][0-9]{9}", fullmatch=True),
            st.from_regex(r"[0-9]{17}[0-9Xx]", fullmatch=True),
            st.from_regex(r"[0-9]{1,6}", fullmatch=True),
        ),
        max_size=8,
    )
)
def test_mask_text_leaves_no_identity_or_mobile_number(parts: list[str]) -> None:
    masked = mask_text("".join(parts))
    assert not IDENTITY_IN_TEXT.search(masked)
    assert not MOBILE_IN_TEXT.search(masked)
    assert mask_text(masked) == masked  # masking is idempotent


def test_mask_text_keeps_other_numbers() -> None:
    for text in ("310113101001", "12345678901", "1381234567", "138123456789", "金额 1250000 分"):
        assert mask_text(text) == text


@HEAVY
@given(logs())
def test_any_log_exports_every_stream_as_json(log: AuditLog) -> None:
    for stream in log.streams:
        doc = json.loads(export_stream(log, stream))
        assert [e["hash"] for e in doc["events"]] == [e.hash for e in log.stream(stream)]


def test_masked_flag_covers_every_field() -> None:
    log = AuditLog()
    log.append(stream="s", type="t", actor=PHONE, at=BASE, payload={"n": 1})  # bad practice
    log.append(stream="s", type="t", actor="u-1", at=BASE, payload={"n": 2})
    events = json.loads(export_stream(log, "s"))["events"]
    assert [e["actor"] for e in events] == ["138****5678", "u-1"]
    assert [e["masked"] for e in events] == [True, False]
