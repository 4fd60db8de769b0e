"""Indirect speech: "X said (that) ...", the content clause of a reporting verb (issue 13).

No quotation marks: the content is the clausal complement (`ccomp`) of a cue verb whose
meaning is to state something ("say", "tell", "warn"), not one that names or judges
("call", "describe", "praise" take an object, not a statement). A clause that is mostly
a direct quotation is that quotation's, already found from its marks. Speakers are read
exactly as for direct quotes (`quotes.read_subject`).
"""

from __future__ import annotations

from spacy.tokens import Token

from ..models import Quote
from .attribution import Context, read_subject
from .cues import subject
from .quote_spans import TRIM_TAIL
from .verbs import CUE_LEMMAS, cue_lemma, wordset

__all__ = ["INDIRECT_LEMMAS", "indirect_quotes"]

# Cue verbs that name, judge or merely continue rather than report a statement.
NOT_STATING = wordset(
    "call describe characterize characterise label dub term hail praise criticize "
    "criticise accuse put continue ask quip joke shout whisper"
)
INDIRECT_LEMMAS = CUE_LEMMAS - NOT_STATING
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


def _content(cue: Token, clause: Token, ctx: Context) -> Quote | None:
    """The indirect quote of one cue's content clause, or None when it is not one."""
    tokens = list(clause.subtree)
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
