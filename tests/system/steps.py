"""Steps that several journeys share, each written once: asking for involvement, publishing,
offering to take part, selecting, setting up an activity, closing it, claiming and approving.

Each step starts from whoever is signed in and leaves the browser on the page it ends on.
"""

import datetime
import re
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import FilePayload, expect

from tests.system.journey import Journey, summary_row
from tests.system.test_involvement_lead import fill_date

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def switch_to(journey: Journey, username: str) -> None:
    journey.page.context.clear_cookies()
    journey.sign_in(username)


def ask_for_involvement(journey: Journey, title: str, closes_on: datetime.date) -> str:
    """A member of staff asks for involvement; returns the opportunity's page."""
    page = journey.page
    journey.visit("/opportunities/")
    journey.follow("Ask for involvement")
    page.get_by_label("Title").fill(title)
    page.get_by_label("What is it, and what will people do?").fill(
        "Read the draft leaflet with the stoma nurse and say what is missing or unclear."
    )
    page.get_by_label("Why do you need people's involvement?").fill(
        "Patients told us the leaflet uses words they did not understand."
    )
    page.get_by_role("group", name="What kind of involvement is it?").get_by_label(
        "Reviewing or writing patient information"
    ).check()
    page.get_by_role("group", name="Which areas could it influence?").get_by_label(
        "Practice"
    ).check()
    page.get_by_label("How much time will it take?").fill("One two-hour meeting")
    page.get_by_role("group", name="How will people take part?").get_by_label(
        "Online", exact=True
    ).check()
    page.get_by_role("group", name="What support is offered?").get_by_label(
        "Help to join online meetings"
    ).check()
    fill_date(page, "Closing date for expressions of interest", closes_on)
    page.get_by_role("group", name="Experience of which cancer types would help?").get_by_label(
        "Bowel"
    ).check()
    journey.press("Send request")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("Waiting for review")).to_be_visible()
    return page.url


def publish(journey: Journey, opportunity_url: str) -> None:
    journey.visit(opportunity_url)
    journey.follow("Publish it")
    journey.press("Publish")
    expect(journey.page.get_by_text("members can now see it")).to_be_visible()


def express_interest(journey: Journey, title: str, note: str) -> None:
    page = journey.page
    journey.visit("/me/opportunities/")
    journey.follow(title)
    expect(summary_row(page, "Support offered")).to_contain_text("Help to join online meetings")
    journey.follow("Express interest")
    page.get_by_label("Anything you would like us to know").fill(note)
    journey.press("Express interest")
    expect(page.get_by_text("We will tell you whether you have been selected.")).to_be_visible()


def select(journey: Journey, opportunity_url: str, name: str, note: str) -> None:
    page = journey.page
    journey.visit(opportunity_url)
    interests = page.get_by_role("table", name="People who expressed interest")
    expect(interests.get_by_role("row").filter(has_text=name)).to_contain_text(note)
    journey.follow("Select or not select")
    page.get_by_label("Select them", exact=True).check()
    journey.press("Save decision")
    expect(page.get_by_text(f"{name} is selected, and has been told")).to_be_visible()


def has_taken_place(activity_url: str, hours: int = 2) -> None:
    """Time passes: move the activity into the past, so it can be closed and claimed for."""
    from coproduce.activities.models import Activity

    started = timezone.now() - datetime.timedelta(hours=hours + 1)
    Activity.objects.filter(pk=int(activity_url.rstrip("/").rsplit("/", 1)[-1])).update(
        starts_at=started, ends_at=started + datetime.timedelta(hours=hours)
    )


def claim(journey: Journey, activity_title: str, travel: str) -> None:
    """The signed-in member claims an hourly payment and travel, with a receipt."""
    page = journey.page
    journey.visit("/me/claims/")
    journey.follow("Make a claim")
    page.get_by_label(activity_title).check()
    page.get_by_label("Per hour").check()
    page.get_by_label("Travel: fares, parking and taxis, in pounds").fill(travel)
    page.get_by_label("Receipts (optional)").set_input_files(
        files=[FilePayload(name="train-ticket.pdf", mimeType="application/pdf", buffer=PDF_BYTES)]
    )
    page.get_by_label(
        "I have considered whether being paid could affect any benefits I get"
    ).check()
    journey.press("Send claim")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your claim for {activity_title}")
    expect(summary_row(page, "Status")).to_contain_text("Submitted")


def approve_the_claim(journey: Journey, approver_name: str) -> None:
    """The signed-in approver opens the one claim in the queue and approves it."""
    page = journey.page
    journey.visit("/payments/")
    with page.expect_navigation():
        page.get_by_role("table").get_by_role("link", name=re.compile(r"^Claim \d+$")).click()
    journey.check()
    journey.follow("Query, approve or reject")
    page.get_by_label("Approve it").check()
    journey.press("Save decision")
    expect(summary_row(page, "Status")).to_contain_text("Approved")
    expect(page.get_by_text(f"by {approver_name}").last).to_be_visible()


def export_for_finance(journey: Journey) -> str:
    """The approved claims as CSV, downloaded from the finance export."""
    page = journey.page
    journey.visit("/payments/")
    journey.follow("Export approved claims for finance")
    expect(page.get_by_text("1 approved claim")).to_be_visible()
    page.get_by_label("CSV (comma-separated values)").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    return Path(download.value.path()).read_text(encoding="utf-8-sig")
