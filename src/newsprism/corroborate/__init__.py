"""Corroboration: facts aligned across sources, with verdicts and reasons (issue 5).

- `words`: the light lexicon (keys, negation) and clause splitting, no model needed;
- `facts`: comparable fact records built from the stored analysis of a story;
- `align`: which facts of different articles state the same thing, and their groups;
- `verdict`: corroborated / single-source / conflicting, and contradictions with reasons.

`newsprism.report.brief.build_brief` puts them together into the brief contract.
"""

from .align import Group, Link, group_facts, link_facts
from .facts import Fact, StoryArticle, load_story, span_facts, story_facts
from .verdict import Conflict, fact_conflicts, role_conflicts, status_of

__all__ = [
    "Conflict",
    "Fact",
    "Group",
    "Link",
    "StoryArticle",
    "fact_conflicts",
    "group_facts",
    "link_facts",
    "load_story",
    "role_conflicts",
    "span_facts",
    "status_of",
    "story_facts",
]
