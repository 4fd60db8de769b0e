"""Outlets (issue 16): who publishes each article, who stands behind each outlet, how
many independent sources a story has, who covers it, and each outlet's record.

    outlet_of(article, resolver) -> Outlet       identity (resolve.py, identity.py)
    independence_units(members, wires)          article -> independent source
    coverage_of / blindspot                      per story (coverage.py)
    records(conn, stories, titles)               from stored briefs (record.py)
"""

from __future__ import annotations

from ..models import Article
from .coverage import StoryOutlets, blindspot, coverage_of, story_outlets
from .independence import Member, Unit, independence_units
from .registry import KINDS, Outlet, registry
from .resolve import Resolver, Signals

__all__ = [
    "KINDS",
    "Member",
    "Outlet",
    "Resolver",
    "Signals",
    "StoryOutlets",
    "Unit",
    "blindspot",
    "coverage_of",
    "independence_units",
    "outlet_of",
    "registry",
    "story_outlets",
]


def outlet_of(article: Article, resolver: Resolver) -> Outlet:
    """The outlet behind a stored article (source, URL domain, feed title, WARC host)."""
    return resolver.outlet_of(Signals.of(article.source, article.url, article.meta))
