"""Language identification (py3langid), so non-English text is listed, not mangled.

The English models would produce confident garbage on other languages; the analysis
stage records the detected language and which stages skipped the article instead.
"""

from __future__ import annotations

import re

SUPPORTED = frozenset({"en"})
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def detect_language(text: str, declared: str | None = None) -> str:
    """ISO 639-1 code of `text`; a declared language wins; tiny texts count as English."""
    if declared:
        return declared.split("-")[0].split("_")[0].lower()
    sample = text[:3000]
    if len(_LETTERS.findall(sample)) < 40:
        return "en"
    import py3langid

    lang, _score = py3langid.classify(sample)
    return str(lang)


def skip_reason(lang: str) -> str | None:
    """Why an article in `lang` is not analysed, or None when it is."""
    if lang in SUPPORTED:
        return None
    return (
        f"language '{lang}' is not supported by the English models: "
        "entities, quotes, quantities, dates, clustering by content and corroboration skipped"
    )
