"""Headless Chromium for the page tests: Debian's /usr/bin/chromium (deploy/ci/ensure-chromium.sh
installs it) driven by the `playwright` package, which never downloads a browser of its own.

A `Visit` is one browser tab that writes down everything that went wrong while it was open:
console errors, uncaught script errors, failed requests and Content-Security-Policy violations
(reported by the page itself through `securitypolicyviolation` events)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Headless, and nothing that reaches for the network by itself (there is none to reach).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Runs in every document before anything else; CSP does not apply to it (it comes over the
# DevTools protocol), so it sees what the page's policy blocks.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
"""


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: run deploy/ci/ensure-chromium.sh as root (make test does)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing: make setup installs the test extras"
    return None


def under_ci() -> bool:
    return os.environ.get("CI") == "true"


class Visit:
    """One tab of `context`; `open(url)` navigates it, `problems()` says what went wrong."""

    def __init__(self, context):
        self.context = context
        self.page = None
        self.document_status: int | None = None
        self._console: list[tuple[str, str]] = []  # (text, url of the resource it is about)
        self._failures: list[str] = []

    async def start(self) -> "Visit":
        self.page = await self.context.new_page()
        await self.page.add_init_script(RECORD_VIOLATIONS)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self._failures.append(f"script error: {error}"))
        self.page.on("requestfailed", self._on_request_failed)
        return self

    def _on_request_failed(self, request) -> None:
        # A request still running when a click navigates away (the favicon, typically) is
        # cancelled by the browser with ERR_ABORTED: that is the navigation, not a fault.
        if request.failure != "net::ERR_ABORTED":
            self._failures.append(f"request failed: {request.url} {request.failure}")

    def _on_console(self, message) -> None:
        if message.type in ("error", "warning"):
            self._console.append((message.text, message.location.get("url", "")))

    async def open(self, url: str):
        response = await self.page.goto(url, wait_until="load")
        self.document_status = response.status
        return response

    async def problems(self) -> list[str]:
        """Everything that went wrong in the tab. The console line Chromium writes for a page
        that answers an error status is no problem when that status was the point."""
        found = [f"console: {text}" for text, url in self._console
                 if not (text.startswith("Failed to load resource") and url == self.page.url
                         and self.document_status >= 400)]
        found += self._failures
        found += [f"CSP: {v}" for v in await self.page.evaluate("window.__violations || []")]
        return found


async def tab_in(chromium, language: str, width: int, height: int) -> Visit:
    """A tab whose browser asks for `language` (its locale and Accept-Language), the screen
    `width` x `height`; `visit.language` says which. Close its `context` when done."""
    context = await chromium.new_context(locale=language, viewport={"width": width, "height": height},
                                         extra_http_headers={"Accept-Language": language})
    visit = await Visit(context).start()
    visit.language = language
    return visit
