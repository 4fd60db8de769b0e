"""Name keys: when two written names can be the same entity (issue 13).

News writes one entity many ways: "Raymond W. Kelly" and "Raymond Kelly", "Dr. Regina
Benjamin", "Hewlett-Packard Co." and "HP", "COLTS" and "Colts". These pure functions
reduce a name to the key that the cross-article registry and the in-article merge
compare, so every variant rule lives in one place and is tested with properties.

Keys are folded (case, accents and dots ignored, see `fold`). A person's key keeps the
first and last name only: middle names and initials are often dropped ("Raymond Kelly"),
so keeping them would split one person; two people sharing both first and last name in
one corpus are rarer than that, and the same surname alone never merges two people here
(see registry.py).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..lexicon import wordset

__all__ = [
    "CORPORATE_SUFFIXES",
    "HONORIFICS",
    "NAME_SUFFIXES",
    "acronym",
    "alike_first_names",
    "deletions",
    "fold",
    "is_acronym",
    "name_key",
    "person_key",
    "same_first_name",
    "surname",
    "words",
]


HONORIFICS = wordset("mr mrs ms miss dr sir dame lord lady mx prof rev")
# Generational suffixes: "Arcade Joseph Comeaux Jr." is "Arcade Comeaux".
NAME_SUFFIXES = wordset("jr sr ii iii iv")
# Legal forms that the same company is written with or without.
CORPORATE_SUFFIXES = wordset("co corp corporation inc incorporated ltd llc plc company ag sa")
# Small words an acronym skips: "Bank of America" is "BoA"/"BA", never "BOA" letter for "of".
ACRONYM_SKIP = wordset("of and the for & de in on at to")
# Acronyms are short: "HP", "AMD", "NYPD"; a longer all-capitals word is a shouted name.
ACRONYM_LETTERS = (2, 5)
# Abbreviations a place name may open with: "Mt Cook" is "Mount Cook".
LEADING_ABBREVIATIONS = {"mt": "mount", "ft": "fort", "pt": "point"}
# British and American spellings of words names are made of ("Promises Treatment Centre").
SPELLINGS = {"centre": "center", "theatre": "theater", "defence": "defense", "harbour": "harbor"}
# Kinds of place a place name may end with or drop: "the Mediterranean (Sea)".
FEATURE_WORDS = frozenset({"sea", "ocean", "island", "isle", "river", "lake", "gulf", "strait"})
# A first name's short form has at least this many letters ("Fred", "Alex"; not "Al").
MIN_SHORT_FORM = 3


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case-, diacritic- and dot-insensitive key, so "Orbán" == "Orban" and "U.S." == "US".

    Cached: quote attribution folds every token of an article, and words repeat.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("’", "'").replace(".", "").casefold()
    return " ".join(plain.split())


_POSSESSIVE = re.compile(r"'s?$")


@lru_cache(maxsize=1 << 16)
def words(name: str) -> tuple[str, ...]:
    """Folded words of a name, hyphens as spaces and possessives off (cached: the merge
    and its replay at start-up key the same names again and again).

    >>> words("Hewlett-Packard's")
    ('hewlett', 'packard')
    """
    folded = _POSSESSIVE.sub("", fold(name))
    parts = [w for w in re.split(r"[\s\-–]+", folded) if w and w not in {"'", '"'}]
    if parts and parts[0] in LEADING_ABBREVIATIONS:
        parts[0] = LEADING_ABBREVIATIONS[parts[0]]
    return tuple(SPELLINGS.get(w, w) for w in parts)


def person_key(name: str) -> str:
    """First and last name (and a generational suffix), titles, initials and middle
    names dropped. The suffix stays: "Donald Trump Jr." is not his father.

    >>> person_key("Dr. Raymond W. Kelly"), person_key("Arcade Joseph Comeaux Jr.")
    ('raymond kelly', 'arcade comeaux jr')
    """
    parts = [w for w in words(name) if w not in HONORIFICS]
    suffix = [parts.pop()] if len(parts) > 2 and parts[-1] in NAME_SUFFIXES else []
    if len(parts) > 2:  # "W. Mark Felt" is Mark Felt: an initial is not a first name
        first = parts[0] if len(parts[0]) > 1 else parts[1]
        parts = [first, parts[-1]]
    return " ".join(parts + suffix)


def same_first_name(a: str, b: str) -> bool:
    """First names that can be one person's: equal, an initial of the other, or a short
    form the other begins with ("Fred" / "Frederick", "Alex" / "Alexander")."""
    short, long = sorted((a, b), key=len)
    if len(short) == 1:
        return long.startswith(short)
    return short == long or (len(short) >= MIN_SHORT_FORM and long.startswith(short))


def alike_first_names(a: str, b: str) -> bool:
    """First names that begin alike for `MIN_SHORT_FORM` letters or more: pet forms and
    spellings of one name ("Katie" / "Kathryn", "Bettie" / "Betty"). Weaker than
    `same_first_name` ("Mark" / "Mary" pass too), so used only with other evidence."""
    if min(len(a), len(b)) < MIN_SHORT_FORM:
        return False
    return a[:MIN_SHORT_FORM] == b[:MIN_SHORT_FORM]


def deletions(word: str) -> tuple[str, ...]:
    """The word and every form of it with one letter deleted: two words within one edit
    (a letter added, dropped, changed, or two swapped) share one of these, so a
    misspelt surname is found by lookup rather than by comparing every known one.

    >>> deletions("rait")
    ('rait', 'ait', 'rit', 'rat', 'rai')
    """
    return (word, *dict.fromkeys(word[:i] + word[i + 1 :] for i in range(len(word))))


def surname(key: str) -> str:
    """The family name of a person key: its last word before a suffix."""
    parts = key.split()
    return parts[-2] if len(parts) > 1 and parts[-1] in NAME_SUFFIXES else parts[-1]


@lru_cache(maxsize=1 << 16)
def name_key(name: str, type_: str) -> str:
    """The key two names of one entity share: a person's first and last name, else the
    folded words without a leading "the" or a trailing legal form ("Co.", "Inc.")."""
    if type_ == "PERSON":
        return person_key(name)
    parts = list(words(name))
    if type_ in {"LOC", "GPE"} and len(parts) > 1 and parts[-1] in FEATURE_WORDS:
        parts.pop()
    if parts and parts[0] == "the":
        parts.pop(0)
    while len(parts) > 1 and parts[-1] in CORPORATE_SUFFIXES:
        parts.pop()
    return " ".join(parts)


def is_acronym(text: str) -> bool:
    """An acronym as written: 2-5 capital letters (dots allowed), "HP", "A.M.D."."""
    letters = text.replace(".", "")
    low, high = ACRONYM_LETTERS
    return low <= len(letters) <= high and letters.isalpha() and letters.isupper()


def acronym(name: str) -> str | None:
    """The initials of a name of several words, or None.

    >>> acronym("Hewlett-Packard Co."), acronym("Advanced Micro Devices")
    ('hp', 'amd')
    """
    parts = [w for w in name_key(name, "ORG").split() if w not in ACRONYM_SKIP]
    if len(parts) < 2:
        return None
    return "".join(w[0] for w in parts)
