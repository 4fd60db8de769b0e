"""Who a pronoun or a description stands for, inside one article (for quote speakers).

A tiny coreference pass, in reading order, outside quotations: each PERSON name is a
referent; "he"/"she" resolve to the nearest earlier person whose gender does not
contradict the pronoun; descriptions ("the former president") resolve through the roles
`entities` found. Gender is known only from the article itself (issue 13: "he" must
never resolve to a woman known as such): an honorific ("Mrs. Clinton"), a gendered
title next to the name ("chairwoman Debbie Wasserman Schultz"), or a gendered pronoun
in a sentence that names that person and no one else. Unknown gender agrees with both.

Each resolution says whether it was made *without doubt*: the antecedent's gender agrees
and no other person the pronoun could mean is in the sentences it was chosen from.
Only such resolutions are `confident` (speaker contradictions rest on them).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..lexicon import wordset
from ..models import Mention
from .entities import TITLE_NOUNS, descriptor_heads, fold, role_matches

__all__ = ["Referent", "Resolver", "pronoun_gender"]

SUBJECTS = frozenset({"nsubj", "nsubjpass"})
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
MALE_WORDS = wordset(
    "mr sir lord king prince spokesman chairman congressman businessman husband "
    "father son brother uncle grandfather actor"
)
FEMALE_WORDS = wordset(
    "mrs ms miss madam dame lady queen princess spokeswoman chairwoman congresswoman "
    "businesswoman wife mother daughter sister aunt grandmother actress"
)
# Earlier sentences searched for a pronoun's antecedent: news repeats a name at least
# this often; further back, "he" is more likely someone newer.
LOOKBACK_SENTENCES = 3
# Tokens before a name in which a gendered title or honorific counts for it.
TITLE_WINDOW = 3


def pronoun_gender(word: str) -> str | None:
    """ "m", "f" or None (not a gendered third-person pronoun)."""
    low = fold(word)
    return "m" if low in MALE_PRONOUNS else "f" if low in FEMALE_PRONOUNS else None


@dataclass(slots=True)
class Referent:
    """A token that names a person, directly or through coreference."""

    i: int
    name: str
    subject: bool
    sent: int
    shared: bool = False  # coordinated with another person: "Biden and Xi met"


@dataclass(slots=True)
class Resolution:
    """A pronoun's or description's person and whether it was resolved without doubt."""

    name: str
    sure: bool


@dataclass(slots=True)
class Resolver:
    """Referents and gender evidence of one document, built once, in reading order."""

    doc: Doc
    by_token: dict[int, Mention]
    inside: set[int]
    refs: list[Referent] = field(default_factory=list)
    resolved: dict[int, Resolution] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)

    def build(self) -> Resolver:
        self.gender = _genders(self.doc, self.by_token, self.inside)
        roles: dict[str, set[str]] = defaultdict(set)
        for m in self.by_token.values():
            if m.role:
                roles[m.canonical].add(m.role)
        for tok in self.doc:
            if tok.i not in self.inside:
                self._visit(tok, roles)
        return self

    def _visit(self, tok: Token, roles: dict[str, set[str]]) -> None:
        mention = self.by_token.get(tok.i)
        found: Resolution | None = None
        if mention is not None:
            last = tok.i + 1 >= len(self.doc) or self.by_token.get(tok.i + 1) is not mention
            if mention.type == "PERSON" and last:
                found = Resolution(mention.canonical, True)
        elif (g := pronoun_gender(tok.text)) is not None and tok.tag_ in {"PRP", "PRP$"}:
            found = self._antecedent(tok, g)
            if found is not None and found.sure:  # "She thanked her staff": now known
                self.gender.setdefault(found.name, g)
        elif is_description(tok):
            found = self._described(tok, roles)
        if found is None:
            return
        if mention is None:
            self.resolved[tok.i] = found
        shared = mention is not None and _coordinated(tok, self.by_token)
        self.refs.append(Referent(tok.i, found.name, tok.dep_ in SUBJECTS, tok.sent.start, shared))

    def _agrees(self, name: str, gender: str) -> bool:
        return self.gender.get(name, gender) == gender

    def _antecedent(self, tok: Token, gender: str) -> Resolution | None:
        """Nearest person for a pronoun, preferring subjects (as readers do).

        The current sentence is searched first (nearest subject, else nearest name), then
        the latest of the previous sentences that names anyone of the pronoun's gender
        (its first subject, else its last name). A name coordinated with another person
        is ambiguous: None. Doubt: another person of that gender in the window.
        """
        fits = [r for r in self.refs if self._agrees(r.name, gender)]
        sent = tok.sent.start
        same = [r for r in fits if r.sent == sent and r.i < tok.i]
        if same:
            subjects = [r for r in same if r.subject]
            chosen, window = (subjects or same)[-1], same
        else:
            earlier = sorted({r.sent for r in fits if r.sent < sent}, reverse=True)
            if not earlier or _sentences_between(self.doc, earlier[0], sent) > LOOKBACK_SENTENCES:
                return None
            window = [r for r in fits if r.sent == earlier[0]]
            subjects = [r for r in window if r.subject]
            chosen = subjects[0] if subjects else window[-1]
        if chosen.shared:
            return None
        rivals = {r.name for r in window} - {chosen.name}
        return Resolution(chosen.name, not rivals)

    def _described(self, tok: Token, roles: dict[str, set[str]]) -> Resolution | None:
        """The person the description names in apposition ("The leader of the league,
        Jonathan Greenblatt,"), else the latest person whose role in this article fits
        the description."""
        for child in tok.children:
            named = self.by_token.get(child.i) if child.dep_ == "appos" else None
            if named is not None and named.type == "PERSON":
                return Resolution(named.canonical, True)
        description = tok.doc[tok.left_edge.i : tok.i + 1].text
        if not descriptor_heads(description):
            return None
        fitting = [
            r.name
            for r in reversed(self.refs)
            if any(role_matches(description, role) for role in roles.get(r.name, ()))
        ]
        if not fitting:
            return None
        return Resolution(fitting[0], len(set(fitting)) == 1)


def is_description(tok: Token) -> bool:
    """A definite singular title noun heading its phrase: "the former president"."""
    return (
        fold(tok.text) in TITLE_NOUNS
        and tok.tag_ in {"NN", "NNP"}
        and tok.dep_ != "compound"
        and any(c.dep_ in {"det", "poss"} and fold(c.text) != "a" for c in tok.children)
    )


def _sentences_between(doc: Doc, first: int, last: int) -> int:
    """How many sentence starts lie in (first, last]: the distance in sentences."""
    return sum(1 for s in doc.sents if first < s.start <= last)


def _coordinated(tok: Token, by_token: dict[int, Mention]) -> bool:
    """A name coordinated with another person: after "Biden and Xi met", "he" is either."""
    partners = [c for c in tok.children if c.dep_ == "conj"]
    if tok.dep_ == "conj":
        partners.append(tok.head)
    return any((m := by_token.get(p.i)) is not None and m.type == "PERSON" for p in partners)


def _genders(doc: Doc, by_token: dict[int, Mention], inside: set[int]) -> dict[str, str]:
    """Each person's gender where the article shows it, by a clear majority of votes
    (a pronoun inside a quotation is the speaker's word for someone else: not counted)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    firsts = {}
    for i, m in sorted(by_token.items()):
        if m.type == "PERSON" and id(m) not in firsts:
            firsts[id(m)] = i
            for tok in doc[max(i - TITLE_WINDOW, 0) : i + 1]:
                word = fold(tok.text)
                if word in MALE_WORDS or word in FEMALE_WORDS:
                    votes[m.canonical]["m" if word in MALE_WORDS else "f"] += 2
    for sent in doc.sents:
        people = {
            p.canonical for t in sent if (p := by_token.get(t.i)) is not None and p.type == "PERSON"
        }
        if len(people) != 1:
            continue
        (name,) = people
        for tok in sent:
            if tok.i in by_token or tok.i in inside:
                continue
            if (g := pronoun_gender(tok.text)) is not None:
                votes[name][g] += 1
    out = {}
    for name, count in votes.items():
        (top, n), *rest = [*count.most_common(), ("", 0)]
        if n > 2 * rest[0][1]:
            out[name] = top
    return out
