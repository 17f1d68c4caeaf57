"""A room's attribute rule: a predicate over attribute values, written as JSON.

    {"all": [{"attribute": "pbdf.gemeente.address.city", "equals": "Nijmegen"},
             {"attribute": "pbdf.gemeente.personalData.dateofbirth", "min_age": 16}]}

A test names one `attribute` and one of `equals` (a string), `one_of` (strings), `suffix` (for
e-mail domains: `@nijmegen.nl`; case is ignored) or `min_age` (whole years, from a date of
birth written DD-MM-YYYY as Yivi does, or YYYY-MM-DD); `all` and `any` combine rules, `not`
negates one. `parse_rule` checks a rule when it is saved (BadRequest saying where it is wrong);
`attributes_of` lists what a verifier must ask for; `satisfies` evaluates it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from ..errors import BadRequest

TESTS = ("equals", "one_of", "suffix", "min_age")
MAX_DEPTH = 6
MAX_TESTS = 20
_ATTRIBUTE = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")


def parse_rule(rule: object) -> dict:
    """The rule, checked: BadRequest naming what is wrong and where (`all[1].min_age`)."""
    count = [0]
    _check(rule, "rule", 1, count)
    return rule  # type: ignore[return-value]


def _check(rule: object, where: str, depth: int, count: list[int]) -> None:
    if depth > MAX_DEPTH:
        raise BadRequest(f"{where}: rules nest at most {MAX_DEPTH} deep")
    if not isinstance(rule, dict) or not rule:
        raise BadRequest(f"{where}: a rule is an object such as {{\"attribute\": ..., \"equals\": ...}}")
    combinators = [key for key in ("all", "any", "not") if key in rule]
    if combinators:
        if len(rule) != 1:
            raise BadRequest(f"{where}: {combinators[0]!r} stands alone in its object")
        key = combinators[0]
        if key == "not":
            _check(rule["not"], f"{where}.not", depth + 1, count)
            return
        parts = rule[key]
        if not isinstance(parts, list) or not parts:
            raise BadRequest(f"{where}.{key}: a non-empty list of rules")
        for index, part in enumerate(parts):
            _check(part, f"{where}.{key}[{index}]", depth + 1, count)
        return
    _check_test(rule, where)
    count[0] += 1
    if count[0] > MAX_TESTS:
        raise BadRequest(f"{where}: a rule has at most {MAX_TESTS} tests")


def _check_test(rule: dict, where: str) -> None:
    attribute = rule.get("attribute")
    if not isinstance(attribute, str) or not _ATTRIBUTE.match(attribute):
        raise BadRequest(f"{where}.attribute: an attribute id such as pbdf.gemeente.address.city")
    tests = [key for key in rule if key != "attribute"]
    if len(tests) != 1 or tests[0] not in TESTS:
        raise BadRequest(f"{where}: one of {', '.join(TESTS)} beside the attribute")
    test, value = tests[0], rule[tests[0]]
    if test in ("equals", "suffix") and not (isinstance(value, str) and 0 < len(value) <= 500):
        raise BadRequest(f"{where}.{test}: a non-empty string")
    if test == "one_of" and not (isinstance(value, list) and 0 < len(value) <= 100
                                 and all(isinstance(item, str) and item for item in value)):
        raise BadRequest(f"{where}.one_of: a non-empty list of strings")
    if test == "min_age" and not (isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 150):
        raise BadRequest(f"{where}.min_age: whole years, 1 to 150")


def attributes_of(rule: dict) -> list[str]:
    """The attribute ids the rule reads, in order, once each."""
    found: list[str] = []

    def walk(part: dict) -> None:
        if "attribute" in part:
            found.append(part["attribute"])
        for key in ("all", "any"):
            for sub in part.get(key, ()):
                walk(sub)
        if "not" in part:
            walk(part["not"])

    walk(rule)
    return list(dict.fromkeys(found))


def satisfies(rule: dict, attributes: Mapping[str, str], today: date) -> bool:
    """Whether the attribute values satisfy the rule; a missing or unreadable value satisfies no test."""
    if "all" in rule:
        return all(satisfies(part, attributes, today) for part in rule["all"])
    if "any" in rule:
        return any(satisfies(part, attributes, today) for part in rule["any"])
    if "not" in rule:
        return not satisfies(rule["not"], attributes, today)
    value = attributes.get(rule["attribute"])
    if value is None:
        return False
    if "equals" in rule:
        return value == rule["equals"]
    if "one_of" in rule:
        return value in rule["one_of"]
    if "suffix" in rule:
        return value.lower().endswith(rule["suffix"].lower())
    born = _date_of_birth(value)
    return born is not None and _age(born, today) >= rule["min_age"]


def _date_of_birth(text: str) -> date | None:
    for pattern, order in ((r"(\d{2})-(\d{2})-(\d{4})", (3, 2, 1)), (r"(\d{4})-(\d{2})-(\d{2})", (1, 2, 3))):
        match = re.fullmatch(pattern, text.strip())
        if match:
            try:
                return date(*(int(match.group(index)) for index in order))
            except ValueError:
                return None
    return None


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
