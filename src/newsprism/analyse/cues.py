"""The reporting verb ("said", "told", "according to") that governs a quotation, and its subject.

Read from the dependency parse first: the nearest cue-verb ancestor of a quoted word, or
a cue hanging off the quote (`"Enough," he said, "is enough."`). Plain adjacency
(`"...," X said` / `X said: "..."`) and "according to X" are fallbacks for parses that
leave the quote dangling. The subject is inherited through coordinated and adverbial
verbs ("smiled and said"); a passive cue's subject is the listener, never the speaker.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..lexicon import wordset
from .entities import TITLE_NOUNS, fold
from .quote_spans import MARKS
from .verbs import cue_lemma

__all__ = [
    "according_to",
    "cue_by_adjacency",
    "cue_by_parse",
    "governing_verb",
    "inverted_speaker",
    "is_copula",
    "is_cue",
    "report_owner",
    "subject",
]

HANGING = frozenset({"parataxis", "ccomp", "advcl"})
# Dependents through which a cue reports a statement of its own.
OWN_CONTENT = frozenset({"ccomp", "xcomp", "dobj"})
CLAUSE_TAGS = frozenset({"CC", "WRB"})  # "and", "but"; "when", "where"
# Arcs through which a verb shares the subject of the verb it hangs on ("smiled and said",
# "struck a tone, warning", "wants to say").
INHERITING = frozenset({"conj", "advcl", "xcomp"})
# Arcs the parser uses for a clause it could not place ("Durbin, noting X, said", "Clinton,
# exasperated, responded"): the subject is shared when they hang on a verb.
LOOSE_ARCS = frozenset({"parataxis", "dep"})
# How far past a quote an inverted cue may sit (`"...," said the senator`): beyond it
# the verb belongs to another clause.
AFTER_WINDOW = 5
# ... unless the words between are a speaker's name and title (`"...?" former Obama
# adviser David Axelrod asked`): then up to this far.
AFTER_WINDOW_NAMED = 8
SUBJECT_TAGS = frozenset({"NNP", "NNPS", "NN", "JJ", "POS"})
# Words that may describe an inverted speaker before the name: "said *retired
# neurosurgeon* Ben Carson", "said *the* Rev. ...".
DESCRIBING_TAGS = frozenset({"DT", "JJ", "VBN", "NN"})
# Tokens after an inverted cue in which its speaker's name starts.
INVERTED_WINDOW = 4
COPULAS = frozenset(["be", "is", "are", "was", "were", "been", "being", "am", "'s", "'re", "'m"])
# Nouns that name a statement; their possessor is who made it ("Trump's claim").
REPORT_NOUNS = wordset(
    "claim claims statement statements release remark remarks comment comments assertion "
    "prediction promise pledge warning argument suggestion emphasis insistence words "
    "message charge accusation allegation vow boast complaint description"
)
# Arcs climbed from a quote to a reporting noun ("claim that there have been "...")
REPORT_STEPS = 5
# Arcs climbed from a quote to the verb governing it (quote -> pobj -> prep -> verb).
GOVERNING_STEPS = 3
# How far before a quote the cue of `X said: "..."` may sit.
BEFORE_WINDOW = 3


def is_cue(tok: Token) -> bool:
    return tok.tag_.startswith("VB") and cue_lemma(tok.text) is not None


def cue_by_parse(span: Span, inside: set[int]) -> Token | None:
    """The cue verb governing the quote: nearest cue ancestor of a quoted fragment.

    Also accepts a cue verb hanging off the quote (`"Enough," he said, "is enough."`
    is parsed with "said" as a parataxis child of "is"), but not a coordinated one:
    in `X called Y "...", and Y called X "..."` the second verb is not the first's.
    Failing both, a parenthetical cue of the clause the quote sits in: `Mr. Obama
    said, a majority have come to believe "..."`.
    """
    found: list[Token] = []
    aside: list[Token] = []
    for tok in span:
        if tok.is_punct:
            continue
        found.extend(c for c in tok.children if c.dep_ in HANGING and _bare_cue(c, inside))
        if tok.head.i in inside:
            continue
        node = tok.head
        while node.i not in inside and node.head.i != node.i and not is_cue(node):
            aside.extend(c for c in node.children if _aside(c, inside))
            node = node.head
        if is_cue(node) and node.i not in inside:
            found.append(node)
        elif node.i not in inside:
            aside.extend(c for c in node.children if _aside(c, inside))
    found = [c for c in found or aside if not _across_paragraphs(span, c)]
    if not found:
        return None
    return min(found, key=lambda c: min(abs(c.i - span.start), abs(c.i - span.end)))


def _aside(tok: Token, inside: set[int]) -> bool:
    """A cue set aside in the clause that holds the quote: `Mr. Obama said, a majority
    ...` (parataxis), `As Jane Doe puts it, the plan is "dead on arrival"` (an "as"
    clause: the words are Doe's)."""
    if tok.dep_ == "parataxis":
        return _bare_cue(tok, inside)
    return (
        tok.dep_ == "advcl"
        and tok.i not in inside
        and is_cue(tok)
        and any(c.dep_ == "mark" and fold(c.text) == "as" for c in tok.children)
    )


def _bare_cue(tok: Token, inside: set[int]) -> bool:
    """A cue hanging off a quote that reports nothing else: `"...," he said`, not
    `"absolutely right" when he said that ...` (that cue has a statement of its own)."""
    if tok.i in inside or not is_cue(tok):
        return False
    return not any(c.dep_ in OWN_CONTENT and c.i not in inside for c in tok.children)


def _across_paragraphs(span: Span, cue: Token) -> bool:
    """A cue in another paragraph is another statement's (the parser sometimes joins
    paragraphs into one sentence)."""
    lo, hi = (cue.i, span.start) if cue.i < span.start else (span.end, cue.i)
    return any("\n" in t.text for t in span.doc[lo:hi])


def cue_by_adjacency(span: Span, quoted: str) -> Token | None:
    """`"...," X said` after the quote, or `X said: "..."` before it, same sentence."""
    doc = span.doc
    k = span.end
    while k < len(doc) and (doc[k].text in MARKS or doc[k].text == ","):
        k += 1
    if not quoted.rstrip().endswith("."):
        for n, tok in enumerate(doc[k : k + AFTER_WINDOW_NAMED]):
            if tok.text in MARKS or tok.is_space or tok.is_punct or _links_clauses(tok):
                break  # the next clause ("..., and Biden called") is not an attribution
            if is_cue(tok):
                return tok
            if n >= AFTER_WINDOW - 1 and tok.tag_ not in SUBJECT_TAGS:
                break
    j = span.start - 1
    while j >= 0 and (doc[j].text in MARKS or doc[j].text in {":", ","}):
        j -= 1
    for tok in reversed(doc[max(j - BEFORE_WINDOW, 0) : j + 1]):
        if tok.is_punct or "\n" in tok.text:
            break
        if is_cue(tok):
            return tok
    return None


def _links_clauses(tok: Token) -> bool:
    """A conjunction that opens another clause ("and", "because", "while", "when").

    Read from the tag and the parse: the pipeline runs without the attribute ruler
    (12% of the parse time), so coarse POS tags are not set.
    """
    return tok.tag_ in CLAUSE_TAGS or tok.dep_ == "mark"


def subject(cue: Token, quoted: set[int] | frozenset[int] = frozenset()) -> Token | None:
    """The cue's subject (or passive agent), inherited from the governing verb.

    Inheritance covers "Trump struck a tough tone, warning that ..." and "smiled and
    said"; a participle modifying a noun ("Trump saying ...") has that noun; a passive
    cue without an agent has no speaker; an inverted cue whose speaker the parser did
    not make its subject (`"...," said Leslie Wimes, a ...`) is `inverted_speaker`'s.
    A subject inside `quoted` (words of a quotation the parser hung on the cue) is
    skipped: the speaker is never part of what was said.
    """
    verb = cue
    for _ in range(3):
        if (own := _own_subject(verb, quoted)) is not None:
            return own
        for child in verb.children:
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            return None  # "Putin was told ...": the passive subject is the listener
        if verb.dep_ == "acl" and _issued_statement(verb.head):
            verb = verb.head.head  # "X released a statement saying ...": X's statement
            continue
        if verb.dep_ == "acl" and verb.head.tag_ in {"NNP", "NNPS", "NN", "NNS"}:
            return verb.head  # "footage of Trump saying, ...": the noun it modifies
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":  # "before insisting", "by saying"
            verb = verb.head.head
            continue
        inherits = verb.dep_ in INHERITING or (
            verb.dep_ == "ccomp" and is_cue(verb.head)  # "said ... but said" parsed as ccomp
        )
        if verb.dep_ in LOOSE_ARCS:  # "Durbin, noting ..., said": only from a verb
            inherits = verb.head.tag_.startswith("VB")
        if not inherits or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _own_subject(verb: Token, quoted: set[int] | frozenset[int]) -> Token | None:
    """The verb's subject outside the quote; of two (a parse of `..., said Jane Doe`
    that also made a clause before the verb its subject), the one right after it."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i not in quoted]
    after = [c for c in subjects if c.i > verb.i and c.left_edge.i == verb.i + 1]
    if len(subjects) > 1 and after:
        return after[0]
    return subjects[0] if subjects else None


def _issued_statement(noun: Token) -> bool:
    """A reporting noun that is the object of a verb: `released a statement saying`,
    `issued a warning that`; whoever issued it is the speaker."""
    return (
        fold(noun.text) in REPORT_NOUNS and noun.dep_ == "dobj" and noun.head.tag_.startswith("VB")
    )


def according_to(span: Span, doc: Doc, inside: set[int]) -> Token | None:
    """The object of "according to" in the sentence(s) of the quote."""
    start, end = span[0].sent.start, span[-1].sent.end
    for tok in doc[start:end]:
        if tok.i in inside or fold(tok.text) != "according":
            continue
        for to in tok.children:
            if fold(to.text) == "to":
                return next((c for c in to.children if c.dep_ == "pobj"), None)
    return None


def inverted_speaker(cue: Token, after_quote: bool, quote_end: int | None = None) -> Token | None:
    """The speaker right after a cue that follows the quote: `"...," said Jane Doe`.

    Only when no subject was found: the parser often labels that name as an object.
    Skips titles ("said Sen. Smith"); the first token that is not one is the name's.
    With `quote_end` (the token after the quote) the cue must follow the quote with
    nothing but punctuation between: in `a "Party of Trump" campaign dubbing GOP
    candidates` the name after the verb is what it names, not who speaks.
    """
    if not after_quote:
        return None
    if quote_end is not None and not all(t.is_punct for t in cue.doc[quote_end : cue.i]):
        return None
    for tok in cue.doc[cue.i + 1 : cue.i + 1 + INVERTED_WINDOW]:
        if tok.tag_ in {"NNP", "NNPS"}:
            return tok
        if not (tok.is_punct or fold(tok.text) in TITLE_NOUNS or tok.tag_ in DESCRIBING_TAGS):
            return None
    return None


def is_copula(tok: Token) -> bool:
    """ "Trump would *be* 'the healthiest ...'": its subject is what the words describe,
    not who said them."""
    return fold(tok.text) in COPULAS


def governing_verb(span: Span, inside: set[int]) -> Token | None:
    """The verb whose object or complement the quoted words are, when it is no cue:
    `Trump likened the refugees to a "vicious snake"`. Its subject is the likeliest
    source of the words, but only likely: attributions through it are never confident."""
    root = next((t for t in span if t.head.i not in inside or t.head.i == t.i), None)
    node = root.head if root is not None else None
    steps = 0
    while node is not None and steps < GOVERNING_STEPS:
        if is_copula(node) and node.dep_ == "pcomp":  # "accused Cruz of being "..."
            node, steps = node.head, steps + 1
            continue
        if node.i not in inside and node.tag_.startswith("VB"):
            return None if _across_paragraphs(span, node) else node
        if node.head.i == node.i:
            return None
        node, steps = node.head, steps + 1
    return None


def report_owner(span: Span, inside: set[int]) -> Token | None:
    """The possessor of a reporting noun the quote belongs to: `Trump's claim that there
    have been "thousands of shootings"`, `Stumpf's emphasis that ...`."""
    node = span.root
    for _ in range(REPORT_STEPS):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.i not in inside and fold(node.text) in REPORT_NOUNS:
            return next((c for c in node.children if c.dep_ == "poss"), None)
    return None
