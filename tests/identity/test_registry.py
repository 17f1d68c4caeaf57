"""Verifiers are found through the `pubhub.identity` entry points: PubHub's own, and a third
party's plug-in installed from its own package (built and installed here with pip, offline)."""

from __future__ import annotations

import base64
import hashlib
import logging
import subprocess
import sys
import textwrap
import zipfile

import pytest

from pubhub.config import ConfigError
from pubhub.identity.registry import available, load_verifier
from pubhub.identity.static import StaticVerifier
from pubhub.identity.verifier import ProofRefused
from tests import test_cli
from tests.test_cli import fails

cli, initialised, ready_cli = test_cli.cli, test_cli.initialised, test_cli.ready_cli

PLUGIN = '''
from pubhub.identity.verifier import Started, Verified, Verifier, ProofRefused


class ExampleVerifier(Verifier):
    """Proves `example.member` for a reference that starts with "ok"."""
    name = "example"

    @classmethod
    def from_config(cls, config, http):
        return cls()

    async def start(self, attributes):
        return Started(reference="ok-1", client={"type": "example"})

    async def check(self, reference, attributes, proof, *, now):
        if not reference.startswith("ok"):
            raise ProofRefused("not ok")
        return Verified(attributes={"example.member": "yes"})
'''


def test_pubhubs_own_verifiers_are_registered():
    assert {"yivi", "static"} <= set(available())


def test_an_unknown_verifier_is_a_configuration_error_naming_what_is_installed():
    with pytest.raises(ConfigError, match="no verifier 'eherkenning' is installed .*oidc.*static.*yivi"):
        load_verifier("eherkenning", {}, None)


def _wheel(directory, files: dict[str, str]) -> str:
    """A wheel of the plug-in, as its author's build would make it (made by hand here: the
    test environment has no build tools): the module, and the metadata naming its entry point."""
    info = "pubhub_example-1.0.dist-info"
    files = {**files, f"{info}/METADATA": "Metadata-Version: 2.1\nName: pubhub-example\nVersion: 1.0\n",
             f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
             f"{info}/entry_points.txt": '[pubhub.identity]\nexample = pubhub_example:ExampleVerifier\n'}
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    path = directory / "pubhub_example-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
        wheel.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return str(path)


def test_a_third_party_plugin_is_installed_and_found_through_its_entry_point(tmp_path):
    wheel = _wheel(tmp_path, {"pubhub_example/__init__.py": textwrap.dedent(PLUGIN)})
    target = tmp_path / "site"
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target",
                                str(target), wheel], timeout=120, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    probe = textwrap.dedent('''
        import asyncio, datetime
        from pubhub.identity.registry import available, load_verifier
        verifier = load_verifier("example", {}, None)
        started = asyncio.run(verifier.start(["example.member"]))
        verified = asyncio.run(verifier.check(started.reference, ["example.member"], None,
                                              now=datetime.datetime.now(datetime.timezone.utc)))
        print(sorted(available()), dict(verified.attributes))
    ''')
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['example', 'oidc', 'static', 'yivi'] {'example.member': 'yes'}"


def test_the_static_verifier_refuses_to_load_unless_enabled_and_then_warns(caplog):
    with pytest.raises(ConfigError, match="PUBHUB_IDENTITY_STATIC_ENABLED=true"):
        load_verifier("static", {"PUBHUB_IDENTITY_STATIC_ATTRIBUTES": "a=b"}, None)
    with caplog.at_level(logging.WARNING, logger="pubhub.identity"):
        verifier = load_verifier("static", {"PUBHUB_IDENTITY_STATIC_ENABLED": "true",
                                            "PUBHUB_IDENTITY_STATIC_ATTRIBUTES": "city=Nijmegen; email=a@b.nl"}, None)
    assert isinstance(verifier, StaticVerifier)
    assert any("NOT verified" in record.getMessage() and record.levelno == logging.WARNING for record in caplog.records)


async def test_the_static_verifier_proves_only_what_it_is_configured_with():
    verifier = StaticVerifier.from_config({"PUBHUB_IDENTITY_STATIC_ENABLED": "true",
                                           "PUBHUB_IDENTITY_STATIC_ATTRIBUTES": "city=Nijmegen"}, None)
    started = await verifier.start(["city"])
    assert dict((await verifier.check(started.reference, ["city"], None, now=None)).attributes) == {"city": "Nijmegen"}
    with pytest.raises(ProofRefused, match="no value for age"):
        await verifier.check(started.reference, ["age"], None, now=None)
    with pytest.raises(ConfigError, match="not id=value"):
        StaticVerifier.from_config({"PUBHUB_IDENTITY_STATIC_ENABLED": "true",
                                    "PUBHUB_IDENTITY_STATIC_ATTRIBUTES": "nonsense"}, None)


def test_a_misconfigured_verifier_is_one_line_from_the_command_line(ready_cli):
    refused = fails(ready_cli("accounts", "list", env={"PUBHUB_IDENTITY_VERIFIERS": "yivi"}))
    assert refused.startswith("Error: configuration: the yivi verifier needs PUBHUB_YIVI_SERVER_URL")
    serving = ready_cli("serve", "--port", "0", env={"PUBHUB_IDENTITY_VERIFIERS": "eherkenning"})
    assert serving.returncode == 1 and "Traceback" not in serving.stderr
    assert serving.stderr.strip().splitlines()[-1] == ("Error: configuration: PUBHUB_IDENTITY_VERIFIERS: no verifier "
                                                       "'eherkenning' is installed (installed: oidc, static, yivi)")
    enabled = {"PUBHUB_IDENTITY_VERIFIERS": "static", "PUBHUB_IDENTITY_STATIC_ENABLED": "true"}
    assert "NOT verified" in ready_cli("accounts", "list", env=enabled).stderr


def test_signing_in_by_attribute_needs_a_configured_verifier_and_its_attribute():
    from pubhub.config import Settings

    with pytest.raises(ConfigError, match="go together"):
        Settings.from_env({"PUBHUB_LOGIN_VERIFIER": "yivi"}, env_file=None)
    with pytest.raises(ConfigError, match="not one of PUBHUB_IDENTITY_VERIFIERS"):
        Settings.from_env({"PUBHUB_LOGIN_VERIFIER": "yivi", "PUBHUB_LOGIN_ATTRIBUTE": "email"}, env_file=None)
    settings = Settings.from_env({"PUBHUB_IDENTITY_VERIFIERS": "yivi", "PUBHUB_LOGIN_VERIFIER": "Yivi",
                                  "PUBHUB_LOGIN_ATTRIBUTE": "pbdf.sidn-pbdf.email.email"}, env_file=None)
    assert (settings.login_verifier, settings.login_attribute) == ("yivi", "pbdf.sidn-pbdf.email.email")
