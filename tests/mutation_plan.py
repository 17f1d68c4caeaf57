"""Which tests may kill each module's mutants, and the run of one module (`make mutation MODULE=...`).

mutmut runs, for each mutant, every selected test that reached the mutated function. Left to the
whole suite, a mutant of the signature check runs every federation test (they all sign their
requests): 1-2 mutants a minute. Here each module is checked against the tests written to catch
its rules, over HTTP where that is how the rule is reached (the inbox, the API), so a mutant
costs seconds. A mutant none of them catches is a rule no focused test holds, which is what we
want to know; a mutant only some far-away test would catch still counts as a survivor.

    python tests/mutation_plan.py signatures content   # those modules; no name: all of them
    python tests/mutation_plan.py --again signatures   # only survivors and mutants not run yet
    python tests/mutation_plan.py --record signatures  # record what mutants/ holds (a run records by itself)

Each module: its tests are handed to tests/conftest.py in PUBHUB_MUTATION_TESTS (other test
files are not collected), mutmut's test map (mutants/mutmut-stats.json) is rebuilt for them when
it was built for another module (new tests are added to it by mutmut itself), and
`nice -n 19 mutmut run --max-children 2 "<module>*"` checks its mutants. Results of other modules are kept in
mutants/; tests/mutation_report.py prints them all.

mutants/ is not committed, so after each run the module's results are recorded in
tests/mutation_results.json (commit it) with a hash of the module's source files: a fresh clone
knows every module's score, and `--again` runs only the recorded survivors and mutants not run yet
(mutmut generates mutants/ first, then runs the mutants named). A recorded result counts only
while the module's source is the one it was recorded for; after an edit the module is stale and
runs in full.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "tests" / "mutation_results.json"
# mutmut's exit codes: the tests failed, errored, timed out, were caught by the type check or crashed
KILLED = {1, 3, 24, -24, 152, 255, 36, 37, -9, -11}
NOT_RUN = {None, 2, 34, -15}  # not checked, interrupted, skipped, stopped (SIGTERM)
F = "tests/federation/"
# The signature rules on their own (parsing, Digest, Date, (created), keys), and the same rules
# reached over HTTP: a signed POST to the inbox, keys fetched, cached, rotated and refused.
SIGNATURE_UNIT_TESTS = (F + "test_signatures.py", F + "test_signatures_key_strength.py")
SIGNATURE_TESTS = SIGNATURE_UNIT_TESTS + (F + "test_signatures_inbox.py", F + "test_signatures_keys.py",
                                          F + "test_signatures_key_cache.py")

# name → (mutmut's pattern for the module's mutants, the test files that hold its rules)
MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    # signatures.py is a library of pure rules: its own tests call them directly and each has an
    # exact expected outcome (a mutant of a rule every HTTP test passes through would otherwise run
    # ~170 tests, each starting an instance: minutes per mutant).
    "signatures": ("pubhub.activitypub.signatures*", SIGNATURE_UNIT_TESTS),
    "verification": ("pubhub.activitypub.verification*", SIGNATURE_TESTS + (F + "test_gone_actors.py",)),
    "inbound": ("pubhub.federation.inbound*", (F + "test_inbox_rules.py", F + "test_signatures_inbox.py",
                                               F + "test_gone_actors.py", "tests/test_policy.py")),
    "origins": ("pubhub.activitypub.origins*", (F + "test_origins.py", F + "test_inbox_ownership.py", F + "test_inbox_rules.py",
                                                F + "test_handler_rules.py", F + "test_remote_urls.py")),
    "handlers": ("pubhub.federation.handlers*", (F + "test_handler_rules.py", F + "activities/",
                                                 F + "test_inbox_follow_answers.py", F + "test_inbox_ownership.py",
                                                 F + "test_gone_actors.py", "tests/rooms/test_inbound.py",
                                                 F + "test_inbox_rules.py", F + "test_inbox_flag.py",
                                                 F + "test_polls_federation.py")),
    "visibility": ("pubhub.social.visibility*", ("tests/social/", F + "test_delivery.py",
                                                 "tests/api/test_timelines_boosts.py", "tests/api/test_followed_tags.py")),
    "schedule": ("pubhub.activitypub.schedule*", (F + "test_schedule_rules.py", F + "test_delivery_schedule.py")),
    "tokens": ("pubhub.accounts.tokens*", ("tests/accounts/", "tests/api/test_tokens_api.py", "tests/api/test_scopes.py",
                                           "tests/api/test_requires.py", "tests/api/test_oauth.py")),
    "principal": ("pubhub.accounts.principal*", ("tests/accounts/", "tests/api/test_scopes.py", "tests/api/test_oauth.py",
                                                 "tests/web/test_sign_in.py")),
    "http-principal": ("pubhub.http.principal*", ("tests/api/test_requires.py", "tests/api/test_scopes.py",
                                                  "tests/api/test_oauth.py", "tests/accounts/",
                                                  "tests/api/test_followed_tags.py")),  # optional_principal
    "guard": ("pubhub.activitypub.guard*", (F + "test_fetch_guard.py",)),
    "content": ("pubhub.content*", ("tests/test_content.py", F + "test_remote_urls.py")),
    # Moderation that protects people: which hosts a domain block covers, and the policy seam
    # refusing what comes from (or would go to) a suspended domain or account.
    "domain-names": ("pubhub.moderation.domain_names*", ("tests/moderation/test_domain_names.py",
                                                         "tests/moderation/test_domain_blocks.py",
                                                         "tests/api/test_admin_domain_blocks.py")),
    "seam": ("pubhub.moderation.seam*", ("tests/moderation/test_seam.py", "tests/moderation/test_domain_blocks.py",
                                         "tests/moderation/test_limited_federation.py",
                                         "tests/api/test_admin_account_actions.py")),
}


def source_files(name: str) -> list[Path]:
    """The files whose mutants the module's pattern names (a mutant is named after its file's
    dotted path: pubhub/content.py's are pubhub.content.x_...)."""
    pattern = MODULES[name][0]
    mutated = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]["only_mutate"]
    files = {path for glob in mutated for path in ROOT.glob(glob) if path.suffix == ".py"}
    dotted = {path: path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
              for path in files}
    return sorted(path for path in files if fnmatch.fnmatch(dotted[path] + ".", pattern))


def source_hash(name: str) -> str:
    digest = hashlib.sha256()
    for path in source_files(name):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def fresh(name: str) -> dict[str, int | None]:
    """The module's mutants in this tree's mutants/ (mutmut's own results), each with its exit code."""
    pattern, found = MODULES[name][0], {}
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text()).get("exit_code_by_key", {})
        found.update({mutant: code for mutant, code in codes.items() if fnmatch.fnmatch(mutant, pattern)})
    return found


def recorded() -> dict[str, dict]:
    """module → {"source": hash of its files, "mutants": {name: exit code}} from tests/mutation_results.json."""
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def results(name: str) -> tuple[dict[str, int | None], bool]:
    """The module's mutants and exit codes (a result from mutants/ wins over the recorded one),
    and whether recorded results were set aside because the module's source changed since."""
    found, entry = fresh(name), recorded().get(name)
    if not entry:
        return found, False
    if entry["source"] != source_hash(name):
        return found, True
    merged = dict(entry["mutants"])
    merged.update({mutant: code for mutant, code in found.items() if code not in NOT_RUN or mutant not in merged})
    return merged, False


def record(name: str) -> None:
    """Keep the module's results, as results() sees them now, in tests/mutation_results.json."""
    codes, _ = results(name)
    if not codes:
        return
    everything = recorded()
    everything[name] = {"source": source_hash(name), "mutants": dict(sorted(codes.items()))}
    RESULTS.write_text(json.dumps(everything, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def survivors(name: str) -> list[str]:
    """The module's mutants that survived, that no test reached, or that were not run yet (an
    interrupted run goes on from where it stopped)."""
    return sorted(mutant for mutant, code in results(name)[0].items() if code not in KILLED)


def run(name: str, *, again: bool = False) -> int:
    """All of the module's mutants; with `again`, only its survivors and those not run yet (all of
    them when nothing is known about the module). The results are recorded even when interrupted."""
    pattern, tests = MODULES[name]
    mutants = ROOT / "mutants"
    whose = mutants / "mutation-plan-module"  # which module's tests the test map was built from
    if not whose.exists() or whose.read_text() != name:
        (mutants / "mutmut-stats.json").unlink(missing_ok=True)  # the test map is per module
    targets = (survivors(name) if results(name)[0] else [pattern]) if again else [pattern]
    if not targets:
        print(f"== {name}: no survivors to run again")
        return 0
    mutants.mkdir(exist_ok=True)
    whose.write_text(name)
    env = {**os.environ, "PUBHUB_MUTATION_TESTS": " ".join(tests)}
    children = os.environ.get("MUTMUT_CHILDREN", "2")
    command = ["nice", "-n", "19", str(ROOT / ".venv/bin/mutmut"), "run", "--max-children", children, *targets]
    print(f"== {name}: {' '.join(command[:7])} {pattern if targets == [pattern] else f'({len(targets)} survivors)'}\n"
          f"   tests: {' '.join(tests)}", flush=True)
    try:
        return subprocess.call(command, cwd=ROOT, env=env)
    finally:
        record(name)


def main(arguments: list[str]) -> int:
    again, only_record = "--again" in arguments, "--record" in arguments
    names = [argument for argument in arguments if argument not in ("--again", "--record")]
    unknown = [name for name in names if name not in MODULES]
    if unknown:
        print(f"unknown module(s) {', '.join(unknown)}; known: {', '.join(MODULES)}")
        return 2
    for name in names or list(MODULES):
        if only_record:
            record(name)
            continue
        run(name, again=again)  # mutmut's own exit code says nothing about the score; the report does
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
