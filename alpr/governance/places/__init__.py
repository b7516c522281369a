"""The agency's places: street lines, addresses and intersections for maps and scenes."""

from alpr.governance.places.service import (
    MAX_FIND_CHARS,
    MAX_MATCHES,
    PlaceMatch,
    PlacesImported,
    StreetLine,
    find_places,
    import_places,
    places_version,
    streets_near,
)

__all__ = [
    "MAX_FIND_CHARS",
    "MAX_MATCHES",
    "PlaceMatch",
    "PlacesImported",
    "StreetLine",
    "find_places",
    "import_places",
    "places_version",
    "streets_near",
]
