"""The story brief on the analysed seeds: contract, statuses, ledger, renderings.

Uses the session fixture `analysed_seeds` (both seeds ingested and analysed once).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from conftest import SEED_000, SEED_002
from newsprism.report.brief import build_brief
from newsprism.report.briefing import _briefable, _dateline
from newsprism.report.markdown import brief_html, brief_markdown, md, safe_url


@pytest.fixture(scope="module")
def seed_brief(analysed_seeds: Any) -> dict[str, Any]:
    ws = analysed_seeds
    keys = [r[0] for r in ws.db.conn.execute("SELECT key FROM articles ORDER BY seq")]
    return build_brief(ws.db, keys, ws.settings, story_id="seeds", title="Anchorage summit")


@pytest.fixture(scope="module")
def texts(analysed_seeds: Any) -> dict[str, str]:
    rows = analysed_seeds.db.conn.execute("SELECT id, text FROM articles")
    return {r[0]: r[1] for r in rows}


def _facts_with(brief: dict[str, Any], *words: str) -> list[dict[str, Any]]:
    """Fact records any of whose evidence mentions all `words`."""
    out = []
    for f in brief["facts"]:
        if any(all(w.lower() in ev["text"].lower() for w in words) for ev in f["evidence"]):
            out.append(f)
    return out


def test_contract_shape_and_exact_spans(seed_brief: dict[str, Any], texts: dict[str, str]) -> None:
    b = seed_brief
    assert b["story"] == {"id": "seeds", "title": "Anchorage summit"}
    assert [a["id"] for a in b["articles"]] == [SEED_000, SEED_002]
    assert {"facts", "briefing", "quotes", "omissions", "timeline"} <= set(b)
    for f in b["facts"]:
        assert f["status"] in {"corroborated", "single_source", "conflicting"}
        for ev in f["evidence"]:
            assert texts[ev["article"]][ev["start"] : ev["end"]] == ev["text"]
    for item in b["briefing"]:
        first = item["citations"][0]
        assert texts[first["article"]][first["start"] : first["end"]] == item["text"]
        for c in item["citations"]:
            assert texts[c["article"]][c["start"] : c["end"]] == c["text"]
    json.dumps(b)  # the contract is plain JSON


@pytest.mark.parametrize(
    "words",
    [("Anchorage",), ("three", "hour"), ("ceasefire",), ("invitation",), ("cautious",)],
)
def test_facts_both_seeds_report_are_corroborated(
    seed_brief: dict[str, Any], words: tuple[str, ...]
) -> None:
    found = [f for f in _facts_with(seed_brief, *words) if f["status"] == "corroborated"]
    assert found, words
    assert all(set(f["reported_by"]) == {SEED_000, SEED_002} for f in found)


@pytest.mark.parametrize(
    ("words", "only"),
    [
        (("Orbán",), SEED_000),
        (("trilateral",), SEED_000),
        (("12-minute",), SEED_002),
        (("Obama", "2013"), SEED_002),
    ],
)
def test_facts_one_seed_reports_are_single_source(
    seed_brief: dict[str, Any], words: tuple[str, ...], only: str
) -> None:
    found = _facts_with(seed_brief, *words)
    assert found and all(f["status"] == "single_source" for f in found)
    assert all(f["reported_by"] == [only] for f in found)


def test_consistent_seeds_have_no_contradiction(seed_brief: dict[str, Any]) -> None:
    assert [f for f in seed_brief["facts"] if f["conflicts"]] == []
    assert seed_brief["stats"]["conflicting"] == 0


def test_quote_ledger_joins_productive_with_attribution_difference(
    seed_brief: dict[str, Any],
) -> None:
    entry = next(q for q in seed_brief["quotes"] if "productive" in q["text"])
    assert entry["text"] == "extremely productive" and entry["speaker"] == "Donald Trump"
    assert entry["reported_by"] == [SEED_000, SEED_002]
    assert entry["variants"] == ["productive"] and entry["attribution_differs"]
    short = next(o for o in entry["occurrences"] if o["article"] == SEED_000)
    assert short["relation"] == "partial" and short["speaker"] is None
    assert "both leaders" in short["attributed_as"]


def test_briefing_is_short_cited_and_corroborated_first(seed_brief: dict[str, Any]) -> None:
    items = seed_brief["briefing"]
    assert 0 < len(items) <= 8
    statuses = [i["status"] for i in items]
    assert statuses == sorted(statuses, key=lambda s: s != "corroborated")
    assert len({i["text"] for i in items}) == len(items)
    assert any(len({c["article"] for c in i["citations"]}) == 2 for i in items)


def test_timeline_and_omissions(seed_brief: dict[str, Any]) -> None:
    dates = [e["date"] for e in seed_brief["timeline"]]
    assert "2013" in dates and "--08-15" in dates
    assert all(e["citations"] for e in seed_brief["timeline"])
    assert set(seed_brief["omissions"]) == {SEED_000, SEED_002}
    # Two outlets, each with details the other lacks: what one reports alone is what the
    # other leaves out (before, only corroborated claims counted, so both lists were empty).
    facts = {f["id"]: f for f in seed_brief["facts"]}
    for article, other in ((SEED_000, SEED_002), (SEED_002, SEED_000)):
        left = seed_brief["omissions"][article]
        assert left and all(facts[i]["reported_by"] == [other] for i in left)
        alone = [f["id"] for f in seed_brief["facts"] if f["reported_by"] == [other]]
        assert left == alone  # in the brief's order: most important first
    press = [facts[i]["text"] for i in seed_brief["omissions"][SEED_000]]
    assert any("12-minute press conference" in t for t in press)


def test_one_article_story_is_all_single_source(analysed_seeds: Any) -> None:
    ws = analysed_seeds
    key = ws.db.conn.execute("SELECT key FROM articles WHERE id = ?", (SEED_002,)).fetchone()[0]
    b = build_brief(ws.db, [key], ws.settings)
    assert b["facts"] and {f["status"] for f in b["facts"]} == {"single_source"}
    assert b["omissions"] == {SEED_002: []}


def test_markdown_and_html_render_the_brief(seed_brief: dict[str, Any]) -> None:
    text = brief_markdown(seed_brief)
    assert text.startswith("# Anchorage summit") and "## Quote ledger" in text
    page = brief_html(seed_brief)
    assert "<script" not in page and "extremely productive" in page
    csp = re.search(r"Content-Security-Policy\" content=\"([^\"]+)\"", page)
    assert csp and "default-src 'none'" in csp.group(1) and "unsafe-inline" not in csp.group(1)


def test_hostile_article_fields_are_escaped(seed_brief: dict[str, Any]) -> None:
    evil = json.loads(json.dumps(seed_brief))
    evil["story"]["title"] = "<img src=x onerror=alert(1)>[x](javascript:alert(1))"
    evil["articles"][0]["url"] = "javascript:alert(1)"
    evil["articles"][1]["url"] = "https://example.org/a?b=1"
    evil["articles"][0]["title"] = "</title><script>alert(1)</script>"
    page = brief_html(evil)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert 'href="javascript:' not in page and 'href="https://example.org/a?b=1"' in page
    doc = brief_markdown(evil)
    assert not re.search(r"(?<!\\)<img", doc) and not re.search(r"(?<!\\)\]\(javascript", doc)
    assert safe_url("data:text/html,x") is None and md("a|b") == "a\\|b"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("WASHINGTON (AP) — Hope Hicks is returning to the White House as counselor.", True),
        ("FORT WORTH, Texas (AP) —", False),
        ("Republican Sens.", False),
        ("Will public transit be sanitized before the schools open again?", False),
        ("Perhaps.", False),
        ("The vote in the Senate was 70-30 on Wednesday night.", True),
        ("May 2, 2013 1: 35 pm.", False),  # a time stamp line tells no news (issue 12)
        ("Posted: 08 / 02 / 2013 11: 10 am EDT", False),
        ("The strike began in May and ended on June 2.", True),
        ("between the United States and China Opens a New Window.", False),  # cut by the splitter
        ("de Blasio said the subway would reopen on Monday.", True),
    ],
)
def test_briefing_skips_fragments_and_questions(text: str, kept: bool) -> None:
    assert _briefable(text) is kept


def test_dateline_is_left_out_of_the_quoted_span() -> None:
    text = "HONG KONG (Reuters) - Police and protesters clashed at the airport on Monday."
    assert text[_dateline(text) :].startswith("Police and protesters")
    plain = "NATO - the alliance - said it would act now."
    assert _dateline(plain) == 0
