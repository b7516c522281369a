"""The demo city: fixed cameras at intersections and the routes of three patrol cars."""

from __future__ import annotations

from dataclasses import dataclass

# (intersection, lat, lon, heading) — a Daly City-like street grid.
INTERSECTIONS: tuple[tuple[str, float, float, int], ...] = (
    ("Mission St & Geneva Ave", 37.70870, -122.44980, 180),
    ("Mission St & San Pedro Rd", 37.70105, -122.45625, 200),
    ("Mission St & Crocker Ave", 37.69590, -122.46040, 200),
    ("Mission St & Westlake Ave", 37.69180, -122.46420, 20),
    ("Mission St & Hillside Blvd", 37.68660, -122.46905, 200),
    ("Mission St & Colma Blvd", 37.67800, -122.46980, 180),
    ("Geneva Ave & Santos St", 37.70940, -122.43720, 90),
    ("Geneva Ave & Moscow St", 37.71240, -122.43300, 270),
    ("Geneva Ave & Carter St", 37.70780, -122.42880, 90),
    ("John Daly Blvd & Skyline Blvd", 37.70460, -122.48540, 90),
    ("John Daly Blvd & Lake Merced Blvd", 37.70500, -122.48020, 270),
    ("John Daly Blvd & Junipero Serra Blvd", 37.70300, -122.47090, 90),
    ("John Daly Blvd & Mission St", 37.70360, -122.46280, 270),
    ("Junipero Serra Blvd & Westlake Ave", 37.69780, -122.47260, 180),
    ("Junipero Serra Blvd & Serramonte Blvd", 37.67480, -122.46950, 0),
    ("Serramonte Blvd & Callan Blvd", 37.67010, -122.47740, 90),
    ("Serramonte Blvd & Gellert Blvd", 37.66880, -122.47060, 270),
    ("Gellert Blvd & Southgate Ave", 37.67930, -122.47450, 0),
    ("Gellert Blvd & King Dr", 37.66090, -122.46990, 180),
    ("Southgate Ave & Lake Merced Blvd", 37.68400, -122.48630, 90),
    ("Southgate Ave & Skyline Blvd", 37.68340, -122.49200, 270),
    ("Skyline Blvd & Westridge Ave", 37.67350, -122.49250, 0),
    ("Skyline Blvd & Palmcrest Dr", 37.66620, -122.49120, 180),
    ("Westlake Ave & Park Plaza Dr", 37.69480, -122.48010, 90),
    ("Westlake Ave & Lake Merced Blvd", 37.69520, -122.48580, 270),
    ("Lake Merced Blvd & Higate Dr", 37.69100, -122.48650, 0),
    ("Hickey Blvd & Skyline Blvd", 37.65480, -122.48470, 90),
    ("Hickey Blvd & Gellert Blvd", 37.65610, -122.47180, 270),
    ("Hickey Blvd & Junipero Serra Blvd", 37.65820, -122.46300, 90),
    ("Hillside Blvd & Lawndale Blvd", 37.68020, -122.45840, 0),
    ("Hillside Blvd & Sullivan Ave", 37.69120, -122.45780, 180),
    ("Bayshore Blvd & Geneva Ave", 37.70830, -122.40460, 90),
    ("San Jose Ave & Sickles Ave", 37.70950, -122.45400, 0),
    ("Alemany Blvd & Mission St", 37.71100, -122.44740, 200),
    ("Crocker Ave & Carter St", 37.69600, -122.45190, 90),
    ("Knowles Ave & Crocker Ave", 37.69750, -122.45700, 270),
    ("Brunswick St & Templeton Ave", 37.69170, -122.45350, 0),
    ("San Pedro Rd & Hillside Blvd", 37.69860, -122.44900, 90),
    ("Eastgate Ave & Southgate Ave", 37.68160, -122.46530, 270),
    ("Niantic Ave & Washington St", 37.69240, -122.46850, 0),
    ("Wembley Dr & Sheffield Dr", 37.69920, -122.48890, 90),
    ("Glenwood Ave & Dorchester Way", 37.69450, -122.49030, 180),
    ("Parkview Ave & Ocean View Ave", 37.70360, -122.46050, 90),
    ("Bellevue Ave & Wellington Ave", 37.68880, -122.45310, 270),
)
# Quiet residential corners where the burglary series happens.
RESIDENTIAL = (
    "Wembley Dr & Sheffield Dr",
    "Glenwood Ave & Dorchester Way",
    "Bellevue Ave & Wellington Ave",
    "Niantic Ave & Washington St",
    "Brunswick St & Templeton Ave",
    "Knowles Ave & Crocker Ave",
)


@dataclass(frozen=True)
class CameraSite:
    name: str
    location_name: str
    lat: float
    lon: float
    heading: int


def fixed_cameras() -> list[CameraSite]:
    return [
        CameraSite(f"DC-{index:03d}", name, lat, lon, heading)
        for index, (name, lat, lon, heading) in enumerate(INTERSECTIONS, start=1)
    ]


PATROL_ROUTES: dict[str, tuple[str, ...]] = {
    "Patrol car 21": (
        "Mission St & Geneva Ave",
        "Mission St & San Pedro Rd",
        "Mission St & Crocker Ave",
        "Mission St & Westlake Ave",
        "Mission St & Hillside Blvd",
        "Mission St & Colma Blvd",
    ),
    "Patrol car 34": (
        "John Daly Blvd & Skyline Blvd",
        "Southgate Ave & Skyline Blvd",
        "Skyline Blvd & Westridge Ave",
        "Hickey Blvd & Skyline Blvd",
        "Hickey Blvd & Gellert Blvd",
        "Serramonte Blvd & Gellert Blvd",
    ),
    "Patrol car 47": (
        "Westlake Ave & Lake Merced Blvd",
        "Westlake Ave & Park Plaza Dr",
        "Junipero Serra Blvd & Westlake Ave",
        "John Daly Blvd & Junipero Serra Blvd",
        "John Daly Blvd & Mission St",
        "Parkview Ave & Ocean View Ave",
    ),
}


def route_points(route: tuple[str, ...]) -> list[tuple[float, float]]:
    where = {name: (lat, lon) for name, lat, lon, _ in INTERSECTIONS}
    return [where[name] for name in route]
