"""The inbox ceiling: bare aiohttp that verifies the signature with a cached key, parses the
JSON, and inserts one row with plain sqlite3 (WAL, synchronous=NORMAL), committing per request.
Nothing PubHub does can be cheaper than this on the same machine.

    python -m bench.ceiling_inbox --port P --db FILE --keys KEYS.json
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import sqlite3

import orjson
from aiohttp import web
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

PARAMS = re.compile(r'(\w+)="([^"]*)"')


def make_app(db_path: str, keys: dict[str, str]) -> web.Application:
    loaded = {key_id: serialization.load_pem_public_key(pem.encode()) for key_id, pem in keys.items()}
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS activities (id INTEGER PRIMARY KEY, uri TEXT UNIQUE, payload TEXT)")

    async def inbox(request: web.Request) -> web.Response:
        body = await request.read()
        params = dict(PARAMS.findall(request.headers.get("Signature", "")))
        key = loaded.get(params.get("keyId"))
        if key is None:
            return web.json_response({"error": "unknown key"}, status=401)
        lines = []
        for name in params.get("headers", "date").split():
            if name == "(request-target)":
                lines.append(f"(request-target): post {request.raw_path}")
            else:
                lines.append(f"{name}: {request.headers.get(name, '')}")
        try:
            key.verify(base64.b64decode(params["signature"]), "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
        except Exception:
            return web.json_response({"error": "bad signature"}, status=401)
        activity = orjson.loads(body)
        db.execute("BEGIN")
        db.execute("INSERT OR IGNORE INTO activities (uri, payload) VALUES (?, ?)", (activity["id"], body.decode()))
        db.execute("COMMIT")
        return web.Response(status=202, body=b"{}", content_type="application/json")

    async def livez(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/inbox", inbox)
    app.router.add_get("/livez", livez)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--keys", required=True)
    args = parser.parse_args()
    with open(args.keys) as handle:
        keys = json.load(handle)
    web.run_app(make_app(args.db, keys), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
