"""The project pages: starting a project, importing and releasing, coding, and agreeing."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import LEAD_MEMO, Tenant
from coproduce.analysis.models import Decision, Import, Layer, Project, Segment
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db


def as_(tenant: Tenant, role: str) -> Client:
    client = Client()
    client.force_login(tenant.users[role])
    return client


def test_an_analyst_starts_a_project_and_leads_it(tenant: Tenant) -> None:
    client = as_(tenant, Role.ANALYST)
    response = client.post(
        "/analysis/new/",
        {"name": "Letters after diagnosis", "blind": "on", "pseudonymise": "on"},
    )
    project = Project.objects.get(name="Letters after diagnosis")
    assert response["Location"] == f"/analysis/{project.pk}/"
    assert project.organisation == tenant.organisation
    assert project.team.get().role == "lead"
    listing = client.get("/analysis/").content.decode()
    assert "Letters after diagnosis" in listing
    assert "Why people stay involved" in listing


def test_a_project_needs_a_name(tenant: Tenant) -> None:
    response = as_(tenant, Role.ANALYST).post("/analysis/new/", {"name": ""})
    assert "Enter a project name" in response.content.decode()
    assert "nhsuk-error-summary" in response.content.decode()


def test_people_off_the_team_cannot_open_the_project_even_as_administrator(
    tenant: Tenant,
) -> None:
    project = tenant.analysis.project
    assert as_(tenant, Role.ADMINISTRATOR).get(f"/analysis/{project.pk}/").status_code == 403
    assert (
        "Why people stay involved"
        not in as_(tenant, Role.ADMINISTRATOR).get("/analysis/").content.decode()
    )


def test_the_lead_adds_a_coder_and_cannot_leave_the_project_without_a_lead(
    tenant: Tenant,
) -> None:
    project = tenant.analysis.project
    client = as_(tenant, Role.ANALYST)
    admin = tenant.users[Role.ADMINISTRATOR]
    client.post(f"/analysis/{project.pk}/team/", {"user": admin.pk, "role": "coder"})
    assert project.team.get(user=admin).role == "coder"
    lead = project.team.get(role="lead")
    client.post(f"/analysis/{project.pk}/team/{lead.pk}/remove/")
    assert project.team.filter(role="lead").exists()
    members = as_(tenant, Role.STAFF).post(
        f"/analysis/{project.pk}/team/", {"user": admin.pk, "role": "lead"}
    )
    assert members.status_code == 403


def test_a_member_of_the_public_cannot_be_added_to_a_team(tenant: Tenant) -> None:
    project = tenant.analysis.project
    response = as_(tenant, Role.ANALYST).post(
        f"/analysis/{project.pk}/team/", {"user": tenant.member.pk, "role": "viewer"}
    )
    assert "Select who to add" in response.content.decode()


def test_import_review_and_release_through_the_pages(
    tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    project = tenant.analysis.project
    client = as_(tenant, Role.ANALYST)
    upload = SimpleUploadedFile(
        "fft.csv", b"Comment,Service\nCall 07700 900123 about parking,Clinic\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/analysis/{project.pk}/sources/import/",
            {
                "file": upload,
                "text_column": "Comment",
                "attribute_columns": "Service",
                "pseudonymise": "on",
            },
        )
    started = Import.objects.get(file_name="fft.csv")
    assert response["Location"] == f"/analysis/{project.pk}/imports/{started.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "07700 900123" in page and "[Phone 1]" in page
    # The progress panel asks the page to reload once the file has been read.
    polled = client.get(f"{response['Location']}?progress=1", HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"
    client.post(f"/analysis/{project.pk}/imports/{started.pk}/release/")
    started.refresh_from_db()
    assert started.status == Import.Status.RELEASED
    dataset = started.dataset
    listing = as_(tenant, Role.STAFF).get(f"/analysis/{project.pk}/datasets/{dataset.pk}/")
    body = listing.content.decode()
    assert "Call [Phone 1] about parking" in body and "07700" not in body


def test_a_bad_upload_is_reported_in_the_error_summary(tenant: Tenant) -> None:
    project = tenant.analysis.project
    response = as_(tenant, Role.ANALYST).post(
        f"/analysis/{project.pk}/sources/import/",
        {"file": SimpleUploadedFile("notes.rtf", b"{\\rtf1}")},
    )
    assert "cannot read .rtf files" in response.content.decode()
    assert not Import.objects.filter(file_name="notes.rtf").exists()


def test_a_coder_codes_a_passage_and_sees_only_their_own_coding(tenant: Tenant) -> None:
    analysis = tenant.analysis
    url = f"/analysis/{analysis.project.pk}/sources/{analysis.source.pk}/"
    client = as_(tenant, Role.STAFF)
    response = client.post(url, {"codes": [analysis.code.pk], "start": 0, "end": 11})
    assert response.status_code == 302
    coder = tenant.users[Role.STAFF]
    assert Segment.objects.filter(coder=coder, start=0, end=11).exists()
    page = client.get(url).content.decode()
    assert LEAD_MEMO not in page
    assert LEAD_MEMO in as_(tenant, Role.ANALYST).get(url).content.decode()


def test_a_passage_must_end_after_it_starts(tenant: Tenant) -> None:
    analysis = tenant.analysis
    url = f"/analysis/{analysis.project.pk}/sources/{analysis.source.pk}/"
    response = as_(tenant, Role.STAFF).post(
        url, {"codes": [analysis.code.pk], "start": 10, "end": 4}
    )
    assert "The passage must end after it starts" in response.content.decode()


def test_viewers_read_but_do_not_code(tenant: Tenant) -> None:
    analysis = tenant.analysis
    url = f"/analysis/{analysis.project.pk}/sources/{analysis.source.pk}/"
    client = as_(tenant, Role.INVOLVEMENT_LEAD)
    assert "Apply the codes" not in client.get(url).content.decode()
    client.post(url, {"codes": [analysis.code.pk], "start": 0, "end": 4})
    assert not Segment.objects.filter(start=0, end=4).exists()


def test_a_response_is_coded_with_one_button(tenant: Tenant) -> None:
    analysis = tenant.analysis
    project = analysis.project
    response = as_(tenant, Role.STAFF).post(
        f"/analysis/{project.pk}/responses/{analysis.response.pk}/code/",
        {"code": analysis.code.pk},
    )
    assert response["Location"].endswith(f"#r{analysis.response.pk}")
    assert Segment.objects.filter(source=analysis.response).count() == 1


def test_the_comparison_is_the_leads_until_opened_then_the_team_agrees(tenant: Tenant) -> None:
    analysis = tenant.analysis
    project = analysis.project
    lead, coder = as_(tenant, Role.ANALYST), as_(tenant, Role.STAFF)
    source_url = f"/analysis/{project.pk}/comparison/{analysis.source.pk}/"
    assert "Cohen" not in coder.get(source_url).content.decode()
    assert "Cohen" in lead.get(source_url).content.decode()
    lead.post(f"/analysis/{project.pk}/comparison/open/")
    page = coder.get(source_url).content.decode()
    assert "Cohen" in page and "characters 40 to 48" in page
    lead.post(
        f"{source_url}decide/",
        {
            "code": analysis.code.pk,
            "start": 40,
            "end": 48,
            "outcome": "agreed",
            "note": "Both meant it",
        },
    )
    decision = Decision.objects.get(source=analysis.source)
    assert decision.decided_by == tenant.users[Role.ANALYST]
    assert Segment.objects.filter(layer=Layer.CONSENSUS, start=40, end=48).exists()
    assert "Both meant it" in lead.get(source_url).content.decode()
    # Coders cannot decide.
    refused = coder.post(
        f"{source_url}decide/",
        {"code": analysis.code.pk, "start": 40, "end": 48, "outcome": "rejected"},
    )
    assert refused.status_code == 403


def test_the_lead_removes_a_wrong_source_with_its_coding(tenant: Tenant) -> None:
    analysis = tenant.analysis
    url = f"/analysis/{analysis.project.pk}/sources/{analysis.source.pk}/remove/"
    assert as_(tenant, Role.STAFF).post(url).status_code == 403
    as_(tenant, Role.ANALYST).post(url)
    assert not Segment.objects.filter(source_id=analysis.source.pk).exists()


def test_a_meetings_minutes_and_papers_are_sent_into_a_project(
    tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from django.core.files.base import ContentFile

    from coproduce.activities.models import Document
    from coproduce.analysis.models import Source

    activity = tenant.involvement.activity
    activity.minutes = "The group agreed the leaflet. Call Sam on 07700 900123 about it."
    activity.save()
    paper = Document.objects.create(
        activity=activity,
        title="Draft leaflet",
        file=ContentFile(b"Side effects and who to call.", name="leaflet.txt"),
        content_type="text/plain",
        size=29,
    )
    client = as_(tenant, Role.ANALYST)
    url = f"/analysis/from-activity/{activity.pk}/"
    assert "Draft leaflet" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"project": tenant.analysis.project.pk, "minutes": "on", "documents": [paper.pk]},
        )
    minutes = Source.objects.get(kind=Source.Kind.MINUTES)
    assert "07700" not in minutes.text
    sent = Source.objects.get(activity_document=paper)
    assert sent.text == "Side effects and who to call."


def test_only_papers_the_importers_can_read_are_sent(tenant: Tenant) -> None:
    from django.core.files.base import ContentFile

    from coproduce.activities.models import Document

    activity = tenant.involvement.activity
    odt = Document.objects.create(
        activity=activity,
        title="Notes",
        file=ContentFile(b"PK", name="notes.odt"),
        content_type="application/vnd.oasis.opendocument.text",
        size=2,
    )
    response = as_(tenant, Role.ANALYST).post(
        f"/analysis/from-activity/{activity.pk}/",
        {"project": tenant.analysis.project.pk, "documents": [odt.pk]},
    )
    assert "PDF, Word and text papers only: Notes" in response.content.decode()


def test_a_large_projects_agreement_is_worked_out_in_the_background(
    tenant: Tenant,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from coproduce.analysis.services import coding

    monkeypatch.setattr(coding, "INLINE_AGREEMENT", 1)
    project = tenant.analysis.project
    lead = as_(tenant, Role.ANALYST)
    page = lead.get(f"/analysis/{project.pk}/comparison/").content.decode()
    assert "Work out agreement" in page and "By code" not in page
    with django_capture_on_commit_callbacks(execute=True):
        lead.post(f"/analysis/{project.pk}/comparison/refresh/")
    page = lead.get(f"/analysis/{project.pk}/comparison/").content.decode()
    assert "These figures were worked out on" in page
    assert "Focus group one" in page and "By code" in page
