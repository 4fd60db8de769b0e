"""False alarms on unperturbed stories (issue 12): one test per class, on hand-made facts.

Each class was flagged as a contradiction on real, unchanged multi-outlet stories of the
contradiction probe (bench/README.md, "Claims (issue 12)"). Every regression test first
checks that the clash is still *found* among the raw value clashes (so it would have been
reported before the filter), then that the story reports no conflict; the real
disagreements of the same shape stay flagged.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.analyse.dates import extract_dates
from newsprism.analyse.quantities import extract_quantities
from newsprism.corroborate.alarms import dismissal
from newsprism.corroborate.align import key_weights, link_facts, similarities
from newsprism.corroborate.facts import StoryArticle, story_facts
from newsprism.corroborate.ledger import quote_ledger
from newsprism.corroborate.places import gazetteer
from newsprism.corroborate.representatives import represented_pairs, speaks_for
from newsprism.corroborate.slots import fact_slots
from newsprism.corroborate.story import Disputes, claims_of
from newsprism.corroborate.subjects import anchor, not_a_name, numbers_in
from newsprism.corroborate.verdict import negation_conflict, same_statement
from newsprism.models import Analysis, Mention, Quote, Sentence
from test_corroborate import toy_vector

NAMES = {
    "Andre Miller": ("Andre Miller", "PERSON"),
    "Andre Iguodala": ("Andre Iguodala", "PERSON"),
    "Iguodala": ("Andre Iguodala", "PERSON"),
    "Mark Teixeira": ("Mark Teixeira", "PERSON"),
    "Teixeira": ("Mark Teixeira", "PERSON"),
    "Orioles": ("Orioles", "ORG"),
    "Red Sox": ("Red Sox", "ORG"),
    "Georgia": ("Georgia", "GPE"),
    "Atlanta": ("Atlanta", "GPE"),
    "Newport Beach": ("Newport Beach", "GPE"),
    "Malibu": ("Malibu", "GPE"),
    "Tara Reid": ("Tara Reid", "PERSON"),
    "Jack Ketsoyan": ("Jack Ketsoyan", "PERSON"),
    "Ketsoyan": ("Jack Ketsoyan", "PERSON"),
    "Anna Berg": ("Anna Berg", "PERSON"),
    "Tom Miller": ("Tom Miller", "PERSON"),
    "Gary Ross": ("Gary Ross", "PERSON"),
    "Sheriff": ("Sheriff", "PERSON"),
    "Ralph LaCalamita": ("Ralph LaCalamita", "PERSON"),
    "Dan Rait": ("Dan Rait", "PERSON"),
    "New Zealander": ("New Zealander", "PERSON"),
}
QUOTE = re.compile(r"“([^”]+)”")


def mentions_in(text: str) -> list[Mention]:
    out: list[Mention] = []
    for surface in sorted(NAMES, key=len, reverse=True):
        for m in re.finditer(rf"\b{re.escape(surface)}\b", text):
            if not any(x.start <= m.start() < x.end for x in out):
                canonical, type_ = NAMES[surface]
                out.append(Mention(m.start(), m.end(), surface, type_, canonical))
    return sorted(out, key=lambda m: m.start)


def article(id_: str, text: str, speaker: str | None = None) -> StoryArticle:
    """One sentence per line; a “quote” is given to `speaker`, confidently named."""
    sentences, pos = [], 0
    for line in text.split("\n"):
        sentences.append(Sentence(pos, pos + len(line), line))
        pos += len(line) + 1
    quotes = [
        Quote(m.start(1), m.end(1), m.group(1), speaker, "say", attribution="named",
              confident=True)
        for m in QUOTE.finditer(text)
    ]  # fmt: skip
    an = Analysis(lang="en", sentences=sentences, mentions=mentions_in(text), quotes=quotes,
                  quantities=extract_quantities(text), dates=extract_dates(text, None))  # fmt: skip
    art = StoryArticle(id_, id_, text, None, id_, None, None, None, id_, an)
    art.vectors = np.stack([toy_vector(s.text) for s in sentences])
    return art


def raw_and_reported(*arts: StoryArticle) -> tuple[list[str], list[str]]:
    """(kinds of the raw value clashes, kinds of the conflicts the story reports)."""
    arts_ = list(arts)
    facts = story_facts(arts_)
    links = link_facts(facts, similarities(facts), key_weights(facts))
    slots = [fact_slots(f, i) for i, f in enumerate(facts)]
    raw = Disputes.find(facts, links, slots, arts_).clashes
    claims = claims_of(arts_, np.zeros(256, np.float32), facts).claims
    return [c.kind for c in raw], [c.kind for cl in claims for c in cl.conflicts]


# ----------------------------------------------------------------------------- numbers


def test_statistics_of_two_named_players_are_no_dispute() -> None:
    a = article("a", "Andre Miller is averaging 15.5 points per game this season.")
    b = article("b", "Iguodala is averaging just 14.9 points per game this season.")
    raw, reported = raw_and_reported(a, b)
    assert raw == ["number"] and reported == []


def test_one_players_statistic_given_two_values_stays_a_dispute() -> None:
    a = article("a", "Andre Miller is averaging 15.5 points per game this season.")
    b = article("b", "Andre Miller is averaging 12.5 points per game this season.")
    assert raw_and_reported(a, b) == (["number"], ["number"])


def test_offers_of_two_teams_to_one_player_are_no_dispute() -> None:
    a = article("a", "The Orioles offered Teixeira a seven-year deal worth $150 million.")
    b = article("b", "The Red Sox offered Teixeira a seven-year deal worth $184 million.")
    raw, reported = raw_and_reported(a, b)
    assert "number" in raw and reported == []


def test_an_offset_is_not_a_length() -> None:
    a = article("a", "Drake, which beat Bradley in the play-in round just 18 hours earlier, lost.")
    b = article(
        "b", "Drake, which beat Bradley in the play-in round, hung on for about 30 minutes."
    )
    facts = story_facts([a, b])
    sa, sb = fact_slots(facts[0], 0), fact_slots(facts[1], 1)
    (da,) = [s for s in sa if s.kind == "duration"]
    (db,) = [s for s in sb if s.kind == "duration"]
    assert (anchor(da, facts[0]), anchor(db, facts[1])) == ("earlier", "span")
    c = article("c", "The new rules will take effect in about 30 days.")
    (dc,) = [s for s in fact_slots(story_facts([c])[0], 0) if s.kind == "duration"]
    assert anchor(dc, story_facts([c])[0]) == "in"


def test_two_lengths_of_one_thing_stay_a_dispute() -> None:
    a = article("a", "LaRue served four months in federal prison for conspiracy.")
    b = article("b", "LaRue served five months in federal prison for conspiracy.")
    assert raw_and_reported(a, b) == (["duration"], ["duration"])


def test_both_numbers_stated_on_both_sides_are_two_parts_of_the_event() -> None:
    a = article("a", "A gunman shot three people at the accounting firm on Monday, killing one.")
    b = article(
        "b", "A gunman shot one person to death at the accounting firm on Monday and injured two."
    )
    raw, reported = raw_and_reported(a, b)
    assert "number" in raw and reported == []


def test_tokenised_magnitudes_are_one_value() -> None:
    same = raw_and_reported(
        article("a", "An earthquake measuring magnitude - 5. 9 shook southern Iran on Sunday."),
        article("b", "A 5. 9 magnitude earthquake shook southern Iran on Sunday."),
    )
    assert same == ([], [])
    differ = raw_and_reported(
        article("a", "The 6. 1 - magnitude quake struck Qeshm island on Sunday."),
        article("b", "The 5. 9 - magnitude quake struck Qeshm island on Sunday."),
    )
    assert differ == (["number"], ["number"])


def test_a_spaced_thousands_group_is_one_number() -> None:
    (f,) = story_facts([article("a", "Qeshm, a 1, 500 - square - kilometer island, lies south.")])
    assert numbers_in(f) == {1500.0}
    (g,) = story_facts([article("a", "She was born on April 22, 1923 in Nashville.")])
    assert numbers_in(g) == {22.0, 1923.0}  # a date's day and year are two numbers


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("No one else was hurt, and one of them fled.", set()),
        ("Every one of the two boats sank; one man died.", {2.0, 1.0}),
    ],
)
def test_one_as_a_pronoun_is_no_number(text: str, want: set[float]) -> None:
    (f,) = story_facts([article("a", text)])
    assert numbers_in(f) == want


@given(st.integers(min_value=0, max_value=10**9))
def test_numbers_in_reads_every_written_number(n: int) -> None:
    text = f"They counted {n:,} votes and seven recounts."
    (f,) = story_facts([article("a", text)])
    assert {float(n), 7.0} <= numbers_in(f)


def test_the_day_a_statement_was_made_is_not_the_day_of_the_event() -> None:
    a = article("a", "A bomb exploded at an Oregon bank late Friday, killing a police officer.")
    b = article(
        "b", "A bomb exploded at an Oregon bank, killing a police officer, officials said Saturday."
    )
    raw, reported = raw_and_reported(a, b)
    assert raw == ["date"] and reported == []


def test_two_days_of_one_event_stay_a_dispute() -> None:
    a = article("a", "A bomb exploded at an Oregon bank late Friday, killing a police officer.")
    b = article("b", "A bomb exploded at an Oregon bank late Saturday, killing a police officer.")
    assert raw_and_reported(a, b) == (["date"], ["date"])


# ----------------------------------------------------------------------------- places


def test_a_city_inside_its_state_is_no_dispute() -> None:
    assert gazetteer().nested("Georgia", "Atlanta")
    a = article("a", "The fatal police shooting in Georgia was ruled a homicide on Sunday.")
    b = article("b", "The fatal police shooting in Atlanta was ruled a homicide on Sunday.")
    raw, reported = raw_and_reported(a, b)
    assert raw == ["place"] and reported == []


def test_two_cities_stay_a_dispute() -> None:
    assert not gazetteer().nested("Newport Beach", "Malibu")
    a = article("a", "Lindsay Lohan checked into a rehab facility in Newport Beach on Thursday.")
    b = article("b", "Lindsay Lohan checked into a rehab facility in Malibu on Thursday.")
    assert raw_and_reported(a, b) == (["place"], ["place"])


def test_places_nest_only_with_the_gazetteer_setting() -> None:
    a = article("a", "The fatal police shooting in Georgia was ruled a homicide on Sunday.")
    b = article("b", "The fatal police shooting in Atlanta was ruled a homicide on Sunday.")
    facts = story_facts([a, b])
    claims = claims_of([a, b], np.zeros(256, np.float32), facts, gazetteer=False).claims
    assert [c.kind for cl in claims for c in cl.conflicts] == ["place"]


# ----------------------------------------------------------------------------- people


@pytest.mark.parametrize("text", ["Sheriff", "Sheriff's", "New Zealander", "Police"])
def test_titles_and_demonyms_name_no_one(text: str) -> None:
    assert not_a_name(text, gazetteer())


@pytest.mark.parametrize("text", ["Dan Rait", "A.J. Smith", "Mark Cuban", "Jordan"])
def test_names_are_names(text: str) -> None:
    assert not not_a_name(text, gazetteer())


def test_a_person_slot_without_a_name_is_no_dispute() -> None:
    a = article("a", "The man, a New Zealander living in Melbourne, planned to go ski touring.")
    b = article("b", "Dan Rait, living in Melbourne, planned to go ski touring.")
    facts = story_facts([a, b])
    slots = [fact_slots(f, i) for i, f in enumerate(facts)]
    from newsprism.corroborate.disputes import agent_clash

    clash = agent_clash(
        facts[0], facts[1], slots[0], slots[1], {"a": frozenset(), "b": frozenset()}
    )
    assert clash is not None and dismissal(clash, facts) == "not a person"


def test_words_relayed_by_a_representative_are_no_speaker_dispute() -> None:
    said = "“We appreciate your respect to her privacy,”"
    a = article("a", f"{said} the actress's rep Jack Ketsoyan said.\nTara Reid is in rehab.",
                speaker="Jack Ketsoyan")  # fmt: skip
    b = article("b", f"{said} Tara Reid said.", speaker="Tara Reid")
    facts = story_facts([a, b])
    assert speaks_for("Tara Reid", "Jack Ketsoyan", represented_pairs(facts))
    _, conflicts = quote_ledger(facts)
    assert conflicts == []


def test_two_unrelated_confident_speakers_stay_a_dispute() -> None:
    said = "“We will not accept any deal that leaves us without a home,”"
    a = article("a", f"{said} Anna Berg said.", speaker="Anna Berg")
    b = article("b", f"{said} Tom Miller said.", speaker="Tom Miller")
    _, conflicts = quote_ledger(story_facts([a, b]))
    assert [c.kind for c in conflicts] == ["speaker"]


# ----------------------------------------------------------------------------- negation


def test_a_verb_that_denies_is_no_negation_conflict() -> None:
    neg = article("a", "Gary Ross will not direct the Hunger Games sequel Catching Fire.")
    pos = article(
        "b", "Gary Ross pulled out of talks to direct the Hunger Games sequel Catching Fire."
    )
    yes = article("c", "Gary Ross is set to direct the Hunger Games sequel Catching Fire.")
    fn, fp, fy = story_facts([neg, pos, yes])
    sim = float(fn.vector @ fp.vector)
    assert same_statement(fn, fp, sim, set())
    assert negation_conflict(fn, fp, sim) is None
    assert negation_conflict(fn, fy, float(fn.vector @ fy.vector)) is not None
