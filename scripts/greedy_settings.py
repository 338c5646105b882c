"""Which tie-break and rank-by settings reproduce each greedy-family city's official result.

Usage::

    python scripts/greedy_settings.py            # the files of tests/data/pabulib/
    python scripts/greedy_settings.py DIR ...    # other .pb / .pb.xz files or directories

For every pabulib file whose META ``rule`` is in the greedy family (``greedy``,
``greedy-no-skip``, ``greedy-threshold``) and that has a ``selected`` column, the file's
rule is run with each ``rank_by`` (votes; score where the file has a score column) and
each deterministic tie-break (the public lot is left out: no city drew one), and the
table says which reproduce the city's ``selected`` column, and which ties decided
something under the default settings.
"""

from __future__ import annotations

import lzma
import sys
from pathlib import Path

from microgov.funds import PbElection, TieBreak, allocate_election, load_pabulib, read_pabulib

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "pabulib"
DEFAULT = [DATA / "real", DATA / "large"]
GREEDY = {"greedy", "greedy-no-skip", "greedy-threshold"}
TIES = [t for t in TieBreak if t is not TieBreak.LOT]


def _files(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for arg in [Path(a) for a in args] or DEFAULT:
        if arg.is_dir():
            out += sorted(p for p in arg.iterdir() if p.name.endswith((".pb", ".pb.xz")))
        else:
            out.append(arg)
    return out


def _load(path: Path) -> PbElection:
    if path.suffix == ".xz":
        return read_pabulib(lzma.decompress(path.read_bytes()), source=path.name)
    return load_pabulib(path)


def main(argv: list[str]) -> int:
    rows = []
    for path in _files(argv):
        election = _load(path)
        if election.rule not in GREEDY or election.selected is None:
            continue
        has_score = any("score" in p.fields for p in election.projects)
        ranks = ["votes", "score"] if has_score else ["votes"]
        good: list[str] = []
        for rank_by in ranks:
            for tie in TIES:
                result = allocate_election(election, rank_by=rank_by, tie=tie)  # type: ignore[arg-type]
                if frozenset(result.selected) == election.selected:
                    good.append(f"{rank_by}/{tie.value}")
        default = allocate_election(election)
        decisive = [t.describe() for t in default.ties if t.decisive]
        name = path.name.removesuffix(".xz")
        vote_type = election.meta.get("vote_type", "")
        met = f"{len(default.ties)} ({len(decisive)} decisive)"
        rows.append((name, election.rule, vote_type, good, met, decisive))
    print(
        "| file | rule | ballots | settings that reproduce the official result "
        "(rank-by/tie-break) | ties met with the defaults |"
    )
    print("|---|---|---|---|---|")
    for name, rule, vote_type, good, met, _decisive in rows:
        print(f"| {name} | {rule} | {vote_type} | {', '.join(good) or 'none'} | {met} |")
    print()
    for name, _rule, _vt, _good, _met, decisive in rows:
        for line in decisive:
            print(f"{name}: decisive tie under the defaults: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
