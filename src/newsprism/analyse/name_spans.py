"""Where the names of an article are: the model's entity spans, repaired (issue 13).

The small spaCy model reads a headline in title case as one long name ("Lindsay Lohan
Checks Into Rehab" as a PERSON, "Colts Beat Chiefs"), runs a name across a line break
(a headline into the first line), keeps stray punctuation ("Vincent '", "Catching Fire
- -"), and leaves some names untagged ("People", "TMZ"). The fixes use only the article:

- a span is cut at line breaks and at spaced dashes, colons and bars (a headline's
  "Esther Williams - Esther Williams" is two names), and trimmed of punctuation;
- in a headline-case line, capitals say nothing, so a span keeps only the names the
  article's ordinary lines use ("Lindsay Lohan"), and words the article writes in lower
  case elsewhere ("checks", "into") are not names;
- an untagged run of proper nouns in an ordinary line is a name of unknown type (MISC),
  typed later by the other mentions of the same name;
- a nickname quoted inside a person's name ("Vincent 'The Chin' Gigante", "Luis Gerardo
  (Jerry) Ortiz") does not cut it: the model stops at the quote and leaves "Vincent"
  and a stray "The Chin' Gigante".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from ..lexicon import wordset
from .names import fold
from .roles import TITLE_NOUNS

__all__ = [
    "MISC",
    "body_names",
    "headline_lines",
    "is_edge",
    "line_of",
    "named_spans",
    "split_span",
    "with_nicknames",
]


MISC = "MISC"  # a name the model did not type; other mentions of it decide
# More than this share of a line's words capitalised: a title-case headline.
HEADLINE_SHARE = 0.6
HEADLINE_MIN_WORDS = 3  # "Barack Obama" alone is a name, not a headline
# Small words a headline writes in capitals ("Into", "Of") that never decide the case.
SMALL_WORDS = wordset("a an the of in on at to for and or but by with from into as")
BREAKS = frozenset({"-", "–", "—", ":", "|", "/", "--"})  # spaced, they separate names
EDGE_PUNCT = frozenset("'\"‘’“”`-–—:|/,.;()[]{}*")
SCORE = re.compile(r"\d+ ?[-–] ?\d+")
PROPER_TAGS = frozenset({"NNP", "NNPS"})
COMMON_TAGS = frozenset({"NN", "NNS"})
# After these a capital may open a quoted or new sentence: no evidence of a name.
OPENERS = frozenset({'"', "“", "``", "'", "‘", ":", "-", "–", "—", "(", "[", "\n"})
# Marks around a nickname inside a name, opening -> the closings that end it.
NICKNAME_MARKS = {
    "'": {"'", "’"}, "‘": {"’", "'"}, '"': {'"', "”"}, "“": {"”", '"'}, "``": {"''", '"'},
    "`": {"'"}, "(": {")"},
}  # fmt: skip
# Titles a team, town or body qualifies inside a person span ("Colts QB Andrew Luck",
# "Brooklyn Councilman"): the general titles and the ones sports and local news use.
INNER_TITLES = TITLE_NOUNS | wordset(
    "qb quarterback wr receiver linebacker pitcher councilman councilwoman sheriff "
    "detective sergeant trooper officer deputy"
)
# Prepositions that never join the words of one name, only of a title's.
PLACE_PREPOSITIONS = frozenset({"at", "in"})
TITLED_LABELS = frozenset({"WORK_OF_ART", "EVENT", "LAW"})  # "Alice in Wonderland"
FULL_NAME_WORDS = 2  # a full name after an inner title: "Andrew Luck", not "Jr"
NICKNAME_WORDS = 3  # "The Chin", "Big Tuna", "Jerry": a nickname is short
# After the nickname one surname, with its particle ("Gigante", "De Niro"); a second
# capitalised word is a headline's ("Vincent 'The Chin' Gigante Dies").
SURNAME_PARTICLES = wordset("de da di del della van von der le la du st")


def line_of(doc: Doc) -> list[int]:
    """Line number of each token."""
    out, line = [], 0
    for tok in doc:
        out.append(line)
        line += tok.text.count("\n") + tok.whitespace_.count("\n")
    return out


def headline_lines(doc: Doc, lines: list[int]) -> set[int]:
    """Lines written in title case, where capitals do not mark names.

    A line that ends with a full stop is prose ("Angela Merkel spoke."): headlines do
    not end with one.
    """
    caps: dict[int, list[bool]] = {}
    last: dict[int, str] = {}
    for tok, line in zip(doc, lines, strict=True):
        if not tok.is_space:
            last[line] = tok.text
        if tok.is_alpha and fold(tok.text) not in SMALL_WORDS:
            caps.setdefault(line, []).append(tok.text[0].isupper())
    return {
        line
        for line, flags in caps.items()
        if len(flags) >= HEADLINE_MIN_WORDS
        and sum(flags) > HEADLINE_SHARE * len(flags)
        and last.get(line) != "."
    }


def _is_break(tok: Token) -> bool:
    if tok.is_space or "\n" in tok.text:
        return True
    spaced = bool(tok.whitespace_) and tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_)
    return tok.text in BREAKS and spaced


def split_span(span: Span) -> list[Span]:
    """The pieces of a span between breaks, each trimmed of edge punctuation; a score
    the span ends with goes first, before its spaced dash reads as a break
    ("Evansville 51 - 50")."""
    pieces: list[Span] = []
    start, stop = span.start, _score_end(span.doc, span.start, span.end)
    for tok in [*list(span.doc[span.start : stop]), None]:
        if tok is None or _is_break(tok) or "\n" in tok.whitespace_:
            end = stop if tok is None else tok.i + (0 if _is_break(tok) else 1)
            piece = _trim(span.doc, start, end)
            if piece is not None:
                pieces.append(Span(span.doc, piece[0], piece[1], label=span.label_))
            start = end + (1 if tok is not None and _is_break(tok) else 0)
    return pieces


def is_edge(tok: Token) -> bool:
    """Punctuation a name never starts or ends with ("Vincent '", "Pie ''")."""
    return tok.is_space or all(c in EDGE_PUNCT for c in tok.text)


def _score_end(doc: Doc, start: int, end: int) -> int:
    """Where a name ends before a score or range the model ran into it ("Evansville
    91-73", tokens "91", "-", "73"): never part of a name, unlike a lone number
    ("Channel 4", "Internet Explorer 8")."""
    if end - start > 3 and SCORE.fullmatch(doc[end - 3 : end].text):
        return end - 3
    return end


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    while start < end and is_edge(doc[start]):
        start += 1
    while end > start and is_edge(doc[end - 1]):
        end -= 1
    end = _score_end(doc, start, end)
    if start == end or not any(t.text[0].isupper() for t in doc[start:end]):
        return None
    return start, end


def body_names(spans: Iterable[Span]) -> set[tuple[str, ...]]:
    """Folded names used in ordinary lines, and each one's last word ("Colts")."""
    names: set[tuple[str, ...]] = set()
    for span in spans:
        key = tuple(fold(t.text) for t in span if fold(t.text) != "the")
        if key:
            names.add(key)
            names.add(key[-1:])
    return names


def _lower_words(doc: Doc, headlines: set[int], lines: list[int]) -> set[str]:
    """Words the article writes in lower case outside headlines: common words."""
    return {
        t.text
        for t, line in zip(doc, lines, strict=True)
        if t.is_alpha and t.text.islower() and line not in headlines
    }


def _matches(tokens: list[Token], names: set[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Greedy longest matches of known names in a token run (doc token indices)."""
    out, i = [], 0
    keys = [fold(t.text) for t in tokens]
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            if tuple(keys[i:j]) in names:
                out.append((tokens[i].i, tokens[j - 1].i + 1))
                i = j
                break
        else:
            i += 1
    return out


def _runs_matches(tokens: list[Token], names: set[tuple[str, ...]]) -> list[tuple[int, int]]:
    """`_matches` within each run of adjacent tokens."""
    out: list[tuple[int, int]] = []
    run: list[Token] = []
    for tok in [*tokens, None]:
        if tok is not None and (not run or tok.i == run[-1].i + 1):
            run.append(tok)
            continue
        out.extend(_matches(run, names))
        run = [tok] if tok is not None else []
    return out


def _headline_pieces(span: Span, names: set[tuple[str, ...]], lower: set[str]) -> list[Span]:
    """A headline span cut down to the article's known names, else to its non-common words."""
    doc, label = span.doc, span.label_
    found = _matches(list(span), names)
    if found:
        return [Span(doc, s, e, label=label) for s, e in found]
    out, start = [], None
    for tok in [*list(span), None]:
        common = tok is not None and tok.text.lower() in lower
        if tok is None or common:
            if start is not None:
                end = span.end if tok is None else tok.i
                out.extend(split_span(Span(doc, start, end, label=label)))
            start = None
        elif start is None:
            start = tok.i
    return out


def named_spans(doc: Doc, labels: frozenset[str]) -> list[Span]:
    """The article's name spans: entities of `labels` repaired, plus untagged names."""
    lines = line_of(doc)
    headlines = headline_lines(doc, lines)
    pieces = [p for e in doc.ents if e.label_ in labels for p in split_span(e)]
    body = [p for p in pieces if lines[p.start] not in headlines]
    taken = {i for e in doc.ents for i in range(e.start, e.end)}
    body += _proper_runs(doc, taken, headlines, lines)
    names = body_names(body)
    lower = _lower_words(doc, headlines, lines)
    heads = [p for p in pieces if lines[p.start] in headlines]
    out = body + [q for p in heads for q in _headline_pieces(p, names, lower)]
    # untagged capitalised words spelling a name the article uses: "Colts" opening a
    # sentence (tagged NNS), a headline's "People"
    taken |= {i for p in out for i in range(p.start, p.end)}
    free = [t for t in doc if t.i not in taken and (t.is_title or t.is_upper)]
    out += [Span(doc, s, e, label=MISC) for s, e in _runs_matches(free, names)]
    parts = [
        r for p in out for a in _split_at(p) for q in _split_and(a, body) for r in _split_title(q)
    ]
    split = sorted(parts, key=lambda s: s.start)
    return with_nicknames(split)


def _nickname_end(doc: Doc, i: int) -> int | None:
    """End of `'Nick' Surname` opening at token `i`, or None: a short run of capitalised
    words between matching marks, then a surname on the same line."""
    closings = NICKNAME_MARKS.get(doc[i].text) if i < len(doc) else None
    if not closings:
        return None
    j = i + 1
    while j < len(doc) and j - i <= NICKNAME_WORDS and doc[j].text not in closings:
        if not (doc[j].is_title or doc[j].is_upper) or "\n" in doc[j].whitespace_:
            return None
        j += 1
    if j == i + 1 or j >= len(doc) or doc[j].text not in closings:
        return None
    k = j + 1
    if k < len(doc) and fold(doc[k].text) in SURNAME_PARTICLES:
        k += 1  # "De Niro", "van Gogh"
    if k >= len(doc) or doc[k].tag_ not in PROPER_TAGS or not doc[k].is_title:
        return None
    return k + 1 if "\n" not in doc[k - 1].whitespace_ else None


def with_nicknames(spans: list[Span]) -> list[Span]:
    """Person spans carried over a quoted nickname to the surname after it ("Vincent
    'The Chin' Gigante" is one name, not "Vincent" and "The Chin' Gigante"); the spans
    the longer name covers are dropped. Spans must be sorted by start."""
    grown: list[Span] = []
    for span in spans:
        end = _nickname_end(span.doc, span.end) if span.label_ == "PERSON" else None
        if end is not None:
            grown.append(Span(span.doc, span.start, end, label="PERSON"))
    if not grown:
        return spans
    covered = {i for g in grown for i in range(g.start, g.end)}
    kept = [s for s in spans if not covered.intersection(range(s.start, s.end))]
    return sorted(kept + grown, key=lambda s: s.start)


def _split_at(span: Span) -> list[Span]:
    """A name and a place the model ran into one span ("Jaguars at Jacksonville Municipal
    Stadium", "Banstead in"): a lower-case "at" or "in" joins no name but a title's
    ("Alice in Wonderland"), so the span is cut there and each side kept if a name."""
    if span.label_ in TITLED_LABELS:
        return [span]
    pieces, start = [], span.start
    for tok in span:
        if tok.text in PLACE_PREPOSITIONS:
            pieces.append((start, tok.i))
            start = tok.i + 1
    if not pieces:
        return [span]
    pieces.append((start, span.end))
    out = [Span(span.doc, s, e, label=span.label_) for s, e in pieces if e > s]
    return [q for p in out for q in split_span(p)]


def _split_title(span: Span) -> list[Span]:
    """A person span holding a title between another name and a full name: "Colts QB
    Andrew Luck" is the team and the player (the title is a role, not a name). A title
    opening the span is the person's ("Coach Mo Cheeks"); one ending it, or before a
    lone word, may be a surname ("Billy King", "Martin Luther King Jr")."""
    if span.label_ != "PERSON":
        return [span]
    cut = next((t.i for t in span if t.i > span.start and fold(t.text) in INNER_TITLES), None)
    if cut is None or span.end - cut - 1 < FULL_NAME_WORDS:
        return [span]
    if any(fold(t.text) in INNER_TITLES for t in span.doc[span.start : cut]):
        return [span]
    before = Span(span.doc, span.start, cut, label=MISC)
    after = Span(span.doc, cut + 1, span.end, label="PERSON")
    return [*split_span(before), *split_span(after)]


def _split_and(span: Span, body: list[Span]) -> list[Span]:
    """Two names the model ran into one ("Lopez and Carrasquillo", "Philly and Cheeks"):
    a person's name never holds "and"; another name is cut when a side is a name the
    article's other spans use apart ("Cheeks", the coach's surname), which its own last
    word is not ("Academy of Motion Picture Arts and Sciences", "Procter and Gamble"
    stay whole)."""
    cuts = [t.i for t in span if t.lower_ == "and" and span.start < t.i < span.end - 1]
    if len(cuts) != 1:
        return [span]
    left = Span(span.doc, span.start, cuts[0], label=span.label_)
    right = Span(span.doc, cuts[0] + 1, span.end, label=span.label_)
    if span.label_ != "PERSON":
        names = body_names(p for p in body if (p.start, p.end) != (span.start, span.end))
        if not any(tuple(fold(t.text) for t in side) in names for side in (left, right)):
            return [span]
    return [left, right]


def _proper(tok: Token) -> bool:
    """A proper noun by its tag, or a capitalised noun inside a sentence ("the Internet"):
    in an ordinary line only a name is capitalised there."""
    if tok.tag_ in PROPER_TAGS:
        return True
    if tok.tag_ not in COMMON_TAGS or not tok.is_title or tok.is_sent_start or tok.i == 0:
        return False
    return tok.doc[tok.i - 1].text not in OPENERS


def _inner_hyphen(tok: Token) -> bool:
    """A hyphen written tight between two proper nouns: one name ("MS08-078", a
    bulletin the model tags as two nouns), not two names around a dash."""
    doc = tok.doc
    return (
        tok.text in {"-", "–"}
        and not tok.whitespace_
        and tok.i > 0
        and not doc[tok.i - 1].whitespace_
        and tok.i + 1 < len(doc)
        and _proper(doc[tok.i + 1])
    )


def _proper_runs(doc: Doc, taken: set[int], headlines: set[int], lines: list[int]) -> list[Span]:
    """Untagged runs of proper nouns in ordinary lines: names the model missed.

    A run that is only a sentence's first word is skipped when the article writes the
    word in lower case elsewhere ("Police said ..."): its capital is the sentence's.
    """
    lower = {t.text for t in doc if t.is_alpha and t.text.islower()}
    runs: list[Span] = []
    start = None
    for tok in [*list(doc), None]:
        ok = (
            tok is not None
            and (_proper(tok) or (start is not None and _inner_hyphen(tok)))
            and tok.i not in taken
            and lines[tok.i] not in headlines
            and not _is_break(tok)
        )
        if ok and start is None:
            start = tok.i  # type: ignore[union-attr]
        elif not ok and start is not None:
            end = tok.i if tok is not None else len(doc)
            first = doc[start]
            if not (end - start == 1 and first.is_sent_start and first.text.lower() in lower):
                runs.extend(split_span(Span(doc, start, end, label=MISC)))
            start = None
    return runs
