"""Qualitative analysis: an analyst imports a focus-group transcript, reviews what
pseudonymisation replaced and releases it; two coders code it blind from the keyboard; the analyst
opens the comparison and the team agrees on a difference.

Written as Given / When / Then; every page along the way is checked with axe (see journey.py).
"""

import pytest
from playwright.sync_api import expect

from tests.system.steps import switch_to

pytestmark = pytest.mark.browser

TRANSCRIPT = """WEBVTT

00:00:01.000 --> 00:00:06.000
<v Facilitator>What made you want to join the partnership group?

00:00:07.000 --> 00:00:15.000
<v P1>After my treatment my nurse Jenny Okafor asked if I would help. I wanted other people to have an easier time than I did.

00:00:16.000 --> 00:00:24.000
<v P2>For me it was hearing back. They told us the leaflet changed because of what we said. That kept me coming.
"""


@pytest.fixture
def analyst(alliance, make_user):
    from coproduce.core.roles import Role

    return make_user("amara.nwosu", Role.ANALYST, alliance, first_name="Amara", last_name="Nwosu")


def test_import_review_code_by_keyboard_compare_and_agree(journey, analyst, staff, tmp_path):
    from coproduce.analysis import refiqda
    from coproduce.analysis.models import Code, Decision, Layer, Project, Segment

    page = journey.page
    # Given Amara, an analyst, starts a project and adds Grace to the team as a coder
    journey.sign_in("amara.nwosu")
    journey.visit("/analysis/")
    journey.press("Start a project")
    page.get_by_label("Project name").fill("Why people stay involved")
    journey.press("Start the project")
    expect(page.get_by_role("heading", level=1)).to_have_text("Why people stay involved")
    project = Project.objects.get()
    for position, name in enumerate(["Wanting to help others", "Hearing back"]):
        Code.objects.create(project=project, name=name, position=position)
    journey.follow("Team")
    page.get_by_label("Person").select_option(label="Grace Adeyemi ()")
    page.get_by_label("Coder", exact=True).check()
    journey.press("Save")
    expect(page.get_by_role("cell", name="Grace Adeyemi", exact=True)).to_be_visible()

    # When she imports a focus-group transcript
    journey.follow("Sources")
    journey.press("Import a file")
    transcript = tmp_path / "focus-group.vtt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    page.get_by_label("File", exact=True).set_input_files(str(transcript))
    page.get_by_label("Name (optional)").fill("Focus group, March")
    journey.press("Import")

    # Then she reviews the name pseudonymisation replaced before releasing it to coders
    expect(page.get_by_role("cell", name="Jenny Okafor", exact=True)).to_be_visible()
    journey.press("Release to coders")  # the button on the review page
    journey.press("Release to coders")  # and the confirmation
    journey.follow("Focus group, March")
    expect(page.locator("[data-source-text]")).not_to_contain_text("Okafor")

    # When she codes P2's first sentences from the keyboard alone
    sentences = page.get_by_role("option")
    sentences.first.focus()
    hearing = next(
        index
        for index in range(sentences.count())
        if "For me it was hearing back" in sentences.nth(index).inner_text()
    )
    for _ in range(hearing):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+ArrowDown")
    expect(page.locator("[data-selection]")).to_contain_text("For me it was hearing back")
    with page.expect_navigation():
        page.keyboard.press("2")
    journey.check()
    expect(page.get_by_text("Coded: Hearing back")).to_be_visible()

    # And Grace, coding blind, codes only the second of those sentences the same way
    switch_to(journey, "grace.adeyemi")
    journey.visit("/analysis/")
    journey.follow("Why people stay involved")
    journey.follow("Sources")
    journey.follow("Focus group, March")
    expect(page.get_by_role("table")).to_have_count(0)  # she cannot see Amara's coding
    sentences = page.get_by_role("option")
    sentences.first.focus()
    for _ in range(hearing + 1):
        page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("2")
    journey.check()

    # Then Amara opens the comparison, sees where they differ, and agrees on it
    switch_to(journey, "amara.nwosu")
    journey.visit(f"/analysis/{project.pk}/comparison/")
    journey.press("Open the comparison")
    journey.press("Open the comparison")
    expect(page.get_by_role("table", name="Overall")).to_contain_text("%")
    journey.follow("Focus group, March")
    expect(page.get_by_role("heading", name="Side by side")).to_be_visible()
    difference = page.locator(".app-difference").first
    expect(difference).to_contain_text("For me it was hearing back.")
    difference.get_by_label("Yes, code it").check()
    difference.get_by_label("Why (optional)").fill("The first sentence sets up the second")
    journey.press("Record the decision")
    expect(page.get_by_text("The first sentence sets up the second")).to_be_visible()
    decision = Decision.objects.get()
    assert decision.decided_by == analyst
    assert Segment.objects.filter(layer=Layer.CONSENSUS).exists()

    # And she exports the whole project for another tool, with who coded each passage
    journey.follow("Import and export")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the project (.qdpx)").click()
    exported = refiqda.read_qdpx(download.value.path().read_bytes())
    coders = {user.name for user in exported.users}
    assert {"Amara Nwosu", "Grace Adeyemi"} <= coders
    assert sum(len(source.selections) for source in exported.sources) >= 3
    journey.finish()
