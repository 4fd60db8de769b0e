"""Corroboration: a story's analysed articles in, its typed claims out (issues 5, 12).

The entry point is `story_claims(db, article_keys, settings) -> StoryClaims`; report/
and serve/ only render what it returns. Inside:

- `words`: the light lexicon (keys, negation) and clause splitting, no model needed;
- `facts`: comparable fact records (sentences or clauses) built from the stored analysis;
- `align`: which facts of different articles state the same thing, and their groups;
- `slots`: typed values of a fact (counts, magnitudes, durations, dates, places, people);
- `compare`: whether two slot values are of one subject, and whether they agree;
- `disputes`: facts about one thing whose values clash;
- `alarms`: the one filter of those clashes: values of different things (`subjects`:
  another named subject, an offset vs a length, the day of a statement, both numbers
  on both sides, a slot naming no person) and places nesting (`places`, a gazetteer);
- `claims`: claims (merged groups) with variants, value tables and statuses;
- `ledger`: the quote ledger and speaker disputes (only between confident attributions,
  never between a person and one who speaks for them: `representatives`);
- `verdict`: negation and role contradictions, and the shared `Conflict` record;
- `story`: the entry point.
"""

from .align import Group, Link, group_facts, link_facts
from .claims import Claim, Span, ValueRow, ValueTable, Variant
from .facts import Fact, StoryArticle, load_story, span_facts, story_facts
from .slots import SlotValue, fact_slots
from .story import StoryClaims, story_claims
from .verdict import Conflict, role_conflicts, status_of

__all__ = [
    "Claim",
    "Conflict",
    "Fact",
    "Group",
    "Link",
    "SlotValue",
    "Span",
    "StoryArticle",
    "StoryClaims",
    "ValueRow",
    "ValueTable",
    "Variant",
    "fact_slots",
    "group_facts",
    "link_facts",
    "load_story",
    "role_conflicts",
    "span_facts",
    "status_of",
    "story_claims",
    "story_facts",
]
