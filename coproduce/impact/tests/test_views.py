import io

import pypdfium2
import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import Tenant
from coproduce.core.roles import Role
from coproduce.factories import member_of
from coproduce.impact import services
from coproduce.impact.models import Invitation, Question, Response, SelfAssessment, Standard
from coproduce.impact.tests.test_services import answered_by, full_answers

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def form_answers(invitation: Invitation) -> dict[str, str]:
    return {name: str(value) for name, value in full_answers(invitation).items()}


def test_a_member_answers_once_and_an_incomplete_form_says_what_is_missing(tenant: Tenant) -> None:
    invitation = tenant.involvement.invitation
    client = signed_in(tenant.member)
    listing = client.get("/me/questionnaires/").content.decode()
    assert f"/me/questionnaires/{invitation.token}/" in listing
    url = f"/me/questionnaires/{invitation.token}/"
    page = client.get(url)
    assert page.status_code == 200 and "Strongly agree" in page.content.decode()

    answers = form_answers(invitation)
    first = invitation.version.questions.filter(kind=Question.Kind.LIKERT).first()
    assert first is not None
    del answers[f"q{first.pk}"]
    missing = client.post(url, answers)
    assert missing.status_code == 200
    assert f"Answer “{first.text}”" in missing.content.decode()
    assert "nhsuk-error-summary" in missing.content.decode()
    assert not Response.objects.exists()

    done = client.post(url, form_answers(invitation))
    assert done.status_code == 302 and done["Location"] == "/me/questionnaires/"
    assert Response.objects.count() == 1
    again = client.post(url, form_answers(invitation))
    assert again.status_code == 409
    assert "already answered" in again.content.decode()
    assert Response.objects.count() == 1


def test_someone_else_following_a_members_link_is_refused(tenant: Tenant) -> None:
    other_user, _ = member_of(tenant.organisation)
    url = f"/me/questionnaires/{tenant.involvement.invitation.token}/"
    refused = signed_in(other_user).post(url, form_answers(tenant.involvement.invitation))
    assert refused.status_code == 403
    assert "sent to someone else" in refused.content.decode()
    assert not Response.objects.exists()
    assert signed_in(tenant.member).get("/me/questionnaires/no-such-link/").status_code == 404


def test_a_lead_drafts_changes_and_publishes_a_new_version(tenant: Tenant) -> None:
    questionnaire = tenant.involvement.questionnaire
    draft = tenant.involvement.draft
    client = signed_in(tenant.lead)
    assert client.post(f"/impact/questionnaires/{questionnaire.pk}/edit/")["Location"].endswith(
        f"/versions/{draft.pk}/"
    )
    add = f"/impact/questionnaires/{questionnaire.pk}/versions/{draft.pk}/questions/add/"
    refused = client.post(add, {"text": "Pick one", "kind": "choice", "choices": "Only one"})
    assert "Give at least two choices" in refused.content.decode()
    added = client.post(
        add,
        {
            "text": "How did you travel?",
            "kind": "choice",
            "choices": "Bus\nCar\nWalked",
            "required": "on",
        },
    )
    assert added.status_code == 302
    assert draft.questions.filter(
        text="How did you travel?", choices=["Bus", "Car", "Walked"]
    ).exists()
    publish = f"/impact/questionnaires/{questionnaire.pk}/versions/{draft.pk}/publish/"
    assert client.get(publish).status_code == 200
    assert client.post(publish).status_code == 302
    assert services.current_version(questionnaire) == draft
    # Published, it cannot change.
    question = draft.questions.first()
    assert question is not None
    locked = client.post(
        f"/impact/questionnaires/{questionnaire.pk}/versions/{draft.pk}/questions/{question.pk}/",
        {"text": "Changed", "kind": "likert"},
    )
    assert locked.status_code == 409
    question.refresh_from_db()
    assert question.text != "Changed"


def test_staff_may_read_results_but_not_change_questionnaires(tenant: Tenant) -> None:
    questionnaire = tenant.involvement.questionnaire
    client = signed_in(tenant.users[Role.STAFF])
    page = client.get(f"/impact/questionnaires/{questionnaire.pk}/")
    assert page.status_code == 200
    assert "Results are shown once at least 5 people have answered" in page.content.decode()
    assert client.post(f"/impact/questionnaires/{questionnaire.pk}/edit/").status_code == 403


def test_results_and_free_text_download_once_enough_people_answered(tenant: Tenant) -> None:
    questionnaire = answered_by(tenant, 5)
    client = signed_in(tenant.lead)
    page = client.get(f"/impact/questionnaires/{questionnaire.pk}/").content.decode()
    assert "5 responses" in page and "Meeting others who understand" in page
    download = client.get(f"/impact/questionnaires/{questionnaire.pk}/?download=csv")
    assert "Meeting others who understand" in download.content.decode()


def test_a_self_assessment_is_recorded_from_the_form(tenant: Tenant) -> None:
    client = signed_in(tenant.lead)
    today = timezone.localdate()
    data: dict[str, object] = {
        "organisation": tenant.organisation.pk,
        "group": tenant.group.pk,
        "assessed_on-day": today.day,
        "assessed_on-month": today.month,
        "assessed_on-year": today.year,
        "voice": 3,
        "ways": 4,
        "concerns": 2,
        "willingness": 5,
    }
    for standard in Standard:
        data[f"{standard.value}_rating"] = 3
        data[f"{standard.value}_evidence"] = "Minutes of the March meeting"
    missing = dict(data)
    del missing["governance_rating"]
    refused = client.post("/impact/self-assessment/new/", missing)
    assert "Rate “Governance”" in refused.content.decode()
    before = SelfAssessment.objects.count()
    saved = client.post("/impact/self-assessment/new/", data)
    assert saved.status_code == 302
    assert SelfAssessment.objects.count() == before + 1
    trend = client.get("/impact/self-assessment/").content.decode()
    assert "Inclusive opportunities" in trend


def test_the_dashboard_shows_and_downloads_its_figures(tenant: Tenant) -> None:
    client = signed_in(tenant.users[Role.ANALYST])
    page = client.get("/impact/").content.decode()
    assert "What changed" in page and "Changes by level" in page
    workbook = load_workbook(io.BytesIO(client.get("/impact/?download=xlsx").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == ("Section", "Measure", "Value")
    assert ("Asks", "Raised in the period", "1") in rows


def test_the_annual_report_downloads_as_a_pdf_whose_pages_render(tenant: Tenant) -> None:
    client = signed_in(tenant.lead)
    page = client.get("/impact/annual-report/")
    assert page.status_code == 200
    assert "You said, we did" in page.content.decode()
    response = client.get(
        f"/impact/annual-report/?organisation={tenant.organisation.pk}&format=pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    assert tenant.organisation.name in reader.pages[0].extract_text()
    document = pypdfium2.PdfDocument(response.content)
    for index in range(len(document)):
        image = document[index].render(scale=0.5).to_pil().convert("L")
        darkest, lightest = image.getextrema()
        assert lightest > 200 and darkest < 100, f"page {index + 1} is blank"


def test_staff_without_the_activity_report_cannot_open_the_annual_report(tenant: Tenant) -> None:
    assert signed_in(tenant.users[Role.STAFF]).get("/impact/annual-report/").status_code == 403
