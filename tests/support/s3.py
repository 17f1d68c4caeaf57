"""An S3-compatible store on 127.0.0.1 for tests: moto's server (real HTTP, SigV4 requests
parsed as S3 parses them, ACLs enforced for anonymous readers), one bucket per test."""

from __future__ import annotations

import logging
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

import boto3
import pytest
from moto.server import ThreadedMotoServer

from pubhub.media_location import S3Location, parse_s3_url

ACCESS_KEY, SECRET_KEY = "pubhub-test", "s3cr3t/with+slash"  # a secret as AWS makes them


@dataclass
class Bucket:
    name: str
    endpoint: str  # http://127.0.0.1:PORT

    @property
    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name="eu-west-1",
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)

    def location(self, query: str = "scheme=http&region=eu-west-1", *, public: bool = False) -> S3Location:
        """As an operator writes it (the secret percent-encoded)."""
        host = self.endpoint.removeprefix("http://")
        return parse_s3_url(f"s3://{ACCESS_KEY}:s3cr3t%2Fwith%2Bslash@{host}/{self.name}?{query}", public=public)

    def keys(self) -> set[str]:
        found = self.client.list_objects_v2(Bucket=self.name)
        return {item["Key"] for item in found.get("Contents", [])}

    def data(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def anonymous_get(self, key: str) -> int:
        """What anyone on the internet gets for the key (no signature)."""
        try:
            with urllib.request.urlopen(f"{self.endpoint}/{self.name}/{key}", timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code


@pytest.fixture(scope="session")
def s3_server():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server) -> Bucket:
    made = Bucket(f"pubhub-{secrets.token_hex(6)}", s3_server)
    made.client.create_bucket(Bucket=made.name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return made
