"""Hot-list matching throughput in the worker's memory: reads per second against 100,000
entries including 1,000 partial ones (and some OCR-confusion entries). Prints JSON.

    python bench/hotlist_matching.py [--entries 100000] [--partial 1000] [--reads 200000]
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alpr.data.models import Priority
from alpr.recognition.hotlist_match import HotListMatcher, _Entry


def plate(rng: random.Random) -> str:
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(3))
    return f"{rng.randint(1, 9)}{letters}{rng.randint(0, 999):03d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--partial", type=int, default=1_000)
    parser.add_argument("--reads", type=int, default=200_000)
    args = parser.parse_args()
    rng = random.Random(5)
    entries = []
    for i in range(args.entries - args.partial):
        entries.append((_Entry(i, 1, Priority.HIGH, plate(rng)), i % 50 == 0))
    for i in range(args.partial):
        p = list(plate(rng))
        for position in rng.sample(range(7), 2):
            p[position] = "?"
        pattern = "".join(p) if i % 10 else "".join(p[:4]) + "*"
        entries.append((_Entry(args.entries + i, 2, Priority.HIGH, pattern), i % 5 == 0))
    t0 = time.perf_counter()
    matcher = HotListMatcher(entries)
    build = time.perf_counter() - t0
    reads = [plate(rng) for _ in range(args.reads)]
    hot = [e.pattern for e, _ in entries[: args.reads // 100] if "?" not in e.pattern]
    reads[: len(hot)] = hot
    t0 = time.perf_counter()
    hits = sum(bool(matcher.match(p)) for p in reads)
    elapsed = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "entries": args.entries,
                "partial_entries": args.partial,
                "reads": args.reads,
                "build_seconds": round(build, 2),
                "hits": hits,
                "reads_per_s": round(args.reads / elapsed),
                "us_per_read": round(elapsed / args.reads * 1e6, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
