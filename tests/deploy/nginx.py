"""deploy/nginx/ laid out in a temporary nginx prefix, the way an operator installs it but with
every path (certificates, ACME webroot, pid, logs, temp files) under a temporary directory:
nothing under /etc/nginx or /var is read or written. Debian's nginx is installed by
deploy/ci/ensure-nginx.sh (`make test` calls it)."""

from __future__ import annotations

import datetime
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.instance import bound_socket

ROOT = Path(__file__).resolve().parents[2]
SITES = ROOT / "deploy" / "nginx"
HTTP_FILE = "pubhub-http.conf"  # installed first: no certificate named
TLS_FILE = "pubhub.conf"  # installed after certbot
DOMAIN = "pubhub.example.org"  # the placeholder the files carry


def nginx_binary() -> str:
    """Debian's nginx; missing, the test fails under CI (it must run there) and is skipped
    elsewhere, saying how to get it."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if found:
        return found
    reason = "nginx is not installed: run deploy/ci/ensure-nginx.sh as root (make test does)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def replaced(text: str, old: str, new: str) -> str:
    """Rewrite a line of the shipped file; a file that no longer has it fails the test rather
    than quietly testing something else."""
    assert old in text, f"{old!r} is no longer in the nginx file: update tests/deploy/nginx.py"
    return text.replace(old, new)


# nginx runs with nothing of the test run's environment (as under systemd), only a PATH and a locale.
CLEAN_ENV = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), "LANG": "C.UTF-8"}


def held_port() -> socket.socket:
    """A loopback port the kernel picked (port 0), kept bound (SO_REUSEADDR, not listening) until
    nginx listens on it: nginx binds with SO_REUSEADDR too, and no one else can take it between."""
    return bound_socket()


def self_signed_certificate(directory: Path) -> None:
    """fullchain.pem and privkey.pem for DOMAIN, where certbot would write them."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, DOMAIN)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(DOMAIN)]), critical=False)
                   .sign(key, hashes.SHA256()))
    directory.mkdir(parents=True)
    (directory / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (directory / "privkey.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


class NginxPrefix:
    """A temporary nginx prefix with a minimal nginx.conf that includes the chosen site files
    inside `http {}`, as Debian's /etc/nginx/nginx.conf includes sites-enabled/."""

    def __init__(self, directory: Path):
        self.binary = nginx_binary()
        self.dir = directory
        self.webroot = directory / "certbot"
        self.letsencrypt = directory / "letsencrypt"
        self.http_port = self.tls_port = None
        self._held: list[socket.socket] = []
        self.process: subprocess.Popen | None = None
        for sub in ("sites", "temp", "logs", "certbot"):
            (directory / sub).mkdir(parents=True)

    def make_certificate(self) -> None:
        self_signed_certificate(self.letsencrypt / "live" / DOMAIN)

    def install(self, *names: str, upstream_port: int | None = None, listen: bool = False) -> None:
        """Copy the site files in with their paths moved here. With `listen`, they listen on
        free loopback ports (IPv4 only) and proxy to `upstream_port`, to be run for real."""
        if listen:
            self._held = [held_port(), held_port()]
            self.http_port, self.tls_port = (sock.getsockname()[1] for sock in self._held)
        for name in names:
            text = (SITES / name).read_text()
            if "/var/www/certbot" in text:
                text = replaced(text, "/var/www/certbot", str(self.webroot))
            if "/etc/letsencrypt/" in text:
                text = replaced(text, "/etc/letsencrypt/", f"{self.letsencrypt}/")
            if listen and name == HTTP_FILE:
                text = replaced(text, "listen 80;", f"listen 127.0.0.1:{self.http_port};")
                text = replaced(text, "listen [::]:80;", "")
            if listen and name == TLS_FILE:
                text = replaced(text, "listen 443 ssl http2;", f"listen 127.0.0.1:{self.tls_port} ssl http2;")
                text = replaced(text, "listen [::]:443 ssl http2;", "")
                text = replaced(text, "server 127.0.0.1:8080;", f"server 127.0.0.1:{upstream_port};")
            (self.dir / "sites" / name).write_text(text)
        self._write_main_config()

    def _write_main_config(self) -> None:
        temp = self.dir / "temp"
        # As root, nginx's workers would switch to `nobody`, who cannot enter pytest's 0700
        # temporary directories: keep them as the user running the test.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
        (self.dir / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {self.dir}/logs/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.dir}/sites/*.conf;
}}
""")

    def _command(self, *extra: str) -> list[str]:
        return [self.binary, "-p", f"{self.dir}/", "-c", f"{self.dir}/nginx.conf", "-e", f"{self.dir}/logs/error.log",
                *extra]

    def check(self) -> subprocess.CompletedProcess:
        """`nginx -t`, as the operator runs it before every reload."""
        return subprocess.run(self._command("-t"), capture_output=True, text=True, timeout=30, env=CLEAN_ENV)

    def start(self) -> None:
        self.process = subprocess.Popen(self._command("-g", "daemon off;"), env=CLEAN_ENV, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        try:
            for port in (self.http_port, self.tls_port):
                while not _accepts(port):
                    assert self.process.poll() is None, self.process.stderr.read().decode()
                    assert time.monotonic() < deadline, f"nginx does not listen on {port}"
                    time.sleep(0.05)
        except BaseException:
            self.stop()  # never leave an nginx behind
            raise
        finally:
            self._release()

    def _release(self) -> None:
        for sock in self._held:
            sock.close()
        self._held = []

    def stop(self) -> None:
        self._release()
        if self.process is None:
            return
        self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process.stderr.close()


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False
