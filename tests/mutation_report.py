"""The mutation score of the modules that protect people, after `mutmut run` (`make mutation`).

Reads each module's results (mutmut's in mutants/, over those recorded in
tests/mutation_results.json while the module's source is unchanged: see tests/mutation_plan.py),
prints mutants, killed, survived and the score for each module of tests/mutation_plan.py (a module
not run yet shows only its count, a module whose source changed since its recorded run shows
"stale"), and fails when a module kills fewer than 85 % of its mutants or when a surviving mutant
is not explained in tests/mutation_survivors.txt (one line each: `mutant-name  reason it is
equivalent or harmless`). A timeout counts as killed (the mutant made the tests hang: they
noticed); a mutant no test reaches counts as a survivor.
"""

from __future__ import annotations

import fnmatch
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutation_plan import KILLED, MODULES, NOT_RUN, results  # noqa: E402  (run as a script: tests/ is not a package path)

ROOT = Path(__file__).resolve().parents[1]
SURVIVORS = ROOT / "tests" / "mutation_survivors.txt"
THRESHOLD = 0.85


def explained() -> dict[str, str]:
    reasons = {}
    for line in SURVIVORS.read_text().splitlines() if SURVIVORS.exists() else []:
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.strip().partition(" ")
            reasons[name] = reason.strip()
    return reasons


def needless_line(name: str, modules: dict[str, tuple[dict[str, int | None], bool]]) -> bool:
    """Whether an explained mutant is killed now, or gone from a module whose results are known."""
    for module, (codes, stale) in modules.items():
        if fnmatch.fnmatch(name, MODULES[module][0]) and codes and not stale:
            return name not in codes or codes[name] in KILLED
    return False


def main() -> int:
    modules = {module: results(module) for module in MODULES}
    if not any(codes for codes, _ in modules.values()):
        print("no mutation results (mutants/ or tests/mutation_results.json): run `make mutation`")
        return 2
    reasons = explained()
    unexplained, failing, totals = [], [], defaultdict(int)
    print(f"{'module':16} {'mutants':>7} {'killed':>6} {'survived':>8} {'score':>6}  not run")
    surviving: set[str] = set()
    for module, (module_codes, stale) in modules.items():
        checked = {name: code for name, code in module_codes.items() if code not in NOT_RUN}
        if not checked:
            print(f"{module:16} {len(module_codes) or '':7} {'':6} {'':8} {'':>6}  {'stale' if stale else len(module_codes)}")
            continue
        killed = sum(1 for code in checked.values() if code in KILLED)
        survivors = [name for name, code in checked.items() if code not in KILLED]
        score = killed / len(checked)
        print(f"{module:16} {len(checked):7} {killed:6} {len(survivors):8} {score:6.1%}  {len(module_codes) - len(checked)}")
        totals["killed"] += killed
        totals["total"] += len(checked)
        unexplained += [name for name in survivors if not reasons.get(name)]
        surviving |= set(survivors)
        if score < THRESHOLD:
            failing.append(module)
    overall = totals["killed"] / totals["total"] if totals["total"] else 1.0
    print(f"{'all':16} {totals['total']:7} {totals['killed']:6} {totals['total'] - totals['killed']:8} {overall:6.1%}")
    if unexplained:
        print(f"\n{len(unexplained)} surviving mutants are not explained in {SURVIVORS.relative_to(ROOT)}"
              " (see each with `.venv/bin/mutmut show NAME`):")
        print("\n".join(f"  {name}" for name in unexplained))
    needless = [name for name in reasons if name not in surviving and needless_line(name, modules)]
    if needless:
        print(f"\n{len(needless)} lines of {SURVIVORS.relative_to(ROOT)} name mutants killed now or gone (remove them):")
        print("\n".join(f"  {name}" for name in needless))
    if failing:
        print(f"\nbelow {THRESHOLD:.0%}: {', '.join(failing)}")
    return 1 if unexplained or failing else 0


if __name__ == "__main__":
    sys.exit(main())
