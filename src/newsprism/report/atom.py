"""Atom feeds of story changes (RFC 4287; issue 15): subscribe to what changed.

- `stories_feed`: one entry per story created or changed, newest first. The entry id
  carries the time of the story's latest change, so a feed reader shows a story again
  each time it changes instead of silently updating an entry already read.
- `story_feed`: one entry per change entry of one story.

Built with ElementTree, which escapes every text and attribute: titles, claims and
quotes come from articles, and article text is hostile. Links point to the story page
(`link_of(story_id)`), absolute on the server and relative in a static export.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from xml.etree import ElementTree as ET

from .._version import __version__
from ..corroborate.changes import StoryChange
from ..store.database import utcnow
from .changelog import entry_lines

ATOM_NS = "http://www.w3.org/2005/Atom"
ID_PREFIX = "urn:newsprism:"
FEED_ENTRIES = 100  # a subscription wants the latest; older entries stay in the CLI / page

ET.register_namespace("", ATOM_NS)


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        node.text = _xml_safe(text)
    return node


def _xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold at all (escaping cannot save them)."""
    return _NOT_XML.sub("", text)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _feed(title: str, feed_id: str, self_href: str, alternate: str, updated: str) -> ET.Element:
    root = ET.Element(f"{{{ATOM_NS}}}feed")
    _el(root, "title", title)
    _el(root, "id", feed_id)
    _el(root, "updated", updated)
    _el(root, "link", rel="self", href=self_href, type="application/atom+xml")
    _el(root, "link", rel="alternate", href=alternate, type="text/html")
    author = _el(root, "author")
    _el(author, "name", "newsprism")
    _el(root, "generator", "newsprism", version=__version__)
    return root


def _entry(root: ET.Element, change: StoryChange, title: str, entry_id: str, href: str) -> None:
    entry = _el(root, "entry")
    _el(entry, "title", title)
    _el(entry, "id", entry_id)
    _el(entry, "updated", change.at)
    _el(entry, "link", rel="alternate", href=href, type="text/html")
    _el(entry, "summary", change.summary())
    _el(entry, "content", "\n".join(entry_lines(change)), type="text")


def stories_feed(
    latest: Sequence[StoryChange],
    titles: Mapping[str, str | None],
    link_of: Callable[[str], str],
    self_href: str,
    home: str,
) -> bytes:
    """Stories by their latest change, newest first (`latest`: one change per story)."""
    ordered = sorted(latest, key=lambda c: c.at, reverse=True)[:FEED_ENTRIES]
    updated = ordered[0].at if ordered else utcnow()
    root = _feed("newsprism: stories that changed", ID_PREFIX + "stories", self_href, home, updated)
    for change in ordered:
        title = titles.get(change.story_id) or change.story_id
        entry_id = f"{ID_PREFIX}story:{change.story_id}:{change.at}"
        _entry(root, change, title, entry_id, link_of(change.story_id))
    return _bytes(root)


def story_feed(
    story_id: str,
    title: str | None,
    changes: Sequence[StoryChange],
    link_of: Callable[[str], str],
    self_href: str,
) -> bytes:
    """One story's change entries, newest first."""
    ordered = sorted(changes, key=lambda c: c.at, reverse=True)[:FEED_ENTRIES]
    updated = ordered[0].at if ordered else utcnow()
    name = title or story_id
    href = link_of(story_id)
    root = _feed(f"newsprism: {name}", f"{ID_PREFIX}story:{story_id}", self_href, href, updated)
    for change in ordered:
        digest = hashlib.sha256(json.dumps(change.to_dict(), sort_keys=True).encode()).hexdigest()
        entry_id = f"{ID_PREFIX}story:{story_id}:change:{change.at}:{digest[:12]}"
        _entry(root, change, f"{name}: {change.summary()}", entry_id, href)
    return _bytes(root)


def latest_per_story(changes: Sequence[StoryChange]) -> list[StoryChange]:
    """The newest change of each story (input newest first, as the store returns it)."""
    seen: dict[str, StoryChange] = {}
    for change in changes:
        if change.story_id not in seen or change.at > seen[change.story_id].at:
            seen[change.story_id] = change
    return list(seen.values())


def _bytes(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
