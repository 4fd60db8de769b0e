"""Outlets (issue 16): identity, registry import, independence, coverage, blindspots."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism import Workspace
from newsprism.outlets.identity import name_key, registered_domain
from newsprism.outlets.importer import parse_csv_text, read_outlet_file
from newsprism.outlets.independence import Member, independence_units
from newsprism.outlets.registry import Outlet, default_outlets
from newsprism.outlets.resolve import Resolver, Signals
from newsprism.outlets.service import outlet_words

DATA = Path(__file__).parent / "data" / "outlets"


def make_stories(ws: Workspace) -> None:
    """Stories straight from the fixture's `story` field: these tests are about outlets,
    not clustering, so they need no models."""
    lines = (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    keys = dict(ws.db.conn.execute("SELECT id, key FROM articles"))
    with ws.db.write() as w:
        for node, r in enumerate(rows):
            key, sid = keys[r["id"]], r["story"]
            w.execute(
                "INSERT OR IGNORE INTO stories (id, seed_key, title_key, article_count,"
                " created_at, updated_at) VALUES (?, ?, ?, 0, 't', 't')",
                (sid, key, key),
            )
            w.execute(
                "INSERT INTO story_articles (node, article_key, story_id, how, assigned_at)"
                " VALUES (?, ?, ?, 'seed', 't')",
                (node, key, sid),
            )
            w.execute("UPDATE stories SET article_count = article_count + 1 WHERE id = ?", (sid,))


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace(tmp_path / "o.db") as workspace:
        workspace.ingest([str(DATA / "articles.jsonl")])
        make_stories(workspace)
        yield workspace


# -- identity --------------------------------------------------------------------------


def test_name_variants_fold_together() -> None:
    keys = {name_key(n) for n in ("The New York Times", "New York Times (News)", "new york times")}
    assert keys == {"new york times"}
    assert name_key("Fox News (Online News)") == name_key("Fox News")
    assert name_key("AP Politics & Fact Check") != name_key("AP")


@given(st.text(max_size=80))
def test_name_key_is_idempotent_and_safe(text: str) -> None:
    key = name_key(text)
    assert name_key(key) == key
    assert key == key.strip() and "  " not in key


@given(st.sampled_from(["The ", ""]), st.text("abcdefgh ", min_size=1, max_size=20))
def test_the_and_qualifiers_never_change_identity(the: str, name: str) -> None:
    assert name_key(f"{the}{name} (Online News)") == name_key(name) or not name.strip()


def test_registered_domain_offline() -> None:
    assert registered_domain("https://edition.cnn.com/x") == "cnn.com"
    assert registered_domain("www.bbc.co.uk") == "bbc.co.uk"
    # private suffixes count: two blogs are two outlets
    assert registered_domain("a.blogspot.com") != registered_domain("b.blogspot.com")
    assert registered_domain("localhost") is None


def test_shared_hosts_keep_their_publishers_apart() -> None:
    """Regression (bench/outlets_eval.py on ECB+ URLs): eleven blogspot.nl blogs became one
    outlet, and abcnews.go.com merged with espn.go.com, before SHARED_HOSTS."""
    assert registered_domain("joyofsox.blogspot.nl") != registered_domain("secretdubai.blogspot.nl")
    assert registered_domain("http://abcnews.go.com/x") == "abcnews.go.com"
    assert registered_domain("sports.espn.go.com") == registered_domain("espn.go.com")
    r = Resolver(default_outlets())
    assert r.outlet_of(Signals(url="http://abcnews.go.com/US/story")).name == "ABC News"
    assert r.outlet_of(Signals(url="http://espn.go.com/nfl")).id != "abc-news"


def test_resolution_merges_variants_and_never_wrong_merges() -> None:
    r = Resolver(default_outlets())
    nyt = {
        r.outlet_of(Signals(source=s)).id
        for s in ("nytimes.com", "The New York Times", "New York Times (News)")
    }
    assert len(nyt) == 1
    assert r.outlet_of(Signals(url="https://www.nytimes.com/a.html")).id in nyt
    # unknown outlets: a name meets its .com, country domains stay apart
    assert (
        r.outlet_of(Signals(source="Riverton Post")).id
        == r.outlet_of(Signals(source="rivertonpost.com")).id
    )
    assert (
        r.outlet_of(Signals(source="independent.ie")).id
        != r.outlet_of(Signals(source="independent.co.uk")).id
    )
    assert r.outlet_of(Signals(source="Outlet 4+")).name == "Outlet 4+"
    assert r.outlet_of(Signals()).id == "unknown"


def test_source_comes_before_url_and_url_before_feed_title() -> None:
    r = Resolver(default_outlets())
    assert r.outlet_of(Signals("Reuters", "https://nytimes.com/x")).name == "Reuters"
    assert r.outlet_of(Signals(None, "https://nytimes.com/x", "BBC")).name == "The New York Times"
    assert r.outlet_of(Signals.of(None, None, '{"feed_title": "BBC News"}')).name == "BBC"


# -- registry import -------------------------------------------------------------------


def test_default_registry_parses_and_has_no_labels() -> None:
    outlets = default_outlets()
    assert len(outlets) > 40 and all(not o.labels and not o.owner for o in outlets)
    assert {o.name for o in outlets if o.kind == "wire"} >= {"Associated Press", "Reuters"}


def test_bad_rows_name_file_and_line_and_the_rest_import(ws: Workspace) -> None:
    report = ws.import_outlets(DATA / "bad.csv")
    assert (report.new, report.updated) == (1, 0)
    where = {r.record: r.reason for r in report.rejected}
    assert set(where) == {"line 3", "line 4", "line 5", "line 6", "line 7", "line 8"}
    assert "unknown kind 'spaceship'" in where["line 5"]
    assert "already belongs to the outlet on line 2" in where["line 7"]
    assert all(r.path.endswith("bad.csv") for r in report.rejected)


def test_missing_header_rejects_the_file() -> None:
    outlets, problems = parse_csv_text("title,url\nx,y.com\n", "f.csv")
    assert not outlets and "domains" in problems[0].reason and problems[0].record == "line 1"


def test_toml_import_and_labels(ws: Workspace) -> None:
    outlets, problems = read_outlet_file(DATA / "outlets.toml")
    assert not problems
    gazette, radio = outlets
    assert gazette.country == "US" and gazette.labels == {"lean": "center"}
    assert radio.kind == "broadcaster" and radio.labels == {"reach": "local"}


def test_user_row_replaces_the_default_outlet(ws: Workspace) -> None:
    ws.import_outlets(DATA / "outlets.csv")
    named = [o for o in ws.outlets() if o["name"] == "Associated Press"]
    assert len(named) == 1 and named[0]["labels"] == {"lean": "center"}


# -- independence ----------------------------------------------------------------------


def _member(mid: str, outlet: Outlet, text: str = "", **kw: object) -> Member:
    return Member(mid, "k" + mid, outlet, text, **kw)  # type: ignore[arg-type]


def test_wire_credit_and_copy_count_as_the_wire() -> None:
    ap = Outlet("ap", "Associated Press", ("apnews.com",), kind="wire", aliases=("AP",))
    paper, other = Outlet("p", "Paper"), Outlet("q", "Other")
    passage = " ".join(f"word{i}" for i in range(60))
    members = [
        _member("1", ap, passage),
        _member("2", paper, "Intro line here. " + passage + " and more of our own."),
        _member("3", other, "PARIS (AP) — something else entirely happened today."),
        _member("4", Outlet("r", "Third"), "Our own reporting only, no copy at all here."),
    ]
    units = independence_units(members, [ap])
    assert units["2"].id == units["3"].id == "ap"
    assert (units["2"].via["2"], units["3"].via["3"]) == ("wire_copy", "wire_credit")
    assert units["4"].id == "r"
    assert units["1"].outlets == ["Associated Press", "Paper", "Other"]


def test_a_short_shared_quote_is_not_a_copy() -> None:
    ap = Outlet("ap", "Associated Press", kind="wire")
    quote = "we will rebuild every house that the water took from us this year"
    units = independence_units(
        [_member("1", ap, f"The mayor said: {quote}."), _member("2", Outlet("p", "P"), quote)],
        [ap],
    )
    assert units["2"].id == "p"


def test_owner_groups_count_once_only_when_asked() -> None:
    fox = Outlet("f", "Fox News", owner="Fox Corporation")
    biz = Outlet("b", "Fox Business", owner="Fox Corporation")
    members = [_member("1", fox), _member("2", biz)]
    assert len({u.id for u in independence_units(members, []).values()}) == 2
    grouped = independence_units(members, [], group_owners=True)
    assert {u.name for u in grouped.values()} == {"Fox Corporation"}
    assert grouped["1"].outlets == ["Fox News", "Fox Business"]


def test_explanations_name_outlets_not_article_ids() -> None:
    named = {"a1": "CNN", "a12": "Fox News"}
    text = "a1 gives “3”, a12 gives “4”"
    assert outlet_words(text, named) == "CNN gives “3”, Fox News gives “4”"


# -- stories, coverage, blindspots, CLI --------------------------------------------------


def test_story_coverage_counts_independent_sources(ws: Workspace) -> None:
    ws.import_outlets(DATA / "outlets.csv")
    stories = {s["id"]: s for s in ws.stories()}
    flood = stories["s-a"]
    # AP, the Daily Planet copying it and the NYT crediting it are one source; Fox another
    assert flood["independent_outlets"] == 2
    assert flood["coverage"]["lean"] == {"center": 1, "left": 1, "right": 1}
    assert {a["outlet"] for a in flood["articles"]} == {
        "Associated Press",
        "Daily Planet",
        "The New York Times",
        "Fox News",
    }
    budget = stories["s-b"]
    assert budget["coverage"]["lean"] == {"left": 2}  # CNN twice (name and URL) + NYT
    assert budget["independent_outlets"] == 2
    spots = {r["id"]: r["blindspot"] for r in ws.blindspots("lean")}
    assert spots == {
        "s-b": {
            "attribute": "lean",
            "covered": ["left"],
            "missing": ["center", "right"],
            "sources": 2,
        },
        "s-c": {
            "attribute": "lean",
            "covered": ["right"],
            "missing": ["center", "left"],
            "sources": 2,
        },
    }
    # country is open-ended: one value only (every story here is US-only)
    assert {r["id"] for r in ws.blindspots("country")} == {"s-a", "s-b", "s-c"}


def test_blindspot_rules() -> None:
    from newsprism.outlets.coverage import blindspot

    sides = {"left", "center", "right"}
    two = {"lean": {"left": 1, "center": 2}}
    assert blindspot(two, "lean", sides) == {
        "attribute": "lean",
        "covered": ["center", "left"],
        "missing": ["right"],
        "sources": 3,
    }
    assert blindspot({"lean": {"left": 1, "unknown": 1}}, "lean", sides) is None
    assert blindspot({"lean": {"left": 1, "center": 1, "right": 1}}, "lean", sides) is None
    countries = {"US", "GB", "FR"}
    assert blindspot({"country": {"US": 2, "GB": 1}}, "country", countries) is None
    assert blindspot({"country": {"US": 2}}, "country", countries) is not None


def test_owner_setting_changes_the_count(tmp_path: Path) -> None:
    with Workspace(tmp_path / "g.db", {"outlets_group_owners": True}) as ws:
        ws.ingest([str(DATA / "articles.jsonl")])
        make_stories(ws)
        ws.import_outlets(DATA / "outlets.csv")
        border = next(s for s in ws.stories() if s["id"] == "s-c")
        assert border["independent_outlets"] == 2  # Breitbart has no owner in the file


def test_cli_outlets_import_list_outlet_and_blindspots(ws: Workspace, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsprism.cli import cli

    db = str(ws.db.path) if hasattr(ws.db, "path") else str(tmp_path / "o.db")
    run = CliRunner().invoke
    bad = run(cli, ["--db", db, "outlets", "import", str(DATA / "bad.csv")])
    assert bad.exit_code == 1 and "bad.csv:line 5" in bad.output
    good = run(cli, ["--db", db, "outlets", "import", str(DATA / "outlets.csv")])
    assert good.exit_code == 0, good.output
    listed = json.loads(run(cli, ["--db", db, "outlets", "--json"]).output)
    assert any(o["name"] == "CNN" and o["stories"] == 1 for o in listed)
    one = json.loads(run(cli, ["--db", db, "outlet", "cnn.com", "--json"]).output)
    assert one["outlet"]["labels"] == {"lean": "left"} and one["stories"][0]["id"] == "s-b"
    spots = json.loads(run(cli, ["--db", db, "blindspots", "--by", "lean", "--json"]).output)
    assert [s["id"] for s in spots] == ["s-b", "s-c"]
    text = run(cli, ["--db", db, "blindspots", "--by", "lean"]).output
    assert "lean: right (no center, left" in text
    assert run(cli, ["--db", db, "blindspots", "--by", "nothing"]).exit_code != 0
    story = run(cli, ["--db", db, "story", "s-a"]).output
    assert "Daily Planet [counts as Associated Press]" in story
    assert "coverage by lean: center 1, left 1, right 1" in story
    outlet_text = run(cli, ["--db", db, "outlet", "Fox News"]).output
    assert "facts it reports that other independent sources also report" in outlet_text
    missing = run(cli, ["--db", db, "outlet", "No Such Outlet"])
    assert missing.exit_code != 0 and "no outlet" in missing.output


@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=7), max_size=6))
def test_any_csv_gives_outlets_or_reasons_never_an_exception(rows: list[list[str]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["name", "domains", "kind", "lean"])
    writer.writerows(rows)
    outlets, problems = parse_csv_text(buf.getvalue(), "f.csv")
    assert len(outlets) + len(problems) <= len(rows)
    assert all(o.domains and o.name for o in outlets)
    assert all(p.path == "f.csv" and p.record and p.reason for p in problems)


def test_independence_of_a_story(ws: Workspace) -> None:
    from newsprism.outlets.service import independence_of

    ws.import_outlets(DATA / "outlets.csv")
    units = independence_of(ws.db.conn, ws.settings, "s-a")
    assert {a: u.id for a, u in units.items()} == {
        "a1": "associated-press",
        "a2": "associated-press",
        "a3": "associated-press",
        "a4": "fox-news",
    }


def test_articles_without_any_outlet_signal_are_never_one_outlet(tmp_path: Path) -> None:
    """Regression: two articles with no source, URL, feed or host were both "(unknown
    outlet)", labelled "(unknown outlet)" and "(unknown outlet) #2" as if one outlet.
    Each is its own outlet, named by its id (issue 12's naming rule)."""
    path = tmp_path / "bare.jsonl"
    rows = [
        {"id": "bare-1", "text": "A flood closed the river road on Monday, officials said."},
        {"id": "bare-2", "text": "A flood shut the river road on Monday, the county said."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with Workspace(tmp_path / "b.db") as ws:
        ws.ingest([str(path)])
        keys = dict(ws.db.conn.execute("SELECT id, key FROM articles"))
        with ws.db.write() as w:
            w.execute(
                "INSERT INTO stories (id, seed_key, title_key, article_count, created_at,"
                " updated_at) VALUES ('s-x', ?, ?, 2, 't', 't')",
                (keys["bare-1"], keys["bare-1"]),
            )
            for node, aid in enumerate(("bare-1", "bare-2")):
                w.execute(
                    "INSERT INTO story_articles (node, article_key, story_id, how, assigned_at)"
                    " VALUES (?, ?, 's-x', 'seed', 't')",
                    (node, keys[aid]),
                )
        story = ws.stories()[0]
    assert story["independent_outlets"] == 2
    assert {a["outlet"] for a in story["articles"]} == {"bare-1", "bare-2"}
