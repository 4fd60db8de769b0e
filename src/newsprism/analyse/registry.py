"""Cross-article canonical entities, merged in ingestion order (issue 13).

Each article arrives with in-article canonical names (entities.py); the registry maps
them onto the corpus's entities, then learns the article's own. The rules, each one a
way news writes one entity differently:

- the same name key (names.py): case, accents, dots, titles, middle names and initials,
  legal forms ("Raymond W. Kelly" = "Raymond Kelly", "Hewlett-Packard Co." =
  "Hewlett-Packard", "COLTS" = "Colts");
- one type per entity, by the votes of all its mentions so far, not each mention's
  label (the model tags "Colts" PERSON in one article and ORG in the next);
- a bare surname is the one known person of that surname; when several are known, the
  one whose articles share the most names with this article, and with no such evidence
  it stays apart: two Petersons are never merged on a guess;
- an acronym is the known name it abbreviates, when exactly one known name fits;
- a short team or company name is the known "<place> <name>" ("Colts" = "Indianapolis
  Colts", "Saints" = "New Orleans Saints"), and a new "<place> <name>" joins a known
  "<name>";
- a person's surname misspelt by one letter ("Duncan Raite" for "Duncan Rait") is the
  one known person of that first name and near-surname whose stories share names.

An entity's display name is the first spelling seen, so the id stored for its mentions
(the `entities` row of name and type) does not change as the corpus grows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..models import Analysis, Mention
from .names import (
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

__all__ = ["EntityRegistry", "article_context", "normalise_variant", "resolve_entities"]

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
MISC = "MISC"
# A place or nationality label on a bare name that is a known place stays a place.
PLACE_LIKE = PLACE_TYPES | {"NORP"}
# Labels a bare surname may carry and still be a known person: the model tags surnames
# with any of them (GUIDE §4); a known place or group of that name keeps its mention.
SURNAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", MISC})
# Ties between labels of one entity follow the model's commonest confusions (GUIDE §4):
# a place tagged PERSON ("Kyiv") is a place, a surname tagged ORG ("Trump") a person,
# and an untyped name (MISC) takes any typed reading.
TYPE_ORDER = ("GPE", "LOC", "FAC", "PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "LAW")
# Names an entity is remembered with, for telling two same-surname people apart; the
# cap bounds memory on long runs (the earliest names are the introducing ones).
CONTEXT_CAP = 300
# A short name that ends this many known names ("Center", "Police") stands for none of
# them; the cap also bounds each lookup's work on a large corpus.
SHORT_OWNERS_CAP = 20
# Surnames shorter than this are not read as misspelt: "Li" / "Lu" / "Le" are names.
MIN_MISSPELT = 4

_VARIANTS = {
    "United States": ("us", "usa", "united states", "united states of america"),
    "United Kingdom": ("uk", "united kingdom", "britain", "great britain"),
    "European Union": ("eu", "european union"),
    "United Nations": ("un", "united nations"),
}
VARIANTS = {key: name for name, keys in _VARIANTS.items() for key in keys}


def normalise_variant(name: str, type_: str) -> str:
    """Map obvious spelling variants of a few places/bodies to one display name."""
    if type_ in {"GPE", "ORG", "LOC"}:
        return VARIANTS.get(fold(name), name)
    return name


def decide_type(votes: Counter[str]) -> str:
    """The type most mentions gave; ties by `TYPE_ORDER`; MISC only when nothing else."""
    typed = {t: n for t, n in votes.items() if t != MISC and n > 0}
    if not typed:
        return MISC
    rank = {t: i for i, t in enumerate(TYPE_ORDER)}
    return max(typed, key=lambda t: (typed[t], -rank.get(t, len(rank))))


@dataclass(slots=True)
class Entity:
    """One corpus entity: its display name, type votes and the names met beside it."""

    display: str
    votes: Counter[str] = field(default_factory=Counter)
    context: Counter[str] = field(default_factory=Counter)

    def type_with(self, label: str | None = None) -> str:
        votes = self.votes.copy()
        if label:
            votes[label] += 1
        return decide_type(votes)


def _inner_fits(inner: str, outer: str) -> bool:
    """A name inside a longer one is the same entity unless it is a place and the longer
    name is not ("Kansas City Chiefs" is no city; "Aoraki Mount Cook" is Mount Cook)."""
    return inner not in PLACE_LIKE or outer in PLACE_TYPES


def _keys(name: str, type_: str) -> list[str]:
    """Keys a name is looked up by: its own, and its person key when it may be a person."""
    keys = [name_key(name, type_)]
    if type_ != "PERSON" and len(keys[0].split()) > 1:
        keys.append(person_key(name))
    return [k for k in dict.fromkeys(keys) if k]


def article_context(mentions: Iterable[Mention]) -> frozenset[str]:
    """The name keys of an article's names: what tells two same-surname people apart."""
    return frozenset(name_key(m.canonical, m.type) for m in mentions)


class EntityRegistry:
    """Corpus entities in memory; `resolve` a mention, then `add` what the article used.

    Keys are folded, so "Orban" and "Orbán" are the same entity.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, Entity] = {}
        self._surnames: dict[str, list[Entity]] = defaultdict(list)
        self._acronyms: dict[str, list[Entity]] = defaultdict(list)
        self._short: dict[str, list[Entity]] = defaultdict(list)
        self._claimed: set[str] = set()  # surnames whose bare entity a full name joined
        # surnames by their one-letter deletions, to find a misspelt one ("raite"/"rait")
        self._near: dict[str, list[str]] = defaultdict(list)

    def add(self, canonical: str, type: str, context: Iterable[str] = ()) -> None:
        """Record one mention of an entity by its canonical name (and the article's names)."""
        canonical = normalise_variant(canonical, type)
        keys = _keys(canonical, type)
        if not keys:
            return
        entity = next((self._by_key[k] for k in keys if k in self._by_key), None)
        if entity is None:
            entity = self._joined_short(keys[0], type) or Entity(canonical)
            self._index(entity, canonical, type)
        for key in keys:
            self._by_key.setdefault(key, entity)
        entity.votes[type] += 1
        if type == "PERSON" and len(entity.context) < CONTEXT_CAP:
            entity.context.update(c for c in context if c not in keys)

    def _index(self, entity: Entity, canonical: str, type_: str) -> None:
        """File a new entity under its surname, acronym and short name."""
        key = name_key(canonical, type_)
        parts = key.split()
        if type_ == "PERSON" and len(parts) > 1:
            self._file_surname(surname(key), entity)
        if type_ != "PERSON" and (initials := acronym(canonical)):
            self._acronyms[initials].append(entity)
        if type_ not in PLACE_LIKE | {"PERSON"} and len(parts) > 1:
            for n in range(1, len(parts)):
                owners = self._short[" ".join(parts[n:])]
                if len(owners) <= SHORT_OWNERS_CAP:  # past it, lookups give up anyway
                    owners.append(entity)

    def _file_surname(self, family: str, entity: Entity) -> None:
        """File a person under a surname (once), and the surname under its deletions."""
        owners = self._surnames.get(family)
        if owners is None:
            owners = self._surnames[family] = []
            for variant in deletions(family):
                self._near[variant].append(family)
        if all(e is not entity for e in owners):
            owners.append(entity)

    def _after_place(self, parts: list[str]) -> str | None:
        """'indianapolis colts' -> 'colts' when "indianapolis" is a known place."""
        for n in range(1, len(parts)):
            place = self._by_key.get(" ".join(parts[:n]))
            if place is not None and place.type_with() in PLACE_TYPES:
                return " ".join(parts[n:])
        return None

    def _short_form(self, key: str) -> Entity | None:
        """The one known "<place> <key>" entity ("Indianapolis Colts" for "colts").

        Checked when asked, not when filed: the place may be learnt after the team.
        """
        owners = self._short.get(key, ())
        if len(owners) > SHORT_OWNERS_CAP:
            return None
        found = {
            id(e): e for e in owners if self._after_place(name_key(e.display, "ORG").split()) == key
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def _joined_short(self, key: str, type_: str) -> Entity | None:
        """A known "Colts" that a new "Indianapolis Colts" is."""
        rest = self._after_place(key.split()) if type_ not in PLACE_LIKE | {"PERSON"} else None
        entity = self._by_key.get(rest) if rest else None
        if entity is not None and entity.type_with() not in PLACE_LIKE | {"PERSON"}:
            return entity
        return None

    def resolve(self, mention: Mention, context: frozenset[str] = frozenset()) -> Mention:
        """The mention with canonical/type mapped to the corpus entity (a new object).

        A bare surname mapped to its person is that person whatever its label ("Obama"
        tagged GPE); any other mention's label is one more vote on the type.
        """
        canonical = normalise_variant(mention.canonical, mention.type)
        person = self._person(canonical, mention.type, context)
        if person is not None:
            return replace(mention, canonical=person.display, type=person.type_with())
        entity = self._known(canonical, mention.type) or self._variant(
            canonical, mention.type, context
        )
        if entity is None:
            return replace(mention, canonical=canonical)
        return replace(mention, canonical=entity.display, type=entity.type_with(mention.type))

    def _known(self, canonical: str, type_: str) -> Entity | None:
        """The entity of the same key, or of the "<place> <name>" this short name is
        (the bigger when both exist: the team learnt apart from its city joins it), or
        the one name this acronym abbreviates."""
        exact = next((self._by_key[k] for k in _keys(canonical, type_) if k in self._by_key), None)
        short = None
        if type_ not in PLACE_LIKE and (exact is None or exact.type_with() not in PLACE_LIKE):
            short = self._short_form(name_key(canonical, type_))
        joined = self._joined_short(name_key(canonical, type_), type_) if exact is None else None
        found = [e for e in (exact, short, joined) if e is not None]
        if found:
            return max(found, key=lambda e: sum(e.votes.values()))
        if is_acronym(canonical) and len(self._acronyms.get(fold(canonical), ())) == 1:
            return self._acronyms[fold(canonical)][0]
        return None

    def _variant(self, canonical: str, type_: str, context: frozenset[str]) -> Entity | None:
        """A known entity this longer or differently written name is.

        A person under a short first name or with an initial ("Fred LaRue" for
        "Frederick Cheney LaRue"), when one known person of the surname fits; a name
        with words around a known name of two words or more, which headlines and
        descriptors add ("Comedian Ellen DeGeneres", "Lindsay Lohan Checks").
        """
        parts = name_key(canonical, type_).split()
        if type_ == "PERSON" and len(parts) == 2:
            owners = {
                id(e): e
                for e in self._surnames.get(parts[1], ())
                if any(same_first_name(w, parts[0]) for w in words(e.display)[:-1])
            }
            if len(owners) == 1:
                return next(iter(owners.values()))
            if not owners and (bare := self._bare_surname(parts, context)) is not None:
                return bare
            if not owners and (alike := self._spelt_alike(parts, context)) is not None:
                return alike
            if not owners and (near := self._misspelt(parts, context)) is not None:
                return near
        names = name_key(canonical, "ORG").split()
        for size in range(len(names) - 1, 1, -1):
            for start in range(len(names) - size + 1):
                found = self._by_key.get(" ".join(names[start : start + size]))
                if found is not None and _inner_fits(found.type_with(), type_):
                    return found
        return None

    def _spelt_alike(self, parts: list[str], context: frozenset[str]) -> Entity | None:
        """The one known person of this surname whose first name is another spelling or
        form of this one ("Katie" / "Kathryn", "Alexis" / "Alexandros", "Bettie" /
        "Betty"), when the articles share other names: the shared story is the evidence
        that keeps "Mark" and "Mary" of one surname apart elsewhere."""
        owners = {
            id(e): e
            for e in self._surnames.get(parts[1], ())
            if any(alike_first_names(w, parts[0]) for w in words(e.display)[:-1])
            and any(c in e.context for c in context if c not in parts)
        }
        return next(iter(owners.values())) if len(owners) == 1 else None

    def _misspelt(self, parts: list[str], context: frozenset[str]) -> Entity | None:
        """The one known person of this first name whose surname is this one with a
        letter added, dropped, changed or two swapped ("Raite" / "Rait"), when the
        stories share other names: a source's typo, not a relative ("Mark Rait" stays
        apart from "Duncan Rait", and a second story with no shared names too)."""
        first, family = parts
        if len(family) < MIN_MISSPELT:
            return None
        near = {f for v in deletions(family) for f in self._near.get(v, ())} - {family}
        owners = {
            id(e): e
            for f in near
            for e in self._surnames.get(f, ())
            if first in words(e.display)[:-1]
            and any(c in e.context for c in context if c not in parts)
        }
        if len(owners) != 1:
            return None
        # filed under the misspelling too, so the source's bare "Raite" finds him
        found = next(iter(owners.values()))
        self._by_key.setdefault(" ".join(parts), found)
        self._file_surname(family, found)
        return found

    def _bare_surname(self, parts: list[str], context: frozenset[str]) -> Entity | None:
        """An entity known only by this surname so far, which this first full name of it
        joins when the articles share other names (evidence it is the same story).

        The full name is filed under that entity at once, so a second full name of the
        surname ("Gita Gupta" after "Sanjay Gupta") never joins it too.
        """
        bare = self._by_key.get(parts[1])
        if bare is None or bare.type_with() != "PERSON" or parts[1] in self._claimed:
            return None
        if not any(c in bare.context for c in context if c not in parts):
            return None
        self._claimed.add(parts[1])
        self._by_key[" ".join(parts)] = bare
        self._file_surname(parts[1], bare)
        return bare

    def _person(self, canonical: str, type_: str, context: frozenset[str]) -> Entity | None:
        """The known person a bare surname stands for, or None (unknown or ambiguous)."""
        key = name_key(canonical, type_)
        if type_ not in SURNAME_TYPES or " " in key:
            return None
        owners = self._surnames.get(key)
        if not owners:
            return None
        own = self._by_key.get(key)
        if own is not None and own.type_with() != "PERSON" and type_ != "PERSON":
            return None  # "Washington" the place, not George Washington
        if len(owners) == 1:
            return owners[0]
        shared = [sum(1 for c in context if c in o.context) for o in owners]
        best = max(shared)
        return owners[shared.index(best)] if best and shared.count(best) == 1 else None


def resolve_entities(registry: EntityRegistry, an: Analysis) -> None:
    """Map an article's entities (and quote speakers) onto the corpus's entities.

    A surname-only "Trump" becomes the "Donald Trump" seen in earlier articles (the
    article's other names tell two same-surname people apart); the registry then learns
    this article's entities. Called in ingestion order so the result does not depend on
    how articles were batched or distributed; `store_rows.load_registry` replays it on
    the stored articles, so it does not depend on restarts either.
    """
    an.local_mentions = list(an.mentions)
    context = article_context(an.mentions)
    renamed: dict[str, str] = {}
    own: dict[str, set[str]] = defaultdict(set)  # entity -> this article's keys for it
    resolved = []
    for mention in an.mentions:
        new = registry.resolve(mention, context)
        renamed.setdefault(mention.canonical, new.canonical)
        own[new.canonical].add(name_key(mention.canonical, mention.type))
        resolved.append(new)
    an.mentions = resolved
    for quote in an.quotes:
        if quote.speaker is not None:
            quote.speaker = renamed.get(quote.speaker, quote.speaker)
    # places first: "Indianapolis" must be known as a place to read "Indianapolis Colts";
    # an entity's own names here are no evidence about it ("Peterson" for Scott Peterson
    # would make every later "Peterson" article look like his story)
    for mention in sorted(resolved, key=lambda m: m.type not in PLACE_TYPES):
        registry.add(mention.canonical, mention.type, context - own[mention.canonical])
