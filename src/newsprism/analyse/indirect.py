"""Indirect speech: "X said (that) ...", the content clause of a reporting verb (issue 13).

No quotation marks: the content is the clausal complement (`ccomp`) of a cue verb whose
meaning is to state something ("say", "tell", "warn"), not one that names or judges
("call", "describe", "praise" take an object, not a statement). A clause that is mostly
a direct quotation is that quotation's, already found from its marks. Speakers are read
exactly as for direct quotes (`quotes.read_subject`).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from ..lexicon import wordset
from ..models import Quote
from .attribution import Attribution, Context, read_subject
from .cues import subject
from .quote_spans import TRIM_TAIL
from .verbs import CUE_LEMMAS, cue_lemma

__all__ = ["INDIRECT_LEMMAS", "indirect_quotes", "reported_within"]

# Cue verbs that name, judge or merely continue rather than report a statement.
NOT_STATING = wordset(
    "call describe characterize characterise label dub term hail praise criticize "
    "criticise accuse put continue ask quip joke shout whisper"
)
INDIRECT_LEMMAS = CUE_LEMMAS - NOT_STATING
# Arcs of a clause that says something beside the content, not inside it.
SIDE_CLAUSES = frozenset({"advcl", "conj", "parataxis", "acl"})
LINK_TAGS = frozenset({"CC", "IN", "WRB"})
# Arcs climbed from a quote's verb to the statement it may be reported in: its own
# clause (ccomp) and the clauses that share its subject.
CLAUSE_LINKS = frozenset({"advcl", "conj", "xcomp"})
OUTER_STEPS = 4
# A content clause at least this much inside quotation marks is a direct quote.
QUOTED_SHARE = 0.5
# Shorter contents are fragments the parser attached to the cue ("he said so").
MIN_CONTENT_TOKENS = 3


def indirect_quotes(ctx: Context) -> list[Quote]:
    """Every attributed-or-not indirect statement of the document, in order."""
    out = []
    for tok in ctx.doc:
        if tok.i in ctx.inside or not tok.tag_.startswith("VB"):
            continue
        lemma = cue_lemma(tok.text)
        if lemma is None or lemma not in INDIRECT_LEMMAS:
            continue
        for clause in tok.children:
            if clause.dep_ == "ccomp" and (quote := _content(tok, clause, ctx)) is not None:
                out.append(quote)
    return out


def reported_within(verb: Token, said: Attribution, ctx: Context) -> Attribution:
    """The outer statement a quote's verb is reported in: `Cruz said that Trump
    represents "...", stating that they are "..."` — "stating" (and its quote) sits in
    the content clause of Cruz's "said", so the words reach the reader as Cruz's report
    (PolNeAR's univocal convention; the issue's own example, `Trump said Clinton once
    called the TPP "the gold standard"`). Never confident: two people are in play.
    `said` unchanged when no stating verb outside the quote holds the verb's clause or
    its speaker is the same or unknown."""
    node = verb
    for _ in range(OUTER_STEPS):
        if node.head.i == node.i or node.head.i in ctx.inside or _paragraph_break(node, node.head):
            return said
        if node.dep_ == "ccomp" and _states(node.head):
            subj = subject(node.head, ctx.inside)
            outer = read_subject(subj, node.head, ctx) if subj is not None else None
            if outer is None or outer.speaker is None or outer.speaker == said.speaker:
                return said
            return replace(outer, confident=False)
        if node.dep_ not in CLAUSE_LINKS or any(c.dep_ == "nsubj" for c in node.children):
            return said  # `..., while Cruz said ...`: a statement of its own
        node = node.head
    return said


def _states(tok: Token) -> bool:
    return tok.tag_.startswith("VB") and cue_lemma(tok.text) in INDIRECT_LEMMAS


def _own_words(cue: Token, clause: Token) -> list[Token]:
    """The content clause's tokens that are the cue's statement, in order: those of its
    paragraph, up to another speaker's statement hung on it (`Rubio suggested that ...,
    while Cruz said that ...`: Cruz's clause is not Rubio's content)."""
    if _paragraph_break(cue, clause):
        return []  # the parser joined two paragraphs
    tokens = list(clause.subtree)
    stops = [t for t in tokens if t.i != clause.i and _own_statement(t)]
    if stops:
        first_stop = min(t.left_edge.i for t in stops)
        tokens = [t for t in tokens if t.i < first_stop] if first_stop > clause.i else []
    breaks = [t.i for t in tokens if "\n" in t.text]
    tokens = [t for t in tokens if not breaks or t.i < breaks[0]]
    while tokens and (tokens[-1].is_punct or tokens[-1].tag_ in LINK_TAGS):
        tokens.pop()  # "..., while" / "... and": the link to the cut clause
    return tokens


def _own_statement(tok: Token) -> bool:
    """A cue verb beside the clause (not its complement) with a subject of its own."""
    return (
        tok.dep_ in SIDE_CLAUSES
        and tok.tag_.startswith("VB")
        and cue_lemma(tok.text) is not None
        and any(c.dep_ == "nsubj" for c in tok.children)
    )


def _paragraph_break(cue: Token, clause: Token) -> bool:
    lo, hi = sorted((cue.i, clause.i))
    return any("\n" in t.text for t in cue.doc[lo:hi])


def _content(cue: Token, clause: Token, ctx: Context) -> Quote | None:
    """The indirect quote of one cue's content clause, or None when it is not one."""
    tokens = _own_words(cue, clause)
    if len(tokens) < MIN_CONTENT_TOKENS:
        return None
    quoted = sum(1 for t in tokens if t.i in ctx.inside)
    if quoted / len(tokens) >= QUOTED_SHARE:
        return None
    first, last = tokens[0], tokens[-1]
    text = ctx.doc.text
    start, end = first.idx, last.idx + len(last.text)
    while end > start and (text[end - 1] in TRIM_TAIL or text[end - 1] in ".!?"):
        end -= 1
    if end - start <= 0:
        return None
    quote = Quote(start, end, text[start:end], kind="indirect")
    subj = subject(cue)
    if subj is not None:
        read_subject(subj, cue, ctx).to(quote)
    else:
        quote.cue = cue_lemma(cue.text)
    return quote
