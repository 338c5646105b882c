"""Valid (and a few known-bad) documents for every loader: the fuzzers' starting points."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from fractions import Fraction
from functools import cache
from pathlib import Path

from microgov.audit import AuditLog, dumps_events
from microgov.datasets import committees_csv, meilan_xihu
from microgov.io import dumps_hierarchy, loads_hierarchy
from microgov.policy import (
    Citation,
    Period,
    PeriodUnit,
    PolicyBook,
    PolicyOverride,
    PolicySet,
    SecondHand,
    Verdict,
    dumps_policy_book,
)

DATA = Path(__file__).parent.parent / "data"


@cache
def hierarchy_seeds() -> tuple[bytes, ...]:
    """Area 01 of 美兰西湖 with some of its links and history, plus the malformed samples."""
    doc = json.loads(dumps_hierarchy(meilan_xihu(), indent=None))
    keep = {"luodian", "meilan-xihu"} | {
        n["id"] for n in doc["nodes"] if n["id"].startswith(("area-01", "grid-01", "bg-01"))
    }
    links: list[dict[str, object]] = []
    per_type: dict[str, int] = {}
    for link in doc["links"]:
        wanted = link["id"] in ("role-00009", "pair-0001") or per_type.get(link["type"], 0) < 3
        if link["node"] in keep and wanted:
            links.append(link)
            per_type[link["type"]] = per_type.get(link["type"], 0) + 1
    link_ids = {link["id"] for link in links}
    changes = [
        c
        for c in doc["changes"]
        if c.get("node_id") in keep
        or c.get("link_id") in link_ids
        or (isinstance(c.get("link"), dict) and c["link"].get("node") in keep)
    ]
    small = {**doc, "nodes": [n for n in doc["nodes"] if n["id"] in keep], "links": links}
    small["changes"] = changes
    text = json.dumps(small, ensure_ascii=False, indent=1).encode("utf-8")
    loads_hierarchy(text)  # a valid seed
    bad = tuple(p.read_bytes() for p in sorted((DATA / "malformed").glob("*.json")))
    return (text, *bad)


NODE_CSV = (
    "id,level,name,parent,code,class_code,status,status_since,households,residents,synthetic\n"
    "t,town,罗店镇,,310113101,,,,,,\n"
    "a,residential_area,某居委会,t,310113101043,121,constituted,2023-06-30,1200,3100,false\n"
    "\n"
    'g,micro_grid,"一号,网格",a,310113101043001,,,,,,true\n'
    "b,building_group,1号楼组,g,,,,,12,30,\n"
).encode()


@cache
def node_csv_seeds() -> tuple[bytes, ...]:
    bad = tuple(p.read_bytes() for p in sorted((DATA / "malformed").glob("*.csv")))
    return (NODE_CSV, b"\xef\xbb\xbf" + NODE_CSV.replace(b"\n", b"\r\n"), *bad)


@cache
def nbs_csv_seeds() -> tuple[bytes, ...]:
    lines = committees_csv().splitlines(keepends=True)
    return (
        "".join(lines[:12]).encode("utf-8"),
        "code,name\n310113101000,罗店镇\n310113101043,美兰湖居委会\n310113101201,某村委会\n".encode(),
        (DATA / "malformed" / "nbs_bad.csv").read_bytes(),
    )


@cache
def pabulib_seeds() -> tuple[bytes, ...]:
    wellformed = sorted((DATA / "pabulib" / "wellformed").glob("*.pb"))
    malformed = sorted((DATA / "pabulib" / "malformed").glob("*.pb"))[:8]
    return tuple(p.read_bytes() for p in (*wellformed, *malformed))


@cache
def policy_seeds() -> tuple[bytes, ...]:
    book = (
        PolicyBook(defaults=PolicySet(project_cap_fen=5_000_000, second_hand=SecondHand.REPLACE))
        .add(
            "area-01",
            date(2026, 1, 1),
            PolicyOverride(
                notice_period=Period(7, PeriodUnit.WORKING_DAYS),
                min_support=Fraction(1, 3),
                tranches=(Fraction(1, 2), Fraction(1, 2)),
            ),
        )
        .add("luodian", date(2025, 7, 1), PolicyOverride(project_cap_fen=10_000_000))
    )
    toml = (
        'format = "microgov.policy_book"\nversion = 1\n'
        "[defaults]\nproject_cap_fen = 100\n"
        '[[entries]]\nnode_id = "t"\neffective_from = 2025-01-01\n'
        '[entries.overrides]\nsecond_hand = "replace"\nmin_support = "1/3"\n'
    )
    return (dumps_policy_book(book).encode("utf-8"), toml.encode("utf-8"))


@cache
def events_seeds() -> tuple[bytes, ...]:
    log = AuditLog()
    at = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    log.append(
        stream="project:p-1",
        type="project.proposed",
        actor="u-17",
        at=at,
        payload={"title": "晾衣架", "cost": Fraction(12345, 100), "due": date(2026, 4, 1), "n": 3},
        verdicts=(
            Verdict(
                rule="quorum.residents_meeting",
                passed=True,
                code="quorum.met",
                message_en="ok",
                message_zh="通过",
                figures={"present": 51, "share": Fraction(51, 100), "on": date(2026, 3, 2)},
                citation=Citation(
                    source="某法", article="第九条", in_force_from=date(2018, 12, 29)
                ),
            ),
        ),
    )
    log.append(stream="project:p-1", type="project.accepted", actor="u-2", at=at, payload={})
    return (dumps_events(log.events).encode("utf-8"),)
