"""The moderator console in tests: a browser (tests/support/oauth.Browser) signs in through its
form, over real HTTP, and posts its forms with the CSRF token the pages carry."""

from __future__ import annotations

from tests.support.oauth import PASSWORD, Browser, Page, account_with_password


async def staff(instance, username: str, role: str = "moderator"):
    return await account_with_password(instance, username, role=role)


async def sign_in(browser: Browser, username: str, password: str = PASSWORD) -> Page:
    """The answer to the sign-in form (303 to /admin when it worked)."""
    form = await browser.go("GET", "/admin/sign_in")
    return await browser.submit(form, "/admin/sign_in", username=username, password=password)


async def signed_in(browser: Browser, username: str) -> Browser:
    answer = await sign_in(browser, username)
    assert answer.status == 303 and answer.location == "/admin", answer.text
    return browser


async def send(browser: Browser, page: Page, target: str, values: dict | None = None) -> Page:
    """Send the page's form that posts to `target`: its CSRF token and `values` (nothing else:
    boxes and choices are sent as `values` says, as a person ticks them)."""
    form = next(f for f in page.forms if f["action"] == target)
    token = {"authenticity_token": form["fields"]["authenticity_token"]}
    return await browser.go("POST", target, data={**token, **(values or {})})


async def post_form(browser: Browser, page_path: str, target: str, values: dict | None = None) -> Page:
    """Open the page at `page_path` and send its form that posts to `target`."""
    page = await browser.go("GET", page_path)
    assert page.status == 200, page.text
    return await send(browser, page, target, values)


def session_cookie(browser: Browser) -> str | None:
    found = [cookie.value for cookie in browser.http.cookie_jar if cookie.key == "pubhub_console"]
    return found[0] if found else None
