"""The cross-article registry (registry.py): what merges across articles, and what not."""

from __future__ import annotations

from newsprism.analyse.registry import (
    EntityRegistry,
    article_context,
    decide_type,
    resolve_entities,
)
from newsprism.models import Analysis, Mention


def mention(text: str, type_: str) -> Mention:
    return Mention(0, len(text), text, type_, text)


def learn(reg: EntityRegistry, *mentions: tuple[str, str]) -> None:
    """One article's mentions, resolved and added as the pipeline does."""
    ms = [mention(t, ty) for t, ty in mentions]
    context = article_context(ms)
    for m in [reg.resolve(m, context) for m in ms]:
        reg.add(m.canonical, m.type, context)


def test_one_type_per_entity_by_votes() -> None:
    reg = EntityRegistry()
    learn(reg, ("Colts", "ORG"), ("Colts", "ORG"))
    resolved = reg.resolve(mention("Colts", "PERSON"))
    assert (resolved.canonical, resolved.type) == ("Colts", "ORG")
    assert decide_type(__import__("collections").Counter({"MISC": 5, "ORG": 1})) == "ORG"


def test_case_middle_initials_and_honorifics() -> None:
    reg = EntityRegistry()
    learn(reg, ("Raymond W. Kelly", "PERSON"), ("Colts", "ORG"))
    assert reg.resolve(mention("Raymond Kelly", "PERSON")).canonical == "Raymond W. Kelly"
    assert reg.resolve(mention("Dr. Raymond Kelly", "PERSON")).canonical == "Raymond W. Kelly"
    assert reg.resolve(mention("COLTS", "ORG")).canonical == "Colts"
    assert reg.resolve(mention("Colts'", "ORG")).canonical == "Colts"


def test_acronyms_and_expansions() -> None:
    reg = EntityRegistry()
    learn(reg, ("Hewlett-Packard Co.", "ORG"), ("Advanced Micro Devices", "ORG"))
    assert reg.resolve(mention("HP", "ORG")).canonical == "Hewlett-Packard Co."
    assert reg.resolve(mention("AMD", "ORG")).canonical == "Advanced Micro Devices"
    assert reg.resolve(mention("Hewlett-Packard", "ORG")).canonical == "Hewlett-Packard Co."
    learn(reg, ("Home Partners", "ORG"))  # a second "HP": the acronym is ambiguous now
    assert reg.resolve(mention("HP", "ORG")).canonical == "HP"


def test_short_team_name_needs_a_known_place() -> None:
    reg = EntityRegistry()
    learn(reg, ("Indianapolis", "GPE"), ("Indianapolis Colts", "ORG"), ("Betty Ford Center", "ORG"))
    assert reg.resolve(mention("Colts", "ORG")).canonical == "Indianapolis Colts"
    assert reg.resolve(mention("Colts", "PERSON")).canonical == "Indianapolis Colts"
    assert reg.resolve(mention("Center", "ORG")).canonical == "Center"  # "Betty Ford" no place
    assert reg.resolve(mention("Indianapolis", "GPE")).canonical == "Indianapolis"


def test_a_team_known_alone_joins_its_full_name() -> None:
    reg = EntityRegistry()
    learn(reg, ("Chiefs", "ORG"), ("Kansas City", "GPE"))
    assert reg.resolve(mention("Kansas City Chiefs", "ORG")).canonical == "Chiefs"


def test_words_around_a_known_name_but_no_city_in_a_team() -> None:
    reg = EntityRegistry()
    learn(reg, ("Ellen DeGeneres", "PERSON"), ("Kansas City", "GPE"))
    assert reg.resolve(mention("Comedian Ellen DeGeneres", "PERSON")).canonical == "Ellen DeGeneres"
    assert reg.resolve(mention("Kansas City Chiefs", "ORG")).canonical == "Kansas City Chiefs"


def test_short_first_names_of_a_known_person() -> None:
    reg = EntityRegistry()
    learn(reg, ("Frederick Cheney LaRue", "PERSON"))
    assert reg.resolve(mention("Fred LaRue", "PERSON")).canonical == "Frederick Cheney LaRue"
    assert reg.resolve(mention("John LaRue", "PERSON")).canonical == "John LaRue"


def test_two_people_of_one_surname_stay_apart_without_evidence() -> None:
    """Issue 13: a bare "Peterson" was merged into another Peterson of the corpus."""
    reg = EntityRegistry()
    learn(reg, ("Drew Peterson", "PERSON"), ("Bolingbrook", "GPE"))
    learn(reg, ("Adrian Peterson", "PERSON"), ("Minnesota Vikings", "ORG"))
    learn(reg, ("Adrian Peterson", "PERSON"), ("Minnesota Vikings", "ORG"))
    assert reg.resolve(mention("Peterson", "PERSON")).canonical == "Peterson"
    vikings = article_context([mention("Minnesota Vikings", "ORG")])
    assert reg.resolve(mention("Peterson", "PERSON"), vikings).canonical == "Adrian Peterson"
    police = article_context([mention("Bolingbrook", "GPE")])
    assert reg.resolve(mention("Peterson", "ORG"), police).canonical == "Drew Peterson"


def test_a_lone_surname_known_person_and_places() -> None:
    reg = EntityRegistry()
    learn(reg, ("Donald Trump", "PERSON"), ("Washington", "GPE"), ("George Washington", "PERSON"))
    resolved = reg.resolve(mention("Trump", "ORG"))
    assert (resolved.canonical, resolved.type) == ("Donald Trump", "PERSON")
    assert reg.resolve(mention("Washington", "GPE")).canonical == "Washington"
    assert reg.resolve(mention("US", "GPE")).canonical == "United States"


def test_first_full_name_joins_a_surname_known_alone_in_the_same_story() -> None:
    reg = EntityRegistry()
    learn(reg, ("Gupta", "PERSON"), ("CNN", "ORG"))
    assert reg.resolve(mention("Sanjay Gupta", "PERSON"), frozenset({"cnn"})).canonical == "Gupta"
    other = EntityRegistry()
    learn(other, ("Gupta", "PERSON"), ("CNN", "ORG"))
    learn(other, ("Sanjay Gupta", "PERSON"), ("CNN", "ORG"))
    assert other.resolve(mention("Gita Gupta", "PERSON"), frozenset({"cnn"})).canonical == (
        "Gita Gupta"
    )
    unrelated = EntityRegistry()
    learn(unrelated, ("Gupta", "PERSON"), ("CNN", "ORG"))
    assert unrelated.resolve(mention("Sanjay Gupta", "PERSON")).canonical == "Sanjay Gupta"


def test_display_name_is_the_first_spelling_so_ids_stay() -> None:
    reg = EntityRegistry()
    learn(reg, ("Viktor Orbán", "PERSON"))
    learn(reg, ("Viktor Orban", "PERSON"), ("Viktor Orban", "PERSON"))
    assert reg.resolve(mention("Orban", "PERSON")).canonical == "Viktor Orbán"


def test_another_form_of_a_first_name_joins_only_in_the_same_story() -> None:
    reg = EntityRegistry()
    learn(reg, ("Kathryn Jenkin", "PERSON"), ("Rum Bay", "LOC"))
    story = article_context([mention("Rum Bay", "LOC")])
    assert reg.resolve(mention("Katie Jenkin", "PERSON"), story).canonical == "Kathryn Jenkin"
    assert reg.resolve(mention("Katie Jenkin", "PERSON")).canonical == "Katie Jenkin"
    assert reg.resolve(mention("John Jenkin", "PERSON"), story).canonical == "John Jenkin"


def test_an_entitys_own_names_are_no_evidence_about_it() -> None:
    """Regression: the "Peterson" of an article resolved to Scott Peterson was stored as
    his context, so every later "Peterson" article looked like his story."""
    reg = EntityRegistry()
    for names in (
        [("Scott Peterson", "PERSON"), ("Modesto", "GPE")],
        [("Drew Peterson", "PERSON"), ("Bolingbrook", "GPE")],
        [("Peterson", "PERSON"), ("Modesto", "GPE")],
    ):
        resolve_entities(reg, Analysis("en", mentions=[mention(n, t) for n, t in names]))
    police = article_context([mention("Peterson", "PERSON"), mention("Bolingbrook", "GPE")])
    assert reg.resolve(mention("Peterson", "PERSON"), police).canonical == "Drew Peterson"


def test_a_surname_misspelt_by_one_letter_joins_only_in_the_same_story() -> None:
    """Regression (issue 13): sources spell "Duncan Rait" as "Duncan Raite"."""
    story = article_context([mention("Mount Cook", "LOC")])

    def resolved(name: str, context: frozenset[str] = story) -> str:
        reg = EntityRegistry()  # a join files the variant: each case on a fresh registry
        learn(reg, ("Duncan Rait", "PERSON"), ("Li Wei", "PERSON"), ("Mount Cook", "LOC"))
        return reg.resolve(mention(name, "PERSON"), context).canonical

    assert resolved("Duncan Raite") == "Duncan Rait"
    assert resolved("Duncan Riat") == "Duncan Rait"  # two letters swapped
    assert resolved("Duncan Raite", frozenset()) == "Duncan Raite"  # no shared story
    assert resolved("Mark Raite") == "Mark Raite"  # another first name
    assert resolved("Duncan Baites") == "Duncan Baites"  # two edits
    assert resolved("Li Wu") == "Li Wu"  # too short to call a misspelling


def test_a_misspelt_surname_once_joined_finds_its_person_alone() -> None:
    """Regression (issue 13): after "Duncan Raite" joined Duncan Rait, the source's bare
    "Raite" still started an entity of its own."""
    reg = EntityRegistry()
    learn(reg, ("Duncan Rait", "PERSON"), ("Mount Cook", "LOC"))
    learn(reg, ("Duncan Raite", "PERSON"), ("Mount Cook", "LOC"))
    assert reg.resolve(mention("Raite", "PERSON")).canonical == "Duncan Rait"


def test_a_surname_mapped_to_a_person_is_that_person() -> None:
    """Regression (issue 13): a bare surname the model tags as a place ("Obama" GPE)
    took the place type on a tie of votes, and voted it: the person became a place."""
    reg = EntityRegistry()
    for names in [[("Barack Obama", "PERSON")]] + [[("Obama", "GPE")]] * 3:
        resolve_entities(reg, Analysis("en", mentions=[mention(n, t) for n, t in names]))
    resolved = reg.resolve(mention("Obama", "GPE"))
    assert (resolved.canonical, resolved.type) == ("Barack Obama", "PERSON")


def test_a_surname_tagged_as_a_location_or_facility_is_the_known_person() -> None:
    """Regression (issue 13): the model tags a bare "Cheeks" LOC (or "Chohan" FAC); only
    GPE was read as a possible surname, so each started an entity of its own. A known
    place of the name keeps its mentions."""
    reg = EntityRegistry()
    learn(reg, ("Maurice Cheeks", "PERSON"))
    assert reg.resolve(mention("Cheeks", "LOC")).canonical == "Maurice Cheeks"
    assert reg.resolve(mention("Cheeks", "FAC")).canonical == "Maurice Cheeks"
    learn(reg, ("George Washington", "PERSON"), ("Washington", "LOC"), ("Washington", "LOC"))
    assert reg.resolve(mention("Washington", "LOC")).canonical == "Washington"
