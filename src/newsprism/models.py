"""Plain data records shared by every stage.

They live here, not in a stage, so that `ingest` never has to import `analyse` (or the
other way round) just to name a type. All are slotted dataclasses: cheap to create by
the hundred thousand, and explicit about their fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(slots=True)
class RawArticle:
    """One article as a reader found it, before ids, dedup and storage.

    `input_id` is the id the input gave (file stem, JSONL `id`, feed entry id, WARC
    target URI); `origin` names where it came from (path, plus line or record) so an
    error or a sighting can point back at it.
    """

    text: str
    origin: str
    input_id: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    author: str | None = None
    lang: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class Rejected:
    """An input unit that could not be read, as a value that is counted and reported.

    `path` is the file or URL, `record` the line number / record index / entry within
    it (None when the whole file is rejected), `reason` a sentence a person can act on.
    """

    path: str
    record: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.record}" if self.record else self.path
        return f"{where}: {self.reason}"


@dataclass(slots=True, frozen=True)
class Note:
    """Something a reader passed over or noticed that is not a rejected article.

    `kind` "skipped": a unit that is deliberately not an article (a WARC request record,
    an HTTP redirect); these are counted per reason in the ingest summary, not listed
    one by one, since an archive holds thousands. `kind` "warning": a problem a library
    reported while reading (warcio's "Content-Length is invalid"), shown with the file
    name instead of reaching stderr bare (issue 14). Neither changes the exit code.
    """

    path: str
    record: str | None
    kind: Literal["skipped", "warning"]
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.record}" if self.record else self.path
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class Article:
    """A stored article. `key` is the content hash; `id` the input's own id."""

    key: str
    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    lang: str | None = None
    words: int = 0
    duplicate_of: str | None = None
    duplicate_score: float | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class Sentence:
    """A sentence span; `text == article.text[start:end]` always holds."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Mention:
    """A named-entity mention with the canonical entity it resolves to.

    `canonical` is the display name of the entity (e.g. "Donald Trump"); `role` is a
    title/role descriptor attached to this mention in this article ("former U.S.
    President"), which corroboration compares across sources. `entity_id` is the stored
    entity's id (the `entities` row of `canonical`), known once the analysis is stored.
    """

    start: int
    end: int
    text: str
    type: str
    canonical: str
    role: str | None = None
    entity_id: int | None = None


@dataclass(slots=True)
class Quote:
    """Reported speech and who said it (issue 13).

    `kind` is "direct" (a quoted statement), "partial" (a few quoted words inside the
    writer's sentence) or "indirect" (the content clause of "X said that ..."; no
    marks). `speaker` is a canonical name or None; `speaker_entity` the id of that
    entity in the store (set when stored, None before); `speaker_description` the
    words that describe an unnamed (or resolved) speaker ("a senior aide", "police").
    `attribution` says how the speaker was found: "named" (in the quote's clause),
    "resolved" (a pronoun or description resolved to a named person, or a quote-only
    paragraph given the neighbouring quote's speaker), "description" (kept as words),
    or "none". Only `confident` attributions may support a speaker contradiction.
    """

    start: int
    end: int
    text: str
    speaker: str | None = None
    cue: str | None = None
    speaker_entity: int | None = None
    speaker_description: str | None = None
    attribution: str = "none"
    kind: str = "direct"
    confident: bool = False


@dataclass(slots=True)
class Quantity:
    """A number with its meaning: kind is count, duration, money, percent or number.

    `value` is normalised into `unit` (durations in "hour", "minute", ...; money in
    its currency code); `qualifier` keeps hedges such as "more than" or "about".
    """

    start: int
    end: int
    text: str
    kind: str
    value: float
    unit: str | None = None
    qualifier: str | None = None


@dataclass(slots=True)
class DateMention:
    """A date expression resolved against the publication date.

    `value` is ISO `YYYY-MM-DD`, `--MM-DD` when the year cannot be known, `YYYY` or
    `YYYY-MM` for coarser expressions, or None when unresolvable.
    """

    start: int
    end: int
    text: str
    value: str | None


@dataclass(slots=True, frozen=True)
class Frame:
    """Who did what, from the headline or the lead: a verb with its subject or object.

    `kind` is "subject" or "object"; `verb` and `arg` are the lower-cased words as
    written (the head of the argument phrase: "navy" in "the Indian navy"); `source`
    is "title" or "lead". Two reports of one event tell it with the same actors and
    actions ("Twitter bans ...", "Twitter permanently banned ..."), two events of one
    kind differ there ("Facebook bans ..."). Clustering stems and filters them.
    """

    kind: str
    verb: str
    arg: str
    source: str


@dataclass(slots=True)
class Analysis:
    """Everything the analysis stage extracts from one article."""

    lang: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    skipped: str | None = None
    # `mentions` as the article alone named them, before the corpus merge renamed them
    # (set by `resolve_entities`, same order): stored so a later process can replay the
    # merge and resolve the next article exactly as one continuous run would.
    local_mentions: list[Mention] = field(default_factory=list)
