"""The shared view model (report/view.py): one answer for the static export and the web page.

Regression for issue 12: the Markdown/HTML export and the web page decided "reported /
silent / contradicts" each their own way and disagreed on the same brief.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from newsprism.report.markdown import view
from newsprism.report.view import MATRIX_SHOWN, cells, ranked_claims, safe_url, sides
from newsprism.serve.storyview import story_view


def _fact(n: int, status: str, values: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    arts = sorted({a for a, _ in values or []} or {"a"})
    conflicts = (
        [
            {
                "kind": "number",
                "explanation": "x",
                "values": [{"article": a, "value": v} for a, v in values],
            }
        ]
        if values
        else []
    )
    return {
        "id": f"f{n}",
        "status": status,
        "text": f"claim {n}",
        "reported_by": arts,
        "evidence": [{"article": a, "start": 0, "end": 4, "text": "Text"} for a in arts],
        "conflicts": conflicts,
    }


def _brief(facts: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "story": {"id": "s", "title": "S"},
        "articles": [{"id": a, "source": a.upper()} for a in "abcd"],
        "facts": facts,
        "briefing": [],
        "quotes": [],
        "omissions": {},
        "timeline": [],
    }


def test_static_export_and_web_page_agree_on_every_cell() -> None:
    three_way = _fact(1, "conflicting", [("a", "6.1"), ("b", "5.9"), ("c", "6.0"), ("d", "5.9")])
    tie = _fact(2, "conflicting", [("a", "5"), ("b", "7")])
    brief = _brief([three_way, tie, _fact(3, "single_source")])
    texts = {a: {"text": "Text", "url": None, "title": None} for a in "abcd"}
    web = [[c["state"] for c in row["cells"]] for row in story_view(brief, None, texts)["matrix"]]
    static = [row["cells"] for row in view(brief)["matrix"]]
    assert web == static
    assert static[0] == ["contradicts", "reported", "contradicts", "reported"]  # 5.9 has most
    assert static[1] == ["contradicts", "contradicts", "silent", "silent"]  # no majority


def test_matrix_shows_contradictions_first_and_the_top_rows() -> None:
    facts = [_fact(n, "corroborated") for n in range(MATRIX_SHOWN + 5)]
    facts.append(_fact(99, "conflicting", [("a", "1"), ("b", "2")]))
    shown, rest = ranked_claims(facts)
    assert shown[0]["id"] == "f99" and len(shown) == MATRIX_SHOWN and len(rest) == 6
    html_view = view(_brief(facts))
    assert len(html_view["matrix"]) == MATRIX_SHOWN and len(html_view["matrix_rest"]) == 6


def test_sides_group_values_and_name_a_strict_majority() -> None:
    got = sides({"values": [{"article": "a", "value": "5"}, {"article": "b", "value": "5"},
                            {"article": "c", "value": "7"}]})  # fmt: skip
    assert [(s.value, s.articles, s.majority) for s in got] == [
        ("5", ("a", "b"), True), ("7", ("c",), False)
    ]  # fmt: skip
    assert cells({"conflicts": [], "reported_by": ["a"]}, ["a", "b"])[1].state == "silent"


@given(st.text(max_size=80))
def test_safe_url_only_ever_returns_plain_http_urls(url: str) -> None:
    got = safe_url(url)
    assert got is None or (got.lower().startswith(("http://", "https://")) and " " not in got)


def test_safe_url_rejects_script_and_data_urls() -> None:
    for bad in ("javascript:alert(1)", "data:text/html,x", "https://", "http://a b", 3, None):
        assert safe_url(bad) is None
    assert safe_url(" https://example.org/a ") == "https://example.org/a"
