"""Settings from the environment: defaults, delivery tuning, and refusals with reasons."""

from __future__ import annotations

import ipaddress

import pytest

from pubhub.config import ConfigError, Settings


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
])
def test_bad_values_are_refused_with_the_reason(name, value, reason):
    with pytest.raises(ConfigError, match=reason):
        Settings.from_env({name: value}, env_file=None)
