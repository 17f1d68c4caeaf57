"""The mutation score of the modules that protect people, after `mutmut run` (`make mutation`).

Reads mutmut's results (mutants/**/*.meta), prints killed / total per module, and fails when a
module kills fewer than 85 % of its mutants or when a surviving mutant is not explained in
tests/mutation_survivors.txt (one line each: `mutant-name  reason it is equivalent or harmless`).
A timeout counts as killed (the mutant made the tests hang: they noticed); a mutant no test
reaches counts as a survivor.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SURVIVORS = ROOT / "tests" / "mutation_survivors.txt"
THRESHOLD = 0.85
KILLED = {1, 3, 24, -24, 152, 255, 36, 37, -9, -11}  # failed, pytest error, timeouts, type check, crashes
NOT_RUN = {None, 2, 34}  # not checked, interrupted, skipped


def results(mutants: Path) -> dict[str, dict[str, int | None]]:
    """module path → {mutant name → exit code}."""
    found: dict[str, dict[str, int | None]] = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        codes = json.loads(meta.read_text()).get("exit_code_by_key", {})
        if codes:
            found[str(meta.relative_to(mutants)).removesuffix(".meta")] = codes
    return found


def explained() -> dict[str, str]:
    reasons = {}
    for line in SURVIVORS.read_text().splitlines() if SURVIVORS.exists() else []:
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.strip().partition(" ")
            reasons[name] = reason.strip()
    return reasons


def main() -> int:
    by_module = results(ROOT / "mutants")
    if not by_module:
        print("no mutmut results under mutants/: run `make mutation`")
        return 2
    reasons = explained()
    unexplained, failing, totals = [], [], defaultdict(int)
    print(f"{'module':45} {'killed':>7} {'total':>6} {'score':>6}  unchecked")
    for module, codes in by_module.items():
        checked = {name: code for name, code in codes.items() if code not in NOT_RUN}
        killed = sum(1 for code in checked.values() if code in KILLED)
        survivors = [name for name, code in checked.items() if code not in KILLED]
        score = killed / len(checked) if checked else 1.0
        print(f"{module:45} {killed:7} {len(checked):6} {score:6.1%}  {len(codes) - len(checked)}")
        totals["killed"] += killed
        totals["total"] += len(checked)
        unexplained += [name for name in survivors if not reasons.get(name)]
        if score < THRESHOLD:
            failing.append(module)
    overall = totals["killed"] / totals["total"] if totals["total"] else 1.0
    print(f"{'all':45} {totals['killed']:7} {totals['total']:6} {overall:6.1%}")
    if unexplained:
        print(f"\n{len(unexplained)} surviving mutants are not explained in {SURVIVORS.relative_to(ROOT)}"
              " (see each with `.venv/bin/mutmut show NAME`):")
        print("\n".join(f"  {name}" for name in unexplained))
    if failing:
        print(f"\nbelow {THRESHOLD:.0%}: {', '.join(failing)}")
    return 1 if unexplained or failing else 0


if __name__ == "__main__":
    sys.exit(main())
