"""Named-entity mentions, their canonical names and role descriptors.

spaCy's small model finds the spans but gets the *identity* of short names wrong
(GUIDE §4: a bare "Trump" comes out ORG more often than PERSON, "Kyiv" often PERSON).
News style helps: a person is introduced once in full ("former U.S. President Donald
Trump") and then by surname, so a surname is resolved to the fullest PERSON name of
the same article; `EntityRegistry` does the same across articles. Roles ("Russian
President") are kept per mention because corroboration compares them across sources
and quote attribution uses them to resolve descriptions such as "the former president".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..models import Mention

__all__ = [
    "TITLE_NOUNS",
    "EntityRegistry",
    "descriptor_heads",
    "extract_mentions",
    "fold",
    "normalise_variant",
    "role_matches",
]


def _wordset(words: str) -> frozenset[str]:
    """A lexicon written as one string, so the tables stay readable."""
    return frozenset(words.split())


ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
# Labels a bare surname may wrongly carry (the model's known confusions).
SURNAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})

TITLE_NOUNS = _wordset(
    "president minister chancellor secretary senator governor ceo spokesman spokeswoman "
    "spokesperson leader king queen pope general premier mayor ambassador envoy adviser "
    "advisor chairman chairwoman chair director commander prince princess judge justice "
    "congressman congresswoman lawmaker prosecutor attorney chief speaker emperor "
    "dictator admiral colonel lieutenant captain marshal sheikh ayatollah cardinal "
    "archbishop bishop founder coach candidate nominee representative"
)
# Titles that "the X leader" may stand for.
LEADER_TITLES = _wordset(
    "president minister premier chancellor king queen leader emperor pope dictator"
)
GENERIC_HEADS = frozenset({"leader"})
ROLE_MODIFIERS = _wordset(
    "former ex then acting interim incumbent outgoing incoming deputy vice prime foreign "
    "defense defence finance interior press state chief senior top special elect first "
    "national security white house"
)
HONORIFICS = _wordset("mr mrs ms miss dr sir dame lord lady")
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
_VARIANTS = {
    "United States": ("us", "usa", "united states", "united states of america"),
    "United Kingdom": ("uk", "united kingdom", "britain", "great britain"),
    "European Union": ("eu", "european union"),
    "United Nations": ("un", "united nations"),
}
VARIANTS = {key: name for name, keys in _VARIANTS.items() for key in keys}
_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case-, diacritic- and dot-insensitive key, so "Orbán" == "Orban" and "U.S." == "US".

    Cached: quote attribution folds every token of an article, and words repeat.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("’", "'").replace(".", "").casefold()
    return " ".join(plain.split())


def normalise_variant(name: str, type_: str) -> str:
    """Map obvious spelling variants of a few places/bodies to one display name."""
    if type_ in {"GPE", "ORG", "LOC"}:
        return VARIANTS.get(fold(name), name)
    return name


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
    """Trim "the" and a possessive off an entity span; split off title prefixes."""
    tokens = list(ent)
    while tokens and fold(tokens[0].text) in {"the"}:
        tokens.pop(0)
    while tokens and (tokens[-1].tag_ == "POS" or tokens[-1].text in {"’s", "'s", "’"}):
        tokens.pop()
    if not tokens:
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


def _full_names(raws: list[_Raw]) -> dict[tuple[str, ...], list[_Raw]]:
    """Multi-token PERSON names of the article, by folded name."""
    names: dict[tuple[str, ...], list[_Raw]] = defaultdict(list)
    for raw in raws:
        if raw.type == "PERSON" and len(raw.name) > 1:
            names[raw.key].append(raw)
    return names


def _person_for(raw: _Raw, full: dict[tuple[str, ...], list[_Raw]]) -> _Raw | None:
    """The full-name PERSON a surname (or name suffix) refers to, nearest first."""
    if raw.type not in SURNAME_LABELS or (
        raw.type in PLACE_TYPES and _locative_object(raw.span.root)
    ):
        return None
    key = raw.key
    options = [rs for name, rs in full.items() if len(name) > len(key) and name[-len(key) :] == key]
    if not options:
        return None
    longest = max(len(rs[0].name) for rs in options)
    owners = [r for rs in options if len(rs[0].name) == longest for r in rs]
    before = [r for r in owners if r.start < raw.start]
    return max(before, key=lambda r: r.start) if before else min(owners, key=lambda r: r.start)


def _missed_surnames(doc: Doc, full: dict[tuple[str, ...], list[_Raw]]) -> list[_Raw]:
    """Untagged tokens spelling the surname of a full name in the article.

    The small model drops bare surnames now and then (e.g. after a line break); a
    capitalised token equal to a known surname is the same person in news prose.
    """
    surnames = {name[-1] for name in full}
    found = []
    for tok in doc:
        if not tok.ent_type_ and tok.is_title and fold(tok.text) in surnames:
            raw = _raw_mention(Span(doc, tok.i, tok.i + 1, label="PERSON"))
            if raw is not None:
                found.append(raw)
    return found


def _surface_types(raws: list[_Raw]) -> dict[tuple[str, ...], str]:
    """One type per surface name: places beat PERSON, PERSON beats ORG, else majority.

    These priorities encode the model's known confusions (GUIDE §4) rather than a
    gazetteer: a token tagged GPE anywhere in the article is a place; a name tagged
    both PERSON and ORG is a person.
    """
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for raw in raws:
        votes[raw.key][raw.type] += 1
    types = {}
    for key, count in votes.items():
        places = [t for t in count if t in PLACE_TYPES]
        if "PERSON" in count and places:
            types[key] = max(places, key=lambda t: count[t])
        elif "PERSON" in count and "ORG" in count:
            types[key] = "PERSON"
        else:
            types[key] = count.most_common(1)[0][0]
    return types


def _orphan_places(
    raws: list[_Raw], full: dict[tuple[str, ...], list[_Raw]]
) -> set[tuple[str, ...]]:
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


def _role_left(name_start: Token, prefix: tuple[Token, ...]) -> tuple[int, int] | None:
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


def _role_appos(name_root: Token) -> tuple[int, int] | None:
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


def _role(raw: _Raw, doc_text: str) -> str | None:
    prefix = tuple(t for t in raw.span if t.i < raw.name[0].i and fold(t.text) != "the")
    span = _role_left(raw.name[0], prefix) or _role_appos(raw.name[-1])
    return doc_text[span[0] : span[1]] if span else None


def extract_mentions(doc: Doc) -> list[Mention]:
    """Named mentions of one article with in-article canonical names, types and roles.

    Offsets are exact (`doc.text[m.start:m.end] == m.text`); the canonical name is the
    fullest PERSON name the article uses for the same person, titles stripped.
    `doc.text` is rebuilt from the tokens on every access, so it is read once here.
    """
    doc_text = doc.text
    raws = [r for e in doc.ents if e.label_ in ENTITY_TYPES if (r := _raw_mention(e))]
    full = _full_names(raws)
    raws = sorted(raws + _missed_surnames(doc, full), key=lambda r: r.start)
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
    return mentions


class EntityRegistry:
    """Cross-article canonical names, kept in memory.

    Register every full canonical name seen (`add`), then `resolve` a mention: a bare
    surname becomes the corpus's full-name PERSON (the most frequent when two share the
    surname), known spelling variants collapse, and anything unknown is left as is.
    Keys are folded, so "Orban" and "Orbán" are the same entity.
    """

    def __init__(self) -> None:
        self._types: dict[str, Counter[str]] = defaultdict(Counter)
        self._display: dict[str, Counter[str]] = defaultdict(Counter)
        self._surnames: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)

    def add(self, canonical: str, type: str) -> None:
        """Record one sighting of an entity by its canonical name."""
        canonical = normalise_variant(canonical, type)
        key = fold(canonical)
        self._types[key][type] += 1
        self._display[key][canonical] += 1
        tokens = tuple(key.split())
        if type == "PERSON" and len(tokens) > 1:
            for n in range(1, len(tokens)):
                self._surnames[tokens[-n:]][key] += 1

    def display(self, key: str) -> str:
        """The most used spelling of a folded key; accents win ties ("Orbán")."""
        forms = self._display[key]
        return max(forms, key=lambda f: (forms[f], f != f.encode("ascii", "ignore").decode()))

    def _full_name(self, key: str, type_: str) -> str | None:
        """The full-name person a bare surname stands for, or None."""
        owners = self._surnames.get(tuple(key.split()))
        if not owners:
            return None
        best, count = owners.most_common(1)[0]
        own = self._types.get(key, Counter())
        if type_ in PLACE_TYPES | {"NORP"} and any(own[t] for t in PLACE_TYPES | {"NORP"}):
            return None
        if type_ == "ORG" and own["ORG"] > count:
            return None
        return best

    def resolve(self, mention: Mention) -> Mention:
        """The mention with canonical/type mapped to the corpus entity (a new object)."""
        canonical = normalise_variant(mention.canonical, mention.type)
        key = fold(canonical)
        person = self._full_name(key, mention.type)
        if person is not None:
            return replace(mention, canonical=self.display(person), type="PERSON")
        if key in self._display:
            type_ = mention.type
            seen = self._types[key]
            if type_ == "PERSON" and any(seen[t] > seen["PERSON"] for t in PLACE_TYPES):
                type_ = max(PLACE_TYPES, key=lambda t: seen[t])
            return replace(mention, canonical=self.display(key), type=type_)
        return replace(mention, canonical=canonical)
