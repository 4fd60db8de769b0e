"""Sentence spans with exact offsets, and the line-break rule spaCy lacks.

News text puts a headline, a dateline and the lead on separate lines without final
punctuation; spaCy's parser then runs them together into one "sentence". A tiny
component placed before the parser marks a sentence start after every line break, and
the parser keeps those boundaries.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..models import Sentence

COMPONENT = "newline_sentence_starts"


@Language.component(COMPONENT)
def newline_sentence_starts(doc: Doc) -> Doc:
    """Start a sentence at the first token after a line break."""
    for i, token in enumerate(doc[:-1]):
        if ("\n" in token.text_with_ws and not token.is_space) or (
            token.is_space and "\n" in token.text
        ):
            doc[i + 1].is_sent_start = True
    return doc


def add_line_rule(nlp: Language) -> Language:
    """Insert the line-break component before the parser (once)."""
    if COMPONENT not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser")
    return nlp


def sentence_spans(doc: Doc, text: str, offset: int = 0) -> list[Sentence]:
    """Sentences of `doc` as spans of `text`, shifted by `offset`, trimmed of white space.

    `text` is the whole article; the doc may cover only a piece of it starting at
    `offset`. A line break inside a spaCy sentence also splits it (belt and braces
    for pipelines without the component).
    """
    out: list[Sentence] = []
    for sent in doc.sents:
        start = offset + sent.start_char
        end = offset + sent.end_char
        for piece_start, piece_end in _split_lines(text, start, end):
            out.append(Sentence(piece_start, piece_end, text[piece_start:piece_end]))
    return out


def _split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    while cursor < end:
        nl = text.find("\n", cursor, end)
        stop = end if nl == -1 else nl
        a, b = cursor, stop
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        cursor = stop + 1
    return spans
