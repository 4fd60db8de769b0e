"""Quotes the article has at second hand: `"...," the pope told reporters, according to
Reuters`; `Smith admitted the work was "influence peddling," the Post reported` (issue 13).

The writer vouches only that the cited outlet or document reported the words, so the
source of the quote is what the article cites (PolNeAR's convention for nested
attributions, which the held-out evaluation scores): the cited source becomes the
speaker (or the description, "a copy of the letter"), never confidently, since two
sources are in play and the inner speaker is still the likelier author of the words.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from ..lexicon import wordset
from .attribution import Attribution, Context, read_subject
from .cues import according_to, subject
from .verbs import cue_lemma

__all__ = ["second_hand"]

# Cue verbs by which the writer cites another outlet's or document's report.
CITING_LEMMAS = wordset("report")


def second_hand(span: Span, said: Attribution, ctx: Context) -> Attribution:
    """The cited source of a quote whose own attribution (if any) sits inside someone's
    report; the quote's attribution unchanged when nothing cites it."""
    source = according_to(span, ctx.doc, ctx.inside)
    if source is not None and _cites(source.head.head.head, span, said):
        cited = read_subject(source, source.head, ctx)
    elif (citing := _citing_verb(span, said, ctx)) is not None:
        cited = read_subject(citing[0], citing[1], ctx)
    else:
        return said
    if cited.how == "none" or (cited.speaker is not None and cited.speaker == said.speaker):
        return said
    return replace(cited, confident=False, cue=said.cue, cue_at=said.cue_at)


def _cites(head: Token, span: Span, said: Attribution) -> bool:
    """True when "according to" qualifies the quote's own statement: it hangs on the
    quote's cue, or, for a quote without one, on a word the quote depends on (not on
    another clause: `According to the poll, 40% back him, but Smith said "..."`)."""
    return head.idx == said.cue_at or (said.cue is None and head.is_ancestor(span.root))


def _citing_verb(span: Span, said: Attribution, ctx: Context) -> tuple[Token, Token] | None:
    """`..., The Washington Post reported`: a citing verb after the quote, in its
    sentence, other than the quote's own cue, with a subject: (subject, verb)."""
    sent = span[-1].sent
    for tok in ctx.doc[span.end : sent.end]:
        if tok.i in ctx.inside or not tok.tag_.startswith("VB") or tok.idx == said.cue_at:
            continue
        if cue_lemma(tok.text) in CITING_LEMMAS and (subj := subject(tok, ctx.inside)):
            return subj, tok
    return None
