"""The fan-out ceiling: one aiohttp ClientSession signing (draft-cavage, RSA-2048) and POSTing
one activity to every inbox in a list, 64 at a time. Prints {"seconds": ..., "ok": ...} as JSON.

    python -m bench.ceiling_fanout PLAN.json
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import aiohttp

from pubhub.activitypub.signatures import sign_request


async def main(plan_path: str) -> None:
    with open(plan_path) as handle:
        plan = json.load(handle)
    body = plan["body"].encode()
    inboxes = plan["inboxes"]
    concurrency = plan.get("concurrency", 64)
    position = 0
    ok = 0
    connector = aiohttp.TCPConnector(limit=concurrency * 2, limit_per_host=16)
    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.perf_counter()

        async def worker() -> None:
            nonlocal position, ok
            while position < len(inboxes):
                inbox = inboxes[position]
                position += 1
                headers = sign_request("POST", inbox, key_id=plan["key_id"], private_key_pem=plan["private_key_pem"], body=body)
                headers["Content-Type"] = "application/activity+json"
                async with session.post(inbox, data=body, headers=headers) as response:
                    await response.read()
                    ok += 200 <= response.status < 300

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "ok": ok}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
