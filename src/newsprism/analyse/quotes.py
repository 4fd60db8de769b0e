"""Direct quotations and who said them.

Spans come from the quotation marks themselves (straight, curly and guillemets),
paired within a paragraph so an unpaired mark never swallows the rest of an article
(a quote that runs over paragraphs, news style, is kept paragraph by paragraph).
The speaker comes from the dependency parse: the subject of the cue verb ("said",
"told", "described", ...) that governs the quote, found by walking up from the quoted
words; plain adjacency (`"...," X said` / `X said: "..."`) and "according to X" are
fallbacks for parses that leave the quote dangling. Pronouns and descriptions ("the
former president") are resolved to a named PERSON through a tiny in-article
coreference pass that matches descriptions against the roles `entities` found. When
no single named speaker can be found the speaker stays None: a wrong name on a quote
is worse than none, because the report compares speakers across sources.

Text convention: `Quote.text` is the quoted words without the marks, surrounding
spaces or a trailing comma/semicolon/colon (a comma inside the marks is the
attribution's, not the speaker's); a final ".", "?" or "!" inside the marks is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..models import Mention, Quote
from .entities import TITLE_NOUNS, descriptor_heads, fold, role_matches
from .verbs import CUE_LEMMAS, cue_lemma

__all__ = ["CUE_LEMMAS", "extract_quotes", "find_quote_spans", "quote_spans"]


PRONOUNS = frozenset({"he", "she", "him", "her", "his", "himself", "herself"})
SPEAKER_TYPES = frozenset({"PERSON", "ORG", "GPE"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
HANGING = frozenset({"parataxis", "ccomp", "advcl"})
CLAUSE_TAGS = frozenset({"CC", "WRB"})  # "and", "but"; "when", "where"
MAX_QUOTE_CHARS = 1500
OPENERS, CLOSERS = "“«", "”»"
MARKS = frozenset('"“”«»')
TRIM_TAIL = " \t,;:"


def _straight_closes(text: str, i: int) -> bool:
    """A straight mark closes when glued to the word before it ("...word")."""
    return i > 0 and not text[i - 1].isspace()


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of double quotation marks."""
    return [(start, end) for start, end, _ in quote_spans(text)]


def quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, continued) of each quotation: the text inside its marks.

    Pairs never cross a newline (a paragraph) nor exceed MAX_QUOTE_CHARS: an unclosed
    mark is dropped rather than allowed to capture the rest of the article, except in
    the news convention for a quote that runs over paragraphs: no closing mark at the
    paragraph's end and an opening one at the next paragraph's start. That paragraph
    is then a quote of its own, `continued` (its speaker is the next quote's).
    Straight marks inside an open curly quote are treated as nested and ignored.
    """
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    curly = False
    for i, ch in enumerate(text):
        if ch == "\n":
            if open_at is not None and _opens_paragraph(text, i):
                spans.append((open_at + 1, i, True))
            open_at = None
        elif ch in OPENERS:
            open_at, curly = i, True
        elif ch in CLOSERS and open_at is not None:
            spans.append((open_at + 1, i, False))
            open_at = None
        elif ch == '"' and not (open_at is not None and curly):
            if open_at is not None and _straight_closes(text, i):
                spans.append((open_at + 1, i, False))
                open_at = None
            elif i + 1 < len(text) and not text[i + 1].isspace():
                open_at, curly = i, False
    return [(s, e, c) for s, e, c in spans if e - s <= MAX_QUOTE_CHARS]


def _opens_paragraph(text: str, newline: int) -> bool:
    """True when the paragraph after this line break starts with an opening mark."""
    rest = text[newline : newline + 20].lstrip()
    return rest[:1] in OPENERS or (rest[:1] == '"' and rest[1:2].strip() != "")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a quote to its words: no outer spaces, no trailing comma (see module doc)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in TRIM_TAIL:
        end -= 1
    return start, end


@dataclass(slots=True)
class _Ref:
    """A token that names a person, directly or through coreference."""

    i: int
    name: str
    subject: bool
    sent: int
    shared: bool = False


@dataclass(slots=True)
class _Context:
    """Per-document lookups shared by every quote of the document."""

    doc: Doc
    by_token: dict[int, Mention]
    referents: dict[int, str]
    inside: set[int]


def _token_map(doc: Doc, mentions: list[Mention]) -> dict[int, Mention]:
    """Token index -> the mention covering it."""
    out: dict[int, Mention] = {}
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            out.update((t.i, m) for t in span)
    return out


def _is_description(tok: Token) -> bool:
    """A definite singular title noun heading its phrase: "the former president"."""
    return (
        fold(tok.text) in TITLE_NOUNS
        and tok.tag_ in {"NN", "NNP"}
        and tok.dep_ != "compound"
        and any(c.dep_ in {"det", "poss"} and fold(c.text) != "a" for c in tok.children)
    )


def _antecedent(refs: list[_Ref], tok: Token) -> str | None:
    """Nearest person for a pronoun, preferring subjects (as readers do).

    The current sentence is searched first (nearest subject, else nearest name), then
    the latest of the three previous sentences that names anyone (its first subject,
    else its last name). A name coordinated with another person is ambiguous: None.
    """
    sent = tok.sent.start
    same = [r for r in refs if r.sent == sent and r.i < tok.i]
    chosen: _Ref | None = None
    if same:
        subjects = [r for r in same if r.subject]
        chosen = (subjects or same)[-1]
    elif earlier := sorted({r.sent for r in refs if r.sent < sent}, reverse=True)[:3]:
        group = [r for r in refs if r.sent == earlier[0]]
        subjects = [r for r in group if r.subject]
        chosen = subjects[0] if subjects else group[-1]
    return None if chosen is None or chosen.shared else chosen.name


def _described(refs: list[_Ref], tok: Token, roles: dict[str, set[str]]) -> str | None:
    """The latest person whose role in this article fits the description."""
    description = tok.doc[tok.left_edge.i : tok.i + 1].text
    if not descriptor_heads(description):
        return None
    for ref in reversed(refs):
        if any(role_matches(description, role) for role in roles.get(ref.name, ())):
            return ref.name
    return None


def _coordinated(tok: Token, by_token: dict[int, Mention]) -> bool:
    """A name coordinated with another person: after "Biden and Xi met", "he" is either."""
    partners = [c for c in tok.children if c.dep_ == "conj"]
    if tok.dep_ == "conj":
        partners.append(tok.head)
    return any((m := by_token.get(p.i)) is not None and m.type == "PERSON" for p in partners)


def _referents(doc: Doc, by_token: dict[int, Mention], inside: set[int]) -> dict[int, str]:
    """Token -> person for names, pronouns and descriptions, outside quotes, in order."""
    roles: dict[str, set[str]] = {}
    for m in by_token.values():
        if m.role:
            roles.setdefault(m.canonical, set()).add(m.role)
    refs: list[_Ref] = []
    for tok in doc:
        if tok.i in inside:
            continue
        mention = by_token.get(tok.i)
        name: str | None = None
        if mention is not None:
            last = tok.i + 1 >= len(doc) or by_token.get(tok.i + 1) is not mention
            if mention.type == "PERSON" and last:
                name = mention.canonical
        elif fold(tok.text) in PRONOUNS and tok.tag_ in {"PRP", "PRP$"}:
            name = _antecedent(refs, tok)
        elif _is_description(tok):
            name = _described(refs, tok, roles)
        if name is not None:
            shared = mention is not None and _coordinated(tok, by_token)
            refs.append(_Ref(tok.i, name, tok.dep_ in SUBJECTS, tok.sent.start, shared))
    return {r.i: r.name for r in refs}


def _is_cue(tok: Token) -> bool:
    return tok.tag_.startswith("VB") and cue_lemma(tok.text) is not None


def _cue_by_parse(span: Span, inside: set[int]) -> Token | None:
    """The cue verb governing the quote: nearest cue ancestor of a quoted fragment.

    Also accepts a cue verb hanging off the quote (`"Enough," he said, "is enough."`
    is parsed with "said" as a parataxis child of "is"), but not a coordinated one:
    in `X called Y "...", and Y called X "..."` the second verb is not the first's.
    """
    found: list[Token] = []
    for tok in span:
        if tok.is_punct:
            continue
        found.extend(
            c for c in tok.children if c.dep_ in HANGING and c.i not in inside and _is_cue(c)
        )
        if tok.head.i in inside:
            continue
        node = tok.head
        while node.i not in inside and node.head.i != node.i and not _is_cue(node):
            node = node.head
        if _is_cue(node) and node.i not in inside:
            found.append(node)
    if not found:
        return None
    return min(found, key=lambda c: min(abs(c.i - span.start), abs(c.i - span.end)))


def _cue_by_adjacency(span: Span, quoted: str) -> Token | None:
    """`"...," X said` after the quote, or `X said: "..."` before it, same sentence."""
    doc = span.doc
    k = span.end
    while k < len(doc) and (doc[k].text in MARKS or doc[k].text == ","):
        k += 1
    if not quoted.rstrip().endswith("."):
        for tok in doc[k : k + 5]:
            if tok.text in MARKS or tok.is_space or tok.is_punct or _links_clauses(tok):
                break  # the next clause ("..., and Biden called") is not an attribution
            if _is_cue(tok):
                return tok
    j = span.start - 1
    while j >= 0 and (doc[j].text in MARKS or doc[j].text in {":", ","}):
        j -= 1
    for tok in reversed(doc[max(j - 3, 0) : j + 1]):
        if tok.is_punct or "\n" in tok.text:
            break
        if _is_cue(tok):
            return tok
    return None


def _links_clauses(tok: Token) -> bool:
    """A conjunction that opens another clause ("and", "because", "while", "when").

    Read from the tag and the parse: the pipeline runs without the attribute ruler
    (12% of the parse time), so coarse POS tags are not set.
    """
    return tok.tag_ in CLAUSE_TAGS or tok.dep_ == "mark"


def _subject(cue: Token) -> Token | None:
    """The cue's subject (or passive agent), inherited from the governing verb.

    Inheritance covers "Trump struck a tough tone, warning that ..." and "smiled and
    said"; a passive cue without an agent has no speaker.
    """
    verb = cue
    for _ in range(3):
        for child in verb.children:
            if child.dep_ == "nsubj":
                return child
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            return None  # "Putin was told ...": the passive subject is the listener
        if verb.dep_ not in {"conj", "advcl", "xcomp"} or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _speaker(subj: Token, cue: Token, ctx: _Context) -> str | None:
    """Canonical name for a subject token, or None when it names no single speaker."""
    if subj.tag_ in {"WP", "WDT"} and cue.dep_ == "relcl":
        subj = cue.head
    mention = ctx.by_token.get(subj.i)
    if mention is not None:
        return mention.canonical if mention.type in SPEAKER_TYPES else None
    if subj.i in ctx.referents:
        return ctx.referents[subj.i]
    titled = fold(subj.text) in TITLE_NOUNS and subj.tag_ == "NNP"
    for child in subj.children:
        named = ctx.by_token.get(child.i)
        if named is None or named.type != "PERSON" or child.i < subj.i:
            continue
        if child.dep_ == "appos" or (titled and child.dep_ in {"compound", "flat"}):
            return named.canonical
    return None


def _according_to(span: Span, ctx: _Context) -> Token | None:
    """The object of "according to" in the sentence(s) of the quote."""
    start, end = span[0].sent.start, span[-1].sent.end
    for tok in ctx.doc[start:end]:
        if tok.i in ctx.inside or fold(tok.text) != "according":
            continue
        for to in tok.children:
            if fold(to.text) == "to":
                return next((c for c in to.children if c.dep_ == "pobj"), None)
    return None


def _attribute(span: Span, quoted: str, ctx: _Context) -> tuple[str | None, str | None]:
    """(speaker, cue lemma) for one quote span."""
    inside = {t.i for t in span}
    cue = _cue_by_parse(span, inside)
    if cue is not None and (subj := _subject(cue)) is not None:
        return _speaker(subj, cue, ctx), cue_lemma(cue.text)
    source = _according_to(span, ctx)
    if source is not None:
        return _speaker(source, source.head, ctx), "according to"
    near = _cue_by_adjacency(span, quoted)
    if near is not None and (subj := _subject(near)) is not None:
        return _speaker(subj, near, ctx), cue_lemma(near.text)
    return None, cue_lemma(cue.text) if cue is not None else None


def extract_quotes(doc: Doc, mentions: list[Mention]) -> list[Quote]:
    """Direct quotes of one article with exact offsets, speakers and cue lemmas.

    `mentions` are the article's mentions (from `extract_mentions`, possibly resolved
    by an `EntityRegistry`); speakers are their canonical names.
    """
    text = doc.text
    found: list[tuple[int, int, Span, str, bool]] = []  # + tokens, text inside, continued
    for raw_start, raw_end, continued in quote_spans(text):
        start, end = _trim(text, raw_start, raw_end)
        span = doc.char_span(start, end, alignment_mode="expand")
        if start < end and span is not None and len(span):
            found.append((start, end, span, text[raw_start:raw_end], continued))
    inside = {tok.i for _, _, span, _, _ in found for tok in span}
    by_token = _token_map(doc, mentions)
    ctx = _Context(doc, by_token, _referents(doc, by_token, inside), inside)
    quotes = []
    for start, end, span, raw, _ in found:
        speaker, cue = _attribute(span, raw, ctx)
        quotes.append(Quote(start, end, text[start:end], speaker, cue))
    _carry_back(quotes, [continued for *_, continued in found])
    return quotes


def _carry_back(quotes: list[Quote], continued: list[bool]) -> None:
    """A paragraph that a quote runs over from takes the speaker of where it goes on.

    `“We will rebuild.⏎“The money is there,” Smith said.`: the attribution sits in the
    last paragraph only, so it is carried back to the paragraphs before it.
    """
    for i in range(len(quotes) - 2, -1, -1):
        if continued[i] and quotes[i].speaker is None and quotes[i + 1].speaker is not None:
            quotes[i].speaker, quotes[i].cue = quotes[i + 1].speaker, quotes[i + 1].cue
