"""Units of the web app: highlighting, URL and span parsing, FTS quoting, the story view."""

from __future__ import annotations

import html
import re
import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from newsprism.serve.render import Mark, highlight, labels, parse_span, path_part, safe_url
from newsprism.serve.search import fts_query
from newsprism.serve.storyview import story_view
from newsprism.store.database import Database


def strip_tags(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def test_highlight_escapes_text_and_marks_spans() -> None:
    text = "<b>Putin</b> & Trump met"
    out = str(highlight(text, [Mark(3, 8, "ent", "Vladimir Putin"), Mark(15, 20, "ent")]))
    assert "<b>" not in out and "&lt;b&gt;" in out and "&amp;" in out
    assert '<span class="ent" title="Vladimir Putin">Putin</span>' in out
    assert strip_tags(out) == text


def test_highlight_flattens_overlaps_and_drops_bad_offsets() -> None:
    text = "abcdefghij"
    marks = [
        Mark(0, 6, "quote", cite=1),
        Mark(4, 9, "qty", cite=2),
        Mark(-1, 3, "x"),
        Mark(5, 50, "x"),
        Mark(3, 3, "x"),
    ]
    out = str(highlight(text, marks))
    assert 'class="quote qty" data-c="1 2">ef<' in out
    assert "x" not in re.findall(r'class="([^"]*)"', out)
    assert strip_tags(out) == text


def test_highlight_anchor_once_and_hostile_titles() -> None:
    out = str(highlight("one two", [Mark(0, 7, "hl", anchor="hl"), Mark(4, 7, "ent", '"><x')]))
    assert out.count('id="hl"') == 1 and "&#34;&gt;&lt;x" in out


@given(
    st.text(max_size=40),
    st.lists(
        st.tuples(st.integers(-5, 45), st.integers(-5, 45), st.sampled_from("ab")), max_size=6
    ),
)
def test_highlight_round_trips_any_text(text: str, spans: list[tuple[int, int, str]]) -> None:
    out = str(highlight(text, [Mark(s, e, c, title=text) for s, e, c in spans]))
    assert strip_tags(out.replace('<span class="gap"></span>', "")) == text
    assert out.count("<span") == out.count("</span>")


def test_safe_url_allows_only_http() -> None:
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("HTTP://example.org") == "HTTP://example.org"
    for bad in (
        "javascript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,x",
        "//evil.org",
        "http:///nohost",
        "vbscript:x",
        None,
        42,
        "ftp://x.org",
        "http://[::1",
    ):
        assert safe_url(bad) is None, bad


def test_path_part_and_parse_span() -> None:
    assert path_part("a/b?c#d") == "a%2Fb%3Fc%23d"
    assert parse_span("12-40") == (12, 40)
    for bad in (None, "", "12", "a-b", "-3-4", "1-2-3", "9" * 30 + "-1"):
        assert parse_span(bad) is None


def test_fts_query_quotes_every_term() -> None:
    assert fts_query('Putin "AND" NEAR(') == '"Putin" """AND""" "NEAR("'
    assert fts_query("   ") is None and fts_query(None) is None
    assert fts_query("a\x00b") == '"a" "b"'


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=50))
def test_fts_query_never_raises_in_sqlite(text: str) -> None:
    db = Database(":memory:")
    query = fts_query(text)
    if query is not None:
        db.conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (query,))
    db.close()


def test_fts_tables_follow_article_writes() -> None:
    db = Database(":memory:")
    conn: sqlite3.Connection = db.conn
    conn.execute(
        "INSERT INTO articles (key, id, title, text, words, ingested_at, seq)"
        " VALUES ('k', 'a', 'Harbour strike', 'Dockers walked out in Lyon', 5, 'now', 1)"
    )
    assert conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'lyon'").fetchall()
    conn.execute("DELETE FROM articles")
    assert not conn.execute("SELECT 1 FROM articles_fts WHERE articles_fts MATCH 'lyon'").fetchall()
    db.close()


def test_labels_number_repeated_outlets() -> None:
    got = labels([{"id": "1", "source": "Wire"}, {"id": "2", "source": "Wire"}, {"id": "3"}])
    assert got == {"1": "Wire", "2": "Wire #2", "3": "3"}


def _brief() -> dict:
    arts = [{"id": a, "source": s} for a, s in (("a", "A"), ("b", "B"), ("c", "C"), ("d", "D"))]

    def ev(article: str) -> dict:
        return {"article": article, "start": 0, "end": 4, "text": "Text"}

    conflict = {
        "kind": "number",
        "explanation": "differs",
        "values": [
            {"article": "a", "value": "5"},
            {"article": "b", "value": "5"},
            {"article": "c", "value": "7"},
        ],
    }
    facts = [
        {
            "id": "f1",
            "status": "conflicting",
            "text": "T",
            "reported_by": ["a", "b", "c"],
            "evidence": [ev("a"), ev("b"), ev("c")],
            "conflicts": [conflict],
        },
        {
            "id": "f2",
            "status": "single_source",
            "text": "U",
            "reported_by": ["d"],
            "evidence": [ev("d")],
            "conflicts": [],
        },
    ]
    return {
        "story": {"id": "s-1", "title": "Story"},
        "articles": arts,
        "facts": facts,
        "briefing": [{"text": "T", "citations": [{"article": "a", "start": 0, "end": 4}]}],
        "quotes": [],
        "omissions": {"a": ["f2"]},
        "timeline": [],
    }


def test_story_view_matrix_contradictions_and_columns() -> None:
    texts = {a: {"text": "Text and more", "url": "javascript:x", "title": None} for a in "abcd"}
    view = story_view(_brief(), None, texts)
    states = [[c["state"] for c in row["cells"]] for row in view["matrix"]]
    assert states == [
        ["reported", "reported", "contradicts", "silent"],
        ["silent", "silent", "silent", "reported"],
    ]
    sides = view["contradictions"][0]["conflicts"][0]["sides"]
    assert [(s["value"], s["majority"], [o["label"] for o in s["outlets"]]) for s in sides] == [
        ("5", True, ["A", "B"]),
        ("7", False, ["C"]),
    ]
    assert view["briefing"][0]["status"] == "conflicting"
    assert view["omissions"] == [{"label": "A", "id": "a", "facts": [_brief()["facts"][1]]}]
    assert all(col["url"] is None for col in view["columns"])
    cite = view["briefing"][0]["cites"][0]
    assert f'data-c="{cite["n"]}"' in str(view["columns"][0]["html"])
