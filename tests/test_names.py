"""Name keys (names.py): the variants one entity is written with, and what stays apart."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from newsprism.analyse.names import (
    acronym,
    alike_first_names,
    deletions,
    fold,
    is_acronym,
    name_key,
    person_key,
    same_first_name,
    surname,
    words,
)

NAME = st.lists(
    st.text(alphabet=string.ascii_letters + "éö", min_size=1, max_size=10), min_size=1, max_size=4
).map(" ".join)


def test_person_key_drops_titles_middle_names_and_initials() -> None:
    assert person_key("Raymond W. Kelly") == person_key("Raymond Kelly") == "raymond kelly"
    assert person_key("Dr. Regina M. Benjamin") == "regina benjamin"
    assert person_key("W. Mark Felt") == "mark felt"  # an initial is not the first name
    assert person_key("Arcade Joseph Comeaux Jr.") == "arcade comeaux jr"
    assert person_key("Donald Trump Jr.") != person_key("Donald Trump")  # son, not father


def test_name_key_variants() -> None:
    assert name_key("Hewlett-Packard Co.", "ORG") == name_key("Hewlett Packard", "ORG")
    assert name_key("COLTS", "ORG") == name_key("Colts", "PERSON") == "colts"
    assert name_key("the Indianapolis Colts'", "ORG") == "indianapolis colts"
    assert name_key("Mt Cook", "LOC") == name_key("Mount Cook", "LOC")
    assert name_key("Promises Treatment Centre", "ORG") == "promises treatment center"
    assert name_key("Mediterranean Sea", "LOC") == name_key("Mediterranean", "LOC")
    assert name_key("Kansas City", "GPE") != name_key("Kansas", "GPE")


def test_acronyms() -> None:
    assert acronym("Hewlett-Packard") == "hp"
    assert acronym("Advanced Micro Devices, Inc.") == "amd"
    assert acronym("Bank of America") == "ba"
    assert acronym("Microsoft") is None
    assert is_acronym("HP") and is_acronym("A.M.D.") and not is_acronym("Colts")
    assert not is_acronym("SEACOMS")  # too long to be an acronym: a shouted name


def test_first_names() -> None:
    assert same_first_name("fred", "frederick") and same_first_name("frederick", "fred")
    assert same_first_name("r", "raymond")
    assert not same_first_name("al", "alfred")  # too short to tell
    assert not same_first_name("katie", "kathryn") and not same_first_name("john", "joan")
    assert surname("arcade comeaux jr") == "comeaux" and surname("mark felt") == "felt"


@given(NAME)
def test_keys_ignore_case_dots_and_possessives(name: str) -> None:
    for type_ in ("PERSON", "ORG", "GPE"):
        key = name_key(name, type_)
        assert name_key(name.upper(), type_) == key
        assert name_key(name.replace(" ", ". "), type_) == key
        assert name_key(name + "'s", type_) == key


@given(NAME)
def test_person_key_is_idempotent_and_at_most_three_words(name: str) -> None:
    key = person_key(name)
    assert person_key(key) == key
    assert len(key.split()) <= 3
    assert words(key) == tuple(key.split())


@given(NAME, NAME)
def test_same_first_name_is_symmetric(a: str, b: str) -> None:
    a, b = fold(a).split()[0] if fold(a) else "x", fold(b).split()[0] if fold(b) else "y"
    assert same_first_name(a, b) == same_first_name(b, a)
    assert same_first_name(a, a)


def test_alike_first_names() -> None:
    assert alike_first_names("katie", "kathryn") and alike_first_names("bettie", "betty")
    assert not alike_first_names("john", "joan") and not alike_first_names("al", "alfred")


@given(st.text(alphabet="abcdefghij", max_size=8), st.text(alphabet="abcdefghij", max_size=8))
def test_alike_first_names_is_symmetric_and_weaker_than_same(a: str, b: str) -> None:
    assert alike_first_names(a, b) == alike_first_names(b, a)
    if len(a) > 1 and len(b) > 1 and same_first_name(a, b):
        assert alike_first_names(a, b) or min(len(a), len(b)) < 3


@given(st.text(alphabet="abcde", min_size=1, max_size=8), st.data())
def test_words_one_edit_apart_share_a_deletion(word: str, data: st.DataObject) -> None:
    """`deletions` finds every one-letter insertion, deletion and substitution."""
    i = data.draw(st.integers(0, len(word) - 1))
    letter = data.draw(st.sampled_from("abcdef"))
    for other in (word[:i] + word[i + 1 :], word[:i] + letter + word[i + 1 :],
                  word[:i] + letter + word[i:]):  # fmt: skip
        if other:
            assert set(deletions(word)) & set(deletions(other))
    assert deletions(word)[0] == word
