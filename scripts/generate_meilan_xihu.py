"""Generate the embedded 美兰西湖 dataset, ``src/microgov/datasets/meilan_xihu.json``.

What is real and what is made up:

* **Real** (``synthetic=False``): 罗店镇 (code 310113101), the 美兰西湖 large community
  (its existence and name; it has no official code), and its 30 residential areas —
  the rows of ``src/microgov/datasets/luodian-committees.csv`` whose ``meilan_group``
  is ``MRJY`` (the 28 美罗家园 committees) or ``MAYBE`` (罗盛苑, 云雅新苑) — with their
  NBS names and codes, and their code and status history (see :func:`_committees`).
* **Synthetic** (``synthetic=True``): the 99 micro-grids, the building groups and their
  household and resident counts, grid resources, role assignments (pseudonymous
  people, no names) and pairings.  Their totals follow the figures reported for the
  community (99 grids, about 80,000 residents, 136 second building leaders, 92
  talents, 2,700 party members registered to grids, 5+ resources per area).

The output is deterministic: one seeded :class:`random.Random`, sorted iteration and
integer arithmetic only, so two runs give byte-identical files.

Usage::

    python scripts/generate_meilan_xihu.py           # regenerate the JSON file
    python scripts/generate_meilan_xihu.py --check   # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from microgov.hierarchy import (
    AddLink,
    Change,
    ChangeCode,
    ChangeStatus,
    EndLink,
    Hierarchy,
    Level,
    Link,
    MoveNode,
    Node,
    NodeStatus,
    Pairing,
    Resource,
    ResourceKind,
    Role,
    RoleAssignment,
)
from microgov.io import dump_hierarchy

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "src" / "microgov" / "datasets"
CSV_PATH = DATASETS / "luodian-committees.csv"
JSON_PATH = DATASETS / "meilan_xihu.json"

SEED = 20211

TOWN_ID = "luodian"
TOWN_NAME = "罗店镇"
TOWN_CODE = "310113101"
COMMUNITY_ID = "meilan-xihu"
COMMUNITY_NAME = "美兰西湖大型居住社区"
MEILAN_GROUPS = frozenset({"MRJY", "MAYBE"})

# Cut-off dates of the NBS 统计用区划代码 releases that first show a committee's code.
# They are used as the effective dates of the committees' new codes and of their
# constitution (去筹); they are NOT the dates of the official acts, which were not found.
RELEASE_2022 = date(2022, 6, 30)
RELEASE_2023 = date(2023, 6, 30)

ROLES_START = date(2021, 1, 1)  # synthetic roles start here, or at the area's 去筹 if later
HANDOVER = date(2024, 3, 1)  # grid-01-1 gets a new grid leader
MOVE = date(2024, 9, 1)  # one building group of area-05 moves from grid 1 to grid 2

# Synthetic sizes.
AREA_HOUSEHOLDS = (850, 1200)  # households per area, drawn first
FOUR_GRID_AREAS = 9  # the 9 areas with the most households get 4 grids, the rest 3
GROUPS_PER_GRID = (10, 14)
GROUP_HOUSEHOLDS = (20, 60)
PERSONS_PER_HOUSEHOLD_PERCENT = (240, 280)  # residents = households × 2.40–2.80
COMMITTEE_MEMBERS = 5
SOCIAL_WORKERS = 2
PARTY_MEMBERS = 2700
PARTY_MEMBERS_MIN_PER_GRID = 15
SECOND_BUILDING_LEADERS = 136
TALENTS = 92
VOLUNTEERS = 300
RESOURCES = 160  # 5 or 6 per area

RESOURCE_NAMES: dict[ResourceKind, tuple[str, ...]] = {
    ResourceKind.SHOP: ("便民商店", "生鲜超市", "早餐店", "社区药房"),
    ResourceKind.SCHOOL: ("幼儿园", "小学", "托育点"),
    ResourceKind.ENTERPRISE: ("物业服务中心", "快递驿站", "充电桩运营点"),
    ResourceKind.PUBLIC_SERVICE: ("社区卫生服务站", "睦邻点", "党群服务站", "文化活动室"),
    ResourceKind.AGENCY: ("警务室", "市场监管联络点", "司法所调解室"),
    ResourceKind.SOCIAL_ORGANISATION: ("志愿者服务社", "老年协会", "青少年服务社"),
}


class Committee(NamedTuple):
    """One residential area as read from the CSV, with the history the generator gives it.

    Attributes:
        number: 1–30, the area's position in code order (``area-NN``).
        code: The 2023 12-digit code.
        name: The official name.
        class_code: The 2016 urban–rural class code, or None.
        baseline_code: The code before mid-2022 (the old 401–407 code, the code itself
            for committees listed in 2020, or None).
        constituted_on: The date of the change that constitutes it (去筹), or None if it
            is already constituted in the baseline.
    """

    number: int
    code: str
    name: str
    class_code: str | None
    baseline_code: str | None
    constituted_on: date | None

    @property
    def id(self) -> str:
        """The area's node id, ``area-NN``."""
        return f"area-{self.number:02d}"

    @property
    def roles_start(self) -> date:
        """When the synthetic roles of the area start."""
        if self.constituted_on is None:
            return ROLES_START
        return max(ROLES_START, self.constituted_on)


def _committees(path: Path = CSV_PATH) -> list[Committee]:
    """Read the 30 residential areas from the CSV, in code order, with their history.

    * First seen in 2020 (018–020): constituted, with their code, in the baseline.
    * First seen in 2022 (021–035): preparatory without a code in the baseline; code
      and 去筹 on 2022-06-30.  These are the seed's "15 committees 去筹 in 2022" — an
      inference from the release they first appear in, not from an official act.
    * Coded 401–407 before 2023 (043–049, the 类似居委会 range): preparatory with the
      old code in the baseline; new code and 去筹 on 2023-06-30.
    * Other committees first seen in 2023: preparatory without a code; code and 去筹 on
      2023-06-30.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["meilan_group"] in MEILAN_GROUPS]
    rows.sort(key=lambda row: row["code"])
    out: list[Committee] = []
    for number, row in enumerate(rows, start=1):
        old = row["old_code_pre2023"].strip() or None
        seen = row["first_seen"].strip()
        baseline_code: str | None
        constituted_on: date | None
        if old is not None:
            baseline_code, constituted_on = old, RELEASE_2023
        elif seen.startswith("2020"):
            baseline_code, constituted_on = row["code"], None
        elif seen.startswith("2022"):
            baseline_code, constituted_on = None, RELEASE_2022
        elif seen.startswith("2023"):
            baseline_code, constituted_on = None, RELEASE_2023
        else:
            raise ValueError(f"unexpected first_seen {seen!r} for {row['code']}")
        out.append(
            Committee(
                number=number,
                code=row["code"],
                name=row["name"],
                class_code=row["class_code_2016"].strip() or None,
                baseline_code=baseline_code,
                constituted_on=constituted_on,
            )
        )
    return out


def short_name(name: str) -> str:
    """The name of a residential area without the 美罗家园 prefix and 居委会 suffix.

    Example:
        >>> short_name("美罗家园佳翔苑居委会")
        '佳翔苑'
        >>> short_name("罗盛苑居委会")
        '罗盛苑'
    """
    return name.removeprefix("美罗家园").removesuffix("居委会")


def split_total(rng: random.Random, total: int, parts: int, low: int, high: int) -> list[int]:
    """Split ``total`` into ``parts`` random integers, each within ``[low, high]``.

    Example:
        >>> parts = split_total(random.Random(1), 100, 4, 20, 30)
        >>> sum(parts), all(20 <= p <= 30 for p in parts)
        (100, True)
    """
    if not low * parts <= total <= high * parts:
        raise ValueError(f"cannot split {total} into {parts} parts of {low}–{high}")
    counts = [low] * parts
    rest = total - low * parts
    weights = [rng.randint(1, 1000) for _ in range(parts)]
    weight_sum = sum(weights)
    for i, weight in enumerate(weights):
        counts[i] += min(high - low, rest * weight // weight_sum)
    left = total - sum(counts)
    while left:
        for i in range(parts):
            if left and counts[i] < high:
                counts[i] += 1
                left -= 1
    return counts


class _Ids:
    """Sequential pseudonymous ids: ``person-0001``, ``role-00001``, ``pair-0001``, …"""

    def __init__(self) -> None:
        self._next: Counter[str] = Counter()

    def __call__(self, prefix: str, width: int) -> str:
        self._next[prefix] += 1
        return f"{prefix}-{self._next[prefix]:0{width}d}"


def build() -> Hierarchy:
    """Build the 美兰西湖 hierarchy, with its history, from the CSV and the fixed seed.

    Returns:
        The hierarchy as in force after the last change (2024-09-01).
    """
    rng = random.Random(SEED)
    areas = _committees()
    area_by_id = {area.id: area for area in areas}

    town = Node(id=TOWN_ID, level=Level.TOWN, name=TOWN_NAME, code=TOWN_CODE)
    community = Node(
        id=COMMUNITY_ID, level=Level.LARGE_COMMUNITY, name=COMMUNITY_NAME, parent=TOWN_ID
    )
    nodes: list[Node] = [town, community]
    for area in areas:
        nodes.append(
            Node(
                id=area.id,
                level=Level.RESIDENTIAL_AREA,
                name=area.name,
                parent=COMMUNITY_ID,
                code=area.baseline_code,
                class_code=area.class_code,
                status=(
                    NodeStatus.CONSTITUTED
                    if area.constituted_on is None
                    else NodeStatus.PREPARATORY
                ),
            )
        )

    # Households first, per area; the areas with the most households get 4 grids.
    households = {area.id: rng.randint(*AREA_HOUSEHOLDS) for area in areas}
    ranked = sorted(areas, key=lambda a: (-households[a.id], a.number))
    grid_count = {a.id: 4 if i < FOUR_GRID_AREAS else 3 for i, a in enumerate(ranked)}

    grids: dict[str, list[str]] = {}  # area id -> grid ids
    groups: dict[str, list[str]] = {}  # grid id -> building-group ids
    for area in areas:
        count = grid_count[area.id]
        per_grid = [rng.randint(*GROUPS_PER_GRID) for _ in range(count)]
        max_groups = households[area.id] // GROUP_HOUSEHOLDS[0]
        while sum(per_grid) > max_groups:  # every group needs its 20 households
            per_grid[per_grid.index(max(per_grid))] -= 1
        group_households = split_total(rng, households[area.id], sum(per_grid), *GROUP_HOUSEHOLDS)
        grids[area.id] = []
        building = 0
        for k, n_groups in enumerate(per_grid, start=1):
            grid_id = f"grid-{area.number:02d}-{k}"
            grids[area.id].append(grid_id)
            code = None if area.baseline_code is None else f"{area.baseline_code}{k:03d}"
            nodes.append(
                Node(
                    id=grid_id,
                    level=Level.MICRO_GRID,
                    name=f"第{k}微网格",
                    parent=area.id,
                    code=code,
                    synthetic=True,
                )
            )
            groups[grid_id] = []
            for m in range(1, n_groups + 1):
                hh = group_households[building]
                building += 1
                percent = rng.randint(*PERSONS_PER_HOUSEHOLD_PERCENT)
                group_id = f"bg-{area.number:02d}-{k}-{m:02d}"
                groups[grid_id].append(group_id)
                nodes.append(
                    Node(
                        id=group_id,
                        level=Level.BUILDING_GROUP,
                        name=f"{building}号楼",
                        parent=grid_id,
                        households=hh,
                        residents=hh * percent // 100,
                        synthetic=True,
                    )
                )

    area_of_grid = {g: a for a, gs in grids.items() for g in gs}
    grid_of_group = {b: g for g, bs in groups.items() for b in bs}
    all_grids = sorted(area_of_grid)
    all_groups = sorted(grid_of_group)

    next_id = _Ids()
    links: list[Link] = []

    def assign(role: Role, node: str, start: date, person: str | None = None) -> RoleAssignment:
        link = RoleAssignment(
            id=next_id("role", 5),
            person=person or next_id("person", 4),
            role=role,
            node=node,
            start=start,
            synthetic=True,
        )
        links.append(link)
        return link

    def pair(person: str, grid_id: str, start: date, candidates: Sequence[str]) -> Pairing:
        link = Pairing(
            id=next_id("pair", 4),
            person=person,
            household=next_id("household", 5),
            node=rng.choice(candidates),
            start=start,
            synthetic=True,
        )
        links.append(link)
        return link

    # Area roles, grid leaders and liaisons (with the leaders' pairings), building leaders.
    first_leader: dict[str, RoleAssignment] = {}
    first_pairing: dict[str, Pairing] = {}
    for area in areas:
        start = area.roles_start
        assign(Role.PARTY_SECRETARY, area.id, start)
        for _ in range(COMMITTEE_MEMBERS):
            assign(Role.COMMITTEE_MEMBER, area.id, start)
        for _ in range(SOCIAL_WORKERS):
            assign(Role.SOCIAL_WORKER, area.id, start)
        for grid_id in grids[area.id]:
            leader = assign(Role.GRID_LEADER, grid_id, start)
            assign(Role.LIAISON, grid_id, start)
            # Never the grid's last building group: the 2024 move takes one of those
            # out of grid-05-1, and a pairing must stay inside its leader's grid.
            first_leader[grid_id] = leader
            first_pairing[grid_id] = pair(leader.person, grid_id, start, groups[grid_id][:-1])
            for group_id in groups[grid_id]:
                assign(Role.BUILDING_LEADER, group_id, start)

    # Party members registered to grids (报到党员): a floor per grid, the rest at random.
    members_per_grid = Counter(dict.fromkeys(all_grids, PARTY_MEMBERS_MIN_PER_GRID))
    for _ in range(PARTY_MEMBERS - PARTY_MEMBERS_MIN_PER_GRID * len(all_grids)):
        members_per_grid[rng.choice(all_grids)] += 1
    members: dict[str, list[str]] = {}
    for grid_id in all_grids:
        start = area_by_id[area_of_grid[grid_id]].roles_start
        members[grid_id] = [
            assign(Role.PARTY_MEMBER, grid_id, start).person
            for _ in range(members_per_grid[grid_id])
        ]

    # Second building leaders (第二楼组长): party members of the group's own grid, at most
    # one per building group.
    for group_id in sorted(rng.sample(all_groups, SECOND_BUILDING_LEADERS)):
        grid_id = grid_of_group[group_id]
        person = members[grid_id].pop(rng.randrange(len(members[grid_id])))
        assign(
            Role.SECOND_BUILDING_LEADER,
            group_id,
            area_by_id[area_of_grid[grid_id]].roles_start,
            person=person,
        )

    # Talents (达人) at areas: at least one per area, the rest at random.
    talents = Counter(dict.fromkeys((a.id for a in areas), 1))
    for _ in range(TALENTS - len(areas)):
        talents[rng.choice(areas).id] += 1
    for area in areas:
        for _ in range(talents[area.id]):
            assign(Role.TALENT, area.id, area.roles_start)

    # Volunteers at building groups, one per group chosen.
    for group_id in sorted(rng.sample(all_groups, VOLUNTEERS)):
        assign(
            Role.VOLUNTEER, group_id, area_by_id[area_of_grid[grid_of_group[group_id]]].roles_start
        )

    # Grid resources: 5 per area, 6 in some, kinds drawn without repetition within an area.
    six = set(rng.sample([a.id for a in areas], RESOURCES - 5 * len(areas)))
    for area in areas:
        kinds = list(ResourceKind)
        rng.shuffle(kinds)
        for j, kind in enumerate(kinds[: 6 if area.id in six else 5], start=1):
            links.append(
                Resource(
                    id=f"res-{area.number:02d}-{j}",
                    kind=kind,
                    name=f"（示例）{short_name(area.name)}{rng.choice(RESOURCE_NAMES[kind])}",
                    node=rng.choice(grids[area.id]),
                    synthetic=True,
                )
            )

    hierarchy = Hierarchy(nodes, links)

    # The history.  Within a date, an area's new code comes before its grids' codes.
    changes: list[Change] = []
    for area in areas:
        if area.constituted_on is None:
            continue
        when = area.constituted_on
        changes.append(ChangeCode(node_id=area.id, code=area.code, effective=when))
        if area.baseline_code is None:  # coded grids are re-prefixed with their area
            changes.extend(
                ChangeCode(node_id=grid_id, code=f"{area.code}{k:03d}", effective=when)
                for k, grid_id in enumerate(grids[area.id], start=1)
            )
        changes.append(ChangeStatus(node_id=area.id, status=NodeStatus.CONSTITUTED, effective=when))

    # grid-01-1 changes hands: the first leader and their pairing end, a new leader
    # takes over with a new pairing.
    handed = "grid-01-1"
    new_leader = RoleAssignment(
        id=next_id("role", 5),
        person=next_id("person", 4),
        role=Role.GRID_LEADER,
        node=handed,
        start=HANDOVER,
        synthetic=True,
    )
    new_pairing = Pairing(
        id=next_id("pair", 4),
        person=new_leader.person,
        household=next_id("household", 5),
        node=rng.choice(groups[handed][:-1]),
        start=HANDOVER,
        synthetic=True,
    )
    changes += [
        EndLink(link_id=first_leader[handed].id, effective=HANDOVER),
        EndLink(link_id=first_pairing[handed].id, effective=HANDOVER),
        AddLink(link=new_leader, effective=HANDOVER),
        AddLink(link=new_pairing, effective=HANDOVER),
    ]

    # One building group moves between grids of area-05 (the grid count stays 99).
    changes.append(
        MoveNode(node_id=groups["grid-05-1"][-1], new_parent="grid-05-2", effective=MOVE)
    )
    return hierarchy.apply_all(changes)


def render(hierarchy: Hierarchy | None = None) -> bytes:
    """The bytes :func:`microgov.io.dump_hierarchy` writes for the dataset."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "meilan_xihu.json"
        dump_hierarchy(build() if hierarchy is None else hierarchy, out)
        return out.read_bytes()


def summary(hierarchy: Hierarchy) -> str:
    """Counts per level, households, residents, links by kind, changes by kind."""
    lines = ["Nodes (current):"]
    levels = Counter(hierarchy[n].level for n in hierarchy)
    lines += [f"  {lv.key:<16} {levels[lv]:>6}" for lv in sorted(levels)]
    households = hierarchy.rollup("households")[COMMUNITY_ID]
    residents = hierarchy.rollup("residents")[COMMUNITY_ID]
    lines.append(f"Households {households:,}, residents {residents:,}")
    kinds: Counter[str] = Counter()
    for link in hierarchy.links:
        if isinstance(link, RoleAssignment):
            kinds[f"role:{link.role.value}"] += 1
        else:
            kinds[type(link).__name__.lower()] += 1
    lines.append(f"Links ({len(hierarchy.links)}):")
    lines += [f"  {kind:<30} {kinds[kind]:>6}" for kind in sorted(kinds)]
    persons = {link.person for link in hierarchy.links if isinstance(link, RoleAssignment)}
    lines.append(f"Persons: {len(persons)}")
    changes = Counter(change.kind for change in hierarchy.changes)
    lines.append(
        f"Changes ({len(hierarchy.changes)}): "
        + ", ".join(f"{kind} {changes[kind]}" for kind in sorted(changes))
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the dataset, or with ``--check`` report whether it is up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the file on disk differs from what would be generated",
    )
    args = parser.parse_args(argv)
    hierarchy = build()
    data = render(hierarchy)
    if args.check:
        current = JSON_PATH.read_bytes() if JSON_PATH.exists() else None
        if current != data:
            print(f"{JSON_PATH.relative_to(ROOT)} is out of date; run {Path(__file__).name}")
            return 1
        print(f"{JSON_PATH.relative_to(ROOT)} is up to date ({len(data):,} bytes)")
        return 0
    dump_hierarchy(hierarchy, JSON_PATH)
    print(summary(hierarchy))
    print(f"Wrote {JSON_PATH.relative_to(ROOT)} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
