"""What changed in a story between two updates: a diff of two snapshots of its brief.

Issue 15: a reader following a story needs what is new since they last looked, not the
whole story again. The change log is computed from the brief JSON (GUIDE.md §3: articles,
facts with status / evidence / conflicts / values, quotes), never from how claims are
built, so it keeps working whatever the corroboration stage does inside.

A claim keeps no stable id between two briefs (ids are positions), so a claim of the new
brief is matched to a claim of the old one by its *evidence*: stored article texts never
change, so two claims are the same claim when they cite overlapping character spans of
the same article (one to one, best pairs first; the same wording also pairs claims
listed without offsets). A new claim is one left without an old partner.

    snapshot(brief) -> Snapshot          # compact, JSON-serialisable
    diff(old, new, story_id, at) -> StoryChange   # old=None: the story's first state
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..errors import ConfigError

SNAPSHOT_VERSION = 1  # bump when the snapshot shape changes; older ones are re-based


@dataclass(slots=True, frozen=True)
class Span:
    """One evidence span: a character range of an article's stored text."""

    article: str
    start: int
    end: int

    def overlap(self, other: Span) -> int:
        if self.article != other.article:
            return 0
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass(slots=True)
class ClaimSnap:
    """A claim as the change log sees it: status, evidence and the values reported."""

    id: str
    status: str
    text: str
    spans: list[Span]
    values: list[tuple[str, str]]  # (article id, value), sorted


@dataclass(slots=True)
class QuoteSnap:
    text: str
    speaker: str | None


@dataclass(slots=True)
class Snapshot:
    """The parts of a brief the change log compares."""

    articles: dict[str, str | None]  # article id -> outlet
    claims: list[ClaimSnap]
    quotes: list[QuoteSnap]
    titles: dict[str, str | None] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"version": SNAPSHOT_VERSION, **asdict(self)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Snapshot | None:
        """The snapshot stored by `to_json`, or None when it is from another version."""
        if data.get("version") != SNAPSHOT_VERSION:
            return None
        claims = [
            ClaimSnap(
                c["id"],
                c["status"],
                c["text"],
                [Span(s["article"], s["start"], s["end"]) for s in c["spans"]],
                [(a, v) for a, v in c["values"]],
            )
            for c in data["claims"]
        ]
        quotes = [QuoteSnap(q["text"], q["speaker"]) for q in data["quotes"]]
        return cls(dict(data["articles"]), claims, quotes, dict(data.get("titles") or {}))


@dataclass(slots=True)
class JoinedArticle:
    id: str
    source: str | None
    title: str | None
    new_source: bool  # the first report from this outlet in the story


@dataclass(slots=True)
class NewClaim:
    id: str
    status: str
    text: str


@dataclass(slots=True)
class StatusChange:
    id: str
    text: str
    before: str
    after: str


@dataclass(slots=True)
class AddedValue:
    claim: str
    text: str
    article: str
    value: str


@dataclass(slots=True)
class NewQuote:
    text: str
    speaker: str | None


@dataclass(slots=True)
class StoryChange:
    """One entry of a story's change log. `kind`: `created` (the story's first state),
    `tracked` (first state recorded for a story older than the log) or `updated`."""

    story_id: str
    at: str
    kind: str
    articles: list[JoinedArticle] = field(default_factory=list)
    claims_new: list[NewClaim] = field(default_factory=list)
    status_changed: list[StatusChange] = field(default_factory=list)
    values_added: list[AddedValue] = field(default_factory=list)
    quotes_new: list[NewQuote] = field(default_factory=list)

    @property
    def sources_joined(self) -> list[str]:
        return sorted({a.source for a in self.articles if a.new_source and a.source})

    def empty(self) -> bool:
        return not (
            self.articles
            or self.claims_new
            or self.status_changed
            or self.values_added
            or self.quotes_new
        )

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "sources_joined": self.sources_joined, "summary": self.summary()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StoryChange:
        return cls(
            data["story_id"],
            data["at"],
            data["kind"],
            [JoinedArticle(**a) for a in data.get("articles", [])],
            [NewClaim(**c) for c in data.get("claims_new", [])],
            [StatusChange(**c) for c in data.get("status_changed", [])],
            [AddedValue(**v) for v in data.get("values_added", [])],
            [NewQuote(**q) for q in data.get("quotes_new", [])],
        )

    def summary(self) -> str:
        """One line: '2 articles joined (new sources: BBC); 1 new claim; ...'."""
        parts: list[str] = []
        if self.articles:
            joined = _plural(len(self.articles), "article") + " joined"
            if self.sources_joined:
                joined += f" (new sources: {', '.join(self.sources_joined)})"
            parts.append(joined)
        if self.claims_new:
            parts.append(_plural(len(self.claims_new), "new claim"))
        for change in self.status_changed:
            parts.append(f"claim {change.id} {change.before} → {change.after}")
        if self.values_added:
            parts.append(_plural(len(self.values_added), "value") + " added to disputed claims")
        if self.quotes_new:
            parts.append(_plural(len(self.quotes_new), "new quote"))
        head = {"created": "story created", "tracked": "first tracked state"}.get(self.kind)
        return "; ".join(([head] if head else []) + parts) or "no change"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- snapshot -----------------------------------------------------------------------------


def snapshot(brief: Mapping[str, Any]) -> Snapshot:
    """The compact snapshot of a brief (GUIDE.md §3 contract)."""
    articles = {str(a["id"]): a.get("source") for a in brief.get("articles") or []}
    titles = {str(a["id"]): a.get("title") for a in brief.get("articles") or []}
    claims = [
        ClaimSnap(
            str(f.get("id")),
            str(f.get("status")),
            str(f.get("text") or ""),
            _spans(f.get("evidence") or []),
            sorted(set(_values(f))),
        )
        for f in brief.get("facts") or []
    ]
    quotes = [
        QuoteSnap(str(q.get("text") or ""), q.get("speaker")) for q in brief.get("quotes") or []
    ]
    return Snapshot(articles, claims, quotes, titles)


def _spans(evidence: Iterable[Mapping[str, Any]]) -> list[Span]:
    out = []
    for ev in evidence:
        try:
            out.append(Span(str(ev["article"]), int(ev["start"]), int(ev["end"])))
        except (KeyError, TypeError, ValueError):
            continue  # evidence without offsets cannot identify a claim
    return out


def _values(fact: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """(article, value) pairs from the conflicts and, when present, a `values` table.

    The `values` table is read generically (rows with `value` and `article` or
    `articles`), so a richer claims stage (issue 12) adds rows without a change here.
    """
    rows: list[Mapping[str, Any]] = []
    for conflict in fact.get("conflicts") or []:
        rows.extend(conflict.get("values") or [])
    table = fact.get("values")
    if isinstance(table, list):
        rows.extend(r for r in table if isinstance(r, Mapping))
    for row in rows:
        value = row.get("value")
        if value is None:
            continue
        articles = row.get("articles") or ([row["article"]] if row.get("article") else [])
        for article in articles:
            yield str(article), str(value)


# -- diff ---------------------------------------------------------------------------------


def diff(old: Snapshot | None, new: Snapshot, story_id: str, at: str, kind: str) -> StoryChange:
    """What `new` adds to `old` (old=None: everything in `new` is new)."""
    change = StoryChange(story_id, at, kind)
    before = old or Snapshot({}, [], [])
    outlets = {s for s in before.articles.values() if s}
    for article, source in new.articles.items():
        if article not in before.articles:
            fresh = bool(source) and source not in outlets
            change.articles.append(JoinedArticle(article, source, new.titles.get(article), fresh))
            if source:
                outlets.add(source)
    pairs = _pair_claims(new.claims, before.claims)
    for index, claim in enumerate(new.claims):
        match = pairs.get(index)
        if match is None:
            change.claims_new.append(NewClaim(claim.id, claim.status, claim.text))
            continue
        if match.status != claim.status:
            change.status_changed.append(
                StatusChange(claim.id, claim.text, match.status, claim.status)
            )
        for article, value in sorted(set(claim.values) - set(match.values)):
            change.values_added.append(AddedValue(claim.id, claim.text, article, value))
    seen_quotes = {_norm(q.text) for q in before.quotes}
    for quote in new.quotes:
        if _norm(quote.text) not in seen_quotes:
            change.quotes_new.append(NewQuote(quote.text, quote.speaker))
            seen_quotes.add(_norm(quote.text))
    return change


def _pair_claims(new: list[ClaimSnap], old: list[ClaimSnap]) -> dict[int, ClaimSnap]:
    """Each new claim's old counterpart (by index in `new`), one to one where possible.

    A pair needs shared evidence characters or, for claims listed without offsets, the
    same wording. Pairs are taken best first — same wording, then more shared evidence,
    then the same id — so two claims citing one sentence each keep their own partner.
    """
    scored = []
    for i, claim in enumerate(new):
        wording = _norm(claim.text)
        for j, candidate in enumerate(old):
            overlap = sum(a.overlap(b) for a in claim.spans for b in candidate.spans)
            same_text = wording == _norm(candidate.text)
            if overlap or same_text:
                scored.append((same_text, overlap, claim.id == candidate.id, -i, -j))
    pairs: dict[int, ClaimSnap] = {}
    taken: set[int] = set()
    ranked = sorted(scored, reverse=True)
    for *_, minus_i, minus_j in ranked:
        if -minus_i not in pairs and -minus_j not in taken:
            pairs[-minus_i] = old[-minus_j]
            taken.add(-minus_j)
    # A claim split off an old one (a new report disputed part of it) shares its evidence:
    # it is compared with that claim, never announced as new (nothing in it is new).
    for *_, minus_i, minus_j in ranked:
        pairs.setdefault(-minus_i, old[-minus_j])
    return pairs


_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


# -- time ---------------------------------------------------------------------------------

_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime | None = None) -> str:
    """A `--since` value as the store's UTC timestamp format.

    Accepts ISO dates and times (`2026-12-07`, `2026-12-07T13:00`, with or without an
    offset; naive times are UTC) and durations back from now (`90m`, `2h`, `1d`).

    >>> parse_since("2026-12-07T13:00+01:00")
    '2026-12-07T12:00:00+00:00'
    """
    relative = _RELATIVE.match(text)
    if relative:
        amount = float(relative.group(1))
        delta = timedelta(**{_UNITS[relative.group(2).lower()]: amount})
        moment = (now or datetime.now(UTC)) - delta
    else:
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            raise ConfigError(
                f"--since expects an ISO date/time (2026-12-07T13:00) or a duration"
                f" (90m, 2h, 1d), got {text!r}"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")
