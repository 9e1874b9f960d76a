"""The codebook and REFI-QDA exchange through the API: the lead analyst changes the codebook and
moves whole projects in and out, the team reads codes as blind coding allows, and bad files are
refused with a JSON error that leaves nothing behind."""

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import LEAD_MEMO, Tenant
from coproduce.accounts.models import User
from coproduce.analysis import refiqda
from coproduce.analysis.models import (
    Code,
    Import,
    Layer,
    Memo,
    Project,
    Segment,
    Source,
    TeamMember,
    TeamRole,
    Theme,
)
from coproduce.analysis.services import codebook, coding
from coproduce.analysis.team import RIGHTS, Right
from coproduce.api.tests.test_analysis import (
    API,
    TEAM,
    auth,
    coder,
    get,
    lead,
    project_path,
    send,
    viewer,
)
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db

CODEBOOK_CSV = (
    "Parent,Name,Description,When to use it,Colour\n"
    ",Équipe soignante,The people who care,Any member of staff,#AE2573\n"
    "Équipe soignante,Kindness,,Warmth shown,\n"
).encode()


def code_path(tenant: Tenant, code: Code | int, rest: str = "") -> str:
    pk = code if isinstance(code, int) else code.pk
    return project_path(tenant, f"/codes/{pk}{rest}")


def post_file(
    client: Client, path: str, user: User, file_name: str, data: bytes, **fields: Any
) -> Any:
    return client.post(
        f"{API}{path}",
        {"file": SimpleUploadedFile(file_name, data), **fields},
        headers=auth(user),
    )


def second_project(tenant: Tenant, *, pseudonymise: bool = True) -> Project:
    project = Project.objects.create(
        organisation=tenant.organisation, name="Second look", pseudonymise=pseudonymise
    )
    TeamMember.objects.create(project=project, user=lead(tenant), role=TeamRole.LEAD)
    TeamMember.objects.create(project=project, user=coder(tenant), role=TeamRole.CODER)
    return project


def tree_of(project: Project) -> set[tuple[str, str, str, str, str]]:
    paths = codebook.paths(project)
    return {
        (paths[code.pk], code.description, code.inclusion, code.colour, str(code.retired))
        for code in Code.objects.filter(project=project)
    }


# Reading a code


def test_a_code_is_read_with_the_coding_and_memos_each_member_may_see(
    client: Client, tenant: Tenant
) -> None:
    analysis = tenant.analysis
    code = analysis.code
    coders_own = Segment.objects.get(coder=coder(tenant), source=analysis.source)
    # On the code and on the lead's coded text: hidden from the rest while coding is blind.
    coding.add_memo(
        by=lead(tenant), project=analysis.project, code=code, segment=analysis.segment, text="Lead"
    )
    coding.add_memo(by=coder(tenant), project=analysis.project, code=code, text="Whole code")
    coding.add_memo(
        by=coder(tenant), project=analysis.project, code=code, segment=coders_own, text="Mine"
    )

    as_lead = get(client, code_path(tenant, code), lead(tenant))
    assert as_lead.status_code == 200, as_lead.content
    body = as_lead.json()
    assert (body["name"], body["path"], body["depth"], body["colour"]) == (
        "Hearing back",
        "Hearing back",
        0,
        "#007f3b",
    )
    assert (body["segments"], body["sources"]) == (2, 1)
    assert {memo["text"] for memo in body["memos"]} == {"Lead", "Whole code", "Mine"}

    as_coder = get(client, code_path(tenant, code), coder(tenant)).json()
    assert as_coder["segments"] == 1
    assert {memo["text"] for memo in as_coder["memos"]} == {"Whole code", "Mine"}
    as_viewer = get(client, code_path(tenant, code), viewer(tenant)).json()
    assert as_viewer["segments"] == 0
    assert {memo["text"] for memo in as_viewer["memos"]} == {"Whole code"}
    assert LEAD_MEMO not in str(as_coder) + str(as_viewer)

    coding.open_comparison(by=lead(tenant), project=analysis.project)
    assert get(client, code_path(tenant, code), viewer(tenant)).json()["segments"] == 2


def test_a_code_is_found_only_in_its_own_project(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = other_tenant.analysis.code
    assert get(client, code_path(tenant, theirs), lead(tenant)).status_code == 404
    assert get(client, code_path(tenant, 0), lead(tenant)).status_code == 404
    path = code_path(tenant, tenant.analysis.code)
    assert get(client, path, lead(other_tenant)).status_code == 404
    assert get(client, path, tenant.users[Role.ADMINISTRATOR]).status_code == 403
    assert client.get(f"{API}{path}").status_code == 401
    changed = send(client, "patch", code_path(tenant, theirs), lead(tenant), {"name": "Mine"})
    assert changed.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Hearing back"


# Changing the codebook


def test_the_lead_adds_a_code_inside_another_and_the_rest_of_the_team_cannot(
    client: Client, tenant: Tenant
) -> None:
    parent = tenant.analysis.code
    body = {
        "name": "  Letters  after   clinic ",
        "parent_id": parent.pk,
        "inclusion": "Any letter",
        "colour": "#AE2573",
    }
    for refused_user in (coder(tenant), viewer(tenant)):
        refused = send(client, "post", project_path(tenant, "/codes"), refused_user, body)
        assert refused.status_code == 403 and refused.json()["detail"]
    added = send(client, "post", project_path(tenant, "/codes"), lead(tenant), body)
    assert added.status_code == 201, added.content
    made = added.json()
    assert made["name"] == "Letters after clinic" and made["colour"] == "#ae2573"
    assert made["path"] == "Hearing back > Letters after clinic" and made["depth"] == 1
    assert made["parent_id"] == parent.pk and made["inclusion"] == "Any letter"
    # The codebook list on the same path still answers GET.
    listed = get(client, project_path(tenant, "/codes"), viewer(tenant)).json()
    assert [(c["name"], c["depth"]) for c in listed] == [
        ("Hearing back", 0),
        ("Letters after clinic", 1),
    ]
    read = get(client, code_path(tenant, parent), coder(tenant)).json()
    assert read["children"] == [{"id": made["id"], "name": "Letters after clinic"}]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"name": "hearing BACK"}, "name", "already a code called Hearing back"),
        ({"name": "   "}, "name", "Enter a name"),
        ({"name": "Staff > Kindness"}, "name", '" > "'),
        ({"name": "x" * 201}, "name", "200 characters"),
        ({"name": "Blue", "colour": "blue"}, "colour", "six hexadecimal digits"),
        ({"name": "Long", "examples": "x" * 4001}, "examples", "4,000 characters"),
        ({"name": "Lost", "parent_id": 0}, "parent_id", "this project's codebook"),
    ],
)
def test_a_bad_code_is_refused_naming_the_field_and_nothing_is_added(
    client: Client, tenant: Tenant, body: dict[str, Any], field: str, words: str
) -> None:
    before = Code.objects.count()
    refused = send(client, "post", project_path(tenant, "/codes"), lead(tenant), body)
    assert refused.status_code == 422, refused.content
    assert refused.json()["field"] == field and words in refused.json()["detail"]
    assert Code.objects.count() == before


def test_codes_are_not_added_inside_another_projects_or_a_retired_code(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    path = project_path(tenant, "/codes")
    theirs = {"name": "Elsewhere", "parent_id": other_tenant.analysis.code.pk}
    refused = send(client, "post", path, lead(tenant), theirs)
    assert refused.status_code == 422 and refused.json()["field"] == "parent_id"
    old = Code.objects.create(project=tenant.analysis.project, name="Old", retired=True)
    inside_old = send(client, "post", path, lead(tenant), {"name": "New", "parent_id": old.pk})
    assert inside_old.status_code == 422 and "retired" in inside_old.json()["detail"]
    assert inside_old.json()["field"] == "parent_id"
    assert not Code.objects.filter(name__in=["Elsewhere", "New"]).exists()


def test_the_lead_changes_a_definition_and_what_is_left_out_stays(
    client: Client, tenant: Tenant
) -> None:
    code = tenant.analysis.code
    code.description = "Being told what happened"
    code.save()
    path = code_path(tenant, code)
    assert send(client, "patch", path, coder(tenant), {"name": "Mine"}).status_code == 403
    changed = send(
        client, "patch", path, lead(tenant), {"name": "Hearing back later", "examples": "Q1"}
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["name"] == "Hearing back later" and body["examples"] == "Q1"
    assert body["description"] == "Being told what happened" and body["colour"] == "#007f3b"
    bad = send(client, "patch", path, lead(tenant), {"colour": "#12345", "name": "Other"})
    assert bad.status_code == 422 and bad.json()["field"] == "colour"
    code.refresh_from_db()
    assert code.name == "Hearing back later"


def test_codes_move_but_never_inside_themselves(client: Client, tenant: Tenant) -> None:
    project = tenant.analysis.project
    top = tenant.analysis.code
    child = codebook.add_code(by=lead(tenant), project=project, name="Child", parent=top)
    into_child = send(
        client, "post", code_path(tenant, top, "/move"), lead(tenant), {"parent_id": child.pk}
    )
    assert into_child.status_code == 422 and into_child.json()["field"] == "parent_id"
    moved = send(
        client, "post", code_path(tenant, child, "/move"), lead(tenant), {"parent_id": None}
    )
    assert moved.status_code == 200 and moved.json()["parent_id"] is None
    assert moved.json()["path"] == "Child"
    assert (
        send(
            client, "post", code_path(tenant, child, "/move"), coder(tenant), {"parent_id": top.pk}
        ).status_code
        == 403
    )
    missing = send(client, "post", code_path(tenant, child, "/move"), lead(tenant), {})
    assert missing.status_code == 422


def test_retiring_keeps_the_coding_and_restoring_brings_the_code_back(
    client: Client, tenant: Tenant
) -> None:
    project = tenant.analysis.project
    code = tenant.analysis.code
    codebook.add_code(by=lead(tenant), project=project, name="Inside", parent=code)
    assert (
        send(client, "post", code_path(tenant, code, "/retire"), coder(tenant)).status_code == 403
    )
    retired = send(client, "post", code_path(tenant, code, "/retire"), lead(tenant))
    assert retired.status_code == 200, retired.content
    assert retired.json()["count"] == 2 and retired.json()["code"]["retired"]
    assert retired.json()["code"]["segments"] == 2
    again = send(client, "post", code_path(tenant, code, "/retire"), lead(tenant))
    assert again.status_code == 422 and "already retired" in again.json()["detail"]
    restored = send(client, "post", code_path(tenant, code, "/restore"), lead(tenant))
    assert restored.status_code == 200 and restored.json()["count"] == 2
    assert not restored.json()["code"]["retired"]
    assert Segment.objects.filter(code=code).count() == 2


def test_merging_moves_the_coding_and_cannot_be_undone_by_restoring(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    analysis = tenant.analysis
    target = codebook.add_code(by=lead(tenant), project=analysis.project, name="Feedback")
    path = code_path(tenant, analysis.code, "/merge")
    for body, field in (
        ({"target_id": analysis.code.pk}, "target_id"),
        ({"target_id": other_tenant.analysis.code.pk}, "target_id"),
        ({"target_id": 0}, "target_id"),
    ):
        refused = send(client, "post", path, lead(tenant), body)
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.content
    assert send(client, "post", path, coder(tenant), {"target_id": target.pk}).status_code == 403
    assert Segment.objects.filter(code=analysis.code).count() == 2

    merged = send(client, "post", path, lead(tenant), {"target_id": target.pk})
    assert merged.status_code == 200, merged.content
    body = merged.json()
    assert (body["moved"], body["dropped"]) == (2, 0)
    assert body["target"]["segments"] == 2
    assert body["target"]["merged"] == [{"id": analysis.code.pk, "name": "Hearing back"}]
    assert Theme.objects.get(pk=analysis.theme.pk).codes.get() == target
    old = get(client, code_path(tenant, analysis.code), coder(tenant)).json()
    assert old["retired"] and old["merged_into_id"] == target.pk
    restore = send(client, "post", code_path(tenant, analysis.code, "/restore"), lead(tenant))
    assert restore.status_code == 422 and "merged into Feedback" in restore.json()["detail"]


def test_splitting_moves_the_chosen_coding_to_new_codes(client: Client, tenant: Tenant) -> None:
    analysis = tenant.analysis
    coders_own = Segment.objects.get(coder=coder(tenant), source=analysis.source)
    path = code_path(tenant, analysis.code, "/split")
    body = {
        "parts": [{"name": "Hearing what changed", "segment_ids": [coders_own.pk]}],
        "inside": True,
    }
    assert send(client, "post", path, coder(tenant), body).status_code == 403
    made = send(client, "post", path, lead(tenant), body)
    assert made.status_code == 201, made.content
    [new] = made.json()
    assert new["path"] == "Hearing back > Hearing what changed"
    assert new["segments"] == 1 and new["colour"] == "#007f3b"
    assert Segment.objects.get(pk=coders_own.pk).code_id == new["id"]
    assert Segment.objects.filter(code=analysis.code).count() == 1
    # The coder sees the coding that moved, and only their own, under the new code.
    as_coder = get(client, code_path(tenant, new["id"]), coder(tenant)).json()
    assert as_coder["segments"] == 1


@pytest.mark.parametrize(
    ("parts", "words"),
    [
        ([{"name": "Empty", "segment_ids": []}], "Choose the coded text"),
        ([{"name": "Hearing back", "segment_ids": ["lead"]}], "already a code called"),
        ([{"name": "Elsewhere", "segment_ids": [0]}], "not coded Hearing back"),
        (
            [
                {"name": "One", "segment_ids": ["lead"]},
                {"name": "one", "segment_ids": ["coder"]},
            ],
            "Two of the new codes",
        ),
        (
            [{"name": "One", "segment_ids": ["lead"]}, {"name": "Two", "segment_ids": ["lead"]}],
            "one new code only",
        ),
    ],
)
def test_a_bad_split_is_refused_and_nothing_moves(
    client: Client, tenant: Tenant, parts: list[dict[str, Any]], words: str
) -> None:
    analysis = tenant.analysis
    ids = {
        "lead": analysis.segment.pk,
        "coder": Segment.objects.get(coder=coder(tenant), source=analysis.source).pk,
    }
    for part in parts:
        part["segment_ids"] = [ids.get(pk, pk) for pk in part["segment_ids"]]
    before = Code.objects.count()
    refused = send(
        client, "post", code_path(tenant, analysis.code, "/split"), lead(tenant), {"parts": parts}
    )
    assert refused.status_code == 422, refused.content
    assert words in refused.json()["detail"] and refused.json()["field"] == "parts"
    assert Code.objects.count() == before
    assert Segment.objects.filter(code=analysis.code).count() == 2
    no_parts = send(
        client, "post", code_path(tenant, analysis.code, "/split"), lead(tenant), {"parts": []}
    )
    assert no_parts.status_code == 422


# Ready-made codebooks


def test_a_preset_is_added_once(client: Client, tenant: Tenant) -> None:
    listed = get(client, project_path(tenant, "/codes/presets"), viewer(tenant))
    assert listed.status_code == 200
    presets = {preset["key"]: preset for preset in listed.json()}
    assert presets["nhs-patient-experience"]["codes"] == 42
    path = project_path(tenant, "/codes/presets/personal-impact")
    assert send(client, "post", path, coder(tenant)).status_code == 403
    added = send(client, "post", path, lead(tenant))
    assert added.status_code == 200, added.content
    assert [code["name"] for code in added.json()["added"]] == [
        "Motivations and expectations",
        "Positive aspects",
        "Challenges",
    ]
    again = send(client, "post", path, lead(tenant)).json()
    assert again["added"] == [] and again["present"] == 3
    assert again["message"] == "0 codes added; 3 were there already"
    unknown = send(client, "post", project_path(tenant, "/codes/presets/nope"), lead(tenant))
    assert unknown.status_code == 422 and unknown.json()["field"] == "preset"


# Codebook files


def test_a_csv_codebook_goes_in_comes_out_and_into_another_project(
    client: Client, tenant: Tenant
) -> None:
    imported = post_file(
        client, project_path(tenant, "/codes/import"), lead(tenant), "codes.csv", CODEBOOK_CSV
    )
    assert imported.status_code == 200, imported.content
    assert [c["name"] for c in imported.json()["added"]] == ["Équipe soignante", "Kindness"]
    assert imported.json()["message"] == "2 codes added"

    download = get(client, project_path(tenant, "/codes/export.csv"), viewer(tenant))
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        download["Content-Disposition"]
        == 'attachment; filename="why-people-stay-involved-codebook.csv"'
    )
    text = download.content.decode("utf-8-sig")
    assert "Équipe soignante,Kindness,,Warmth shown," in text

    # The same file again adds nothing; into a second project, it makes the same codebook.
    again = post_file(
        client,
        project_path(tenant, "/codes/import"),
        lead(tenant),
        "codebook.csv",
        download.content,
    )
    assert again.json()["added"] == [] and again.json()["present"] == 3
    second = second_project(tenant)
    copied = post_file(
        client,
        f"/projects/{second.pk}/codes/import",
        lead(tenant),
        "codebook.csv",
        download.content,
    )
    assert copied.status_code == 200 and len(copied.json()["added"]) == 3
    assert tree_of(second) == tree_of(tenant.analysis.project)


def test_a_qdc_codebook_comes_out_for_the_team_and_goes_in_with_its_warnings(
    client: Client, tenant: Tenant
) -> None:
    download = get(client, project_path(tenant, "/codes/export.qdc"), coder(tenant))
    assert download.status_code == 200 and download["Content-Type"] == "application/xml"
    assert download["Content-Disposition"].endswith('-codebook.qdc"')
    assert [code.name for code in refiqda.read_qdc(download.content).codes] == ["Hearing back"]
    other = refiqda.write_qdc(
        refiqda.Codebook(
            [refiqda.Code(guid="6f1c1a53-0000-4000-8000-000000000009", name="Age > 65")]
        )
    )
    second = second_project(tenant)
    imported = post_file(
        client, f"/projects/{second.pk}/codes/import", lead(tenant), "other.qdc", other
    )
    assert imported.status_code == 200, imported.content
    assert [code["name"] for code in imported.json()["added"]] == ["Age / 65"]
    assert any('" > " was replaced' in warning for warning in imported.json()["warnings"])
    empty = get(client, f"/projects/{second_project(tenant).pk}/codes/export.qdc", lead(tenant))
    assert empty.status_code == 422 and "no codes" in empty.json()["detail"]


@pytest.mark.parametrize(
    ("file_name", "data", "words"),
    [
        ("codes.csv", b"Parent,Name\nNowhere,Lost\n", "Row 2: its parent Nowhere is neither"),
        ("codes.csv", b"Name,Colour\nBlue,blue\n", "Row 2: Enter the colour"),
        ("codes.csv", b"Title\nStaff\n", 'a "Name" column'),
        ("codes.csv", b"Name\nStaff\nstaff\n", "Rows 2 and 3 both add a code called staff"),
        ("codes.docx", b"PK\x03\x04", "Choose a CSV file (.csv) or a REFI-QDA codebook (.qdc)"),
        ("codes.qdc", b"<CodeBook", "REFI-QDA"),
        ("codes.csv", b"Name\n" + b"x" * codebook.MAX_FILE_BYTES, "larger than 5 MB"),
    ],
)
def test_a_bad_codebook_file_is_refused_and_nothing_is_added(
    client: Client, tenant: Tenant, file_name: str, data: bytes, words: str
) -> None:
    before = Code.objects.count()
    refused = post_file(
        client, project_path(tenant, "/codes/import"), lead(tenant), file_name, data
    )
    assert refused.status_code == 422, refused.content
    assert refused.json()["field"] == "file" and words in refused.json()["detail"]
    assert Code.objects.count() == before


def test_a_codebook_import_needs_a_file_and_the_lead(client: Client, tenant: Tenant) -> None:
    path = project_path(tenant, "/codes/import")
    assert client.post(f"{API}{path}", {}, headers=auth(lead(tenant))).status_code == 422
    empty = post_file(client, path, lead(tenant), "codes.csv", b"")
    assert empty.status_code == 422 and empty.json()["field"] == "file"
    assert post_file(client, path, coder(tenant), "codes.csv", CODEBOOK_CSV).status_code == 403
    assert not Code.objects.filter(name="Kindness").exists()


# Whole projects through REFI-QDA


def test_only_the_lead_downloads_the_whole_project(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    path = project_path(tenant, "/export.qdpx")
    download = get(client, path, lead(tenant))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.refi-qda+zip"
    assert download["Content-Disposition"] == 'attachment; filename="Why people stay involved.qdpx"'
    exported = refiqda.read_qdpx(download.content)
    assert exported.name == "Why people stay involved"
    # Everyone's coding is in it, even while coding is blind, and sources under review are not.
    assert {source.name for source in exported.sources} == {"Focus group one", "Survey, row 2"}
    for user in (coder(tenant), viewer(tenant), tenant.users[Role.ADMINISTRATOR]):
        refused = get(client, path, user)
        assert refused.status_code == 403 and "Jenny" not in refused.content.decode()
    assert get(client, path, lead(other_tenant)).status_code == 404
    assert client.get(f"{API}{path}").status_code == 401


def test_a_project_exported_through_the_api_imports_into_another_whole(
    client: Client, tenant: Tenant
) -> None:
    original = tenant.analysis.project
    data = get(client, project_path(tenant, "/export.qdpx"), lead(tenant)).content
    second = second_project(tenant)
    path = f"/projects/{second.pk}/import"

    # The second project pseudonymises: imported texts need the lead's confirmation.
    unconfirmed = post_file(client, path, lead(tenant), "why.qdpx", data)
    assert unconfirmed.status_code == 422, unconfirmed.content
    assert unconfirmed.json()["field"] == "texts_checked"
    assert "may be shown to the team" in unconfirmed.json()["detail"]
    assert not Import.objects.filter(project=second).exists()
    assert (
        post_file(client, path, coder(tenant), "why.qdpx", data, texts_checked="true").status_code
        == 403
    )

    imported = post_file(client, path, lead(tenant), "why.qdpx", data, texts_checked="true")
    assert imported.status_code == 200, imported.content
    summary = imported.json()
    assert summary["what"] == "project" and summary["file_name"] == "why.qdpx"
    assert (summary["codes_created"], summary["sources_created"], summary["segments_created"]) == (
        1,
        2,
        2,
    )
    assert summary["warnings"] == []
    assert {(c["name"], c["matched"], c["segments"]) for c in summary["coders"]} == {
        (lead(tenant).get_full_name(), lead(tenant).get_full_name(), 1),
        (coder(tenant).get_full_name(), coder(tenant).get_full_name(), 1),
    }
    texts = dict(Source.objects.filter(project=second).values_list("name", "text"))
    assert texts == dict(
        Source.objects.filter(project=original).visible().values_list("name", "text")
    )
    coded = {
        (s.source.name, s.code.name, s.start, s.end, s.coder_id, s.layer)
        for s in Segment.objects.filter(project=second)
    }
    assert coded == {
        (s.source.name, s.code.name, s.start, s.end, s.coder_id, s.layer)
        for s in Segment.objects.filter(project=original)
    }
    assert Memo.objects.filter(project=second, text=LEAD_MEMO).exists()

    # The import is recorded with its summary, and importing again adds nothing.
    recorded = get(
        client, f"/projects/{second.pk}/imports/{summary['import_id']}/summary", lead(tenant)
    )
    assert recorded.status_code == 200 and recorded.json() == summary
    assert (
        get(
            client, f"/projects/{second.pk}/imports/{summary['import_id']}/summary", coder(tenant)
        ).status_code
        == 403
    )
    again = post_file(client, path, lead(tenant), "why.qdpx", data, texts_checked="true").json()
    assert again["segments_created"] == 0 and again["segments_already_there"] == 2
    assert Segment.objects.filter(project=second, layer=Layer.CODER).count() == 2


def test_a_codebook_sent_to_the_project_import_goes_into_the_codebook(
    client: Client, tenant: Tenant
) -> None:
    qdc = refiqda.write_qdc(
        refiqda.Codebook([refiqda.Code("0d3e5f70-1a2b-4c3d-8e9f-000000000001", "Aros")])
    )
    second = second_project(tenant)
    imported = post_file(client, f"/projects/{second.pk}/import", lead(tenant), "c.qdc", qdc)
    assert imported.status_code == 200, imported.content
    assert imported.json()["what"] == "codebook" and imported.json()["import_id"] is None
    assert imported.json()["codes_created"] == 1
    assert Code.objects.filter(project=second, name="Aros").exists()
    # Only imports of projects from other tools have a summary.
    under_review = tenant.analysis.under_review
    assert (
        get(client, project_path(tenant, f"/imports/{under_review.pk}/summary"), lead(tenant))
    ).status_code == 404


def broken_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"<w/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("file_name", "data", "words"),
    [
        ("x.qdpx", b"PK\x03\x04broken", "not a readable zip file"),
        ("notes.pdf", b"%PDF-1.7\n%binary", "not a REFI-QDA project"),
        ("notes.docx", broken_zip(), "no project file"),
        ("page.qde", b'<?xml version="1.0"?><html/>', "not a REFI-QDA"),
        ("empty.qdpx", b"", "The file is empty"),
    ],
)
def test_a_bad_project_file_is_refused_and_leaves_nothing(
    client: Client, tenant: Tenant, file_name: str, data: bytes, words: str
) -> None:
    second = second_project(tenant, pseudonymise=False)
    before = {model: model.objects.count() for model in (Code, Source, Segment, Import, Memo)}
    refused = post_file(client, f"/projects/{second.pk}/import", lead(tenant), file_name, data)
    assert refused.status_code == 422, refused.content
    assert refused.json()["field"] == "file" and words in refused.json()["detail"]
    assert {model: model.objects.count() for model in before} == before


def test_an_oversized_project_file_is_refused_before_it_is_read(
    client: Client, tenant: Tenant, settings: Any
) -> None:
    settings.ANALYSIS_MAX_DATASET_BYTES = 1024 * 1024
    refused = post_file(
        client,
        project_path(tenant, "/import"),
        lead(tenant),
        "big.qdpx",
        b"PK" + b"0" * (1024 * 1024 + 1),
        texts_checked="true",
    )
    assert refused.status_code == 422 and "larger than 1 MB" in refused.json()["detail"]
    assert not Import.objects.filter(file_name="big.qdpx").exists()


# Every read, every role, two organisations


READS: list[tuple[str, Right]] = [
    ("/codes/{code}", Right.VIEW),
    ("/codes/presets", Right.VIEW),
    ("/codes/export.csv", Right.VIEW),
    ("/codes/export.qdc", Right.VIEW),
    ("/export.qdpx", Right.LEAD),
]


def test_every_read_follows_the_team_rules_for_every_role(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    analysis = tenant.analysis
    paths = [
        (f"/projects/{analysis.project.pk}{path.format(code=analysis.code.pk)}", right)
        for path, right in READS
    ]
    for owner in (tenant, other_tenant):
        for role in Role:
            user = owner.users[role]
            team_role = TEAM.get(role) if owner is tenant else None
            for path, right in paths:
                response = get(client, path, user)
                if owner is other_tenant:
                    expected = 404
                elif team_role is not None and right in RIGHTS[team_role]:
                    expected = 200
                else:
                    expected = 403
                assert response.status_code == expected, f"{path} as {role}: {response.status_code}"
                if team_role != TeamRole.LEAD:
                    assert LEAD_MEMO not in response.content.decode(), f"{path} as {role}"


def test_the_openapi_document_lists_the_codebook_and_exchange_operations(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    project = f"{API}/projects/{{project_id}}"
    assert {"get", "post"} <= set(paths[f"{project}/codes"])
    assert {"get", "patch"} <= set(paths[f"{project}/codes/{{code_id}}"])
    for action in ("move", "retire", "restore", "merge", "split"):
        assert "post" in paths[f"{project}/codes/{{code_id}}/{action}"]
    for upload in ("/codes/import", "/import"):
        content = paths[f"{project}{upload}"]["post"]["requestBody"]["content"]
        assert "multipart/form-data" in content
    exported = paths[f"{project}/export.qdpx"]["get"]["responses"]["200"]["content"]
    assert "application/vnd.refi-qda+zip" in exported
    assert (
        "text/csv; charset=utf-8"
        in paths[f"{project}/codes/export.csv"]["get"]["responses"]["200"]["content"]
    )
