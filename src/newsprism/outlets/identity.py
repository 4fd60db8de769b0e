"""Who published an article: outlet names normalised, domains reduced to registered domains.

Policy (issue 16): two different outlets merged into one is worse than one outlet split
in two — a wrong merge silently halves a story's independent sources, a split only
shows one outlet twice. So every rule here is an exact match on a normalised key:

- a name is folded (`name_key`): Unicode compatibility form, case, a leading "The", a
  trailing parenthesised qualifier ("New York Times (News)", "CNN (Online News)"),
  punctuation and "&" → "and". "The New York Times" and "New York Times (News)" fold
  to "new york times"; nothing fuzzier (no edit distance, no prefixes);
- a URL or host is reduced to its registered domain with tldextract's bundled
  public-suffix snapshot (offline), private suffixes included, so two blogs on
  blogspot.com stay two outlets; on `SHARED_HOSTS` — blog platforms the snapshot
  does not list (blogspot.nl: eleven different blogs in the ECB+ URLs) and portals
  whose subdomains are different publishers (abcnews.go.com and espn.go.com) — the
  host one level below the registered domain is the outlet's domain instead;
- an unregistered name meets an unregistered domain only when the domain is a `.com`
  whose label equals the name with its spaces taken out ("CNN" ~ cnn.com, "Fox News" ~
  foxnews.com). Country domains never meet bare names: independent.co.uk and
  independent.ie are different papers, and "The Independent" might be either.

The registry (`registry.py`) adds names and domains a user or the shipped data vouch for.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import tldextract

# No network: the empty URL list makes tldextract use the snapshot in its wheel.
_EXTRACT = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)
_QUALIFIER = re.compile(r"\s*[\(\[][^()\[\]]{0,60}[\)\]]\s*$")
_LEADING_THE = re.compile(r"^the\s+")
_NON_WORD = re.compile(r"[^\w]+")
_HOSTLIKE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?[^\s/@]+\.[a-z][a-z0-9-]*\.?(?::\d+)?(?:/\S*)?$")
SHARED_HOSTS = frozenset(
    {
        "go.com",  # Disney: abcnews., espn., abclocal. are separate newsrooms
        "indiatimes.com",  # Times Internet: timesofindia., economictimes. are separate papers
        "wordpress.com",
        "tumblr.com",
        "substack.com",
        "medium.com",
        "typepad.com",
        "livejournal.com",
    }
)
SHARED_LABELS = frozenset({"blogspot"})  # blogspot.<any country suffix>
PLAIN_PREFIXES = frozenset({"www", "m", "mobile", "amp"})  # not a publisher's own subdomain
GENERIC_SUFFIXES = frozenset({"com"})  # the only suffix whose label stands for a bare name
MAX_NAME_CHARS = 200  # longer "source" strings are not names (a pasted sentence)


def name_key(name: str) -> str:
    """The folded form two spellings of one outlet's name share.

    >>> name_key("The New York Times (News)")
    'new york times'
    >>> name_key("AP Politics & Fact Check")
    'ap politics and fact check'
    """
    text = unicodedata.normalize("NFKC", name)[:MAX_NAME_CHARS].strip()
    while True:  # "Fox News (Online News) [US]"
        stripped = _QUALIFIER.sub("", text)
        if stripped == text or not stripped.strip():
            break
        text = stripped
    text = text.casefold().replace("&", " and ").replace("'", "").replace("’", "")
    text = " ".join(_NON_WORD.sub(" ", text).replace("_", " ").split())
    return _LEADING_THE.sub("", text) if text != "the" else text


def compact_key(name: str) -> str:
    """A name key without spaces, the form a domain label takes ("foxnews")."""
    return name_key(name).replace(" ", "")


def display_name(name: str) -> str:
    """The name as shown: whitespace collapsed, a trailing qualifier dropped."""
    text = " ".join(unicodedata.normalize("NFKC", name)[:MAX_NAME_CHARS].split())
    stripped = _QUALIFIER.sub("", text).strip()
    return stripped or text


def looks_like_host(text: str) -> bool:
    """Whether a string is a URL or a host name rather than an outlet's name."""
    return bool(_HOSTLIKE.match(text.strip().lower())) and registered_domain(text) is not None


@lru_cache(maxsize=65536)
def registered_domain(url_or_host: str) -> str | None:
    """The registered domain of a URL or host ("https://edition.cnn.com/x" -> "cnn.com"),
    or None when it has no public suffix (an IP address, "localhost", a bare word)."""
    text = url_or_host.strip().lower()
    if not text or " " in text:
        return None
    parts = _EXTRACT(text)
    if not parts.suffix or not parts.domain:
        return None
    domain = f"{parts.domain}.{parts.suffix}"
    if domain in SHARED_HOSTS or parts.domain in SHARED_LABELS:
        labels = [p for p in parts.subdomain.split(".") if p and p not in PLAIN_PREFIXES]
        if labels:
            return f"{labels[-1]}.{domain}"
    return domain


def domain_label_key(domain: str) -> str | None:
    """The name key a generic domain stands for ("foxnews.com" -> "foxnews"), else None."""
    label, _, suffix = domain.partition(".")
    if suffix not in GENERIC_SUFFIXES:
        return None
    return label.replace("-", "")


def slug(text: str) -> str:
    """A URL-safe outlet id ("offshore-energy.biz" -> "offshore-energy-biz")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    return "-".join(_NON_WORD.sub(" ", ascii_only).replace("_", " ").split())[:80] or "outlet"
