"""How an outlet is named to a reader: the one function every page, brief and reason uses.

Issue 12: explanations named article ids ("a1 gives ..."), which tell a reader nothing.
An outlet is named by its source name, else by its URL's domain, else by the article
id. An outlet registry (issue 16) can take over here without any caller changing.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def outlet_name(source: str | None, url: str | None, article_id: str) -> str:
    """ "Reuters" (source), else "example.com" (URL domain, no "www."), else the article id.

    >>> outlet_name(None, "https://www.example.com/a", "a1")
    'example.com'
    """
    name = " ".join((source or "").split())
    if name:
        return name
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        host = ""
    host = host.removeprefix("www.")
    return host or article_id
