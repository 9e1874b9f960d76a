"""Suggested codes: the lead trains the model on the team's coding, runs it over the rest of the
survey, reviews its suggestions from the keyboard, accepts one, and sees the trend move.

Written as Given / When / Then; every page along the way is checked with axe (see journey.py).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.system.journey import PHONE, assert_fits_the_screen

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(alliance, make_user):
    """Amara leads a project whose survey her colleague Ben has partly coded."""
    from coproduce.analysis.models import Project, TeamMember
    from coproduce.analysis.tests.suggest_project import survey_in
    from coproduce.core.roles import Role

    amara = make_user("amara.nwosu", Role.ANALYST, alliance, first_name="Amara", last_name="Nwosu")
    ben = make_user("ben.okoro", Role.STAFF, alliance, first_name="Ben", last_name="Okoro")
    project = Project.objects.create(organisation=alliance, name="Friends and Family Test")
    TeamMember.objects.create(project=project, user=amara, role="lead")
    TeamMember.objects.create(project=project, user=ben, role="coder")
    return survey_in(project, amara, ben, n=160, coded=100, labelled_tones=100)


def test_train_review_by_keyboard_accept_and_see_the_trend_move(journey, survey):
    from coproduce.analysis.models import Origin, Segment, Suggestion

    page = journey.page
    base = f"/analysis/{survey.project.pk}"
    # Given Amara is signed in and opens the suggested codes
    journey.sign_in("amara.nwosu")
    journey.visit(f"{base}/suggestions/")
    expect(page.get_by_text("No model has been trained for this project yet")).to_be_visible()

    # When she trains the model, and the sentiment model
    journey.press("Train the model")
    expect(page.get_by_role("heading", name="How far to trust each code")).to_be_visible()
    expect(page.get_by_role("row", name="Parking")).to_contain_text("Cross-validated")
    journey.press("Train sentiment")

    # And asks for suggestions for every uncoded response
    journey.press("Suggest codes for every uncoded response")
    expect(summary_value(page, "Waiting for review")).not_to_have_text("0")

    # And reads the trend of one code before reviewing
    journey.visit(f"{base}/trends/?counting=suggested")
    first = (
        Suggestion.objects.filter(project=survey.project, status="pending")
        .select_related("code", "source")
        .order_by("source__reading__certainty", "source_id")[0]
    )
    before = confirmed(volume_row(page, first.code.name).inner_text())

    # When she reviews from the keyboard: the first response, its first code kept, A to accept
    journey.visit(f"{base}/suggestions/review/")
    card = page.locator(f"#r{first.source_id}")
    expect(card).to_be_visible()
    card.focus()
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(card).to_be_focused()
    boxes = card.get_by_role("checkbox")
    for index in range(1, boxes.count()):
        page.keyboard.press(str(index + 1))  # untick every code but the first
        card.focus()
    expect(boxes.first).to_be_checked()
    with page.expect_navigation(url=f"**{base}/suggestions/review/**"):
        page.keyboard.press("a")
    journey.check()
    expect(page.get_by_text("1 accepted")).to_be_visible()
    expect(page.locator(f"#r{first.source_id}")).to_have_count(0)

    # Then the code is hers, marked as suggested by the model
    segment = Segment.objects.get(source=first.source, code=first.code)
    assert (segment.origin, segment.coder) == (Origin.MACHINE, survey.lead)
    journey.visit(f"{base}/sources/{first.source_id}/")
    expect(page.get_by_text("by the model, accepted by Amara Nwosu")).to_be_visible()

    # And the trend has moved: one more confirmed, one fewer suggested
    journey.visit(f"{base}/trends/?counting=suggested")
    after = confirmed(volume_row(page, first.code.name).inner_text())
    assert after == before + 1

    # And the review works on a phone
    page.set_viewport_size(PHONE)
    journey.visit(f"{base}/suggestions/review/")
    assert_fits_the_screen(page)


def summary_value(page, key):
    return page.locator(".nhsuk-summary-list__row", has_text=key).locator(
        ".nhsuk-summary-list__value"
    )


def volume_row(page, code_name):
    """The code's row in the table of comments per code per month."""
    table = page.locator("table", has=page.locator("#volume-caption"))
    return table.get_by_role("row", name=code_name, exact=False).first


def confirmed(row_text):
    """The confirmed comments in a row of that table, over all months: each cell starts with
    its confirmed count, followed by the suggested one in brackets."""
    cells = row_text.split("\t")[1:]
    return sum(int(found.group()) for cell in cells if (found := re.match(r"\d+", cell.strip())))
