"""Reported speech and who said it, saying how the speaker was found (issue 13).

Direct quotations come from the quotation marks (`quote_spans`), indirect speech from
the parse ("X said that ..." → its content clause, `indirect`). The speaker comes from
the subject of the cue verb that governs the quote (`cues`); that subject is then read:

- a name (PERSON, or an organisation or place speaking as one) → "named";
- "he"/"she" or a description ("the former president") resolved to a named person of
  the article, gender agreeing (`speakers`) → "resolved";
- any other noun phrase ("a senior aide", "police", "White House officials") → kept as
  `speaker_description`, attribution "description";
- nothing usable → "none".

A quote standing alone in its sentence or paragraph takes the speaker of the statement
just before it (`"A," she said. "B."`; a paragraph ending "Smith added:"), news style.

Words reported inside someone else's report take the outer source, never confidently
(PolNeAR's convention, which the evaluation follows): a quote whose verb sits in the
content clause of another speaker's stating verb (`indirect.reported_within`), and a
quote the article has at second hand, "according to X" or "X reported" (`second_hand`).
Only "named" attributions and resolutions made without doubt are `confident`: a wrong
name on a quote is worse than none, because the report compares speakers across sources.

Text convention: `Quote.text` is the quoted words without the marks, surrounding
spaces or a trailing comma/semicolon/colon (a comma inside the marks is the
attribution's, not the speaker's); a final ".", "?" or "!" inside the marks is kept.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from ..lexicon import wordset
from ..models import Mention, Quote
from .attribution import (
    TERMINALS,
    Attribution,
    Context,
    colon_name,
    dash_name,
    read_subject,
    speaks,
    token_map,
)
from .cues import (
    according_to,
    cue_by_adjacency,
    cue_by_parse,
    governing_verb,
    inverted_speaker,
    is_copula,
    is_cue,
    report_owner,
    subject,
)
from .entities import fold
from .indirect import indirect_quotes, reported_within
from .quote_spans import MARKS, MAX_QUOTE_CHARS, find_quote_spans, quote_spans, trim
from .second_hand import second_hand
from .speakers import Resolver
from .verbs import CUE_LEMMAS, cue_lemma

__all__ = [
    "CUE_LEMMAS",
    "MAX_QUOTE_CHARS",
    "Attribution",
    "extract_quotes",
    "find_quote_spans",
    "quote_spans",
]

# Unattributed quoted phrases up to this long are scare quotes.
SCARE_WORDS = 3
# Words title case leaves in lower case ("Flip the Script with Liz Plank").
TITLE_SMALL_WORDS = wordset(
    "a an the and or but nor of to in on at for with from by as into over upon about vs is are be"
)
# Tags of the word before a title in marks that name it: `CBS's "Face the Nation"`,
# `the documentary "13th"`, `his 1994 "Contract with America"` (see `_named_by_writer`).
TITLE_LEADS = frozenset({"POS", "NN", "NNS", "NNP", "NNPS", "CD"})
# Quoted title-case phrases up to this long are names of works, not speech.
TITLE_WORDS = 6


def _attribute(span: Span, quoted: str, ctx: Context) -> Attribution:
    """How one quote span is attributed: parse, "according to", adjacency, a dash."""
    inside = {t.i for t in span}
    cue = _closest(cue_by_parse(span, inside), cue_by_adjacency(span, quoted), span)
    if cue is not None and (subj := subject(cue, ctx.inside)) is not None:
        return reported_within(cue, read_subject(subj, cue, ctx), ctx)
    source = according_to(span, ctx.doc, ctx.inside)
    if source is not None:
        return replace(read_subject(source, source.head, ctx), cue="according to")
    near = cue_by_adjacency(span, quoted)
    if near is not None and (subj := subject(near, ctx.inside)) is not None:
        return read_subject(subj, near, ctx)
    for verb in (cue, near):
        late = inverted_speaker(verb, verb.i >= span.end, span.end) if verb is not None else None
        if verb is not None and late is not None and speaks(late, ctx):
            return read_subject(late, verb, ctx)
    if (named := dash_name(span, ctx)) is not None:
        return Attribution(named, None, "named", True, None)
    if (intro := colon_name(span.start, ctx)) is not None:
        return intro
    if (clause := _colon_clause(span, ctx)) is not None:
        return clause
    owner = report_owner(span, ctx.inside) if cue is None else None
    if owner is not None and (said := read_subject(owner, owner.head, ctx)).speaker:
        return said
    verb = governing_verb(span, ctx.inside) if cue is None else None
    if verb is not None and not is_copula(verb) and (subj := subject(verb, ctx.inside)):
        return reported_within(verb, replace(read_subject(subj, verb, ctx), confident=False), ctx)
    return Attribution(cue=cue_lemma(cue.text) if cue is not None else None)


def _colon_clause(span: Span, ctx: Context) -> Attribution | None:
    """`Sanders delivered a snappy retort: "No one is tearing this up."`: a colon ends
    the writer's clause and opens the quote, so the person that clause is about (its
    subject, a name or a resolved pronoun) is the likely speaker, though no reporting
    verb says so: never confident."""
    doc = ctx.doc
    j = span.start - 1
    while j >= 0 and (doc[j].text in MARKS or doc[j].is_space):
        j -= 1
    if j < 0 or doc[j].text != ":" or j in ctx.inside:
        return None
    verb = _clause_top(doc[j - 1], j, ctx.inside) if j > 0 else None
    if verb is None or not verb.tag_.startswith("VB") or "\n" in doc[verb.i : j].text:
        return None
    subj = subject(verb, ctx.inside)
    if subj is None:
        return None
    said = read_subject(subj, verb, ctx)
    return replace(said, confident=False) if said.how in {"named", "resolved"} else None


def _clause_top(tok: Token, colon: int, inside: set[int]) -> Token | None:
    """The head of the writer's clause that `tok` ends, before the colon: the parser
    often hangs that clause on the quote's verb, so heads are climbed only while they
    stay outside the quote and before the colon."""
    if tok.i in inside:
        return None
    while tok.head.i != tok.i and tok.head.i not in inside and tok.head.i < colon:
        tok = tok.head
    return tok


def _closest(parsed: Token | None, adjacent: Token | None, span: Span) -> Token | None:
    """The cue of the quote: the parse's, unless the news pattern `"...," X said` puts
    another cue right after the quote and the parse's lies further off (`"I never said
    that," Trump said, after Quick said ...` is parsed as Quick's statement)."""
    if parsed is None or adjacent is None or adjacent.i < span.end or parsed.i == adjacent.i:
        return parsed
    if abs(parsed.i - span.end) > adjacent.i - span.end and parsed.i > span.start:
        return adjacent
    return parsed


def _kind(text: str, start: int, span: Span, alone: bool) -> str:
    """ "direct" for a quoted statement, "partial" for quoted words in the writer's own
    sentence: a statement starts with a capital, fills its sentence, or follows its cue
    (`said: "..."`, `said "..."`)."""
    first = text[start : start + 1]
    if alone or first.isupper() or span[0].dep_ == "ROOT":
        return "direct"
    j = span.start - 1
    while j >= 0 and span.doc[j].text in MARKS:
        j -= 1
    before = span.doc[j] if j >= 0 else None
    introduced = before is not None and (before.text in {":", ","} or is_cue(before))
    return "direct" if introduced else "partial"


@dataclass(slots=True)
class _Found:
    """A quote span with its tokens, the raw text inside the marks and its place."""

    quote: Quote
    span: Span
    raw: str
    continued: bool
    alone: bool  # its sentences hold nothing but quotations
    paragraph: int
    described: bool = False  # the complement of "is"/"was": words the writer uses
    cue_at: int | None = None  # where the verb it was attributed through is


def _paragraphs(text: str) -> list[int]:
    """Start offsets of the non-blank lines (news paragraphs)."""
    starts, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            starts.append(pos)
        pos += len(line) + 1
    return starts


def _alone(span: Span, inside: set[int]) -> bool:
    """True when the quote stands as its own sentence(s): nothing but quoted words and
    punctuation from the end of the writer's previous sentence to the next paragraph
    or quote (`"B."` after `"A," she said.`, but not `"B?" Vitter demanded.`, which
    the parser may split into two sentences)."""
    doc = span.doc
    k = span.end
    while k < len(doc) and "\n" not in doc[k].text and (doc[k].i not in inside):
        if not (doc[k].is_punct or doc[k].is_space or doc[k].text in MARKS):
            return False
        k += 1
    j = span.start - 1
    while j >= 0 and "\n" not in doc[j].text and doc[j].i not in inside:
        if doc[j].text in TERMINALS:
            return True
        if not (doc[j].is_punct or doc[j].is_space or doc[j].text in MARKS):
            return False
        j -= 1
    return True


def _spans(doc: Doc) -> list[tuple[int, int, Span, str, bool]]:
    text = doc.text
    out = []
    for raw_start, raw_end, continued in quote_spans(text):
        start, end = trim(text, raw_start, raw_end)
        span = doc.char_span(start, end, alignment_mode="expand")
        if start < end and span is not None and len(span):
            out.append((start, end, span, text[raw_start:raw_end], continued))
    return out


def extract_quotes(doc: Doc, mentions: list[Mention]) -> list[Quote]:
    """Direct, partial and indirect quotes of one article with exact offsets, speakers,
    how each speaker was found, and cue lemmas.

    `mentions` are the article's mentions (from `extract_mentions`, possibly resolved
    by an `EntityRegistry`); speakers are their canonical names.
    """
    text = doc.text
    spans = _spans(doc)
    inside = {tok.i for _, _, span, _, _ in spans for tok in span}
    by_token = token_map(doc, mentions)
    ctx = Context(doc, by_token, Resolver(doc, by_token, inside).build(), inside)
    paragraphs = _paragraphs(text)
    found = []
    for start, end, span, raw, continued in spans:
        alone = _alone(span, inside)
        quote = Quote(start, end, text[start:end], kind=_kind(text, start, span, alone))
        said = second_hand(span, _attribute(span, raw, ctx), ctx)
        said.to(quote)
        para = bisect_right(paragraphs, start)
        verb = governing_verb(span, inside)
        described = verb is not None and is_copula(verb)
        found.append(_Found(quote, span, raw, continued, alone, para, described, said.cue_at))
    indirect = indirect_quotes(ctx)
    _carry_back(found)
    _enclosed(found, indirect)
    _carry_over(found, _statements(ctx, found, paragraphs), paragraphs)
    found = [f for f in found if not (_is_name_in_marks(f) or _is_scare_quote(f))]
    return sorted([f.quote for f in found] + indirect, key=lambda q: (q.start, q.end))


def _carry_back(found: list[_Found]) -> None:
    """A paragraph that a quote runs over from takes the speaker of where it goes on.

    `“We will rebuild.⏎“The money is there,” Smith said.`: the attribution sits in the
    last paragraph only, so it is carried back to the paragraphs before it.
    """
    for i in range(len(found) - 2, -1, -1):
        here, after = found[i].quote, found[i + 1].quote
        if found[i].continued and here.attribution == "none" and after.attribution != "none":
            _copy(after, here, after.confident)


def _copy(source: Quote | Attribution, target: Quote, confident: bool) -> None:
    """Give `target` the speaker of `source` (a statement the same person goes on with):
    "resolved", since the name is not in the target's own clause."""
    said = source if isinstance(source, Attribution) else _attribution_of(source)
    target.speaker, target.speaker_description = said.speaker, said.description
    target.attribution = "resolved" if said.how == "named" else said.how
    target.cue = said.cue
    target.confident = confident and said.confident


def _enclosed(found: list[_Found], indirect: list[Quote]) -> None:
    """Quoted words inside someone's reported statement are reported by them:
    `Mook told CBS that the campaign expects Holt to call out Trump's "lies"`.

    Only for a quote whose own attribution names no one (the nearest cue inside the
    statement, "the advertisement suggests", is no speaker); confident only when the
    quote had no attribution of its own at all.
    """
    for f in found:
        q = f.quote
        end = q.end - 1 if q.text[-1:] in TERMINALS else q.end  # the statement drops it
        outer = [s for s in indirect if s.start <= q.start and end <= s.end and s.speaker]
        if q.speaker is not None:
            _outermost(f, outer)
        elif outer:
            src = min(outer, key=lambda s: s.end - s.start)
            own = q.attribution
            _copy(src, q, src.confident and own == "none")
            q.attribution = "named" if src.attribution == "named" else "resolved"
            q.confident = q.confident and q.attribution == "named"


def _outermost(f: _Found, outer: list[Quote]) -> None:
    """`Trump said that Clinton once described it as "the gold standard"`: a quote
    whose cue is itself inside someone's reported statement is reported by the
    statement's speaker (the source the reader has it from, PolNeAR's convention);
    with two people in play it is never confident."""
    cue_at = f.cue_at
    if cue_at is None:
        return
    holding = [s for s in outer if s.start <= cue_at < s.end and s.speaker != f.quote.speaker]
    if holding:
        src = max(holding, key=lambda s: s.end - s.start)
        _copy(src, f.quote, False)
        f.quote.attribution = "named" if src.attribution == "named" else "resolved"


def _statements(ctx: Context, found: list[_Found], paragraphs: list[int]) -> list[_Event]:
    """Every attributed statement in reading order: each cue verb outside quotations with
    a subject ("Cummings called him a master"), and each direct quote with a speaker."""
    events = [
        _Event(f.quote.start, f.paragraph, _attribution_of(f.quote))
        for f in found
        if f.quote.kind == "direct" and f.quote.attribution != "none"
    ]
    for tok in ctx.doc:
        if tok.i in ctx.inside:
            continue
        if tok.text == ":" and _ends_paragraph(tok) and (intro := colon_name(tok.i + 1, ctx)):
            events.append(_Event(tok.idx, bisect_right(paragraphs, tok.idx), intro))
        if not is_cue(tok):
            continue
        subj = subject(tok, ctx.inside)
        if subj is None and (late := inverted_speaker(tok, True)) and speaks(late, ctx):
            subj = late
        if subj is not None and (said := read_subject(subj, tok, ctx)).how != "none":
            events.append(_Event(tok.idx, bisect_right(paragraphs, tok.idx), said))
    return sorted(events, key=lambda e: e.start)


def _ends_paragraph(tok: Token) -> bool:
    """True when only white space follows this token before the line ends."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is None or "\n" in nxt.text or (nxt.is_space and "\n" in nxt.text_with_ws)


@dataclass(slots=True, frozen=True)
class _Event:
    """A statement someone is reported to have made, where it is in the text."""

    start: int
    paragraph: int
    said: Attribution


def _attribution_of(q: Quote) -> Attribution:
    return Attribution(q.speaker, q.speaker_description, q.attribution, q.confident, q.cue)


def _carry_over(found: list[_Found], events: list[_Event], paragraphs: list[int]) -> None:
    """A quote alone in its sentence takes the speaker of the statement before it.

    Within a paragraph (`"A," she said. "B."`) the speaker carries as surely as it was
    found; into a quote-only paragraph from the one before it only as a guess (not
    confident), since a new paragraph may bring a new voice.
    """
    for f in found:
        q = f.quote
        if q.attribution != "none" or q.cue is not None or not f.alone:
            continue
        before = [e for e in events if e.start < q.start and e.paragraph >= f.paragraph - 1]
        if not before:
            continue
        if before[-1].paragraph == f.paragraph:
            _copy(before[-1].said, q, True)
        elif _paragraph_alone(f, found, paragraphs):
            _copy(before[-1].said, q, False)


def _paragraph_alone(f: _Found, found: list[_Found], paragraphs: list[int]) -> bool:
    """True when the paragraph is quotes only: every quote in it stands alone and the
    paragraph opens with a quote (`Quintanilla mentioned that ... "Does that ...?"` is
    the writer's paragraph, and the quote is Quintanilla's, not the last speaker's)."""
    mine = [g for g in found if g.paragraph == f.paragraph]
    text = f.span.doc.text
    opening = text[paragraphs[f.paragraph - 1] : mine[0].quote.start].strip()
    return all(g.alone for g in mine) and all(c in MARKS for c in opening)


def _is_name_in_marks(f: _Found) -> bool:
    """A title or nickname in quotation marks, not speech: "13th", "Face the Nation".

    A few words in title case (every word but the small ones capitalised) with no
    sentence punctuation, inside the writer's sentence: news puts the names of shows,
    films, programmes and nicknames in quotation marks, also in a sentence that reports
    speech when the words follow what names them ("Ryan said on CBS's "Face the
    Nation" that ...", "the documentary "13th"").
    """
    q = f.quote
    words = q.text.split()
    if f.alone or f.continued or len(words) > TITLE_WORDS:
        return False
    if q.attribution != "none" and not _named_by_writer(f.span):
        return False
    if q.text[-1:] in TERMINALS or (not words[0][:1].isupper() and not words[0][:1].isdigit()):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or fold(w) in TITLE_SMALL_WORDS for w in words)


def _named_by_writer(span: Span) -> bool:
    """True when the word before the opening mark makes the quote a name: a noun, a
    possessive, a year, or "on"/"in"/"of"/"from" (`on "Face the Nation"`), not a verb or
    "as" (`called her "Crooked Hillary"` is someone's words)."""
    j = span.start - 1
    while j >= 0 and span.doc[j].text in MARKS:
        j -= 1
    if j < 0:
        return False
    before = span.doc[j]
    return before.tag_ in TITLE_LEADS or fold(before.text) in {"on", "in", "of", "from"}


def _is_scare_quote(f: _Found) -> bool:
    """A word or two in quotation marks that nothing attributes: the writer's irony or
    a term held at arm's length ("the 'fact-checking' website"), not anyone's speech.
    Words a copula makes the writer's claim about someone ("would be 'the healthiest
    ever'") are kept: PolNeAR-style readers treat them as quoted content."""
    q = f.quote
    return (
        q.attribution == "none"
        and q.cue is None
        and not f.alone
        and not f.continued
        and not f.described
        and len(q.text.split()) <= SCARE_WORDS
    )
