"""Reading who a quote's speaker is from the words that name them (issue 13).

The subject of a cue verb is read for how it names the speaker: a name (PERSON, or an
organisation or place speaking as one) is "named"; "he"/"she" or a description that
`speakers` resolved to a named person is "resolved"; any other noun phrase is kept as
words ("a senior aide", "police") with attribution "description". Two patterns with
no verb name a speaker too: a byline after a dash (`“...” ― Maria Lopez`) and a name
introducing the quote with a colon (`Philip Bump: “...”`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from ..models import Mention, Quote
from .entities import TITLE_NOUNS, fold
from .quote_spans import MARKS
from .speakers import Resolver
from .verbs import cue_lemma

__all__ = [
    "Attribution",
    "Context",
    "colon_name",
    "dash_name",
    "description_of",
    "read_subject",
    "speaks",
    "token_map",
]

SPEAKER_TYPES = frozenset({"PERSON", "ORG", "GPE"})
NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
# Right-hand parts of a subject that still describe the speaker ("a spokesman *for the
# campaign*"); a relative clause or an apposition says something else about them.
DESCRIPTION_DEPS = frozenset({"prep", "pobj", "compound", "amod", "det", "poss", "case"})
# Arcs that build a name phrase around its head (see `_named_child`).
NAME_ARCS = frozenset({"appos", "compound", "flat", "punct", "nmod", "npadvmod"})
# A description longer than this is a clause the parser folded into the subject.
MAX_DESCRIPTION_TOKENS = 10
TERMINALS = frozenset({".", "!", "?"})
# Arcs of a name that is what the writer's clause is about, not who speaks after it.
OBJECT_DEPS = frozenset({"pobj", "dobj", "dative"})
# Lower-case words inside personal names.
NAME_PARTICLES = frozenset({"de", "da", "di", "del", "van", "von", "der", "den", "la", "le", "bin"})
# Tokens between a name and the colon that introduces its quote ("Shaw, a pollster:").
COLON_WINDOW = 8
# Dashes that introduce a byline-style attribution: `“...” — Krystal Correa`.
DASHES = "—―–-"
BYLINE = re.compile(r"[\s,.\"”»]*[—―–-]+\s*")
# A byline name without an entity: at most this many capitalised words, then the line ends.
BYLINE_WORDS = 5


@dataclass(slots=True, frozen=True)
class Attribution:
    """Who said a quote and how that was found (see the module docstring)."""

    speaker: str | None = None
    description: str | None = None
    how: str = "none"
    confident: bool = False
    cue: str | None = None
    cue_at: int | None = None  # character offset of the cue verb, when one was read

    def to(self, quote: Quote) -> None:
        """Write this attribution onto a quote."""
        quote.speaker, quote.speaker_description = self.speaker, self.description
        quote.attribution, quote.confident, quote.cue = self.how, self.confident, self.cue


@dataclass(slots=True)
class Context:
    """Per-document lookups shared by every quote of the document."""

    doc: Doc
    by_token: dict[int, Mention]
    resolver: Resolver
    inside: set[int]


def token_map(doc: Doc, mentions: list[Mention]) -> dict[int, Mention]:
    """Token index -> the mention covering it."""
    out: dict[int, Mention] = {}
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            out.update((t.i, m) for t in span)
    return out


def description_of(subj: Token, inside: set[int]) -> str | None:
    """The words describing a speaker: "a senior aide", "a spokesman for the campaign".

    The subject's left part and its prepositional phrases, not its relative clauses or
    appositions; None when that is not a noun phrase or runs too long.
    """
    if subj.tag_ not in NOUN_TAGS:
        return None
    keep = [t for t in subj.subtree if t.i <= subj.i or _describes(t, subj)]
    keep = [t for t in keep if t.i not in inside]
    while keep and (keep[0].is_punct or keep[0].text in MARKS):
        keep.pop(0)
    while keep and (keep[-1].is_punct or keep[-1].text in MARKS):
        keep.pop()
    if not keep or len(keep) > MAX_DESCRIPTION_TOKENS:
        return None
    text = subj.doc.text[keep[0].idx : keep[-1].idx + len(keep[-1].text)]
    return " ".join(text.split())


def _describes(tok: Token, head: Token) -> bool:
    """A token right of the head that is still part of its description."""
    node = tok
    while node.i != head.i:
        if node.dep_ not in DESCRIPTION_DEPS:
            return False
        node = node.head
    return True


def _named_child(subj: Token, ctx: Context) -> Mention | None:
    """The name a subject carries when the parser did not make it the head:
    "Senator Warren", "a spokesman, John Smith", "Harry Reid (D-Nev.)".

    Searched through name-building arcs only (compound, apposition, flat, punctuation
    and bracketed modifiers); a name inside a prepositional phrase ("a spokesman for
    Trump") is someone else.
    """
    titled = fold(subj.text) in TITLE_NOUNS or subj.tag_ in {"NNP", "NNPS"}
    todo = list(subj.children)
    while todo:
        child = todo.pop(0)
        if child.dep_ not in NAME_ARCS or (child.dep_ == "compound" and not titled):
            continue
        named = ctx.by_token.get(child.i)
        if named is not None and named.type == "PERSON":
            return named
        todo.extend(child.children)
    return None


def _proper_name(subj: Token, described: str | None) -> str | None:
    """A proper-noun subject the entity recogniser missed ("PolitiFact", "Zero Hedge"):
    its words, when they are all capitalised (a name, not "the Clinton campaign")."""
    if subj.tag_ not in {"NNP", "NNPS"} or described is None:
        return None
    words = described.split()
    if words and fold(words[0]) == "the":
        words = words[1:]
    if words and words[-1][:1].isupper() and all(_name_word(w) for w in words):
        return " ".join(words)
    # The name that ends the subject's head phrase after a common noun: "The Peruvian
    # novelist Mario Vargas Llosa" (not "Democrats in Iowa": the head is "Democrats").
    start = subj.i
    while start > subj.left_edge.i and _name_word(subj.doc[start - 1].text):
        start -= 1
    before = subj.doc[start - 1] if start > subj.left_edge.i else None
    if before is None or before.tag_ not in {"NN", "NNS"} or not before.text.islower():
        return None
    name = subj.doc[start : subj.i + 1]
    return name.text if name[0].text[:1].isupper() else None


def _name_word(word: str) -> bool:
    """A word of a proper name: capitalised, or a particle ("Bill de Blasio")."""
    return word[:1].isupper() or fold(word) in NAME_PARTICLES


def read_subject(subj: Token, cue: Token, ctx: Context) -> Attribution:
    """What the subject of a cue says about the speaker (named, resolved, described)."""
    said = _read_subject(subj, cue, ctx)
    return replace(said, cue_at=cue.idx)


def _read_subject(subj: Token, cue: Token, ctx: Context) -> Attribution:
    lemma = cue_lemma(cue.text) if cue.tag_.startswith("VB") else None
    if subj.tag_ in {"WP", "WDT"} and cue.dep_ == "relcl":
        subj = cue.head
    mention = ctx.by_token.get(subj.i)
    if mention is not None and mention.type in SPEAKER_TYPES:
        return Attribution(mention.canonical, None, "named", True, lemma)
    resolved = ctx.resolver.resolved.get(subj.i)
    described = description_of(subj, ctx.inside)
    if (named := _named_child(subj, ctx)) is not None:  # the name beats any guess
        return Attribution(named.canonical, None, "named", True, lemma)
    if resolved is not None:
        return Attribution(resolved.name, described, "resolved", resolved.sure, lemma)
    if (proper := _proper_name(subj, described)) is not None:
        return Attribution(proper, None, "named", True, lemma)
    if described is not None:
        return Attribution(None, described, "description", False, lemma)
    return Attribution(cue=lemma)


def colon_name(before: int, ctx: Context) -> Attribution | None:
    """`Philip Bump: “...”`, `Here's Clinton in 1992: “...”`: a name that ends the
    writer's words right before a colon that opens the quote (`before` is the token the
    colon precedes). No verb may stand between the name and the colon: then it is
    `X said:` (a cue) or someone else's sentence."""
    doc = ctx.doc
    j = before - 1
    while j >= 0 and (doc[j].text in MARKS or doc[j].is_space):
        j -= 1
    if j < 0 or doc[j].text != ":":
        return None
    k = j - 1
    while k >= 0 and not doc[k].tag_.startswith("VB") and "\n" not in doc[k].text:
        mention = ctx.by_token.get(k)
        if mention is not None and mention.type in SPEAKER_TYPES and doc[k].i not in ctx.inside:
            if _governed_object(doc[k], mention):
                return None  # "contrasted Trump with Clinton:", "on CNN:": not the speaker
            return Attribution(mention.canonical, None, "named", True, None)
        if k < j - COLON_WINDOW or doc[k].text in TERMINALS:
            return None
        k -= 1
    return None


def _governed_object(tok: Token, mention: Mention) -> bool:
    """True when the name is the object of the word right before it ("with Clinton",
    "on CNN", "told Smith"): the clause is about the name, it does not introduce it."""
    doc = tok.doc
    head = tok
    while head.head.i != head.i and mention.start <= head.head.idx < mention.end:
        head = head.head  # the name's own head word
    j = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if j is None or head.dep_ not in OBJECT_DEPS:
        return False
    before = j.start - 1
    while before >= 0 and doc[before].tag_ == "DT":
        before -= 1
    return before >= 0 and head.head.i == before


def speaks(tok: Token, ctx: Context) -> bool:
    """True when a token is part of a name that can speak (not "Thursday")."""
    mention = ctx.by_token.get(tok.i)
    return mention is not None and mention.type in SPEAKER_TYPES


def dash_name(span: Span, ctx: Context) -> str | None:
    """`“...” — Krystal Correa`: a dash after the closing mark, then a name (a PERSON
    mention, else up to BYLINE_WORDS capitalised words ending the line)."""
    text = ctx.doc.text
    after = BYLINE.match(text, span.end_char)
    if after is None:
        return None
    at = after.end()
    for m in ctx.by_token.values():
        name = m.canonical.lstrip(DASHES + " ").strip()
        if m.type == "PERSON" and after.start() <= m.start <= at and name:
            return name
    line = text[at : text.find("\n", at) if "\n" in text[at:] else len(text)]
    words = line.strip().rstrip(".").split()
    if 0 < len(words) <= BYLINE_WORDS and all(w[:1].isupper() for w in words):
        return " ".join(words)
    return None
