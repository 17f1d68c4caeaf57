"""Settings from the environment: defaults, delivery tuning, and refusals with reasons."""

from __future__ import annotations

import ipaddress

import pytest

from pubhub.config import ConfigError, Rule, Settings


def test_defaults_need_no_environment():
    settings = Settings.from_env({}, env_file=None)
    assert settings.base_url == "https://127.0.0.1:8080"
    assert settings.allow_private_networks == ()
    assert settings.delivery_concurrency == 64 and settings.delivery_timeout_seconds == 15
    assert settings.inbox_retention_seconds == 7 * 24 * 3600
    assert settings.body_timeout_seconds == 15


def test_delivery_tuning_and_networks_are_read():
    settings = Settings.from_env({
        "PUBHUB_DELIVERY_CONCURRENCY": "256", "PUBHUB_DELIVERY_TIMEOUT": "2.5", "PUBHUB_DELIVERY_LEASE": "30",
        "PUBHUB_ALLOW_PRIVATE_NETWORKS": "127.0.0.0/8, 10.1.2.0/24", "PUBHUB_SCHEME": "HTTP",
        "PUBHUB_BODY_TIMEOUT": "30",
    }, env_file=None)
    assert settings.body_timeout_seconds == 30
    assert (settings.delivery_concurrency, settings.delivery_timeout_seconds, settings.delivery_lease_seconds) == (256, 2.5, 30)
    assert settings.allow_private_networks == (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("10.1.2.0/24"))
    assert settings.scheme == "http"


def test_the_inbox_retention_is_read_in_days():
    settings = Settings.from_env({"PUBHUB_INBOX_RETENTION_DAYS": "1.5"}, env_file=None)
    assert settings.inbox_retention_seconds == 36 * 3600


def test_the_language_and_description_of_the_instance_are_read():
    default = Settings.from_env({}, env_file=None)
    assert default.language == "en" and default.description == "PubHub, a PubHub server."
    settings = Settings.from_env({"PUBHUB_LANGUAGES": "NL, fy", "PUBHUB_INSTANCE_NAME": "Oost",
                                  "PUBHUB_INSTANCE_DESCRIPTION": " Berichten van de gemeente. "}, env_file=None)
    assert settings.language == "nl"  # the main one, for pages
    assert settings.description == "Berichten van de gemeente."


def test_env_file_is_read_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# comment\nPUBHUB_DOMAIN=hub.example\nPUBHUB_INSTANCE_NAME='Gemeente Oost'\n")
    settings = Settings.from_env({"PUBHUB_DOMAIN": "other.example"}, env_file=str(env_file))
    assert settings.domain == "other.example" and settings.instance_name == "Gemeente Oost"


@pytest.mark.parametrize("name, value, reason", [
    ("PUBHUB_SCHEME", "ftp", "PUBHUB_SCHEME"),
    ("PUBHUB_DOMAIN", "hub.example/path", "PUBHUB_DOMAIN"),
    ("PUBHUB_ALLOW_PRIVATE_NETWORKS", "not-a-network", "not a CIDR"),
    ("PUBHUB_DELIVERY_CONCURRENCY", "many", "must be a number"),
    ("PUBHUB_DELIVERY_CONCURRENCY", "0", "between"),
    ("PUBHUB_DELIVERY_TIMEOUT", "100000", "between"),
    ("PUBHUB_INBOX_RETENTION_DAYS", "0.5", "between 1 and 3650"),
    ("PUBHUB_BODY_TIMEOUT", "0", "between"),
    ("PUBHUB_LANGUAGES", "Nederlands", "PUBHUB_LANGUAGES"),
    ("PUBHUB_LANGUAGES", "nl_NL", "PUBHUB_LANGUAGES"),
])
def test_bad_values_are_refused_with_the_reason(name, value, reason):
    with pytest.raises(ConfigError, match=reason):
        Settings.from_env({name: value}, env_file=None)


def test_a_dotenv_may_be_written_as_a_shell_writes_it(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("export PUBHUB_DOMAIN=hub.example\nexport  PUBHUB_SCHEME='http'\n"
                        'PUBHUB_INSTANCE_NAME="Gemeente \\"Oost\\"" # the name\n')
    settings = Settings.from_env({}, env_file=str(env_file))
    assert (settings.domain, settings.scheme, settings.instance_name) == ("hub.example", "http", 'Gemeente "Oost"')


def test_a_bare_value_keeps_a_hash_and_a_backslash_inside_it(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("PUBHUB_DATABASE_URL=postgresql://pubhub:pa#s\\s@db/pubhub  # production\n")
    assert Settings.from_env({}, env_file=str(env_file)).database_url == "postgresql+asyncpg://pubhub:pa#s\\s@db/pubhub"


def test_an_unclosed_quote_in_the_dotenv_is_refused_with_its_line(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("PUBHUB_DOMAIN=hub.example\nPUBHUB_INSTANCE_NAME='Oost\n")
    with pytest.raises(ConfigError, match=r"\.env:2"):
        Settings.from_env({}, env_file=str(env_file))


@pytest.mark.parametrize("given, used", [
    ("sqlite+aiosqlite:///var/x.db", "sqlite+aiosqlite:///var/x.db"),
    ("sqlite:////srv/x.db", "sqlite+aiosqlite:////srv/x.db"),
    ("postgresql://u:p@db:5432/pubhub", "postgresql+asyncpg://u:p@db:5432/pubhub"),
    ("postgres://u@db/pubhub", "postgresql+asyncpg://u@db/pubhub"),
    ("postgresql+asyncpg://u@db/pubhub", "postgresql+asyncpg://u@db/pubhub"),
])
def test_database_urls_are_mapped_to_our_async_drivers(given, used):
    assert Settings.from_env({"PUBHUB_DATABASE_URL": given}, env_file=None).database_url == used


@pytest.mark.parametrize("given", ["garbage", "mysql://u@db/x", "postgresql+psycopg://u@db/x", "sqlite://", "postgresql://"])
def test_other_database_urls_are_refused_with_valid_examples(given):
    with pytest.raises(ConfigError, match=r"sqlite\+aiosqlite:///.*postgresql\+asyncpg://"):
        Settings.from_env({"PUBHUB_DATABASE_URL": given}, env_file=None)


def test_the_described_configuration_masks_the_database_password():
    settings = Settings.from_env({"PUBHUB_DATABASE_URL": "postgresql://pubhub:s3cr%40t@db:5432/pubhub"}, env_file=None)
    described = settings.described()
    assert described["database_url"] == "postgresql+asyncpg://pubhub:***@db:5432/pubhub"
    assert "s3cr" not in repr(described)
    for url, shown in (("postgresql://pubhub:pa#ss/x@db/pubhub", "postgresql+asyncpg://pubhub:***@db/pubhub"),
                       ("postgresql://pubhub@db/pubhub", "postgresql+asyncpg://pubhub@db/pubhub"),
                       ("sqlite:///var/x.db", "sqlite+aiosqlite:///var/x.db")):
        assert Settings.from_env({"PUBHUB_DATABASE_URL": url}, env_file=None).described()["database_url"] == shown


@pytest.mark.parametrize("domain, port", [
    ("127.0.0.1:8093", 8093), ("localhost:9000", 9000), ("[::1]:8081", 8081),
    ("127.0.0.1", None), ("hub.example:8443", None),
])
def test_the_loopback_port_of_the_domain(domain, port):
    assert Settings.from_env({"PUBHUB_DOMAIN": domain}, env_file=None).loopback_port == port



def test_log_format():
    assert Settings.from_env({}, env_file=None).log_format == "text"
    assert Settings.from_env({"PUBHUB_LOG_FORMAT": "JSON"}, env_file=None).log_format == "json"
    with pytest.raises(ConfigError, match="PUBHUB_LOG_FORMAT"):
        Settings.from_env({"PUBHUB_LOG_FORMAT": "xml"}, env_file=None)


def test_metrics_address_and_log_format():
    assert Settings.from_env({}, env_file=None).metrics_address == "127.0.0.1:9464"
    settings = Settings.from_env({"PUBHUB_METRICS_ADDRESS": "off", "PUBHUB_LOG_FORMAT": "JSON"}, env_file=None)
    assert (settings.metrics_address, settings.log_format) == (None, "json")
    for name, value in (("PUBHUB_METRICS_ADDRESS", "9464"), ("PUBHUB_LOG_FORMAT", "xml")):
        with pytest.raises(ConfigError, match=name):
            Settings.from_env({name: value}, env_file=None)


def test_languages_are_iso_639_1_codes_main_language_first():
    assert Settings.from_env({}, env_file=None).languages == ("en",)
    settings = Settings.from_env({"PUBHUB_LANGUAGES": " NL, fy,en,nl "}, env_file=None)
    assert settings.languages == ("nl", "fy", "en") and settings.language == "nl"  # the main one, for pages
    for wrong in ("english", "xx", "nl-BE", "nl;en"):
        with pytest.raises(ConfigError, match=r"PUBHUB_LANGUAGES: .* is not a two-letter ISO 639-1 language code"):
            Settings.from_env({"PUBHUB_LANGUAGES": wrong}, env_file=None)


def test_the_contact_email_must_be_an_address():
    assert Settings.from_env({}, env_file=None).contact_email == ""
    assert Settings.from_env({"PUBHUB_CONTACT_EMAIL": " info@oost.example "}, env_file=None).contact_email == "info@oost.example"
    for wrong in ("info", "info@oost", "@oost.example", "in fo@oost.example", "a@b@oost.example"):
        with pytest.raises(ConfigError, match="PUBHUB_CONTACT_EMAIL: .* is not an e-mail address"):
            Settings.from_env({"PUBHUB_CONTACT_EMAIL": wrong}, env_file=None)


def test_rules_are_read_from_a_file_one_a_line_with_indented_hints(tmp_path):
    rules = tmp_path / "rules.txt"
    rules.write_text("# our rules\n\nBe kind.\n\tNo insults.\n  No threats.\nNo spam.\n", encoding="utf-8")
    settings = Settings.from_env({"PUBHUB_RULES_FILE": str(rules)}, env_file=None)
    assert settings.rules == (Rule("Be kind.", "No insults. No threats."), Rule("No spam."))
    assert settings.described()["rules"] == f"2 from {rules}"
    assert Settings.from_env({}, env_file=None).rules == ()


@pytest.mark.parametrize("content, reason", [
    (None, r"rules\.txt: cannot read it \(No such file or directory\)"),
    (b"  a hint first\nA rule\n", r"rules\.txt:1: an indented line is a hint, but no rule stands above it"),
    (b"Fine.\n" + b"x" * 301 + b"\n", r"rules\.txt:2: a rule may have at most 300 characters \(this one has 301\)"),
    (b"Caf\xe9\n", r"rules\.txt: not UTF-8 text"),
])
def test_a_bad_rules_file_is_refused_with_the_file_and_line(tmp_path, content, reason):
    rules = tmp_path / "rules.txt"
    if content is not None:
        rules.write_bytes(content)
    with pytest.raises(ConfigError, match=f"^PUBHUB_RULES_FILE {tmp_path}/{reason}"):
        Settings.from_env({"PUBHUB_RULES_FILE": str(rules)}, env_file=None)


def test_the_described_configuration_names_languages_contact_and_rules():
    described = Settings.from_env({"PUBHUB_LANGUAGES": "nl,en", "PUBHUB_CONTACT_EMAIL": "info@oost.example"},
                                  env_file=None).described()
    assert (described["languages"], described["contact_email"], described["rules"]) == ("nl,en", "info@oost.example", "none")
