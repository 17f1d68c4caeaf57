"""The mutation score of the modules that protect people, after `mutmut run` (`make mutation`).

Reads mutmut's results (mutants/**/*.meta), prints mutants, killed, survived and the score for
each module of tests/mutation_plan.py (a module not run yet shows only its count), and fails when a
module kills fewer than 85 % of its mutants or when a surviving mutant is not explained in
tests/mutation_survivors.txt (one line each: `mutant-name  reason it is equivalent or harmless`).
A timeout counts as killed (the mutant made the tests hang: they noticed); a mutant no test
reaches counts as a survivor.
"""

from __future__ import annotations

import fnmatch
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutation_plan import MODULES  # noqa: E402  (run as a script: tests/ is not a package path here)

ROOT = Path(__file__).resolve().parents[1]
SURVIVORS = ROOT / "tests" / "mutation_survivors.txt"
THRESHOLD = 0.85
KILLED = {1, 3, 24, -24, 152, 255, 36, 37, -9, -11}  # failed, pytest error, timeouts, type check, crashes
NOT_RUN = {None, 2, 34, -15}  # not checked, interrupted, skipped, stopped (SIGTERM)


def results(mutants: Path) -> dict[str, int | None]:
    """mutant name → exit code, over every mutated file."""
    found: dict[str, int | None] = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        found.update(json.loads(meta.read_text()).get("exit_code_by_key", {}))
    return found


def explained() -> dict[str, str]:
    reasons = {}
    for line in SURVIVORS.read_text().splitlines() if SURVIVORS.exists() else []:
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.strip().partition(" ")
            reasons[name] = reason.strip()
    return reasons


def by_module(codes: dict[str, int | None]) -> dict[str, dict[str, int | None]]:
    """The modules of tests/mutation_plan.py (handlers/* is one), each with its mutants' codes."""
    grouped: dict[str, dict[str, int | None]] = {}
    for module, (pattern, _) in MODULES.items():
        grouped[module] = {name: code for name, code in codes.items() if fnmatch.fnmatch(name, pattern)}
    return grouped


def main() -> int:
    codes = results(ROOT / "mutants")
    if not codes:
        print("no mutmut results under mutants/: run `make mutation`")
        return 2
    reasons = explained()
    unexplained, failing, totals = [], [], defaultdict(int)
    print(f"{'module':16} {'mutants':>7} {'killed':>6} {'survived':>8} {'score':>6}  not run")
    for module, module_codes in by_module(codes).items():
        checked = {name: code for name, code in module_codes.items() if code not in NOT_RUN}
        if not checked:
            print(f"{module:16} {len(module_codes):7} {'':6} {'':8} {'':>6}  {len(module_codes)}")
            continue
        killed = sum(1 for code in checked.values() if code in KILLED)
        survivors = [name for name, code in checked.items() if code not in KILLED]
        score = killed / len(checked)
        print(f"{module:16} {len(checked):7} {killed:6} {len(survivors):8} {score:6.1%}  {len(module_codes) - len(checked)}")
        totals["killed"] += killed
        totals["total"] += len(checked)
        unexplained += [name for name in survivors if not reasons.get(name)]
        if score < THRESHOLD:
            failing.append(module)
    overall = totals["killed"] / totals["total"] if totals["total"] else 1.0
    print(f"{'all':16} {totals['total']:7} {totals['killed']:6} {totals['total'] - totals['killed']:8} {overall:6.1%}")
    if unexplained:
        print(f"\n{len(unexplained)} surviving mutants are not explained in {SURVIVORS.relative_to(ROOT)}"
              " (see each with `.venv/bin/mutmut show NAME`):")
        print("\n".join(f"  {name}" for name in unexplained))
    if failing:
        print(f"\nbelow {THRESHOLD:.0%}: {', '.join(failing)}")
    return 1 if unexplained or failing else 0


if __name__ == "__main__":
    sys.exit(main())
