"""Attribute rules: checked when saved (saying where they are wrong), evaluated exactly."""

from __future__ import annotations

from datetime import date

import pytest

from pubhub.errors import BadRequest
from pubhub.identity.attribute_rules import attributes_of, parse_rule, satisfies

CITY, BIRTH, EMAIL = "pbdf.gemeente.address.city", "pbdf.gemeente.personalData.dateofbirth", "pbdf.sidn-pbdf.email.email"
NIJMEGEN_16 = {"all": [{"attribute": CITY, "equals": "Nijmegen"}, {"attribute": BIRTH, "min_age": 16}]}
TODAY = date(2026, 12, 2)


@pytest.mark.parametrize("values, expected", [
    ({CITY: "Nijmegen", BIRTH: "02-12-2010"}, True),    # 16 today
    ({CITY: "Nijmegen", BIRTH: "03-12-2010"}, False),   # 16 tomorrow
    ({CITY: "Nijmegen", BIRTH: "2000-01-31"}, True),    # ISO dates too
    ({CITY: "Arnhem", BIRTH: "01-01-1990"}, False),
    ({CITY: "nijmegen", BIRTH: "01-01-1990"}, False),   # equals is exact
    ({CITY: "Nijmegen"}, False),                        # a missing value satisfies nothing
    ({CITY: "Nijmegen", BIRTH: "31-02-1990"}, False),   # nor an impossible date
    ({CITY: "Nijmegen", BIRTH: "gisteren"}, False),
])
def test_all_with_equals_and_min_age(values, expected):
    assert satisfies(parse_rule(NIJMEGEN_16), values, TODAY) is expected


def test_any_not_one_of_and_suffix():
    rule = parse_rule({"any": [{"attribute": EMAIL, "suffix": "@Nijmegen.nl"},
                               {"all": [{"attribute": CITY, "one_of": ["Lent", "Nijmegen"]},
                                        {"not": {"attribute": EMAIL, "suffix": ".example"}}]}]})
    assert satisfies(rule, {EMAIL: "j.jansen@nijmegen.NL"}, TODAY)
    assert satisfies(rule, {EMAIL: "j@elders.nl", CITY: "Lent"}, TODAY)
    assert not satisfies(rule, {EMAIL: "j@spam.example", CITY: "Lent"}, TODAY)
    assert not satisfies(rule, {EMAIL: "j@nijmegen.nl.example"}, TODAY)
    assert attributes_of(rule) == [EMAIL, CITY]


@pytest.mark.parametrize("rule, where", [
    ([], "rule: a rule is an object"),
    ({}, "rule: a rule is an object"),
    ({"all": []}, "rule.all: a non-empty list"),
    ({"all": [{"attribute": CITY}]}, "rule.all[0]: one of equals"),
    ({"all": [{"attribute": CITY, "equals": "A", "suffix": "B"}]}, "rule.all[0]: one of equals"),
    ({"any": [{"attribute": "no spaces allowed", "equals": "x"}]}, "rule.any[0].attribute"),
    ({"attribute": BIRTH, "min_age": "16"}, "rule.min_age"),
    ({"attribute": BIRTH, "min_age": True}, "rule.min_age"),
    ({"attribute": CITY, "one_of": []}, "rule.one_of"),
    ({"attribute": CITY, "equals": ""}, "rule.equals"),
    ({"not": {"all": "x"}}, "rule.not.all"),
    ({"all": [{"attribute": CITY, "equals": "x"}], "any": []}, "stands alone"),
    ({"not": {"not": {"not": {"not": {"not": {"not": {"attribute": CITY, "equals": "x"}}}}}}}, "nest at most"),
    ({"all": [{"attribute": CITY, "equals": str(n)} for n in range(21)]}, "at most 20 tests"),
])
def test_a_bad_rule_says_where(rule, where):
    with pytest.raises(BadRequest, match=where.replace("[", r"\[").replace("]", r"\]")):
        parse_rule(rule)
