"""Word lists written as one string each, so the lexicon tables stay readable.

Analysis (names, roles, cue verbs) and corroboration (subjects, representatives,
verdicts) all keep small closed lexicons; this is the one way they are spelled.
"""

from __future__ import annotations


def wordset(words: str) -> frozenset[str]:
    """The whitespace-separated words of `words` as a set: `wordset("a b")`."""
    return frozenset(words.split())
