"""Named-entity mentions of one article, their in-article canonical names and roles.

spaCy's small model finds the spans but gets the *identity* of short names wrong
(GUIDE §4: a bare "Trump" comes out ORG more often than PERSON, "Kyiv" often PERSON).
News style helps: a person is introduced once in full ("former U.S. President Donald
Trump") and then by surname, so a surname is resolved to the PERSON of that surname
nearest before it in the same article (issue 13: two Petersons of one story stay two).
A name's type is decided by all its mentions in the article, not each mention's label
("Colts" PERSON beside "Colts" ORG), an acronym takes the name it abbreviates in the
article ("HP" after "Hewlett-Packard"), and a team's short name its full one ("Colts"
after "Indianapolis Colts"). Where the names are (headlines, line breaks, untagged
names) is name_spans.py; the merge across articles is registry.py.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..models import Mention
from .name_spans import MISC, is_edge, named_spans
from .names import HONORIFICS, acronym, fold, is_acronym, person_key, words
from .registry import EntityRegistry, normalise_variant
from .roles import (
    DETERMINERS,
    ROLE_MODIFIERS,
    TITLE_NOUNS,
    descriptor_heads,
    role_appos,
    role_left,
    role_matches,
)

__all__ = [
    "DETERMINERS",
    "ENTITY_TYPES",
    "TITLE_NOUNS",
    "EntityRegistry",
    "descriptor_heads",
    "extract_mentions",
    "fold",
    "normalise_variant",
    "role_matches",
]

# Named things a news claim can be about; WORK_OF_ART, LAW and PRODUCT too ("American
# Pie", "the Endangered Species Act", "Toyota Camry"), which news reports as participants.
ENTITY_TYPES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
)
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
# Labels a bare surname may wrongly carry in an article that names the person in full
# (the model's known confusions: "Cheeks" LOC, "Chohan" FAC, "Trump" ORG).
SURNAME_LABELS = ENTITY_TYPES | {MISC}
_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")


@dataclass(slots=True)
class _Raw:
    """A mention under construction: token span, offsets and the name proper."""

    span: Span
    start: int
    end: int
    type: str
    name: tuple[Token, ...]

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(fold(t.text) for t in self.name)


def _is_title_token(tok: Token) -> bool:
    low = fold(tok.text)
    return low in TITLE_NOUNS or low in ROLE_MODIFIERS or low in HONORIFICS


def _raw_mention(ent: Span) -> _Raw | None:
    """Trim "the" and a possessive off an entity span; split off title prefixes.

    A span that is only titles ("Dr", "President") names no one and is dropped.
    """
    tokens = list(ent)
    # "the `` Twilight ''": the quote after "the" opens the name only once "the" is off
    while tokens and (fold(tokens[0].text) == "the" or is_edge(tokens[0])):
        tokens.pop(0)
    while tokens and (tokens[-1].tag_ == "POS" or tokens[-1].text in {"’s", "'s", "’"}):
        tokens.pop()
    if not tokens or all(_is_title_token(t) for t in tokens):
        return None
    start, last = tokens[0].idx, tokens[-1]
    end = last.idx + len(_POSSESSIVE.sub("", last.text) or last.text)
    name = list(tokens)
    if ent.label_ == "PERSON":
        while len(name) > 1 and _is_title_token(name[0]):
            name.pop(0)
    return _Raw(ent, start, end, ent.label_, tuple(name))


def _display(raw: _Raw, doc_text: str) -> str:
    text = doc_text[raw.name[0].idx : raw.end]
    return _POSSESSIVE.sub("", text) if text.endswith(("’s", "'s")) else text


def _locative_object(tok: Token) -> bool:
    """Object of a place preposition ("in Kyiv") — people are rarely "in" someone."""
    return tok.dep_ == "pobj" and fold(tok.head.text) in {"in", "near", "across", "throughout"}


def _coordinated_with_place(tok: Token) -> bool:
    """Parallel to a place in a coordination: "Moscow's demands and Kyiv's concerns"."""
    head = tok.head
    partners: list[Token] = []
    if tok.dep_ == "conj":
        partners.append(head)
    partners.extend(c for c in tok.children if c.dep_ == "conj")
    if head.dep_ == "conj":
        partners.extend(c for c in head.head.children if c.dep_ == tok.dep_)
    partners.extend(
        c for h in head.children if h.dep_ == "conj" for c in h.children if c.dep_ == tok.dep_
    )
    return any(p.ent_type_ in PLACE_TYPES for p in partners)


def _full_names(raws: list[_Raw], types: dict[tuple[str, ...], str]) -> list[_Raw]:
    """Mentions of several-word person names (by the article's vote on each name)."""
    return [r for r in raws if len(r.name) > 1 and types[r.key] == "PERSON"]


def _surname_of(raw: _Raw) -> str | None:
    """The surname a one-word mention may be ("Obama", "Obama's"), else None."""
    parts = words(" ".join(t.text for t in raw.name))
    return parts[0] if len(parts) == 1 else None


def _person_for(raw: _Raw, full: list[_Raw]) -> _Raw | None:
    """The person a bare surname (or first name) refers to: the nearest full name before
    it that fits, else the nearest after it (issue 13: of two Petersons, the one in play).
    A first name alone counts only when one person of the article has it."""
    if raw.type not in SURNAME_LABELS or (
        raw.type in PLACE_TYPES and _locative_object(raw.span.root)
    ):
        return None
    name = _surname_of(raw)
    if name is None:
        return None
    keys = {id(r): person_key(" ".join(t.text for t in r.name)).split() for r in full}
    owners = [r for r in full if keys[id(r)][-1:] == [name] or r.key[-1:] == (name,)]
    if not owners:
        firsts = [r for r in full if keys[id(r)][:1] == [name]]
        owners = firsts if len({" ".join(keys[id(r)]) for r in firsts}) == 1 else []
    if not owners:
        return None
    before = [r for r in owners if r.start < raw.start]
    return max(before, key=lambda r: r.start) if before else min(owners, key=lambda r: r.start)


def _missed_surnames(doc: Doc, full: list[_Raw], raws: list[_Raw]) -> list[_Raw]:
    """Untagged tokens spelling the surname of a full name in the article.

    The small model drops bare surnames now and then (e.g. after a line break); a
    capitalised token equal to a known surname is the same person in news prose.
    """
    surnames = {r.key[-1] for r in full}
    covered = {i for r in raws for i in range(r.span.start, r.span.end)}
    found = []
    for tok in doc:
        if tok.i not in covered and tok.is_title and fold(tok.text) in surnames:
            raw = _raw_mention(Span(doc, tok.i, tok.i + 1, label="PERSON"))
            if raw is not None:
                found.append(raw)
    return found


def _surface_types(raws: list[_Raw]) -> dict[tuple[str, ...], str]:
    """One type per surface name, by the votes of all its mentions in the article.

    A one-word name tagged both PERSON and a place is a place (the model's "Kyiv"
    PERSON, GUIDE §4); PERSON beats ORG (a surname tagged ORG); an untyped name (MISC)
    takes any typed reading; otherwise the majority.
    """
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for raw in raws:
        votes[raw.key][raw.type] += 1
    types: dict[tuple[str, ...], str] = {}
    for key, count in votes.items():
        typed = Counter({t: n for t, n in count.items() if t != MISC}) or count
        places = [t for t in typed if t in PLACE_TYPES]
        if "PERSON" in typed and places and len(key) == 1:
            types[key] = max(places, key=lambda t: typed[t])
        elif "PERSON" in typed and "ORG" in typed and typed["PERSON"] >= typed["ORG"]:
            types[key] = "PERSON"
        else:
            types[key] = typed.most_common(1)[0][0]
    return types


def _orphan_places(raws: list[_Raw], full: list[_Raw]) -> set[tuple[str, ...]]:
    """Single-token "persons" with no full name that the syntax shows to be places.

    Every occurrence of the word counts as evidence, tagged or not ("concerns in Kyiv").
    """
    orphans = {
        r.key
        for r in raws
        if r.type == "PERSON" and len(r.name) == 1 and _person_for(r, full) is None
    }
    if not orphans or not raws:
        return set()
    doc = raws[0].span.doc
    return {
        (fold(t.text),)
        for t in doc
        if (fold(t.text),) in orphans and (_locative_object(t) or _coordinated_with_place(t))
    }


def _role(raw: _Raw, doc_text: str) -> str | None:
    prefix = tuple(t for t in raw.span if t.i < raw.name[0].i and fold(t.text) != "the")
    span = role_left(raw.name[0], prefix) or role_appos(raw.name[-1])
    return doc_text[span[0] : span[1]] if span else None


def _long_forms(mentions: list[Mention]) -> list[Mention]:
    """Acronyms and short names replaced by the article's long form of them.

    "HP" after "Hewlett-Packard" (its initials), "Colts" after "Indianapolis Colts"
    (its last word), an untagged "Promises" beside "Promises Treatment Center" or
    "Academy" beside "Academy of Motion Picture Arts and Sciences" (its first word),
    when exactly one long form of the article fits; never for people (surnames are
    `_person_for`'s) nor places.
    """
    long = {m.canonical: m.type for m in mentions if " " in m.canonical or "-" in m.canonical}
    long = {n: t for n, t in long.items() if t not in PLACE_TYPES | {"PERSON", "NORP"}}
    by_initials: dict[str, set[str]] = defaultdict(set)
    by_last: dict[str, set[str]] = defaultdict(set)
    by_first: dict[str, set[str]] = defaultdict(set)
    for name in long:
        if initials := acronym(name):
            by_initials[initials].add(name)
        by_last[words(name)[-1]].add(name)
        by_first[words(name)[0]].add(name)
    out = []
    for m in mentions:
        key = fold(m.canonical)
        options = set()
        if m.type not in PLACE_TYPES | {"PERSON", "NORP"} and m.canonical not in long:
            options = by_initials[key] if is_acronym(m.canonical) else by_last[key]
            if not options and " " not in key:
                # "Promises" (untagged) for "Promises Treatment Center"; the head of an
                # "of" name for it ("Academy"), never a name of its own ("Microsoft")
                options = {n for n in by_first[key] if m.type == MISC or _of_name(n)}
        if len(options) == 1:
            name = next(iter(options))
            m = Mention(m.start, m.end, m.text, long[name], name, m.role)
        out.append(m)
    return out


def _of_name(name: str) -> bool:
    """A name made of a head noun and an "of" phrase ("Academy of Motion Picture Arts
    and Sciences", "Department of Justice"), whose head alone is its short form."""
    parts = words(name)
    return len(parts) > 2 and parts[1] == "of"


def _inner_names(mentions: list[Mention]) -> list[Mention]:
    """A name with extra words around another name of the article becomes that name:
    "Comedian Ellen DeGeneres" or a headline's "Lindsay Lohan Checks" beside "Ellen
    DeGeneres" and "Lindsay Lohan" (two words at least, so no word is read as a name)."""
    names = {tuple(words(m.canonical)): m for m in mentions}
    out = []
    for m in mentions:
        parts = words(m.canonical)
        for size in range(len(parts) - 1, 1, -1):
            inner = [
                names[k]
                for start in range(len(parts) - size + 1)
                if (k := parts[start : start + size]) in names
                # a place inside a place only: "Kansas City Chiefs" is no city
                and (names[k].type not in PLACE_TYPES or m.type in PLACE_TYPES)
            ]
            if inner:
                m = Mention(m.start, m.end, m.text, inner[0].type, inner[0].canonical, m.role)
                break
        out.append(m)
    return out


def extract_mentions(doc: Doc) -> list[Mention]:
    """Named mentions of one article with in-article canonical names, types and roles.

    Offsets are exact (`doc.text[m.start:m.end] == m.text`); the canonical name is the
    PERSON name the article uses in full for the same person, titles stripped.
    `doc.text` is rebuilt from the tokens on every access, so it is read once here.
    """
    doc_text = doc.text
    raws = [r for s in named_spans(doc, ENTITY_TYPES) if (r := _raw_mention(s))]
    full = _full_names(raws, _surface_types(raws))
    raws = sorted(raws + _missed_surnames(doc, full, raws), key=lambda r: r.start)
    types = _surface_types(raws)
    places = _orphan_places(raws, full)
    mentions = []
    for raw in raws:
        owner = _person_for(raw, full)
        if owner is not None:
            canonical, type_ = _display(owner, doc_text), "PERSON"
        else:
            type_ = "GPE" if raw.key in places else types[raw.key]
            canonical = normalise_variant(_display(raw, doc_text), type_)
        role = _role(raw, doc_text) if type_ == "PERSON" else None
        text = doc_text[raw.start : raw.end]
        mentions.append(Mention(raw.start, raw.end, text, type_, canonical, role))
    return _long_forms(_inner_names(mentions))
