"""A member of the public looks after their own record: details, interests, equality answers, data.

Each journey is written as Given / When / Then. Every page along the way is checked with axe
(see journey.py). The member's journey runs at a phone's size, as most members
will use a phone.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.system.journey import PASSWORD, PHONE, assert_fits_the_screen, summary_row

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_member_looks_after_their_own_record(journey, member, viewport):
    page = journey.page

    # Given a member with a sign-in linked to their person record
    # When they sign in
    journey.sign_in("margaret.okoro")

    # Then they land on their own details
    assert page.url.endswith("/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    expect(summary_row(page, "Name")).to_contain_text("Margaret Okoro")
    assert_fits_the_screen(page)

    # When they change their phone number
    journey.follow("Change phone number")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your details")
    assert_fits_the_screen(page)
    page.get_by_label("Phone number").fill("07700 900456")
    journey.press("Save your details")

    # Then their details page confirms it and shows the new number
    assert page.url.endswith("/me/")
    expect(page.get_by_text("Your details have been updated")).to_be_visible()
    expect(summary_row(page, "Phone number")).to_contain_text("07700 900456")

    # When they say which topics interest them
    journey.follow("Change your interests and support needs")
    assert_fits_the_screen(page)
    page.get_by_role("group", name="Topics").get_by_label("Waiting times").check()
    journey.press("Save")

    # Then their details page lists the topic
    expect(summary_row(page, "Topics")).to_contain_text("Waiting times")

    # When they answer one of the equality monitoring questions
    journey.follow("Answer the equality questions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Equality monitoring")
    assert_fits_the_screen(page)
    page.get_by_role("group", name="Age").get_by_label("55 to 64").check()
    journey.press("Save answers")

    # Then the answer is kept, and they can come back to change it
    expect(page.get_by_text("Your equality monitoring answers have been saved")).to_be_visible()
    journey.visit("/equality/mine/")
    expect(page.get_by_role("group", name="Age").get_by_label("55 to 64")).to_be_checked()
    expect(page.get_by_role("link", name="Delete all your equality answers")).to_be_visible()

    # When they download their data
    journey.visit("/me/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your data (JSON)").click()
    download = download_info.value

    # Then the download is JSON holding what they told us
    assert download.suggested_filename.startswith("coproduce-my-data-")
    assert download.suggested_filename.endswith(".json")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["profile"]["given_name"] == "Margaret"
    assert data["profile"]["family_name"] == "Okoro"
    assert data["profile"]["phone"] == "07700 900456"
    assert data["interests"]["topics"] == ["Waiting times"]
    assert data["equality_monitoring"] == {"age_band": "55 to 64"}


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_member_withdraws_consent_as_easily_as_they_gave_it(journey, member, viewport):
    page = journey.page

    # Given a member who agreed to be contacted has signed in
    journey.sign_in("margaret.okoro")
    contact = summary_row(page, "To be contacted about involvement")
    expect(contact).to_contain_text("Given on")

    # When they withdraw that consent from their details page
    journey.follow("Withdraw consent to be contacted about involvement")
    journey.press("Withdraw consent")

    # Then their details page says it is withdrawn, and offers to give it again
    expect(page.get_by_text("You have withdrawn consent to be contacted")).to_be_visible()
    expect(contact).to_contain_text("Withdrawn on")
    expect(
        contact.get_by_role("link", name="Give consent to be contacted about involvement")
    ).to_be_visible()


def test_keyboard_user_can_skip_to_the_main_content(journey, member):
    page = journey.page

    # Given someone using only a keyboard opens the sign-in page
    journey.visit("/account/sign-in/")

    # When they press Tab once
    page.keyboard.press("Tab")

    # Then the first thing to take the focus is the skip link, and it is visible
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    # When they follow it
    page.keyboard.press("Enter")

    # Then the focus moves to the main content, and the next Tab reaches the first field
    expect(page.locator("main#maincontent")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Username or email address")).to_be_focused()

    # When they sign in without touching the mouse
    page.keyboard.type("margaret.okoro")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.check()

    # Then they reach their own details
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")


def test_pages_are_styled_with_the_nhs_frontend(journey, member):
    page = journey.page

    # Given the sign-in page
    journey.visit("/account/sign-in/")

    # Then the stylesheet has loaded: the header is NHS blue
    header = page.locator("header.nhsuk-header")
    colour = header.evaluate("(element) => getComputedStyle(element).backgroundColor")
    assert colour == "rgb(0, 94, 184)"

    # And the text is in the NHS.UK fallback typeface, not the browser's default serif
    font = page.locator("main").evaluate("(element) => getComputedStyle(element).fontFamily")
    assert font.lower().startswith("arial"), font

    # And the NHS.UK JavaScript has started under the Content Security Policy: the inline
    # script that marks the page as supported ran, and the password input has its Show button
    expect(page.locator("body")).to_have_class(re.compile(r"\bnhsuk-frontend-supported\b"))
    expect(page.get_by_role("button", name="Show password")).to_be_visible()
