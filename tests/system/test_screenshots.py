"""The main pages with the demo data set, checked with axe, and the README's screenshots.

`test_demo_pages` walks the pages the README shows, filled with the realistic demo data
(`coproduce.demo.builder.populate(DEMO)`: three alliances, 300 people, long tables), so every
one of them is checked with axe at a realistic size.

`test_readme_screenshots` takes the same tour and saves each page as a PNG in docs/screenshots/.
It only runs when COPRODUCE_SCREENSHOTS=1, so an ordinary test run never rewrites the files:

    COPRODUCE_SCREENSHOTS=1 pytest tests/system/test_screenshots.py -m browser
"""

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.system.journey import Journey

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


@pytest.fixture
def demo(transactional_db: None) -> dict[str, int]:
    """The demo data set, with sign-ins admin, lead, staff, analyst, lead2 and member."""
    from coproduce.demo.builder import DEMO, populate

    return populate(DEMO)


def tour(journey: Journey, shoot: Callable[[str], None]) -> None:
    """Visit each page the README shows, as the user who would see it, and `shoot` it."""
    from coproduce.accounts.models import User
    from coproduce.demo.builder import DEMO_PASSWORD
    from coproduce.groups.models import PartnershipGroup
    from coproduce.opportunities.models import Opportunity
    from coproduce.people.models import ConsentKind, Person

    page = journey.page
    lead = User.objects.get(username="lead")
    organisation = lead.role_assignments.get().organisation
    group = (
        PartnershipGroup.objects.filter(organisation=organisation, ends_on__isnull=True)
        .order_by("name")
        .first()
    )
    assert group is not None
    person = (
        Person.objects.filter(
            organisation=organisation, user__isnull=True, memberships__isnull=False
        )
        .with_consent(ConsentKind.HEALTH_INFORMATION)
        .exclude(accessibility_needs="")
        .order_by("family_name", "given_name")
        .first()
    )
    assert person is not None

    # An involvement lead's view.
    journey.sign_in("lead", DEMO_PASSWORD)
    journey.visit("/groups/")
    expect(page.get_by_role("heading", name="Partnership groups")).to_be_visible()
    shoot("groups")

    journey.visit(f"/groups/{group.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(group.name)
    shoot("group")

    journey.visit("/people/")
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    shoot("people")

    journey.visit(f"/people/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(person.full_name)
    shoot("person")

    journey.visit("/equality/")
    expect(page.get_by_role("heading", name="Equality monitoring")).to_be_visible()
    shoot("equality-report")

    journey.visit("/opportunities/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opportunities")
    shoot("opportunities")

    published = (
        Opportunity.objects.filter(organisation=organisation, status=Opportunity.Status.PUBLISHED)
        .order_by("closes_on")
        .first()
    )
    assert published is not None
    journey.visit(f"/opportunities/{published.pk}/suggestions/")
    shoot("suggestions")

    journey.visit("/activities/")
    shoot("activities")

    journey.visit("/payments/")
    shoot("claims")

    journey.visit("/reports/activity/")
    expect(page.get_by_role("heading", name="Activity report")).to_be_visible()
    shoot("activity-report")

    journey.follow("Sign out")
    journey.press("Sign out")

    # A member's view of their own record.
    journey.sign_in("member", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    shoot("member")

    journey.visit("/me/involvement/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your involvement")
    shoot("my-involvement")


def test_demo_pages(journey, demo):
    # Given the demo data set
    # When an involvement lead and then a member visit the pages the README shows
    # Then every page passes axe (checked as each page loads)
    tour(journey, shoot=lambda name: None)


def test_readme_screenshots(journey, demo):
    if os.environ.get("COPRODUCE_SCREENSHOTS") != "1":
        pytest.skip("set COPRODUCE_SCREENSHOTS=1 to rewrite the screenshots in docs/screenshots/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(name: str) -> None:
        journey.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=False)

    tour(journey, shoot)


def impact_pages(organisation) -> list[str]:
    """The lead's impact pages, with a draft of the members' questionnaire to edit."""
    from coproduce.impact import services
    from coproduce.impact.models import SelfAssessment

    questionnaires = services.ensure_defaults(organisation)
    draft = services.draft_of(questionnaires[1])
    question = draft.questions.first()
    base = f"/impact/questionnaires/{draft.questionnaire_id}"
    assessment = SelfAssessment.objects.filter(organisation=organisation).first()
    return [
        "/impact/",
        "/impact/annual-report/",
        "/impact/questionnaires/",
        *[f"/impact/questionnaires/{questionnaire.pk}/" for questionnaire in questionnaires],
        f"{base}/edit/",
        f"{base}/send/",
        f"{base}/versions/{draft.pk}/",
        f"{base}/versions/{draft.pk}/publish/",
        f"{base}/versions/{draft.pk}/questions/add/",
        *([f"{base}/versions/{draft.pk}/questions/{question.pk}/"] if question else []),
        "/impact/self-assessment/",
        "/impact/self-assessment/new/",
        *([f"/impact/self-assessment/{assessment.pk}/"] if assessment else []),
    ]


def test_every_involvement_page_passes_axe_with_the_demo_data(journey, demo):
    """Given the demo data set, when the lead and then the member open each page of the
    involvement side (lists, records, forms), then every one passes axe (checked as it loads)."""
    from coproduce.accounts.models import User
    from coproduce.activities.models import Activity
    from coproduce.demo.builder import DEMO_PASSWORD
    from coproduce.opportunities.models import Opportunity
    from coproduce.payments.models import Budget, Claim

    lead = User.objects.get(username="lead")
    organisation = lead.role_assignments.get().organisation
    opportunity = Opportunity.objects.filter(
        organisation=organisation, status=Opportunity.Status.PUBLISHED
    ).first()
    held = Activity.objects.filter(organisation=organisation, status=Activity.Status.HELD).last()
    claim = Claim.objects.filter(activity__organisation=organisation).first()
    budget = Budget.objects.filter(organisation=organisation).first()
    from coproduce.asks.models import Ask

    changed = Ask.objects.filter(organisation=organisation, status="changed").first()
    open_ask = Ask.objects.filter(organisation=organisation, status="in_progress").first()
    assert opportunity and held and claim and budget and changed

    journey.sign_in("lead", DEMO_PASSWORD)
    for path in [
        "/opportunities/new/",
        f"/opportunities/{opportunity.pk}/",
        f"/opportunities/{opportunity.pk}/edit/",
        f"/opportunities/{opportunity.pk}/interests/add/?q=a",
        "/activities/new/",
        f"/activities/{held.pk}/",
        f"/activities/{held.pk}/attendance/",
        f"/activities/{held.pk}/minutes/",
        f"/activities/{held.pk}/actions/add/",
        f"/payments/{claim.pk}/",
        f"/payments/{claim.pk}/decide/",
        "/payments/new/?q=a",
        "/payments/export/",
        "/payments/policy/",
        "/payments/policy/rates/new/",
        "/payments/policy/rules/new/",
        "/payments/budgets/",
        f"/payments/budgets/{budget.pk}/",
        "/reports/activity/?download=",
        "/asks/",
        "/asks/new/",
        f"/asks/new/?activity={held.pk}",
        f"/asks/{changed.pk}/",
        f"/asks/{changed.pk}/edit/",
        f"/asks/{changed.pk}/move/closed/",
        f"/asks/{changed.pk}/evidence/add/before_after/",
        f"/asks/{changed.pk}/contributors/add/?q=a",
        f"/asks/{changed.pk}/publish/",
        *(
            [f"/asks/{open_ask.pk}/move/changed/", f"/asks/{open_ask.pk}/progress/"]
            if open_ask
            else []
        ),
        f"/you-said-we-did/{organisation.pk}/",
        *impact_pages(organisation),
    ]:
        journey.visit(path)

    member = User.objects.get(username="member").person
    mine = Claim.objects.filter(person=member).first()
    taken_part = member.attendance.select_related("activity").first()
    journey.page.context.clear_cookies()
    journey.sign_in("member", DEMO_PASSWORD)
    for path in [
        "/me/opportunities/",
        f"/me/opportunities/{opportunity.pk}/",
        "/me/activities/",
        *([f"/me/activities/{taken_part.activity_id}/"] if taken_part else []),
        "/me/claims/",
        "/me/claims/new/",
        *([f"/me/claims/{mine.pk}/"] if mine else []),
        "/me/notifications/",
        "/me/notifications/preferences/",
        "/me/involvement/",
        "/me/asks/",
        "/me/asks/new/",
        *[f"/me/asks/{ask.pk}/" for ask in Ask.objects.filter(contributions__person=member)[:2]],
        "/me/questionnaires/",
        *[
            f"/me/questionnaires/{invitation.token}/"
            for invitation in member.invitations.filter(answered_at__isnull=True)[:1]
        ],
    ]:
        journey.visit(path)


def test_every_analysis_page_passes_axe_with_the_demo_data(journey, demo):
    """Given the demo's focus-group project, when its lead analyst and then a coder open each of
    its pages, then every one passes axe (checked as it loads)."""
    from coproduce.analysis.models import Project, Segment, Source
    from coproduce.demo.builder import DEMO_PASSWORD

    project = Project.objects.filter(comparison_opened_at__isnull=False).first()
    assert project is not None
    base = f"/analysis/{project.pk}"
    transcript = Source.objects.filter(project=project).visible().documents().first()
    dataset = project.datasets.first()
    code = project.codes.filter(parent__isnull=False).first()
    theme = project.themes.first()
    case = project.cases.first()
    segment = Segment.objects.filter(project=project, coder__username="analyst").first()
    assert transcript and dataset and code and theme and segment
    journey.sign_in("analyst", DEMO_PASSWORD)
    for path in [
        "/analysis/",
        "/analysis/new/",
        f"{base}/",
        f"{base}/settings/",
        f"{base}/team/",
        f"{base}/sources/",
        f"{base}/sources/import/",
        f"{base}/sources/paste/",
        f"{base}/sources/{transcript.pk}/",
        f"{base}/datasets/{dataset.pk}/",
        f"{base}/comparison/",
        f"{base}/comparison/{transcript.pk}/",
        f"{base}/codes/",
        f"{base}/codes/{code.pk}/",
        f"{base}/codes/{code.pk}/merge/",
        f"{base}/codes/{code.pk}/split/",
        f"{base}/themes/",
        f"{base}/themes/{theme.pk}/",
        f"{base}/cases/",
        *([f"{base}/cases/{case.pk}/"] if case else []),
        f"{base}/cases/attributes/",
        f"{base}/reports/",
        f"{base}/reports/quotes/",
        f"{base}/reports/frequencies/",
        f"{base}/reports/co-occurrence/",
        f"{base}/search/?q=parking",
        f"{base}/exchange/",
        f"{base}/segments/{segment.pk}/remove/",
        f"{base}/suggestions/",
        f"{base}/suggestions/review/",
        f"{base}/suggestions/review/?show=complex",
        f"{base}/suggestions/target/",
        f"{base}/suggestions/train/",
        f"{base}/suggestions/run/",
        f"{base}/discovery/",
        f"{base}/discovery/start/",
        f"{base}/trends/",
        f"{base}/trends/?counting=suggested&period=quarter",
        f"/analysis/organisations/{project.organisation_id}/trends/",
    ]:
        journey.visit(path)
    journey.page.context.clear_cookies()
    journey.sign_in("staff", DEMO_PASSWORD)
    for path in [
        f"{base}/sources/{transcript.pk}/",
        f"{base}/datasets/{dataset.pk}/",
        f"{base}/suggestions/",
        f"{base}/suggestions/review/",
    ]:
        journey.visit(path)
