"""Reading and writing pabulib ``.pb`` files: the malformed corpus, round trips, real files."""

from __future__ import annotations

import contextlib
import lzma
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgov.errors import DataFormatError, MicrogovError
from microgov.funds import (
    PbElection,
    PbProject,
    PbVoter,
    dump_pabulib,
    load_pabulib,
    read_pabulib,
    write_pabulib,
)
from profiles import examples

DATA = Path(__file__).resolve().parents[1] / "data" / "pabulib"
SHARED_FILES = (
    "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb",
    "Netherlands_Assen_2024.pb",
    "Poland_Katowice_2023.pb",
    "Poland_Krakow_2024.pb",
    "Poland_Lodz_2022.pb",
    "Poland_Swiecie_2023.pb",
    "Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb",
    "Poland_Warszawa_2018_rejon_6.pb",
    "Poland_Warszawa_2026.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "Switzerland_Zurich_S5R.pb",
    "poland_czestochowa_2020_grabowka.pb",
)
REAL = sorted((DATA / "real").glob("*.pb"))

# file → (code, line, field): whole-file errors carry them in ``details``; per-record
# errors are ``data.records`` and one of the problems must match.
MALFORMED = {
    "empty": ("pabulib.empty", 1, "META"),
    "blank_lines_only": ("pabulib.empty", 1, "META"),
    "text_before_meta": ("pabulib.section", 1, "META"),
    "missing_votes_section": ("pabulib.section", 13, "VOTES"),
    "repeated_section": ("pabulib.section", 17, "PROJECTS"),
    "meta_header": ("pabulib.header", 2, "key"),
    "projects_header": ("pabulib.header", 10, "cost"),
    "votes_header_no_header": ("pabulib.header", 14, "voter_id"),
    "bad_cost": ("pabulib.number", 12, "cost"),
    "negative_cost": ("pabulib.number", 12, "cost"),
    "budget_decimal_comma": ("pabulib.number", 6, "budget"),
    "budget_exponent": ("pabulib.number", 6, "budget"),
    "missing_budget": ("pabulib.meta", 7, "budget"),
    "bad_vote_type": ("pabulib.vote_type", 7, "vote_type"),
    "duplicate_meta_key": ("pabulib.duplicate", 8, "rule"),
    "duplicate_project": ("pabulib.duplicate", 12, "project_id"),
    "duplicate_voter": ("pabulib.duplicate", 16, "voter_id"),
    "unknown_project": ("pabulib.unknown_project", 16, "vote"),
    "repeated_project_with_points": ("pabulib.repeated_project", 16, "vote"),
    "line_break_in_cost": ("pabulib.shape", 11, "PROJECTS"),
    "empty_project_id": ("pabulib.id", 12, "project_id"),
    "wrong_cell_count": ("pabulib.shape", 15, "VOTES"),
    "num_votes_mismatch": ("pabulib.count", 5, "num_votes"),
    "num_projects_mismatch": ("pabulib.count", 4, "num_projects"),
    "points_count": ("pabulib.points", 15, "points"),
    "points_not_number": ("pabulib.number", 16, "points"),
    "points_column_missing": ("pabulib.header", 14, "points"),
}


def test_the_corpus_has_a_case_for_every_file() -> None:
    assert {p.stem for p in (DATA / "malformed").glob("*.pb")} == set(MALFORMED)


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_files_name_line_and_field(name: str) -> None:
    code, line, field = MALFORMED[name]
    path = DATA / "malformed" / f"{name}.pb"
    with pytest.raises(DataFormatError) as info:
        load_pabulib(path)
    err = info.value
    assert str(path) in err.message_en
    if err.problems:
        assert err.code == "data.records"
        assert all(p.location and "line " in p.location and p.field for p in err.problems)
        assert any(
            (p.code, p.location, p.field) == (code, f"{path}, line {line}", field)
            for p in err.problems
        ), err.problems
    else:
        assert (err.code, err.details["line"], err.details["field"]) == (code, line, field)
        assert f"line {line}" in err.message_en


# Slips of real files (pabulib's corpus has each): read with one warning per slip, each
# with its line, field and message; refused with the same problems when strict.
_REPEATED = "the vote names project {} more than once; it counts once."
_STRAY = "a stray quote in an unquoted cell; read as written."
_BREAK = "a line break inside an unquoted cell (lines {}); read as one row, the break as a space."
ANOMALIES = {
    "repeated_project_in_vote": [("pabulib.repeated_project", 16, "vote", _REPEATED.format("'a'"))],
    "repeated_project_ordinal": [
        ("pabulib.repeated_project", 16, "vote", _REPEATED.format("'1379'")),
        ("pabulib.repeated_project", 17, "vote", _REPEATED.format("'382'")),
    ],
    "line_break_in_name": [
        ("pabulib.line_break", 11, "name", _BREAK.format("11-12")),
        ("pabulib.line_break", 13, "name", _BREAK.format("13-15")),
    ],
    "stray_quote_in_name": [
        ("pabulib.quoting", 11, "name", _STRAY),
        ("pabulib.quoting", 12, "name", _STRAY),
    ],
    "stray_quote_after_quoted_name": [("pabulib.quoting", 11, "name", _STRAY)],
}
# What each slip is read as: project names and votes.
ANOMALY_READS = {
    "repeated_project_in_vote": (["Park", "Bench"], [("a", "b"), ("a",)]),
    "repeated_project_ordinal": ([None, None, None], [("1379", "382", "897"), ("382", "897")]),
    "line_break_in_name": (
        ["Park na Grabówce", "Ławki przy szkole nr 12", "Kosze"],
        [("a", "b"), ("a",)],
    ),
    "stray_quote_in_name": (['Park "Zielony', '"Odkupmy" i my', "Kosze"], [("a", "b"), ("a",)]),
    "stray_quote_after_quoted_name": (['"Park"x', "Bench"], [("a", "b"), ("a",)]),
}


def test_the_anomalies_have_a_case_for_every_file() -> None:
    assert (
        {p.stem for p in (DATA / "anomalies").glob("*.pb")} == set(ANOMALIES) == set(ANOMALY_READS)
    )


@pytest.mark.parametrize("name", sorted(ANOMALIES))
def test_anomalies_are_read_with_exact_warnings(name: str) -> None:
    path = DATA / "anomalies" / f"{name}.pb"
    election = load_pabulib(path)
    assert [(w.code, w.location, w.field, w.message_en) for w in election.warnings] == [
        (code, f"{path}, line {line}", field, en) for code, line, field, en in ANOMALIES[name]
    ]
    assert all(w.message_zh for w in election.warnings)
    names, votes = ANOMALY_READS[name]
    assert [p.fields.get("name") for p in election.projects] == names
    assert [v.vote for v in election.voters] == votes


@pytest.mark.parametrize("name", sorted(ANOMALIES))
def test_strict_refuses_every_anomaly_with_the_same_line_and_field(name: str) -> None:
    path = DATA / "anomalies" / f"{name}.pb"
    with pytest.raises(DataFormatError) as info:
        load_pabulib(path, strict=True)
    assert info.value.code == "data.records"
    assert [(p.code, p.location, p.field) for p in info.value.problems] == [
        (code, f"{path}, line {line}", field) for code, line, field, _ in ANOMALIES[name]
    ]


def test_a_short_votes_row_stays_an_error_with_its_line() -> None:
    path = DATA / "malformed" / "wrong_cell_count.pb"
    with pytest.raises(DataFormatError) as info:
        load_pabulib(path)
    assert [(p.code, p.location, p.field, p.message_en) for p in info.value.problems] == [
        ("pabulib.shape", f"{path}, line 15", "VOTES", "2 cells, but the header has 3."),
        (
            "pabulib.count",
            f"{path}, line 5",
            "num_votes",
            "num_votes says '2', but the file has 1.",
        ),
    ]


def test_compressed_files_are_read_directly() -> None:
    plain = load_pabulib(DATA / "wellformed" / "minimal.pb")
    assert load_pabulib(DATA / "wellformed" / "minimal.pb.xz") == plain
    assert load_pabulib(DATA / "wellformed" / "minimal.pb.gz") == plain
    raw = (DATA / "wellformed" / "minimal.pb.gz").read_bytes()
    assert read_pabulib(raw) == plain


def test_damaged_compressed_data_is_named() -> None:
    path = DATA / "malformed" / "truncated.pb.xz"
    with pytest.raises(DataFormatError) as info:
        load_pabulib(path)
    assert info.value.code == "data.compression"
    assert str(path) in info.value.message_en
    assert str(path) in info.value.message_zh
    with pytest.raises(DataFormatError) as info:
        read_pabulib(b"\x1f\x8b\x08\x00garbage", source="x.pb.gz")
    assert info.value.code == "data.compression"


def test_every_file_in_the_data_folder_is_read_as_expected() -> None:
    """Each file under tests/data/pabulib/: read, read with warnings, or refused."""
    seen = 0
    for path in sorted(DATA.rglob("*")):
        if path.is_dir() or path.suffix in (".md", ".json"):
            continue
        seen += 1
        folder = path.relative_to(DATA).parts[0]
        if folder == "malformed":
            with pytest.raises(DataFormatError):
                load_pabulib(path)
            continue
        election = load_pabulib(path)
        if folder == "anomalies":
            assert election.warnings, path
        else:
            assert folder in ("wellformed", "real", "large"), path
            assert election.warnings == (), path
            if folder != "large":  # read once: the big four take seconds each
                assert load_pabulib(path, strict=True) == election
    assert seen == 52


def test_every_problem_is_reported_at_once() -> None:
    text = (DATA / "wellformed" / "minimal.pb").read_text()
    text = text.replace("budget;100", "budget;x").replace("b;50;", "b;y;").replace("2;a;", "2;q;")
    with pytest.raises(DataFormatError) as info:
        read_pabulib(text, source="three.pb")
    assert {(p.field, p.location) for p in info.value.problems} == {
        ("budget", "three.pb, line 6"),
        ("cost", "three.pb, line 12"),
        ("vote", "three.pb, line 16"),
    }


@pytest.mark.parametrize("path", sorted((DATA / "wellformed").glob("*.pb")), ids=lambda p: p.stem)
def test_wellformed_files_round_trip(path: Path) -> None:
    election = load_pabulib(path)
    assert read_pabulib(write_pabulib(election)) == election
    expected = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    assert write_pabulib(election) == expected


def test_bom_and_crlf_read_like_the_plain_file() -> None:
    plain = load_pabulib(DATA / "wellformed" / "minimal.pb")
    assert load_pabulib(DATA / "wellformed" / "bom_crlf.pb") == plain
    raw = (DATA / "wellformed" / "minimal.pb").read_bytes()  # in case a checkout converts ends
    assert read_pabulib(b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")) == plain
    assert plain.meta["description"] == "test"  # no BOM left in the first key


def test_numbers_are_exact_and_their_text_is_kept() -> None:
    e = load_pabulib(DATA / "wellformed" / "cumulative_decimal.pb")
    assert e.budget == Fraction(201, 2)
    assert e.projects[1].cost == Fraction("50.25")
    assert e.voters[0].points == (Fraction(3), Fraction(2))
    assert e.voters[1].points == (Fraction(3, 2),)
    text = write_pabulib(e)
    assert "budget;100.50\n" in text
    assert "b;50.25;" in text


def test_quoted_fields() -> None:
    e = load_pabulib(DATA / "wellformed" / "quoted.pb")
    assert e.meta["description"] == "semi;colon"
    assert e.projects[0].fields["name"] == 'Park "Green", north'
    assert e.projects[1].fields["name"] == "two\nlines"
    assert e.voters[1].vote == ("a",)  # line numbers after a two-line field still work


def test_empty_vote_and_empty_fields() -> None:
    e = load_pabulib(DATA / "wellformed" / "empty_vote_and_fields.pb")
    assert e.voters[1].vote == ()
    assert e.voters[1].fields == {"age": ""}


def test_model_properties() -> None:
    e = load_pabulib(DATA / "wellformed" / "minimal.pb")
    assert (e.budget, e.vote_type, e.rule) == (Fraction(100), "approval", "greedy")
    assert e.selected == frozenset({"a"})
    assert (e.approvals("a"), e.approvals("b")) == (2, 1)
    assert e.project_columns == ("project_id", "cost", "votes", "name", "selected")
    assert e.vote_columns == ("voter_id", "vote", "age")
    assert e.projects[0] != "a"  # type: ignore[comparison-overlap]
    assert e.projects[0].id == "a"
    assert list(e.meta) == [
        "description",
        "num_projects",
        "num_votes",
        "budget",
        "vote_type",
        "rule",
    ]
    with pytest.raises(DataFormatError) as info:
        e.approvals("zz")
    assert info.value.code == "pabulib.unknown_project"


def test_model_is_immutable_and_hashable() -> None:
    e = load_pabulib(DATA / "wellformed" / "minimal.pb")
    with pytest.raises(TypeError):
        e.projects[0].fields["name"] = "x"  # type: ignore[index]
    assert hash(e.voters[0]) == hash(PbVoter(id="1", vote=["a", "b"], fields={"age": "30"}))
    assert e.voters[0] == PbVoter(id="1", vote=("a", "b"), fields={"age": "30"})


def test_selected_is_none_without_the_column_and_budget_errors() -> None:
    e = PbElection(meta={"budget": "lots"}, projects=(), voters=())
    assert e.selected is None
    assert e.rule is None
    with pytest.raises(DataFormatError) as info:
        _ = e.budget
    assert info.value.code == "pabulib.budget"


def test_writer_refuses_non_decimal_numbers_and_bad_headers() -> None:
    e = PbElection(
        meta={"budget": "1", "vote_type": "approval"},
        projects=(PbProject(id="a", cost=Fraction(1, 3)),),
        voters=(),
    )
    with pytest.raises(DataFormatError) as info:
        write_pabulib(e)
    assert info.value.code == "pabulib.not_decimal"
    bad = PbElection(meta={}, projects=(), voters=(), project_columns=("cost",))
    with pytest.raises(DataFormatError) as info:
        write_pabulib(bad)
    assert info.value.code == "pabulib.header"


def test_writer_formats_changed_numbers_as_decimals() -> None:
    e = load_pabulib(DATA / "wellformed" / "cumulative_decimal.pb")
    changed = PbElection(
        meta=e.meta,
        projects=(PbProject(id="a", cost=Fraction(-1, 8), cost_text="60"), *e.projects[1:]),
        voters=(PbVoter(id="1", vote=("a", "b"), points=(Fraction(1, 20), Fraction(7))),),
        project_columns=e.project_columns,
        vote_columns=("voter_id", "vote", "points"),
    )
    text = write_pabulib(changed)
    assert "\na;-0.125;" in text
    assert "\n1;a,b;0.05,7\n" in text


def test_dump_and_load(tmp_path: Path) -> None:
    e = load_pabulib(DATA / "wellformed" / "quoted.pb")
    dump_pabulib(e, tmp_path / "out.pb")
    assert load_pabulib(tmp_path / "out.pb") == e
    with pytest.raises(DataFormatError) as info:
        dump_pabulib(e, tmp_path / "missing" / "out.pb")
    assert info.value.code == "data.unwritable"


def test_numbers_with_too_many_digits_are_reported_not_crashed_on() -> None:
    text = (DATA / "wellformed" / "minimal.pb").read_text()
    with pytest.raises(DataFormatError) as info:
        read_pabulib(text.replace("b;50;", "b;" + "9" * 5000 + ";"))
    assert [(p.field, p.code) for p in info.value.problems] == [("cost", "pabulib.number")]


def test_not_utf8_is_a_data_format_error() -> None:
    with pytest.raises(DataFormatError) as info:
        read_pabulib(b"META\n\xff\n")
    assert info.value.code == "data.encoding"


# -- real files ---------------------------------------------------------------------------


def test_the_small_real_files_are_here() -> None:
    assert [p.name for p in REAL] == [
        "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb",
        "Netherlands_Assen_2024.pb",
        "Poland_Swiecie_2023.pb",
        "Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb",
        "Poland_Warszawa_2018_rejon_6.pb",
        "Poland_Wieliczka_2023_Green_Budget.pb",
        "Switzerland_Zurich_S5R.pb",
        "poland_czestochowa_2020_grabowka.pb",
    ]


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_small_real_files_round_trip_byte_for_byte(path: Path) -> None:
    raw = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    election = read_pabulib(path.read_bytes(), source=path.name)
    assert write_pabulib(election) == raw
    assert read_pabulib(write_pabulib(election)) == election


def test_assen_rule_and_selected() -> None:
    e = load_pabulib(DATA / "real" / "Netherlands_Assen_2024.pb")
    assert e.rule == "equalshares/add1"
    assert e.vote_type == "approval"
    assert e.budget == 100000
    assert len(e.projects) == 14
    assert len(e.voters) == 84
    selected = e.selected
    assert selected is not None
    assert {"3", "9", "2", "11"} <= selected
    assert {"8", "1"}.isdisjoint(selected)
    assert sum(p.cost for p in e.projects if p.id in selected) <= e.budget
    assert e.approvals("3") == int(next(p for p in e.projects if p.id == "3").fields["votes"])


def test_czestochowa_cumulative_points_and_quotes() -> None:
    e = load_pabulib(DATA / "real" / "poland_czestochowa_2020_grabowka.pb")
    assert e.vote_type == "cumulative"
    assert all(v.points is not None and len(v.points) == len(v.vote) for v in e.voters)
    assert e.voters[0].points == (Fraction(6), Fraction(4))
    names = [p.fields["name"] for p in e.projects]
    assert (
        '"Odkupmy" i my - zakup i montaż nowoczesnych koszy na psie nieczystości w dzielnicy '
        "Grabówka" in names
    )


def _raw(name: str) -> bytes:
    """A shared election's bytes: in real/, or xz-compressed in large/ (the big four)."""
    path = DATA / "real" / name
    if path.exists():
        return path.read_bytes()
    return lzma.decompress((DATA / "large" / f"{name}.xz").read_bytes())


@pytest.mark.parametrize("name", SHARED_FILES)
def test_shared_real_files_parse_and_round_trip(name: str) -> None:
    raw = _raw(name)
    election = read_pabulib(raw, source=name)
    assert election.meta["num_votes"] == str(len(election.voters))
    assert election.meta["num_projects"] == str(len(election.projects))
    text = write_pabulib(election)
    expected = raw.decode("utf-8-sig").replace("\r\n", "\n")
    assert text == (expected if expected.endswith("\n") else expected + "\n")
    assert read_pabulib(text) == election


# -- properties ---------------------------------------------------------------------------

_text = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_characters="\r\n\x00", categories=("L", "N", "P", "S", "Zs")
    ),
    max_size=6,
)
_ident = st.text(alphabet="abcXYZ019-_./", min_size=1, max_size=5)
_decimals = st.builds(
    lambda n, places: Fraction(n, 10**places), st.integers(0, 10**9), st.integers(0, 3)
)


@st.composite
def elections(draw: st.DrawFn) -> PbElection:
    vote_type = draw(st.sampled_from(["approval", "ordinal", "cumulative", "scoring"]))
    pids = draw(st.lists(_ident, min_size=1, max_size=5, unique=True))
    extra_p = draw(st.lists(st.sampled_from(["name", "votes", "selected", "x y"]), unique=True))
    extra_v = draw(st.lists(st.sampled_from(["age", "sex", "note"]), unique=True))
    with_points = vote_type in ("cumulative", "scoring") or draw(st.booleans())
    projects = tuple(
        PbProject(id=p, cost=draw(_decimals), fields={c: draw(_text) for c in extra_p})
        for p in pids
    )
    voters = []
    for vid in draw(st.lists(_ident, max_size=6, unique=True)):
        vote = tuple(draw(st.lists(st.sampled_from(pids), unique=True)))
        points = tuple(draw(_decimals) for _ in vote) if with_points else None
        voters.append(
            PbVoter(id=vid, vote=vote, points=points, fields={c: draw(_text) for c in extra_v})
        )
    meta = {
        "description": draw(_text),
        "num_projects": str(len(projects)),
        "num_votes": str(len(voters)),
        "budget": str(draw(st.integers(0, 10**9))),
        "vote_type": vote_type,
        "rule": draw(st.sampled_from(["greedy", "equalshares/add1"])),
    }
    return PbElection(
        meta=meta,
        projects=projects,
        voters=tuple(voters),
        project_columns=("project_id", "cost", *extra_p),
        vote_columns=("voter_id", "vote", *(["points"] if with_points else []), *extra_v),
    )


@settings(max_examples=examples(150), deadline=None)
@given(elections())
def test_round_trip_of_generated_elections(election: PbElection) -> None:
    text = write_pabulib(election)
    back = read_pabulib(text)
    assert back == election
    assert list(back.meta) == list(election.meta)
    assert write_pabulib(back) == text


_fuzz_pieces = st.sampled_from(
    ["META", "PROJECTS", "VOTES", "key;value", "project_id;cost", "voter_id;vote;points",
     "budget;10", "vote_type;cumulative", "num_votes;1", "a;1", "1;a;1", '"', ";", ",", "\n",
     "\r\n", "\ufeff", "1.5", "-", "x"]
)  # fmt: skip


@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(_fuzz_pieces, max_size=40).map("".join)))
def test_arbitrary_text_raises_only_microgov_errors(text: str) -> None:
    try:
        election = read_pabulib(text)
    except MicrogovError:
        return
    assert read_pabulib(write_pabulib(election)) == election


@settings(max_examples=examples(100), deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_raise_only_microgov_errors(data: bytes) -> None:
    with contextlib.suppress(MicrogovError):
        read_pabulib(b"META\nkey;value\n" + data)


# -- slips, fuzzed ------------------------------------------------------------------------

_words = st.lists(
    st.text(alphabet="abcŁóż12 -.", min_size=1, max_size=6).filter(lambda w: w.strip() == w),
    min_size=2,
    max_size=4,
)
_HEAD = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost;name;votes\n"
_TAIL = "VOTES\nvoter_id;vote\n1;p\n"


@given(words=_words, cut=st.integers(1, 3))
def test_a_line_break_in_an_unquoted_name_reads_as_a_space(words: list[str], cut: int) -> None:
    cut = min(cut, len(words) - 1)
    name = " ".join(words)
    broken = " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
    election = read_pabulib(f"{_HEAD}p;10;{broken};1\n{_TAIL}", source="f.pb")
    assert election.projects[0].fields["name"] == name
    assert [(w.code, w.location, w.field) for w in election.warnings] == [
        ("pabulib.line_break", "f.pb, line 7", "name")
    ]


@given(words=_words, at=st.integers(0, 30))
def test_a_stray_quote_in_an_unquoted_name_reads_as_written(words: list[str], at: int) -> None:
    plain = " ".join(words)
    name = plain[: at % len(plain) + 1] + '"' + plain[at % len(plain) + 1 :]
    election = read_pabulib(f"{_HEAD}p;10;{name};1\n{_TAIL}", source="f.pb")
    assert election.projects[0].fields["name"] == name
    assert [(w.code, w.location, w.field) for w in election.warnings] == [
        ("pabulib.quoting", "f.pb, line 7", "name")
    ]
    with pytest.raises(DataFormatError):
        read_pabulib(f"{_HEAD}p;10;{name};1\n{_TAIL}", strict=True)


@given(vote=st.lists(st.sampled_from("abc"), min_size=1, max_size=8))
def test_a_repeated_project_counts_once_at_its_first_place(vote: list[str]) -> None:
    text = (
        "META\nkey;value\nbudget;100\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n"
        "a;1\nb;1\nc;1\nVOTES\nvoter_id;vote\n1;" + ",".join(vote) + "\n"
    )
    election = read_pabulib(text)
    assert election.voters[0].vote == tuple(dict.fromkeys(vote))
    assert len(election.warnings) == (len(set(vote)) != len(vote))
