"""Reporting verbs ("said", "told", "warned"): which word forms cue a quote, and their lemma.

Quote attribution needs the lemma of one kind of word only, the verb that reports
speech. spaCy's lemmatiser computes a lemma for every token and costs about a tenth
of the parse, so analysis runs without it and maps the few forms that matter here:
regular inflections are undone by suffix rules, the irregular ones are listed.
"""

from __future__ import annotations

from functools import lru_cache

from ..lexicon import wordset

CUE_LEMMAS = wordset(
    "say tell call describe characterize characterise warn stress add insist acknowledge "
    "admit note declare announce ask urge claim write tweet post explain argue state reply "
    "respond answer comment remark recall predict promise vow pledge suggest boast complain "
    "concede confirm deny emphasize emphasise joke quip shout whisper continue conclude "
    "observe label dub term hail praise criticize criticise accuse proclaim assert maintain "
    "contend reiterate repeat reveal testify caution threaten lament agree put "
    # issue 13, from PolNeAR's cues: verbs that report or judge what someone said
    "report demand liken read cite chant sing laud tout blast slam mock dismiss brand "
    "blame charge question echo bark snap retort counter"
    # verbs that introduce a quotation in news prose ("LeVell assured the crowd")
    " mention assure interject exhort portray"
)
# Forms the suffix rules below cannot undo.
_IRREGULAR = {
    "said": "say",
    "says": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "writing": "write",
}


def _candidates(word: str) -> list[str]:
    """Possible lemmas of an inflected verb form, most likely first."""
    out = [word]
    if word.endswith("ies") or word.endswith("ied"):
        out.append(word[:-3] + "y")  # denies, denied -> deny
    if word.endswith("es") or word.endswith("ed"):
        out.append(word[:-2])  # stresses -> stress, warned -> warn
    if word.endswith("s") or word.endswith("d"):
        out.append(word[:-1])  # says -> say, described -> describe
    if word.endswith("ing"):
        out.extend((word[:-3], word[:-3] + "e"))  # warning -> warn, joking -> joke
    for suffix in ("ed", "ing"):  # admitted -> admit, quipping -> quip
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) > 2 and stem[-1] == stem[-2]:
            out.append(stem[:-1])
    if word.endswith("lled"):
        out.append(word[:-3])  # labelled -> label
    return out


@lru_cache(maxsize=4096)
def cue_lemma(word: str) -> str | None:
    """The reporting-verb lemma of `word` ("warned" -> "warn"), or None if it is not one."""
    low = word.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    return next((c for c in _candidates(low) if c in CUE_LEMMAS), None)
