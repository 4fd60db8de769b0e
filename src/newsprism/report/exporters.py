"""Files written by `newsprism run --out DIR`.

The JSON files follow GUIDE.md §3 so other tools can read them; the HTML is rendered
with Jinja2 autoescaping on, because every title and source name is hostile input.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .timeline import display_date

_ENV = Environment(
    loader=PackageLoader("newsprism", "report/templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["display_date"] = display_date


def render(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context)


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


def write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def export_all(ws: Any, out_dir: Path) -> list[Path]:
    """Write the whole report; returns the paths written, index.html first.

    `index.html`, `stories.json` (the `stories --json` contract), `articles.json`, and
    per story `stories/<id>.html`, `.md` and `.json` (the brief contract), and
    `stories.atom` (stories created or changed, issue 15).
    """
    from .markdown import brief_html, brief_markdown

    stories = ws.stories()
    articles = ws.articles()
    titles = {a["id"]: a["title"] for a in articles if a["title"]}  # index names, not ids
    page = render("index.html", stories=stories, articles=articles, titles=titles)
    written = [
        write_text(out_dir / "index.html", page),
        write_json(out_dir / "stories.json", stories),
        write_json(out_dir / "articles.json", articles),
    ]
    for story in stories:
        brief = ws.brief(story["id"])
        base = out_dir / "stories" / story["id"]
        written += [
            write_json(base.with_suffix(".json"), brief),
            write_text(base.with_suffix(".md"), brief_markdown(brief)),
            write_text(base.with_suffix(".html"), brief_html(brief)),
        ]
    written.append(_write_atom(ws, out_dir, stories))
    return written


def _write_atom(ws: Any, out_dir: Path, stories: list[dict[str, Any]]) -> Path:
    """`stories.atom`: stories created or changed (issue 15), linking to the pages here."""
    from .atom import latest_per_story, stories_feed

    titles = {s["id"]: s["title"] for s in stories}
    body = stories_feed(
        latest_per_story(ws.recent_changes(limit=1000)),
        titles,
        lambda sid: f"stories/{sid}.html",
        "stories.atom",
        "index.html",
    )
    path = out_dir / "stories.atom"
    path.write_bytes(body)
    return path
