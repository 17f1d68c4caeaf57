"""Every benchmark in sequence (`make bench`, or `python -m bench [name ...]` for some of them).
A benchmark that fails is reported with its traceback and the others still run; the exit
status is 1 if any failed."""

from __future__ import annotations

import asyncio
import importlib
import sys
import time
import traceback
from pathlib import Path

ORDER = ["inbox", "fanout", "faults", "actors", "mixed", "scaleout"]  # scaleout: PostgreSQL only


def available() -> list[str]:
    here = Path(__file__).resolve().parent
    return [name for name in ORDER if (here / f"{name}.py").exists()]


def run(name: str) -> tuple[str, float, str]:
    began = time.perf_counter()
    try:
        module = importlib.import_module(f"bench.{name}")
        asyncio.run(module.main())
    except Exception as exc:  # one broken benchmark must not hide the others' figures
        traceback.print_exc()
        print(f"!! bench {name} failed: {exc.__class__.__name__}: {exc}", flush=True)
        return name, time.perf_counter() - began, f"FAILED ({exc.__class__.__name__})"
    return name, time.perf_counter() - began, "ok"


def main(argv: list[str]) -> int:
    names = argv or available()
    unknown = [name for name in names if name not in ORDER]
    if unknown:
        print(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(available())}")
        return 2
    outcomes = []
    for name in names:
        outcomes.append(run(name))
        print(flush=True)
    print("== summary")
    for name, seconds, outcome in outcomes:
        print(f"   {name:8} {outcome:24} {seconds:6.0f}s")
    return 0 if all(outcome == "ok" for _, _, outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
