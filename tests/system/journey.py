"""A browser tab that checks every page a journey lands on.

`Journey` wraps a Playwright page. Its moves (`visit`, `follow`, `press`, `sign_in`) wait for the
new page and run axe-core on it against WCAG 2.2 AA; `finish` (called by the `journey` fixture
after each test) fails the test if a page loaded without being checked, or if the browser logged
an error: a Content Security Policy violation, a script error or a missing asset.

The pages keep their real Content Security Policy. axe is evaluated through the DevTools
protocol, which the policy does not govern, so a template that breaks the policy fails here just
as it would break for a real user.
"""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import ConsoleMessage, Locator, Page, ViewportSize

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "a long test passphrase"

DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=375, height=812)

RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        helpUrl: violation.helpUrl,
        nodes: violation.nodes.map((node) => ({
            target: node.target.join(" "),
            summary: node.failureSummary,
        })),
    }));
}"""


class Journey:
    """A tab that checks every page it lands on: axe finds nothing, the browser logs no error."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.loads: list[str] = []
        self.checked: list[str] = []
        self.console_errors: list[str] = []
        page.on("load", lambda loaded: self.loads.append(loaded.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{self.page.url}: {message.text}")

    # Moving about: each of these waits for the new page and checks it.

    def visit(self, path: str) -> Page:
        response = self.page.goto(path)
        status = response.status if response else None
        assert response is not None and response.ok, f"{path} answered {status}"
        return self.check()

    def follow(self, link: str, *, exact: bool = False) -> Page:
        """Click the link with this accessible name and check the page it leads to."""
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=link, exact=exact).first.click()
        return self.check()

    def press(self, button: str, *, expect_errors: bool = False) -> Page:
        """Press the button with this accessible name (submitting its form) and check the result.

        Unless `expect_errors`, a page that comes back with an error summary fails the journey
        with the summary's messages, which says far more than a later missing heading would.
        """
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()
        self.check()
        summary = self.page.locator(".nhsuk-error-summary")
        if not expect_errors and summary.count():
            pytest.fail(f"{self.page.url} did not accept the form: {summary.inner_text()}")
        return self.page

    def sign_in(self, username: str, password: str = PASSWORD) -> Page:
        self.visit("/account/sign-in/")
        self.page.get_by_label("Username or email address").fill(username)
        self.page.get_by_label("Password", exact=True).fill(password)
        return self.press("Sign in")

    # Checks.

    def check(self) -> Page:
        """Run axe on the page as it is now and fail with a readable list of what it found."""
        self.page.wait_for_load_state("load")
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
        violations = self.page.evaluate(RUN_AXE, WCAG_TAGS)
        self.checked.append(self.page.url)
        if violations:
            pytest.fail(f"axe found problems on {self.page.url}:\n{describe(violations)}")
        return self.page

    def finish(self) -> None:
        """After the journey: nothing went to the console, and no page went unchecked."""
        if self.console_errors:
            pytest.fail("The browser logged errors:\n" + "\n".join(self.console_errors))
        unchecked = [url for url in self.loads if url not in self.checked]
        if unchecked:
            pytest.fail("Pages loaded without an accessibility check: " + ", ".join(unchecked))


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def summary_row(page: Page, key: str) -> Locator:
    """The NHS.UK summary list row whose key is `key`."""
    return page.locator(".nhsuk-summary-list__row").filter(
        has=page.locator(".nhsuk-summary-list__key", has_text=key)
    )


def assert_fits_the_screen(page: Page) -> None:
    """Nothing makes the page scroll sideways (WCAG 1.4.10, reflow)."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"
