"""Values compared by what they are values *of*, across the whole story (issue 12).

A dispute used to be read only between two facts the aligner linked that also passed a
whole-sentence gate (`disputes.about_same`): "Seven climbers with Mr Buckley were said
to have been rescued" and "Three climbers who were with Mr Buckley were rescued" share
one content word once the values and names are set aside, so the changed count was
never compared with its witness. Here the unit is the VALUE: each slot value has an
*anchor*, the content words of its clause around it (`SlotValue.context`: the counted
noun and its verb, the event word of a date or duration, the predicate of a place), and
values are indexed by (slot family, anchor word), so the candidate pairs of a story come
from shared anchors rather than from every pair of facts.

Two values of different outlets dispute when

- their anchors match (`compare.same_subject`, and at least ANCHOR_SHARED anchor words
  in all) and the values cannot both be true (`compare.agree`, qualifiers respected);
- their statements are close enough (meaning >= STATEMENT_SIM and at least
  STATEMENT_SHARED shared content words once values and names are set aside): weaker
  than `about_same`, because the anchor now carries the evidence;

and none of the guards real news needs holds:

- an anchor that takes several different values inside ONE article (players' points,
  two quakes' injured) is ambiguous there and never disputed on that anchor alone;
- an outlet that states both values anywhere settles them (`story._self_settled`);
- the two statements name different people and no person in common ("Clark had fifteen
  rebounds" / "Vaughn had nine rebounds"): they are about different people.

People are compared as swaps (`agent_swaps`): two outlets naming different people in the
same role of a close statement ("Commerce Secretary Gary Locke" / "Secretary of Commerce
Kristen Stewart", "party girl Tara Reid" / "party girl Duncan Rait"), when neither
article names the other's person anywhere: an outlet that names both people knows them
as two people (a suspect and a sheriff), not as one role given two names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from ..analyse.names import fold
from .compare import agree, same_subject
from .disputes import Clash, _family, _value_keys
from .facts import Fact
from .slots import PLACE_TYPES, SlotValue, window
from .verdict import same_name
from .words import content_keys

ANCHOR_SHARED = 2  # anchor words two values share (the counted noun included)
STATEMENT_SIM = 0.45  # two statements this close in meaning ...
STATEMENT_SHARED = 2  # ... sharing this many content words beyond values and names
# Agents are compared as swaps (`disputes.agent_clash`), places only where the story
# never names the two side by side; every other kind is a value of an anchor here.
ANCHORED_KINDS = frozenset(
    {"count", "amount", "percent", "magnitude", "duration", "date", "weekday", "place"}
)


AGENT_SIM = 0.55  # a swapped person: statements this close in meaning ...
AGENT_SHARED = 2  # ... sharing this many content words beyond names and saying ...
AGENT_ROLE = 2  # ... and this many words around the two names (the role, the predicate)
# verbs of saying stand by every name in a story: they never make a role
SAYING = content_keys("said says say told tells added adds according reported")


def anchor_index(
    slots: Sequence[Sequence[SlotValue]], kinds: frozenset[str] = ANCHORED_KINDS
) -> dict[tuple[str, str], list[tuple[object, ...]]]:
    """Distinct values (`signature`) of these kinds by (slot family, anchor word):
    candidates share an entry."""
    index: dict[tuple[str, str], list[tuple[object, ...]]] = defaultdict(list)
    for sig, values in _by_signature(slots, kinds).items():
        s = values[0]
        for word in s.context:
            index[(_family(s.kind), word)].append(sig)
    return index


def _by_signature(
    slots: Sequence[Sequence[SlotValue]], kinds: frozenset[str]
) -> dict[tuple[object, ...], list[SlotValue]]:
    groups: dict[tuple[object, ...], list[SlotValue]] = defaultdict(list)
    for values in slots:
        for s in values:
            if s.kind in kinds:
                groups[signature([s])].append(s)
    return groups


def candidate_pairs(
    slots: Sequence[Sequence[SlotValue]], kinds: frozenset[str] = ANCHORED_KINDS
) -> list[tuple[SlotValue, SlotValue]]:
    """Each pair of values of these kinds that share an anchor word and say different
    things, once, in stable order. Values saying the same (same words, same anchor,
    "the talks lasted three hours" in forty articles) are grouped first, so a big story
    costs its distinct values, not its repetitions."""
    groups = _by_signature(slots, kinds)
    seen: set[tuple[tuple[object, ...], tuple[object, ...]]] = set()
    out = []
    for sigs in anchor_index(slots, kinds).values():
        for n, sx in enumerate(sigs):
            for sy in sigs[n + 1 :]:
                if (sx, sy) in seen or (sy, sx) in seen:
                    continue
                seen.add((sx, sy))
                out += [(x, y) for x in groups[sx] for y in groups[sy] if x.fact != y.fact]
    return out


def signature(values: Sequence[SlotValue]) -> tuple[object, ...]:
    """What comparisons read of some values: kind, words, anchor and name (not where).

    A fifty-article story repeats one value ("the talks lasted three hours") in most
    articles; comparisons are memoised on this so each distinct pair is read once.
    """
    return tuple((s.kind, s.text, s.context, s.name) for s in values)


def comparable(s: SlotValue) -> bool:
    """Whether a value may be disputed on its anchor: a "zero-day" is a term, not a count.

    (Tried: leaving out the day something was *said*, "police said Wednesday": as many
    probe changes were lost as false alarms, since "Trump said Friday" is also the day
    of the announcement the story is about.)
    """
    return s.quantity is None or s.quantity.value != 0


def ambiguous(
    s: SlotValue, facts: Sequence[Fact], own: Sequence[SlotValue], together: set[frozenset[str]]
) -> bool:
    """Whether `s`'s article gives its anchor another, incompatible value (see module
    docstring): then which of the two another outlet contradicts cannot be told."""
    article = facts[s.fact].article
    return any(
        o is not s
        and facts[o.fact].article == article
        and _family(o.kind) == _family(s.kind)
        and same_subject(o, s)
        and agree(o, s, together) is False
        for o in own
    )


def statements_close(a: Fact, b: Fact, sim: float, sa: Sequence[SlotValue],
                     sb: Sequence[SlotValue]) -> bool:  # fmt: skip
    """Meaning and shared content words (values and names aside) of two statements."""
    if sim < STATEMENT_SIM:
        return False
    ka = a.keys - a.entity_keys - _value_keys(a, sa)
    kb = b.keys - b.entity_keys - _value_keys(b, sb)
    return len(ka & kb) >= STATEMENT_SHARED


def other_people(a: Fact, b: Fact) -> bool:
    """Both statements name people, none in common: values of different people."""
    return bool(a.persons and b.persons and not a.persons & b.persons)


def anchor_clashes(
    facts: Sequence[Fact],
    slots: Sequence[Sequence[SlotValue]],
    sims: np.ndarray,
    outlet_of: Sequence[str],
    together: set[frozenset[str]],
    settled: Callable[[Clash], bool],
) -> list[Clash]:
    """Disputes between values of one anchor in statements of different outlets.

    `settled` says whether an outlet states both values itself (`story._self_settled`).
    """
    own: dict[str, list[SlotValue]] = defaultdict(list)
    for name, values in zip(outlet_of, slots, strict=True):
        own[name].extend(values)
    out = []
    differ: dict[tuple[object, object], bool] = {}
    sig = {id(v): signature([v]) for values in slots for v in values}
    for x, y in candidate_pairs(slots):
        a, b = facts[x.fact], facts[y.fact]
        if outlet_of[x.fact] == outlet_of[y.fact] or a.text == b.text:
            continue
        if not (comparable(x) and comparable(y)):
            continue
        key = (sig[id(x)], sig[id(y)])
        if key not in differ:
            differ[key] = (
                len(x.context & y.context) >= ANCHOR_SHARED
                and agree(x, y, together) is False
                and same_subject(x, y)
            )
        if not differ[key]:
            continue
        if not statements_close(a, b, float(sims[x.fact, y.fact]), slots[x.fact], slots[y.fact]):
            continue
        if other_people(a, b) or any(
            ambiguous(v, facts, own[outlet_of[v.fact]], together) for v in (x, y)
        ):
            continue
        clash = Clash(x, y)
        if not settled(clash):
            out.append(clash)
    return out


def _last(name: str | None) -> str:
    words = (name or "").split()
    return words[-1].casefold() if words else ""


def article_words(text: str) -> frozenset[str]:
    """The folded words of an article ("Germany," and "Reid's" give germany, reid): to
    tell whether it names a person or place anywhere."""
    return frozenset(re.findall(r"[^\W_]+", fold(text)))


def _named_in(name: str | None, words: frozenset[str]) -> bool:
    """Whether every word of a name occurs in an article's words."""
    parts = re.findall(r"[^\W_]+", fold(name or ""))
    return bool(parts) and all(p in words for p in parts)


def _one_swap(a: Fact, b: Fact, x: SlotValue, y: SlotValue) -> bool:
    """Each statement names exactly one person the other does not: `x` and `y`."""
    only_a = [p for p in a.persons if not any(same_name(p, q) for q in b.persons)]
    only_b = [q for q in b.persons if not any(same_name(p, q) for p in a.persons)]
    return only_a == [x.name] and only_b == [y.name]


def agent_swaps(
    facts: Sequence[Fact],
    slots: Sequence[Sequence[SlotValue]],
    sims: np.ndarray,
    outlet_of: Sequence[str],
    words_in: dict[str, frozenset[str]],
) -> list[Clash]:
    """Different people in one role of close statements of two outlets (module docstring).

    `words_in` maps an article id to its folded words: a person the other article names
    anywhere is not a swap.
    """
    out = []
    for x, y in candidate_pairs(slots, frozenset({"agent"})):
        a, b = facts[x.fact], facts[y.fact]
        if outlet_of[x.fact] == outlet_of[y.fact] or a.text == b.text:
            continue
        if min(len((x.name or "").split()), len((y.name or "").split())) < 2:
            continue
        if (
            same_name(x.name or "", y.name or "")
            or len((x.context & y.context) - SAYING) < AGENT_ROLE
        ):
            continue
        if _named_in(_last(y.name), words_in.get(a.article, frozenset())) or _named_in(
            _last(x.name), words_in.get(b.article, frozenset())
        ):
            continue
        if not _one_swap(a, b, x, y):
            continue
        sim = float(sims[x.fact, y.fact])
        ka, kb = a.keys - a.entity_keys, b.keys - b.entity_keys
        if sim >= AGENT_SIM and len((ka & kb) - SAYING) >= AGENT_SHARED:
            out.append(Clash(x, y))
    return out


def place_values(facts: Sequence[Fact]) -> list[list[SlotValue]]:
    """Every city, state or country each fact names, with the words around it: where a
    thing happened, whose law or control it is ("a Louisiana law", "Russia's control")."""
    return [
        [
            SlotValue(
                "place", m.text, m.start, m.end, i, window(f, m.start, m.end), name=m.canonical
            )
            for m in f.mentions
            if m.type in PLACE_TYPES
        ]
        for i, f in enumerate(facts)
    ]


def place_swaps(
    facts: Sequence[Fact],
    sims: np.ndarray,
    outlet_of: Sequence[str],
    words_in: dict[str, frozenset[str]],
    together: set[frozenset[str]],
) -> list[Clash]:
    """Different places in one role of close statements of two outlets, each named by one
    statement only and never anywhere in the other article, and never side by side in
    the story (nested places: "Banstead in Surrey"), like a swapped person."""
    out = []
    differ: dict[tuple[object, object], bool] = {}
    places = place_values(facts)
    sig = {id(v): signature([v]) for values in places for v in values}
    for x, y in candidate_pairs(places, frozenset({"place"})):
        a, b = facts[x.fact], facts[y.fact]
        if outlet_of[x.fact] == outlet_of[y.fact] or a.text == b.text:
            continue
        key = (sig[id(x)], sig[id(y)])
        if key not in differ:
            role = (x.context & y.context) - SAYING
            differ[key] = len(role) >= AGENT_ROLE and agree(x, y, together) is False
        if not differ[key] or not _one_place_swap(a, b, x, y):
            continue
        if _named_in(y.name, words_in.get(a.article, frozenset())) or _named_in(
            x.name, words_in.get(b.article, frozenset())
        ):
            continue
        ka, kb = a.keys - a.entity_keys, b.keys - b.entity_keys
        if float(sims[x.fact, y.fact]) >= AGENT_SIM and len((ka & kb) - SAYING) >= AGENT_SHARED:
            out.append(Clash(x, y))
    return out


def _one_place_swap(a: Fact, b: Fact, x: SlotValue, y: SlotValue) -> bool:
    """Each statement names exactly one place the other does not: `x` and `y`."""
    pa = {m.canonical for m in a.mentions if m.type in PLACE_TYPES}
    pb = {m.canonical for m in b.mentions if m.type in PLACE_TYPES}
    only_a = [p for p in pa if not any(same_name(p, q) for q in pb)]
    only_b = [q for q in pb if not any(same_name(p, q) for p in pa)]
    return only_a == [x.name] and only_b == [y.name]
