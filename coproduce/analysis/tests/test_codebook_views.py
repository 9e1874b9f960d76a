"""The codebook's pages: the lead changes the codebook, the rest of the team reads it, coding
stays blind on every page, and bad input is explained on the page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import LEAD_MEMO, Tenant
from coproduce.analysis import refiqda
from coproduce.analysis.models import Code, Segment
from coproduce.analysis.services import codebook, coding
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db


def client_for(tenant: Tenant, role: str) -> Client:
    client = Client()
    client.force_login(tenant.users[role])
    return client


def url(name: str, tenant: Tenant, code: Code | None = None) -> str:
    kwargs = {"project_pk": tenant.analysis.project.pk}
    if code is not None:
        kwargs["code_pk"] = code.pk
    return reverse(f"analysis:{name}", kwargs=kwargs)


LEAD_PAGES = [
    "code_edit",
    "code_move",
    "code_order",
    "code_merge",
    "code_split",
    "code_retire",
    "code_restore",
]
PROJECT_LEAD_PAGES = ["code_add", "codes_order", "codes_preset", "codes_import"]


def test_the_tree_shows_codes_nested_with_colour_and_visible_counts(tenant: Tenant) -> None:
    code = tenant.analysis.code
    inside = codebook.add_code(
        by=tenant.users[Role.ANALYST], project=code.project, name="Heard by the board", parent=code
    )
    old = codebook.add_code(by=tenant.users[Role.ANALYST], project=code.project, name="Old idea")
    codebook.retire_code(by=tenant.users[Role.ANALYST], code=old)

    lead_page = client_for(tenant, Role.ANALYST).get(url("codes", tenant)).content.decode()
    assert 'fill="#007f3b"' in lead_page
    assert "2 coded extracts" in lead_page  # the lead sees both coders' work
    top, nested = lead_page.index("Hearing back"), lead_page.index("Heard by the board")
    assert top < nested
    assert "<ul" in lead_page[top:nested]
    assert "Retired codes" in lead_page
    assert lead_page.index("Old idea") > lead_page.index("Retired codes")
    assert "Add a code" in lead_page

    coder_page = client_for(tenant, Role.STAFF).get(url("codes", tenant)).content.decode()
    assert "1 coded extract" in coder_page  # blind: only their own
    assert "2 coded extracts" not in coder_page
    assert "Add a code" not in coder_page
    assert inside.name in coder_page


def test_a_codes_page_shows_only_the_coding_the_user_may_see(tenant: Tenant) -> None:
    code = tenant.analysis.code
    coding.add_memo(
        by=tenant.users[Role.ANALYST],
        project=code.project,
        code=code,
        text="Use for any report back to members",
    )
    lead_page = client_for(tenant, Role.ANALYST).get(url("code", tenant, code)).content.decode()
    assert "2 coded extracts in 1 source" in lead_page
    assert "Hearing what changed after we spoke." in lead_page
    assert "Use for any report back to members" in lead_page
    assert LEAD_MEMO not in lead_page  # a memo on a segment belongs to the source's page

    coder_page = client_for(tenant, Role.STAFF).get(url("code", tenant, code)).content.decode()
    assert "1 coded extract in 1 source" in coder_page
    lead_name = tenant.users[Role.ANALYST].get_full_name() or str(tenant.users[Role.ANALYST])
    assert lead_name not in coder_page.split('id="coded-text"')[1].split("Memos")[0]
    assert "Change the name or definition" not in coder_page


def test_coded_extracts_are_paged(tenant: Tenant, settings) -> None:
    settings.PAGE_SIZE = 2
    code, source = tenant.analysis.code, tenant.analysis.source
    for start in range(0, 10, 2):
        coding.apply_codes(
            by=tenant.users[Role.ANALYST], source=source, codes=[code], start=start, end=start + 1
        )
    page = client_for(tenant, Role.ANALYST).get(url("code", tenant, code)).content.decode()
    assert "Showing 1 to 2 of 7" in page
    assert "page=2" in page


@pytest.mark.parametrize("name", LEAD_PAGES)
def test_the_lead_opens_every_edit_page_and_others_are_refused(tenant: Tenant, name: str) -> None:
    target = url(name, tenant, tenant.analysis.code)
    assert client_for(tenant, Role.ANALYST).get(target).status_code == 200
    for role in (Role.STAFF, Role.INVOLVEMENT_LEAD):
        client = client_for(tenant, role)
        assert client.get(target).status_code == 403
        assert client.post(target, {"name": "Changed", "target": "1"}).status_code == 403
    tenant.analysis.code.refresh_from_db()
    assert tenant.analysis.code.name == "Hearing back"
    assert not tenant.analysis.code.retired


@pytest.mark.parametrize("name", PROJECT_LEAD_PAGES)
def test_project_wide_edit_pages_are_for_the_lead(tenant: Tenant, name: str) -> None:
    assert client_for(tenant, Role.ANALYST).get(url(name, tenant)).status_code == 200
    coder = client_for(tenant, Role.STAFF)
    assert coder.get(url(name, tenant)).status_code == 403
    assert (
        coder.post(url(name, tenant), {"name": "Sneaky", "preset": "co-design"}).status_code == 403
    )
    assert not Code.objects.filter(name__in=["Sneaky", "Challenges"]).exists()


@pytest.mark.parametrize("name", ["codes", "codes_export_csv", "codes_export_qdc"])
def test_the_whole_team_reads_and_downloads_the_codebook(tenant: Tenant, name: str) -> None:
    for role in (Role.ANALYST, Role.STAFF, Role.INVOLVEMENT_LEAD):
        assert client_for(tenant, role).get(url(name, tenant)).status_code == 200
    assert client_for(tenant, Role.ADMINISTRATOR).get(url(name, tenant)).status_code == 403


def test_another_projects_code_is_not_found(tenant: Tenant, other_tenant: Tenant) -> None:
    foreign = other_tenant.analysis.code
    client = client_for(tenant, Role.ANALYST)
    for name in ["code", *LEAD_PAGES]:
        assert client.get(url(name, tenant, foreign)).status_code == 404
    response = client.post(url("code_edit", tenant, foreign), {"name": "Changed"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Hearing back"
    # Nor can another project's code be chosen as a parent or a target.
    response = client.post(
        url("code_add", tenant), {"name": "New", "parent": str(foreign.pk), "colour": "#005eb8"}
    )
    assert "Choose where the code goes from the list" in response.content.decode()
    assert not Code.objects.filter(name="New").exists()


def test_the_lead_adds_a_code_inside_another(tenant: Tenant) -> None:
    client = client_for(tenant, Role.ANALYST)
    code = tenant.analysis.code
    page = client.get(url("code_add", tenant) + f"?parent={code.pk}").content.decode()
    assert f'value="{code.pk}" selected' in page
    response = client.post(
        url("code_add", tenant),
        {
            "name": "Hearing back quickly",
            "parent": str(code.pk),
            "description": "Within a month",
            "colour": "#ffb81c",
        },
    )
    made = Code.objects.get(name="Hearing back quickly")
    assert response["Location"] == url("code", tenant, made)
    assert made.parent == code and made.colour == "#ffb81c"


def test_a_duplicate_name_is_shown_in_the_error_summary(tenant: Tenant) -> None:
    response = client_for(tenant, Role.ANALYST).post(
        url("code_add", tenant), {"name": "hearing back", "parent": "", "colour": "#005eb8"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "There is already a code called Hearing back at the top level" in page
    assert 'href="#id_name"' in page
    assert page.count("Hearing back") >= 1
    assert Code.objects.filter(project=tenant.analysis.project).count() == 1


def test_an_empty_name_is_shown_in_the_error_summary(tenant: Tenant) -> None:
    response = client_for(tenant, Role.ANALYST).post(
        url("code_edit", tenant, tenant.analysis.code), {"name": "", "colour": "#005eb8"}
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a name for the code" in page
    assert "<title>Error:" in page


def test_the_lead_changes_a_codes_definition(tenant: Tenant) -> None:
    code = tenant.analysis.code
    response = client_for(tenant, Role.ANALYST).post(
        url("code_edit", tenant, code),
        {
            "name": "Hearing back",
            "description": "Being told what happened",
            "inclusion": "Any feedback",
            "exclusion": "",
            "examples": "They wrote to me",
            "colour": "#007f3b",
        },
    )
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.description == "Being told what happened"
    page = client_for(tenant, Role.STAFF).get(url("code", tenant, code)).content.decode()
    assert "Being told what happened" in page and "They wrote to me" in page


def test_moving_a_code_into_its_own_sub_code_is_not_offered_and_is_refused(
    tenant: Tenant,
) -> None:
    code = tenant.analysis.code
    inside = codebook.add_code(
        by=tenant.users[Role.ANALYST], project=code.project, name="Inside", parent=code
    )
    client = client_for(tenant, Role.ANALYST)
    page = client.get(url("code_move", tenant, code)).content.decode()
    assert "Inside Hearing back &gt; Inside" not in page
    response = client.post(url("code_move", tenant, code), {"parent": str(inside.pk)})
    assert "There is a problem" in response.content.decode()
    code.refresh_from_db()
    assert code.parent is None
    other = codebook.add_code(by=tenant.users[Role.ANALYST], project=code.project, name="Other")
    response = client.post(url("code_move", tenant, code), {"parent": str(other.pk)})
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.parent == other


def test_merging_through_the_page_keeps_the_coding(tenant: Tenant) -> None:
    code = tenant.analysis.code
    target = codebook.add_code(by=tenant.users[Role.ANALYST], project=code.project, name="Heard")
    client = client_for(tenant, Role.ANALYST)
    response = client.post(url("code_merge", tenant, code), {"target": ""})
    assert "Choose the code to merge it into" in response.content.decode()
    response = client.post(url("code_merge", tenant, code), {"target": str(target.pk)})
    assert response["Location"] == url("code", tenant, target)
    assert Segment.objects.filter(code=target).count() == 2
    code.refresh_from_db()
    assert code.merged_into == target
    page = client.get(url("codes", tenant)).content.decode()
    assert "Merged into" in page


def test_splitting_through_the_page_moves_the_chosen_text(tenant: Tenant) -> None:
    code, segment = tenant.analysis.code, tenant.analysis.segment
    client = client_for(tenant, Role.ANALYST)
    page = client.get(url("code_split", tenant, code)).content.decode()
    assert 'type="checkbox"' in page and f'value="{segment.pk}"' in page
    response = client.post(url("code_split", tenant, code), {"name": "Told", "place": "beside"})
    assert "Choose the coded text that moves to the new code" in response.content.decode()
    response = client.post(
        url("code_split", tenant, code),
        {"name": "Told", "place": "inside", "segments": [str(segment.pk)]},
    )
    made = Code.objects.get(name="Told")
    assert response["Location"] == url("code", tenant, made)
    assert made.parent == code
    assert list(Segment.objects.filter(code=made)) == [segment]


def test_retire_and_restore_ask_first_and_keep_the_coding(tenant: Tenant) -> None:
    code = tenant.analysis.code
    client = client_for(tenant, Role.ANALYST)
    assert "Retire the code" in client.get(url("code_retire", tenant, code)).content.decode()
    client.post(url("code_retire", tenant, code))
    code.refresh_from_db()
    assert code.retired
    assert Segment.objects.filter(code=code).count() == 2
    assert "Restore the code" in client.get(url("code_restore", tenant, code)).content.decode()
    client.post(url("code_restore", tenant, code))
    code.refresh_from_db()
    assert not code.retired


def test_codes_are_moved_up_and_down(tenant: Tenant) -> None:
    project = tenant.analysis.project
    second = codebook.add_code(by=tenant.users[Role.ANALYST], project=project, name="Second")
    client = client_for(tenant, Role.ANALYST)
    client.post(url("codes_order", tenant), {"up": str(second.pk)})
    assert [node.code.name for node in codebook.current_tree(project)] == ["Second", "Hearing back"]


def test_a_preset_is_added_from_its_page(tenant: Tenant) -> None:
    client = client_for(tenant, Role.ANALYST)
    page = client.get(url("codes_preset", tenant)).content.decode()
    assert "NHS patient-experience framework (version 7)" in page
    response = client.post(url("codes_preset", tenant), {})
    assert "Choose a ready-made codebook" in response.content.decode()
    client.post(url("codes_preset", tenant), {"preset": "personal-impact"})
    names = set(tenant.analysis.project.codes.values_list("name", flat=True))
    assert {"Motivations and expectations", "Positive aspects", "Challenges"} <= names


def test_a_csv_is_imported_and_downloaded_again(tenant: Tenant) -> None:
    client = client_for(tenant, Role.ANALYST)
    upload = SimpleUploadedFile(
        "codes.csv",
        "Parent,Name,Colour\n,Équipe soignante,#AE2573\nÉquipe soignante,Kindness,\n".encode(),
    )
    response = client.post(url("codes_import", tenant), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 codes added" in page
    download = client.get(url("codes_export_csv", tenant))
    assert download["Content-Disposition"].endswith('codebook.csv"')
    text = download.content.decode("utf-8-sig")
    assert "Équipe soignante,Kindness" in text


def test_a_bad_csv_is_explained_and_nothing_is_added(tenant: Tenant) -> None:
    client = client_for(tenant, Role.ANALYST)
    before = Code.objects.count()
    upload = SimpleUploadedFile("codes.csv", b"Parent,Name\nNowhere,Lost\n")
    response = client.post(url("codes_import", tenant), {"file": upload})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Row 2: its parent Nowhere is neither" in page
    assert 'href="#id_file"' in page
    upload = SimpleUploadedFile("codes.docx", b"PK\x03\x04")
    page = client.post(url("codes_import", tenant), {"file": upload}).content.decode()
    assert "Choose a CSV file (.csv) or a REFI-QDA codebook (.qdc)" in page
    page = client.post(url("codes_import", tenant), {}).content.decode()
    assert "Choose a codebook file" in page
    assert Code.objects.count() == before


def test_a_qdc_is_downloaded_and_imported_with_its_warnings_shown(tenant: Tenant) -> None:
    client = client_for(tenant, Role.STAFF)
    download = client.get(url("codes_export_qdc", tenant))
    read = refiqda.read_qdc(download.content)
    assert [code.name for code in read.codes] == ["Hearing back"]
    data = refiqda.write_qdc(
        refiqda.Codebook(
            [refiqda.Code(guid="6f1c1a53-0000-4000-8000-000000000009", name="Age > 65")]
        )
    )
    response = client_for(tenant, Role.ANALYST).post(
        url("codes_import", tenant), {"file": SimpleUploadedFile("other.qdc", data)}
    )
    page = response.content.decode()
    assert "1 code added" in page
    assert "Check these changes" in page
    assert Code.objects.filter(name="Age / 65").exists()


def test_an_oversized_upload_is_refused_before_it_is_read(tenant: Tenant) -> None:
    big = io.BytesIO(b"Name\n" + b"x" * codebook.MAX_FILE_BYTES)
    upload = SimpleUploadedFile("codes.csv", big.getvalue())
    page = client_for(tenant, Role.ANALYST).post(url("codes_import", tenant), {"file": upload})
    assert "larger than 5 MB" in page.content.decode()
