"""The journeys' own checks catch what they are there to catch.

A checker that never fails proves nothing, so these break a real page on purpose.
"""

import pytest

pytestmark = pytest.mark.browser


def test_axe_reports_what_is_wrong(journey):
    # Given a page with a button that has no name
    journey.visit("/account/sign-in/")
    journey.page.evaluate(
        "() => document.querySelector('main').append(document.createElement('button'))"
    )

    # When it is checked
    # Then the journey fails, naming the rule and the element
    with pytest.raises(pytest.fail.Exception, match=r"button-name[\s\S]*#maincontent > button"):
        journey.check()


def test_a_page_that_was_not_checked_fails_the_journey(journey):
    # Given a journey that reached a page without checking it
    journey.page.goto("/privacy/")

    # When the journey ends
    # Then it fails, naming the page
    with pytest.raises(pytest.fail.Exception, match=r"without an accessibility check: .*/privacy/"):
        journey.finish()
    journey.check()  # so that the fixture's own finish passes


def test_a_content_security_policy_violation_fails_the_journey(journey):
    # Given a page on which an inline script without the nonce is added
    journey.visit("/privacy/")
    blocked = journey.page.expect_console_message(lambda m: "Content Security Policy" in m.text)
    with blocked:
        journey.page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.ran = true";
                document.body.append(script);
            }"""
        )

    # Then the policy blocked it, and the journey fails saying so
    assert journey.page.evaluate("() => window.ran") is None
    with pytest.raises(pytest.fail.Exception, match="Content Security Policy"):
        journey.finish()
    journey.console_errors.clear()
