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


def lead_frames(doc: Doc) -> list[Frame]:
    """Frames of the first `LEAD_SENTENCES` sentences of a parsed text."""
    lead: list[Span] = []
    for sent in doc.sents:
        if len(lead) == LEAD_SENTENCES:
            break
        lead.append(sent)
    return frames_of(lead, "lead")


def title_frames(doc: Doc) -> list[Frame]:
    """Frames of a parsed headline (a headline may hold two clauses)."""
    return frames_of(doc.sents, "title")
