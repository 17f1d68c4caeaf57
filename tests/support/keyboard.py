"""The keyboard alone in a Chromium tab: Tab until a control has the focus, and whether the
focus shows (a :focus-visible outline at least 2 px wide, as WCAG 2.4.7 asks it to be seen)."""

from __future__ import annotations


async def tab_to(visit, selector: str, presses: int = 40) -> bool:
    """Press Tab until `selector` has the focus; whether it got there."""
    for _ in range(presses):
        await visit.page.keyboard.press("Tab")
        if await visit.page.evaluate(f"document.activeElement.matches({selector!r})"):
            return True
    return False


async def focus_is_visible(visit) -> bool:
    return await visit.page.evaluate("""() => {
        const element = document.activeElement;
        return element.matches(":focus-visible") && getComputedStyle(element).outlineStyle !== "none"
            && parseFloat(getComputedStyle(element).outlineWidth) >= 2;
    }""")


async def reach(visit, selector: str, presses: int = 40) -> None:
    """Tab to `selector` (within `presses`), failing the test unless it gets the focus and shows it."""
    assert await tab_to(visit, selector, presses), selector
    assert await focus_is_visible(visit), selector


async def press_and_wait(visit, key: str = "Enter") -> None:
    """Press `key` on the focused control and wait for the page it leads to."""
    async with visit.page.expect_navigation():
        await visit.page.keyboard.press(key)
