"""Theme discovery: an analyst asks for themes among the responses nobody has coded, reads a
theme's typical responses and all of them, and makes it a code in one step; its responses then
wait for the team's review rather than being coded by the machine.

Written as Given / When / Then; every page along the way is checked with axe (see journey.py).
"""

import pytest
from playwright.sync_api import expect

from tests.system.journey import PHONE, assert_fits_the_screen

pytestmark = pytest.mark.browser


@pytest.fixture
def project(alliance, make_user):
    """Amara leads a project with a released survey of 80 comments that nobody has coded."""
    from coproduce.analysis.models import Dataset, Import, Project, Source, TeamMember
    from coproduce.analysis.tests.suggest_data import labelled
    from coproduce.core.roles import Role

    amara = make_user("amara.nwosu", Role.ANALYST, alliance, first_name="Amara", last_name="Nwosu")
    project = Project.objects.create(organisation=alliance, name="Outpatient survey")
    TeamMember.objects.create(project=project, user=amara, role="lead")
    released = Import.objects.create(
        project=project, status=Import.Status.RELEASED, file_name="survey.csv", rows_done=80
    )
    survey = Dataset.objects.create(
        project=project, source_import=released, name="Survey", text_column="Comment"
    )
    texts, _, _ = labelled(80, seed=3)
    Source.objects.bulk_create(
        Source(
            project=project,
            source_import=released,
            dataset=survey,
            row=row,
            kind=Source.Kind.RESPONSE,
            name=f"Survey, row {row}",
            text=text,
        )
        for row, text in enumerate(texts, start=2)
    )
    return project


def test_find_themes_and_make_one_a_code(journey, project):
    from coproduce.analysis.models import Code, Discovery, Segment, Suggestion

    page = journey.page
    base = f"/analysis/{project.pk}/discovery/"
    # Given Amara is signed in and opens the themes not yet in the codebook
    journey.sign_in("amara.nwosu")
    journey.visit(base)
    expect(page.get_by_text("No themes have been found yet")).to_be_visible()

    # When she asks for more themes than the survey has room for, she is told why not
    page.get_by_label("How many themes").fill("31")
    journey.press("Look for themes", expect_errors=True)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Ask for 30 themes or fewer")

    # When she asks for three themes among all the uncoded responses
    page.get_by_label("All uncoded responses").check()
    page.get_by_label("How many themes").fill("3")
    journey.press("Look for themes")

    # Then she sees three themes, each with its typical responses and distinctive words
    found = Discovery.objects.get(status=Discovery.Status.READY)
    first = found.themes[0]
    theme = page.locator("section", has=page.locator("#theme-1"))
    expect(theme.get_by_role("heading", level=2)).to_contain_text("1. ")
    expect(theme).to_contain_text("Words that set it apart")
    expect(theme.locator("li")).to_have_count(len(first["typical"]))
    expect(page.locator("section h2")).to_have_count(3)

    # And she can read every response in the theme
    journey.follow(f"All {len(first['members'])} responses in this theme")
    expect(page.get_by_text(f"Showing 1 to 25 of {len(first['members'])}")).to_be_visible()
    journey.follow("Back to the themes")

    # When she makes the first theme a code, under a name of her own
    theme = page.locator("section", has=page.locator("#theme-1"))
    theme.locator("summary").click()
    theme.get_by_label("Name of the code").fill("Parking and getting here")
    with page.expect_navigation():
        theme.get_by_role("button", name="Make this a code").click()
    journey.check()

    # Then she is on the new code's page, told how many responses wait for review
    expect(page.get_by_role("heading", level=1)).to_have_text("Parking and getting here")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        f"{len(first['members'])} responses put up for review"
    )
    code = Code.objects.get(name="Parking and getting here")
    assert code.examples
    assert Suggestion.objects.filter(code=code, status=Suggestion.Status.PENDING).count() == len(
        first["members"]
    )
    assert not Segment.objects.exists()  # nothing is coded until a person accepts it

    # And another theme can be made a code from a page of its own, which shows what it holds
    journey.visit(f"{base}code/?theme=2")
    expect(page.get_by_role("heading", level=1)).to_have_text("Make this theme a code")
    expect(page.get_by_label("Name of the code")).to_have_value(
        found.themes[1]["label"][:1].upper() + found.themes[1]["label"][1:]
    )

    # And the first theme now shows the code it became
    journey.visit(base)
    expect(page.locator("section", has=page.locator("#theme-1"))).to_contain_text(
        "Made into the code Parking and getting here"
    )


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_themes_fit_a_phone(journey, project):
    from coproduce.analysis.models import TeamMember
    from coproduce.analysis.services import discovery

    lead = TeamMember.objects.get(project=project).user
    # Outside a transaction the task runs as soon as it is asked for (ImmediateBackend).
    discovery.start_discovery(by=lead, project=project, themes=3)
    journey.sign_in("amara.nwosu")
    journey.visit(f"/analysis/{project.pk}/discovery/")
    expect(journey.page.locator("section h2")).to_have_count(3)
    assert_fits_the_screen(journey.page)
