"""Place kinds for the contradiction probe: a country is replaced by a country, a US state
by a state, a US city by a US city, any other place by a city of the fixed lists.

A replacement of another kind ("Iran" -> "Ohio") would be odd news text and could read
as an error rather than a disagreement; a careful reader compares like with like.
"""

from __future__ import annotations

COUNTRIES = frozenset(
    """Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan
    Bahrain Bangladesh Belarus Belgium Bolivia Bosnia Brazil Bulgaria Burma Cambodia Cameroon
    Canada Chad Chile China Colombia Congo Croatia Cuba Cyprus Denmark Ecuador Egypt Eritrea
    Estonia Ethiopia Finland France Georgia Germany Ghana Greece Guatemala Haiti Honduras
    Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Jordan
    Kazakhstan Kenya Kuwait Laos Latvia Lebanon Liberia Libya Lithuania Madagascar Malaysia
    Mali Mexico Moldova Mongolia Morocco Mozambique Nepal Netherlands Nicaragua Niger Nigeria
    Norway Oman Pakistan Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia
    Rwanda Senegal Serbia Singapore Slovakia Slovenia Somalia Spain Sudan Sweden Switzerland
    Syria Taiwan Tajikistan Tanzania Thailand Tunisia Turkey Uganda Ukraine Uruguay Uzbekistan
    Venezuela Vietnam Yemen Zambia Zimbabwe""".split()  # noqa: SIM905 (a word list reads better)
) | {"North Korea", "South Korea", "South Africa", "Saudi Arabia", "New Zealand", "Sri Lanka",
     "United States", "United Kingdom", "Costa Rica", "El Salvador", "Ivory Coast",
     "Papua New Guinea", "Sierra Leone", "Czech Republic", "Dominican Republic",
     "United Arab Emirates", "America", "Britain", "England", "Scotland", "Wales"}  # fmt: skip

US_STATES = frozenset(
    """Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida
    Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts
    Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon
    Pennsylvania Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming""".split()  # noqa: SIM905
) | {"New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina",
     "North Dakota", "Rhode Island", "South Carolina", "South Dakota", "West Virginia"}  # fmt: skip

US_CITIES = frozenset({
    "Los Angeles", "Chicago", "Houston", "Phoenix", "Philadelphia", "San Antonio", "San Diego",
    "Dallas", "Denver", "Boston", "Seattle", "Atlanta", "Miami", "Detroit", "Baltimore",
    "Portland", "Memphis", "Nashville", "Milwaukee", "Cleveland", "Pittsburgh", "Sacramento",
    "Minneapolis", "Tampa", "Orlando", "Kansas City", "Las Vegas", "Salt Lake City",
    "Oklahoma City", "Albuquerque", "Tucson", "Omaha", "Raleigh", "Charlotte", "Cincinnati",
    "Indianapolis", "Columbus", "Austin", "Buffalo", "San Francisco", "Anchorage", "El Paso",
    "Dayton", "Newark", "Richmond", "Louisville", "Hartford", "Spokane", "Fresno", "Boise",
})  # fmt: skip
WORLD_CITIES = frozenset({
    "London", "Paris", "Berlin", "Madrid", "Rome", "Moscow", "Tokyo", "Beijing", "Shanghai",
    "Mumbai", "Delhi", "Cairo", "Istanbul", "Tehran", "Baghdad", "Kabul", "Karachi", "Lagos",
    "Nairobi", "Sydney", "Melbourne", "Toronto", "Vancouver", "Montreal", "Dubai", "Riyadh",
    "Jakarta", "Manila", "Bangkok", "Seoul", "Lima", "Bogota", "Caracas", "Santiago", "Athens",
    "Lisbon", "Vienna", "Warsaw", "Prague", "Dublin", "Brussels", "Amsterdam", "Stockholm",
    "Oslo", "Copenhagen", "Helsinki", "Kiev", "Marseille", "Perth", "Auckland", "Wellington",
})  # fmt: skip

# Names that are both a state and a city (or a capital): their kind is ambiguous, so
# they are never changed nor used as a replacement.
AMBIGUOUS = frozenset({"New York", "Washington", "Georgia"})


def place_class(name: str) -> str | None:
    """ "country", "state", "us_city", "city" (any other place); None if ambiguous."""
    if name in AMBIGUOUS:
        return None
    for kind, names in (("country", COUNTRIES), ("state", US_STATES), ("us_city", US_CITIES)):
        if name in names:
            return kind
    return "city"


def listed(kind: str) -> frozenset[str]:
    """The places of a kind a replacement is drawn from: real places only, since the
    corpus NER tags companies and people as places too often to draw from it."""
    names = {
        "country": COUNTRIES,
        "state": US_STATES,
        "us_city": US_CITIES,
        "city": US_CITIES | WORLD_CITIES,
    }[kind]
    return names - AMBIGUOUS


def known(name: str) -> bool:
    """A place of the fixed lists: changed even if the corpus names it only once."""
    return name in COUNTRIES | US_STATES | US_CITIES | WORLD_CITIES
