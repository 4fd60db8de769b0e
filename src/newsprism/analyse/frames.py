"""Event frames: which verbs the headline and the lead tie to which subjects and objects.

The headline and the first sentences of a report say who did what ("Twitter bans
Alex Jones", "Indian Navy captures 26 pirates"). Reports of one event repeat those
pairings in their own words around them; two events of one kind share the topic words
but not the pairings ("Facebook bans ..."). Clustering uses shared frames as evidence
(`cluster.similarity`), so they are read here from the parse the analysis already has:
no extra model, no lemmatiser (the pipeline runs without one, see `verbs.py`), just the
dependency arcs from each verb to the head of its subject and object.

Arguments that name nothing by themselves (pronouns, determiners, numbers, "who") are
left out; which verbs and words count is decided by clustering, which stems them.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from ..models import Frame

LEAD_SENTENCES = 3  # the lead: where a report says what happened
TITLE_CHARS = 500  # a headline is short; a longer "title" is parsed only this far
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_OBJECT_DEPS = frozenset({"dobj", "attr", "dative", "oprd"})
_EMPTY_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$", "WDT", "DT", "EX", "CD"})
_AUXILIARY_DEPS = frozenset({"aux", "auxpass"})


def frames_of(sentences: Iterable[Span], source: str) -> list[Frame]:
    """Subject-verb and verb-object pairs of these sentences, each pair once."""
    found: dict[Frame, None] = {}
    for sent in sentences:
        for verb in sent:
            if not verb.tag_.startswith("VB") or verb.dep_ in _AUXILIARY_DEPS:
                continue
            for arg in verb.children:
                if arg.tag_ in _EMPTY_TAGS or not arg.is_alpha:
                    continue
                if arg.dep_ in _SUBJECT_DEPS:
                    found.setdefault(Frame("subject", verb.lower_, arg.lower_, source))
                elif arg.dep_ in _OBJECT_DEPS:
                    found.setdefault(Frame("object", verb.lower_, arg.lower_, source))
    return list(found)


def lead_frames(doc: Doc, headline_end: int = 0) -> list[Frame]:
    """Frames of a parsed text's lead, its first `LEAD_SENTENCES` sentences.

    When the text opens with its headline (`headline_end` > 0, see `title_end`), the
    sentences within it count as the title and the lead starts after them: the
    headline is then read from this parse instead of being parsed again.
    """
    title: list[Span] = []
    lead: list[Span] = []
    for sent in doc.sents:
        if sent.start_char < headline_end:
            title.append(sent)
        elif len(lead) < LEAD_SENTENCES:
            lead.append(sent)
        else:
            break
    return frames_of(title, "title") + frames_of(lead, "lead")


def title_frames(doc: Doc) -> list[Frame]:
    """Frames of a parsed headline (a headline may hold two clauses)."""
    return frames_of(doc.sents, "title")


def title_end(text: str, title: str) -> int:
    """Where the headline ends if `text` opens with it (whitespace aside), else 0.

    Scraped and archived articles often repeat the headline as their first line; its
    frames are then read from the text's own parse, which saves parsing it twice.
    """
    pos = 0
    words = title[:TITLE_CHARS].split()
    for word in words:
        found = text.find(word, pos, pos + len(word) + 64)
        if found < 0 or text[pos:found].strip():
            return 0
        pos = found + len(word)
    if not words or (pos < len(text) and text[pos].isalnum() and text[pos - 1].isalnum()):
        return 0  # no headline, or the text's word runs on ("Navy" in "Navyseals")
    return pos
