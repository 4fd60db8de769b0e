"""A story's change log as text (`newsprism story ID --changes`; issue 15)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..corroborate.changes import StoryChange


def changes_text(
    story: Mapping[str, Any], entries: Sequence[StoryChange], since: str | None
) -> str:
    """Newest first: each entry's time and summary, then its items one a line."""
    title = story.get("title") or "(untitled story)"
    head = f"{story['id']}  {title}\n"
    if not entries:
        return head + ("no changes" + (f" since {since}" if since else "") + "\n")
    lines = [head]
    for entry in entries:
        lines.append(f"{entry.at}  {entry.summary()}")
        lines.extend(f"  {line}" for line in entry_lines(entry))
    return "\n".join(lines) + "\n"


def entry_lines(entry: StoryChange) -> list[str]:
    """One line per item of a change entry, marked by what kind of change it is."""
    out = []
    for a in entry.articles:
        new = " (new source)" if a.new_source else ""
        out.append(f"+ article {a.id} from {a.source or 'unknown source'}{new}: {a.title or ''}")
    out.extend(f"+ claim {c.id} [{c.status}] {c.text}" for c in entry.claims_new)
    out.extend(f"~ claim {c.id} {c.before} → {c.after}: {c.text}" for c in entry.status_changed)
    out.extend(
        f"± claim {v.claim}: {v.article} gives {v.value!r}: {v.text}" for v in entry.values_added
    )
    out.extend(f"+ quote “{q.text}” — {q.speaker or 'unattributed'}" for q in entry.quotes_new)
    return out
