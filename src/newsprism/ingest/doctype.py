"""A feed's DOCTYPE internal subset, resolved here so that no XML parser ever sees it.

Drupal-style feeds open with `<!DOCTYPE rss [<!ENTITY % HTMLlat1 PUBLIC "..." "http://
www.w3.org/TR/xhtml1/DTD/xhtml-lat1.ent"> %HTMLlat1;]>` and then write `&nbsp;`; others
declare their own `<!ENTITY site "Example News">`. Handed over as is, the DOCTYPE made
the sniffer miss the feed (issue 14), and an XML parser would either fetch the external
DTD (a request the user never asked for) or expand nested entities from a few hundred
bytes into gigabytes ("billion laughs"). So the DOCTYPE is cut out and its entities are
expanded here, under three rules:

- external (`SYSTEM`/`PUBLIC`) and parameter (`%`) entities are never resolved: a
  reference to an external entity becomes nothing;
- an entity the subset does not define but HTML does (`&nbsp;`, the point of HTMLlat1)
  becomes its character reference; other undefined ones are left for feedparser;
- the expansion is measured before anything is built: a feed whose entities would grow
  it past `max_bytes`, nest deeper than `MAX_DEPTH`, or refer to themselves is refused.
"""

from __future__ import annotations

import codecs
import html.entities
import re
from dataclasses import dataclass, field

# Deeper nesting than this is only ever seen in expansion attacks.
MAX_DEPTH = 8
_DOCTYPE = re.compile(rb"<!DOCTYPE\s+[\w:.-]+[^>\[]*\[(?P<subset>.*?)\]\s*>", re.S | re.I)
_ELEMENT = re.compile(rb"<[A-Za-z]")
_ENTITY = re.compile(
    rb"""<!ENTITY\s+(?P<pe>%\s+)?(?P<name>[\w:.-]+)\s+"""
    rb"""(?:"(?P<v1>[^"]*)"|'(?P<v2>[^']*)'|(?P<ext>(?:SYSTEM|PUBLIC)\b[^>]*))\s*>""",
    re.S,
)
_REFERENCE = re.compile(rb"&([A-Za-z_][\w.-]*);")
_CDATA = re.compile(rb"(<!\[CDATA\[.*?\]\]>)", re.S)
_PREDEFINED = frozenset({b"lt", b"gt", b"amp", b"quot", b"apos"})
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


class UnsafeEntities(ValueError):
    """A DOCTYPE whose entities cannot be expanded within the bounds; the message says why."""


@dataclass(slots=True)
class _Subset:
    internal: dict[bytes, bytes] = field(default_factory=dict)
    external: set[bytes] = field(default_factory=set)
    lengths: dict[bytes, int] = field(default_factory=dict)
    values: dict[bytes, bytes] = field(default_factory=dict)


def resolve_doctype(data: bytes, max_bytes: int) -> bytes:
    """`data` without its DOCTYPE internal subset, the entities it declared expanded.

    Data without an internal subset comes back unchanged. Raises UnsafeEntities when
    the expansion would break the bounds in the module docstring.
    """
    if data.startswith(_WIDE_BOMS) or b"\x00" in data[:1024]:
        return data  # UTF-16/32: a DOCTYPE is not findable as bytes; feedparser strips it
    match = _DOCTYPE.search(data)
    first = _ELEMENT.search(data)
    if match is None or (first is not None and first.start() < match.start()):
        return data
    subset = _parse(match.group("subset"))
    body = data[match.end() :]
    parts = _CDATA.split(body)  # odd parts are CDATA sections: no references there
    grown = sum(_growth(subset, ref, 0) for part in parts[::2] for ref in _REFERENCE.finditer(part))
    size = len(data) + grown
    if size > max_bytes:
        raise UnsafeEntities(
            f"its DOCTYPE entities would expand it to {size} bytes, over max_file_bytes="
            f"{max_bytes} (an entity-expansion attack?)"
        )
    out = [part if i % 2 else _substitute(subset, part) for i, part in enumerate(parts)]
    return data[: match.start()] + b"".join(out)


def _parse(text: bytes) -> _Subset:
    subset = _Subset()
    for decl in _ENTITY.finditer(text):
        if decl.group("pe"):
            continue  # parameter entities only work inside the DTD, which is dropped
        name = decl.group("name")
        if decl.group("ext") is not None:
            subset.external.add(name)
        else:
            subset.internal.setdefault(name, decl.group("v1") or decl.group("v2") or b"")
    return subset


def _growth(subset: _Subset, ref: re.Match[bytes], depth: int) -> int:
    """How many bytes replacing this reference adds (negative when it shrinks)."""
    return _length(subset, ref.group(1), depth) - len(ref.group(0))


def _length(subset: _Subset, name: bytes, depth: int) -> int:
    """Length of the expansion of `&name;`, memoised, refusing cycles and deep nesting."""
    if name in subset.lengths:
        return subset.lengths[name]
    if name not in subset.internal:
        return len(_outside(subset, name))
    if depth >= MAX_DEPTH:
        raise UnsafeEntities(f"its DOCTYPE entities nest more than {MAX_DEPTH} deep")
    subset.lengths[name] = -1  # in progress: meeting it again is a cycle
    value = subset.internal[name]
    refs = list(_REFERENCE.finditer(value))
    if any(subset.lengths.get(r.group(1)) == -1 for r in refs):
        raise UnsafeEntities(f"DOCTYPE entity &{name.decode(errors='replace')}; refers to itself")
    length = len(value) + sum(_growth(subset, r, depth + 1) for r in refs)
    subset.lengths[name] = length
    return length


def _expand(subset: _Subset, name: bytes) -> bytes:
    if name not in subset.internal:
        return _outside(subset, name)
    if name not in subset.values:  # lengths were checked first: this stays bounded
        subset.values[name] = _substitute(subset, subset.internal[name])
    return subset.values[name]


def _substitute(subset: _Subset, text: bytes) -> bytes:
    return _REFERENCE.sub(lambda ref: _expand(subset, ref.group(1)), text)


def _outside(subset: _Subset, name: bytes) -> bytes:
    """A reference the subset does not define: predefined, external, HTML, or unknown."""
    if name in _PREDEFINED:
        return b"&" + name + b";"
    if name in subset.external:
        return b""  # never fetched or read
    codepoint = html.entities.name2codepoint.get(name.decode("ascii", "replace"))
    if codepoint is not None:
        return b"&#%d;" % codepoint
    return b"&" + name + b";"
