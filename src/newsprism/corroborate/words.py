"""Words: the light lexicon that facts are compared with, and clause splitting.

Pure text work, no model: corroboration runs at brief time over every sentence of a
story, so it must cost microseconds per sentence. Keys come from a light suffix
stemmer plus a table of irregular verbs ("met" -> "meet", "fell" -> "fall"); on ECB+
this matched spaCy's lemmatiser for alignment. Negation is read from negators and
their scope ("no formal ceasefire was reached"), clauses from subordinators and
coordinators ("While the talks ended without a deal, | both leaders ...").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import wordset

# Function words and reporting filler: they say nothing about which fact a sentence states.
STOP_WORDS = wordset(
    """a about above after again against all almost along already also although always
    am among an and another any anyone anything are around as at be became because become
    been before being below between both but by can could did do does doing done down
    during each either else even ever every few for from further had has have having he
    her here hers herself him himself his how however i if in into is it its itself just
    least less like made make many may me might more most much must my myself neither
    nor now of off often on once one only onto or other others otherwise our ours
    ourselves out over own per perhaps quite rather re really said same say says saying
    see seem seemed several she should since so some someone something still such than
    that the their theirs them themselves then there these they this those though through
    throughout thus to too toward towards under unless until up upon us very via was we
    well were what whatever when whenever where whether which while who whoever whole whom
    whose why will with within would yet you your yours yourself mr mrs ms dr"""
)
NEGATORS = wordset(
    "no not never without nobody nothing cannot cant dont doesnt didnt wont isnt arent wasnt "
    "werent hasnt havent hadnt couldnt wouldnt shouldnt"
)
# Words between a negator and what it negates: "not (have) (been) reached", "no (formal) ..."
_NEG_SKIP = wordset(
    "a an the be been being is are was were have has had do does did will would can could may "
    "might should must ever even yet so any also really currently immediately actually"
)
NEGATION_SCOPE = 4  # content words after a negator that it governs
_SCOPE_BREAK = frozenset({"but", "and", "while", "although", "though", "because", "yet"})

# Irregular verb forms -> lemma (the suffix stemmer cannot undo vowel changes), and the
# last rows: nouns of common news events -> their verb ("death" -> die, "killer" -> kill),
# so two outlets reporting one event in different word classes share its key.
_IRREGULAR_ROWS = """
arise arose arisen|be was were been|bear bore borne born|beat beaten|become became|
begin began begun|bend bent|bet|bind bound|bite bit bitten|bleed bled|blow blew blown|
break broke broken|breed bred|bring brought|build built|burn burnt|buy bought|
catch caught|choose chose chosen|come came|cost|cut|deal dealt|dig dug|do did done|
draw drew drawn|drink drank drunk|drive drove driven|eat ate eaten|fall fell fallen|
feed fed|feel felt|fight fought|find found|flee fled|fly flew flown|forbid forbade|
forget forgot forgotten|forgive forgave forgiven|freeze froze frozen|get got gotten|
give gave given|go went gone|grow grew grown|hang hung|have had has|hear heard|hide hid
hidden|hit|hold held|hurt|keep kept|know knew known|lay laid|lead led|leave left|
lend lent|let|lie lay lain|lose lost|make made|mean meant|meet met|pay paid|put|quit|
read|ride rode ridden|ring rang rung|rise rose risen|run ran|say said|see saw seen|
seek sought|sell sold|send sent|set|shake shook shaken|shoot shot|show shown|
shrink shrank shrunk|shut|sing sang sung|sink sank sunk|sit sat|sleep slept|
slide slid|speak spoke spoken|spend spent|spread|stand stood|steal stole stolen|
stick stuck|strike struck|swear swore sworn|sweep swept|swim swam swum|swing swung|
take took taken|teach taught|tear tore torn|tell told|think thought|throw threw thrown|
understand understood|wake woke woken|wear wore worn|win won|withdraw withdrew withdrawn|
write wrote written|undertake undertook undertaken|overcome overcame|uphold upheld|
seize seized|slay slew slain|
die died dying dead death deaths|kill killer killers|shoot shooter shooters|
murder murderer murderers|attack attacker attackers|bomb bomber bombers|
rob robber robbers robbery|win winner winners|kidnap kidnapper kidnappers|strive strove striven|
"""
IRREGULAR = {
    form: row.split()[0]
    for row in _IRREGULAR_ROWS.replace("\n", "").split("|")
    if row.strip()
    for form in row.split()
}
_SUFFIXES = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("isation", "ize"),
    ("ctions", "ct"),
    ("ction", "ct"),
    ("ations", "at"),
    ("ation", "at"),
    ("ments", ""),
    ("ment", ""),
    ("ings", ""),
    ("ing", ""),
    ("ied", "y"),
    ("ies", "y"),
    ("edly", ""),
    ("ed", ""),
    ("ers", "er"),
    ("sses", "ss"),
    ("es", "e"),
    ("s", ""),
)
# A word: letters/digits, keeping inner dots and apostrophes ("U.S", "don't"), not hyphens.
WORD = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*")
NUMBER_WORDS = wordset(
    "zero two three four five six seven eight nine ten eleven twelve twenty thirty forty "
    "fifty hundred thousand million billion dozen half"
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, deterministic stem: lower-case, irregular verbs mapped, one suffix off.

    "invited", "invitation" and "invites" all give "invit"; "meeting" and "met" give
    "meet"; "-ate" verbs meet their nouns ("nominated", "nomination" -> "nomin"), as do
    "-ct" verbs ("convicted", "conviction"), "fire"/"fired" and "injury"/"injured".
    Crude on purpose: it only has to make two mentions of one idea equal.
    """
    w = word.lower().replace("’", "'").replace(".", "")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'")
    w = IRREGULAR.get(w, w)
    if len(w) <= 3 or w[0].isdigit():
        return w
    for suffix, repl in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            w = w[: -len(suffix)] + repl
            break
    if len(w) >= 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 4 and w.endswith("y"):
        w = w[:-1]
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    if len(w) >= 7 and w.endswith("at"):
        w = w[:-2]
    return w


@dataclass(slots=True, frozen=True)
class Token:
    """A word of a fact with its character offsets and comparison key (None: stop word)."""

    start: int
    end: int
    text: str
    key: str | None
    negator: bool = False


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Words of `text` with keys; offsets are shifted by `offset` (article offsets).

    Negators are marked, including contractions a tokenised corpus splits apart
    ("hadn ’ t"): the "n" word becomes the negator and the stray "t" is dropped.
    """
    out: list[Token] = []
    for m in WORD.finditer(text):
        raw = m.group(0)
        low = raw.lower().replace("’", "'")
        if low == "t" and out and out[-1].text.lower().endswith("n"):
            gap = text[out[-1].end - offset : m.start()].strip()
            if gap in ("'", "’"):
                prev = out[-1]
                out[-1] = Token(prev.start, prev.end, prev.text, None, True)
                continue
        neg = low in NEGATORS or low.endswith("n't")
        bare = low[:-2] if low.endswith("'s") else low
        key = None if neg or bare in STOP_WORDS or len(bare) < 2 else stem(raw)
        out.append(Token(m.start() + offset, m.end() + offset, raw, key, neg))
    return out


def content_keys(text: str) -> frozenset[str]:
    """The comparison keys of a text (used for quotes and baselines)."""
    return frozenset(t.key for t in tokenize(text) if t.key)


def negation(
    tokens: Sequence[Token], text: str, offset: int
) -> tuple[frozenset[str], frozenset[str]]:
    """Keys in the scope of a negator, and the negated heads.

    The scope is the next few content words, up to punctuation or a conjunction: "no
    formal ceasefire was reached" -> {formal, ceasefir, reach}. The head is the first
    word after the negator that is not an auxiliary or article ("never see that" ->
    see; "would not say" -> none, "say" carries no key): a contradiction needs the other
    fact to affirm the head itself, not merely a word nearby.
    """
    scope: set[str] = set()
    heads: set[str] = set()
    for i, tok in enumerate(tokens):
        if not tok.negator:
            continue
        head = next((t for t in tokens[i + 1 :] if t.text.lower() not in _NEG_SKIP), None)
        if head is not None and head.key:
            heads.add(head.key)
        seen = 0
        for nxt in tokens[i + 1 :]:
            gap = text[tok.end - offset : nxt.start - offset]
            if any(p in gap for p in ",.;:!?") or nxt.text.lower() in _SCOPE_BREAK:
                break
            if nxt.key:
                scope.add(nxt.key)
                seen += 1
                if seen >= NEGATION_SCOPE:
                    break
    return frozenset(scope), frozenset(heads)


# ----------------------------------------------------------------------------- clauses

MIN_SPLIT_WORDS = 16  # shorter sentences are one fact
MIN_CLAUSE_WORDS = 5
_FRONTED = re.compile(
    r"(?i)^(?:while|whereas|although|though|even though|as|after|before|when|if|because|"
    r"since|once|despite|with|amid)\b"
)
_INNER = re.compile(
    r"(?:,\s+|\s+)(?=(?:while|whereas|although|though|because|before|after|since|when|but|"
    r"yet)\s)|;\s+|,\s+(?=(?:and|so)\s+(?:he|she|they|it|we|the|a|an|his|her|their|its|"
    r"[A-Z])\w*\s)"
)
_AUX = wordset(
    "is are was were has have had will would can could may might should must did does do 's"
)


def _verb_like(words: Sequence[str]) -> bool:
    """A clause needs a finite-looking verb; without a parser, forms and auxiliaries do."""
    for w in words:
        low = w.lower()
        if low in _AUX or low in IRREGULAR or (len(low) > 4 and low.endswith(("ed", "ing"))):
            return True
    return False


def _quoted(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks: never cut a quote in two."""
    spans, open_at = [], None
    for i, ch in enumerate(text):
        if ch in "“«" or (ch == '"' and open_at is None):
            open_at = i
        elif (ch in "”»" or ch == '"') and open_at is not None:
            spans.append((open_at, i))
            open_at = None
    return spans


def _cut_points(text: str) -> list[int]:
    """Offsets (in `text`) where a new clause may start."""
    cuts = []
    if _FRONTED.match(text):
        comma = text.find(", ")
        if comma > 0:
            cuts.append(comma + 2)
    cuts.extend(m.end() for m in _INNER.finditer(text))
    quotes = _quoted(text)
    return sorted({c for c in cuts if not any(a < c <= b for a, b in quotes)})


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the clauses of one sentence, relative to `text`.

    A long sentence is cut where a subordinate or coordinate clause starts ("While the
    talks ended without a deal, | both leaders ...", "... for three hours | before the
    two leaders appeared ..."), but only when both sides are clauses of at least
    MIN_CLAUSE_WORDS words with a verb: a fact must still read as a statement. Short
    sentences are never cut.
    """
    if len(text.split()) < MIN_SPLIT_WORDS:
        return [(0, len(text))]
    bounds = [0, *_cut_points(text), len(text)]
    pieces: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(bounds):
        words = text[a:b].split()
        if pieces and (len(words) < MIN_CLAUSE_WORDS or not _verb_like(words)):
            pieces[-1] = (pieces[-1][0], b)
        else:
            pieces.append((a, b))
    if len(pieces) > 1:
        first = text[pieces[0][0] : pieces[0][1]].split()
        if len(first) < MIN_CLAUSE_WORDS or not _verb_like(first):
            pieces[1] = (pieces[0][0], pieces[1][1])
            pieces.pop(0)
    return [_trim(text, a, b) for a, b in pieces]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in ",;:—–"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:—–"):
        b -= 1
    return a, b
