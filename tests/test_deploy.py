"""The deployment files and the README stay true to the code: the nginx files keep what PubHub
needs (tests/deploy/test_nginx.py runs them in nginx), the systemd units keep the data private,
and every setting, command, option and route the code has is documented."""

from __future__ import annotations

import re
from pathlib import Path

import click

from pubhub import cli
from pubhub.config import Settings
from pubhub.server import create_app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
NGINX_HTTP = (ROOT / "deploy/nginx/pubhub-http.conf").read_text()
NGINX_TLS = (ROOT / "deploy/nginx/pubhub.conf").read_text()
ENV_EXAMPLE = (ROOT / "deploy/pubhub.env.example").read_text()


def directives(text: str) -> list[str]:
    """Configuration lines without comments, whitespace collapsed."""
    lines = (re.sub(r"\s+", " ", line.split("#", 1)[0]).strip() for line in text.splitlines())
    return [line for line in lines if line]


def config_variables() -> set[str]:
    source = (ROOT / "pubhub/config.py").read_text()
    found = set(re.findall(r"[\"'](PUBHUB_[A-Z0-9_]+)[\"']", source))
    assert {"PUBHUB_DOMAIN", "PUBHUB_SCHEME", "PUBHUB_DATABASE_URL"} <= found
    return found


def test_nginx_passes_host_and_limits_body_size():
    lines = directives(NGINX_TLS)
    # PubHub verifies that the signed Host header equals PUBHUB_DOMAIN.
    assert "proxy_set_header Host $host;" in lines
    assert "client_max_body_size 1m;" in lines
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in lines
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in lines
    assert "server 127.0.0.1:8080;" in lines and "proxy_pass http://pubhub;" in lines


def test_the_http_file_names_no_certificate_and_redirects_to_https():
    lines = directives(NGINX_HTTP)
    assert "return 301 https://$host$request_uri;" in lines
    assert "root /var/www/certbot;" in lines
    assert not [line for line in lines if line.startswith("ssl_") or "443" in line]  # works before certbot
    assert "pubhub-http.conf" in README and "pubhub.conf" in README


def test_every_setting_is_documented():
    example = {line.split("=", 1)[0].lstrip("# ").strip()
               for line in ENV_EXAMPLE.splitlines() if re.match(r"^#?\s*PUBHUB_[A-Z0-9_]+=", line)}
    for name in config_variables():
        assert f"`{name}`" in README, f"{name} is read in pubhub/config.py but not documented in README.md"
        assert name in example, f"{name} is read in pubhub/config.py but missing from deploy/pubhub.env.example"
    assert example <= config_variables(), f"deploy/pubhub.env.example sets unknown variables: {example - config_variables()}"


def test_every_command_and_option_is_documented():
    def walk(command: click.Command, path: tuple[str, ...]):
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, (*path, name))
        else:
            yield path, command

    commands = list(walk(cli.main, ("pubhub",)))
    assert len(commands) >= 6
    for path, command in commands:
        assert " ".join(path) in README, f"`{' '.join(path)}` is not documented in README.md"
        for param in command.params:
            for option in param.opts:
                if option.startswith("--") and option != "--help":
                    assert option in README, f"`{' '.join(path)} {option}` is not documented in README.md"


def test_every_route_is_documented():
    app = create_app(Settings())
    missing = []
    for resource in app.router.resources():
        path = resource.canonical
        if path.startswith("/api/") and path.endswith("/"):
            continue  # the trailing-slash twin of an /api/ route: README says every path takes one
        if path.startswith("/api/"):
            path = re.sub(r"\{(\w+)\}", r":\1", path)  # {id} as :id, {account_id} as :account_id
        path = path.replace("{username}", "NAME").replace("{id}", "ID")  # a page's: /admin/rooms/ID/queue/ITEM
        path = path.replace("{item_id}", "ITEM").replace("{account_id}", "ACCOUNT")
        paths = [path.replace("{version}", v) for v in ("2.0", "2.1")] if "{version}" in path else [path]
        for method in {route.method for route in resource} - {"HEAD"}:
            for documented in paths:
                if not re.search(re.escape(f"`{method} {documented}") + r"[`?]", README):
                    missing.append(f"{method} {documented}")
    assert not missing, f"routes not documented in README.md: {missing}"


def test_systemd_units():
    web = (ROOT / "deploy/systemd/pubhub-web@.service").read_text()
    worker = (ROOT / "deploy/systemd/pubhub-worker.service").read_text()
    assert re.search(r"^ExecStart=\S*pubhub serve --no-workers .*--port %i$", web, re.M)
    assert re.search(r"^ExecStart=\S*pubhub worker --metrics-address 127\.0\.0\.1:\d+$", worker, re.M)
    assert "--metrics-address 127.0.0.1:1%i" in web  # one metrics address per web process
    for unit in (web, worker):
        lines = directives(unit)
        for line in ("EnvironmentFile=/etc/pubhub/pubhub.env", "User=pubhub", "NoNewPrivileges=yes",
                     "ProtectSystem=strict", "PrivateTmp=yes", "Restart=on-failure", "WorkingDirectory=/var/lib/pubhub",
                     # The data directory and what the service writes are the service user's alone.
                     "StateDirectory=pubhub", "StateDirectoryMode=0700", "UMask=0077"):
            assert line in lines, line
