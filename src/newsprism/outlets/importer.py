"""Reading outlet files: CSV (a header row) or TOML (`[[outlet]]` tables).

CSV columns: `name` and `domains` (space-separated) are required; `country`,
`language`, `owner`, `kind` and `aliases` (separated by ";") are optional; every other
column is a label (`lean`, `factuality`, ...), an empty cell meaning "no label". TOML
tables take the same keys (`domains` and `aliases` may be arrays; a `labels` table may
hold the labels). A bad row is a `Rejected` naming the file, the line and the reason;
the other rows still count.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..models import Rejected
from .identity import display_name, name_key, registered_domain, slug
from .registry import Outlet, normalise_kind

REQUIRED = ("name", "domains")
KNOWN = ("name", "domains", "country", "language", "owner", "kind", "aliases", "labels")
MAX_FILE_BYTES = 5_000_000  # an outlet file is a table of thousands of rows, not gigabytes
MAX_FIELD_CHARS = 500


class RowError(ValueError):
    """One row's reason for rejection."""


def read_outlet_file(path: Path) -> tuple[list[Outlet], list[Rejected]]:
    """The outlets in a .csv or .toml file and the rows rejected (file-level problems
    reject the whole file with record None)."""
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return [], [Rejected(where, None, f"file over {MAX_FILE_BYTES} bytes")]
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return [], [Rejected(where, None, f"cannot read: {exc.strerror or exc}")]
    except UnicodeDecodeError:
        return [], [Rejected(where, None, "not UTF-8 text")]
    if path.suffix.lower() == ".toml":
        return parse_toml_text(text, where)
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return parse_csv_text(text, where)
    return [], [Rejected(where, None, "unknown file type; use .csv or .toml")]


def parse_csv_text(text: str, where: str) -> tuple[list[Outlet], list[Rejected]]:
    """Outlets from CSV text with a header row (see the module docstring)."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        reason = f"header lacks the required column(s) {', '.join(missing)} (have: {header})"
        return [], [Rejected(where, "line 1", reason)]
    reader.fieldnames = header
    rows = []
    for row in reader:
        if None in row:  # more cells than header columns
            rows.append((reader.line_num, {"__extra__": "x"}))
            continue
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    return _collect(rows, where)


def parse_toml_text(text: str, where: str) -> tuple[list[Outlet], list[Rejected]]:
    """Outlets from TOML `[[outlet]]` tables (records numbered from 1)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [], [Rejected(where, None, f"not valid TOML: {exc}")]
    tables = data.get("outlet", data.get("outlets"))
    if not isinstance(tables, list):
        return [], [Rejected(where, None, "expected [[outlet]] tables")]
    return _collect([(i, t) for i, t in enumerate(tables, 1)], where, unit="outlet")


def _collect(
    rows: Sequence[tuple[int, Mapping[str, Any]]], where: str, unit: str = "line"
) -> tuple[list[Outlet], list[Rejected]]:
    outlets: list[Outlet] = []
    problems: list[Rejected] = []
    owners: dict[str, str] = {}  # domain or name key -> row that named it first
    for number, row in rows:
        record = f"{unit} {number}"
        try:
            outlet = outlet_from_row(row)
            _check_unique(outlet, owners, record)
        except RowError as exc:
            problems.append(Rejected(where, record, str(exc)))
            continue
        outlet.origin = where
        outlets.append(outlet)
    return outlets, problems


def outlet_from_row(row: Mapping[str, Any]) -> Outlet:
    """One outlet from a CSV row or TOML table; RowError says what is wrong."""
    if "__extra__" in row:
        raise RowError("more cells than the header has columns")
    if not isinstance(row, Mapping):
        raise RowError("not a table")
    name = display_name(_text(row, "name"))
    if not name or not name_key(name):
        raise RowError("no name")
    domains = _domains(row.get("domains"))
    if not domains:
        raise RowError("no domains (the `domains` column is required: space-separated)")
    try:
        kind = normalise_kind(_text(row, "kind") or None)
    except ValueError as exc:
        raise RowError(str(exc)) from None
    country = _text(row, "country") or None
    return Outlet(
        id=slug(name),
        name=name,
        domains=domains,
        country=country.upper() if country and len(country) <= 3 else country,
        language=(_text(row, "language") or None),
        owner=(_text(row, "owner") or None),
        kind=kind,
        aliases=_aliases(row.get("aliases")),
        labels=_labels(row),
    )


def _text(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise RowError(f"`{key}` must be text")
    text = " ".join(str(value).split())
    if len(text) > MAX_FIELD_CHARS:
        raise RowError(f"`{key}` longer than {MAX_FIELD_CHARS} characters")
    return text


def _domains(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else str(value or "").replace(",", " ").split()
    out: list[str] = []
    for item in items:
        domain = registered_domain(str(item))
        if domain is None:
            raise RowError(f"{item!r} is not a web domain with a public suffix")
        if domain != str(item).strip().lower().removeprefix("www."):
            raise RowError(
                f"{item!r} is a subdomain: give its registered domain {domain!r}"
                " (outlets are told apart by registered domain)"
            )
        if domain not in out:
            out.append(domain)
    return tuple(out)


def _aliases(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else str(value or "").split(";")
    return tuple(dict.fromkeys(display_name(str(a)) for a in items if name_key(str(a))))


def _labels(row: Mapping[str, Any]) -> dict[str, str]:
    labels: dict[str, str] = {}
    extra = row.get("labels")
    if isinstance(extra, Mapping):
        labels.update({str(k): str(v) for k, v in extra.items()})
    for key in row:
        if key not in KNOWN:
            labels[str(key)] = _text(row, str(key))
    clean = {" ".join(k.lower().split()): " ".join(v.split()) for k, v in labels.items()}
    return {k: v for k, v in sorted(clean.items()) if k and v}


def _check_unique(outlet: Outlet, owners: dict[str, str], record: str) -> None:
    """A domain or name given to two rows of one file is a mistake worth stopping for:
    either row could be the one the user meant."""
    claims = [("domain", d) for d in outlet.domains]
    claims += [("name", name_key(n)) for n in (outlet.name, *outlet.aliases)]
    claims = list(dict.fromkeys(claims))
    for what, key in claims:
        first = owners.get(key)
        if first is not None:
            raise RowError(f"{what} {key!r} already belongs to the outlet on {first}")
    for _, key in claims:
        owners[key] = record
