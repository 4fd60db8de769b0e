"""Titles and roles: "former U.S. President", "Hungary's prime minister".

Roles are kept per mention because corroboration compares them across sources and quote
attribution uses them to resolve descriptions such as "the former president". The title
lexicons also tell extraction which words before a name are not part of it.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from ..lexicon import wordset
from .names import fold

__all__ = [
    "DETERMINERS",
    "ROLE_MODIFIERS",
    "TITLE_NOUNS",
    "descriptor_heads",
    "role_appos",
    "role_left",
    "role_matches",
]


TITLE_NOUNS = wordset(
    "president minister chancellor secretary senator governor ceo spokesman spokeswoman "
    "spokesperson leader king queen pope general premier mayor ambassador envoy adviser "
    "advisor chairman chairwoman chair director commander prince princess judge justice "
    "congressman congresswoman lawmaker prosecutor attorney chief speaker emperor "
    "dictator admiral colonel lieutenant captain marshal sheikh ayatollah cardinal "
    "archbishop bishop founder coach candidate nominee representative"
)
# Titles that "the X leader" may stand for.
LEADER_TITLES = wordset(
    "president minister premier chancellor king queen leader emperor pope dictator"
)
GENERIC_HEADS = frozenset({"leader"})
ROLE_MODIFIERS = wordset(
    "former ex then acting interim incumbent outgoing incoming deputy vice prime foreign "
    "defense defence finance interior press state chief senior top special elect first "
    "national security white house"
)
DETERMINERS = frozenset({"the", "a", "an", "this", "that"})
# Nationality adjectives whose country name shares no 4-letter prefix with them.
NATIONALITY = {
    "american": "us",
    "british": "uk",
    "french": "france",
    "dutch": "netherlands",
    "swiss": "switzerland",
    "greek": "greece",
    "turkish": "turkey",
}


def _words(text: str) -> list[str]:
    """Folded words of a descriptor, possessives and hyphens removed."""
    cleaned = re.sub(r"['’]s\b", " ", fold(text)).replace("-", " ")
    return [w for w in re.findall(r"[^\W_]+", cleaned) if w not in DETERMINERS]


def descriptor_heads(text: str) -> set[str]:
    """Title nouns in a descriptor: "the former president" -> {"president"}.

    quotes.py uses this to decide whether a subject such as "the Russian leader" is a
    description of a person (and so resolvable through roles) at all.
    """
    return {w for w in _words(text) if w in TITLE_NOUNS}


def _word_in(word: str, pool: set[str]) -> bool:
    """True when a modifier matches a role word, tolerating nationality vs country."""
    forms = {word, NATIONALITY.get(word, word)}
    if forms & pool:
        return True
    return any(len(f) >= 4 and any(w[:4] == f[:4] for w in pool if len(w) >= 4) for f in forms)


def role_matches(description: str, role: str) -> bool:
    """Whether a description ("the former president") fits a role ("former U.S. President").

    Heads must agree ("leader" stands for any head-of-state title) and every modifier of
    the description must appear in the role, so "the former president" never matches a
    sitting "Russian President".
    """
    d_words, r_words = _words(description), set(_words(role))
    d_heads = {w for w in d_words if w in TITLE_NOUNS}
    r_heads = {w for w in r_words if w in TITLE_NOUNS}
    if not d_heads or not r_heads:
        return False
    generic = d_heads <= GENERIC_HEADS and bool(r_heads & LEADER_TITLES)
    if not (d_heads <= r_heads or generic):
        return False
    mods = [w for w in d_words if w not in d_heads]
    return all(_word_in(w, r_words) for w in mods)


def role_left(name_start: Token, prefix: tuple[Token, ...]) -> tuple[int, int] | None:
    """Character span of a title written before the name ("former U.S. President")."""
    doc, sent_start = name_start.doc, name_start.sent.start
    picked: list[Token] = list(prefix)
    i = (prefix[0].i if prefix else name_start.i) - 1
    while i >= sent_start:
        tok, low = doc[i], fold(doc[i].text)
        titled = any(fold(t.text) in TITLE_NOUNS for t in picked)
        ok = (
            low in TITLE_NOUNS
            or low in ROLE_MODIFIERS
            or tok.text in {"-", "’s", "'s"}
            or tok.ent_type_ in {"NORP", "GPE", "ORG", "LOC"}
            or (titled and tok.tag_ == "NNP" and tok.ent_type_ not in {"DATE", "TIME"})
            or (low == "of" and bool(picked) and titled and i > sent_start)
        )
        if not ok:
            break
        picked.insert(0, tok)
        i -= 1
    while picked and (fold(picked[0].text) in {"of", "-", "'s"} or picked[0].tag_ == "POS"):
        picked.pop(0)
    if not any(fold(t.text) in TITLE_NOUNS for t in picked):
        return None
    return picked[0].idx, picked[-1].idx + len(picked[-1].text)


def _role_tokens(head: Token) -> tuple[int, int] | None:
    """Span of a title noun phrase used appositively, without its determiner."""
    if fold(head.text) not in TITLE_NOUNS:
        return None
    left = [t for t in head.subtree if t.i <= head.i]
    right = [head]
    for child in head.rights:
        if child.dep_ == "prep" and fold(child.text) == "of":
            right.extend(child.subtree)
    tokens = [t for t in left if t.i < head.i] + right
    while tokens and (fold(tokens[0].text) in DETERMINERS or tokens[0].is_punct):
        tokens.pop(0)
    if not tokens or len(tokens) > 8:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def role_appos(name_root: Token) -> tuple[int, int] | None:
    """Appositive roles: "Viktor Orbán, Hungary's prime minister," and the reverse order."""
    for child in name_root.children:
        if child.dep_ == "appos" and child.i > name_root.i:
            found = _role_tokens(child)
            if found:
                return found
    head = name_root.head
    if name_root.dep_ == "appos" and head.i < name_root.i and head.tag_ != "NNP":
        return _role_tokens(head)
    return None
