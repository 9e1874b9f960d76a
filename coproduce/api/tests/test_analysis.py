"""Analysis projects through the API: the team's rules, blind coding, review before release."""

import io
from collections.abc import Callable
from typing import Any, get_args

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document

from conftest import LEAD_MEMO, Tenant
from coproduce.accounts.models import User
from coproduce.accounts.services import issue_api_token
from coproduce.analysis.models import (
    Code,
    Decision,
    Import,
    Layer,
    Project,
    Replacement,
    Segment,
    Source,
    TeamMember,
    TeamRole,
)
from coproduce.analysis.services import coding
from coproduce.analysis.team import RIGHTS, Right
from coproduce.api import schemas_analysis as schemas
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db

API = "/api/v1/analysis"


def auth(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user=user)}"}


def get(client: Client, path: str, user: User) -> Any:
    return client.get(f"{API}{path}", headers=auth(user))


def send(client: Client, method: str, path: str, user: User, body: Any = None) -> Any:
    call = getattr(client, method)
    return call(
        f"{API}{path}",
        body if body is not None else {},
        content_type="application/json",
        headers=auth(user),
    )


def lead(tenant: Tenant) -> User:
    return tenant.users[Role.ANALYST]


def coder(tenant: Tenant) -> User:
    return tenant.users[Role.STAFF]


def viewer(tenant: Tenant) -> User:
    return tenant.users[Role.INVOLVEMENT_LEAD]


def project_path(tenant: Tenant, rest: str = "") -> str:
    return f"/projects/{tenant.analysis.project.pk}{rest}"


# Projects and teams


def test_projects_are_listed_for_their_team_with_the_callers_role(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    project = tenant.analysis.project
    mine = get(client, "/projects", lead(tenant))
    assert mine.status_code == 200
    [item] = mine.json()["items"]
    assert item["id"] == project.pk and item["role"] == "lead" and item["coding_is_blind"]
    assert get(client, "/projects", coder(tenant)).json()["items"][0]["role"] == "coder"
    # An administrator of the organisation who is not on the team does not see it.
    assert get(client, "/projects", tenant.users[Role.ADMINISTRATOR]).json()["count"] == 0
    assert get(client, "/projects", tenant.member).status_code == 403
    theirs = get(client, "/projects", lead(other_tenant)).json()["items"]
    assert project.pk not in {item["id"] for item in theirs}
    assert client.get(f"{API}/projects").status_code == 401


def test_an_analyst_starts_a_project_and_leads_it(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    body = {"organisation_id": tenant.organisation.pk, "name": "  Waiting times  "}
    started = send(client, "post", "/projects", lead(tenant), body)
    assert started.status_code == 201, started.content
    assert started.json()["name"] == "Waiting times" and started.json()["role"] == "lead"
    project = Project.objects.get(pk=started.json()["id"])
    assert project.blind and project.pseudonymise
    assert project.team.get().user == lead(tenant)
    # Staff may code on a team but not start projects; nobody starts one in another organisation.
    assert send(client, "post", "/projects", coder(tenant), body).status_code == 403
    theirs = {"organisation_id": other_tenant.organisation.pk, "name": "Elsewhere"}
    assert send(client, "post", "/projects", lead(tenant), theirs).status_code == 404
    nameless = send(client, "post", "/projects", lead(tenant), body | {"name": "  "})
    assert nameless.status_code == 422
    assert Project.objects.filter(name="Elsewhere").count() == 0


def test_only_the_lead_changes_the_settings_and_the_rest_stays(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    path = project_path(tenant)
    assert get(client, path, viewer(tenant)).json()["role"] == "viewer"
    assert get(client, path, tenant.users[Role.ADMINISTRATOR]).status_code == 403
    assert get(client, path, lead(other_tenant)).status_code == 404
    assert send(client, "patch", path, coder(tenant), {"name": "Mine now"}).status_code == 403
    changed = send(client, "patch", path, lead(tenant), {"name": "Staying involved", "blind": None})
    assert changed.status_code == 200
    assert changed.json()["name"] == "Staying involved" and changed.json()["blind"] is True
    tenant.analysis.project.refresh_from_db()
    assert tenant.analysis.project.name == "Staying involved"


def test_the_lead_chooses_the_team(client: Client, tenant: Tenant, other_tenant: Tenant) -> None:
    project = tenant.analysis.project
    listed = get(client, project_path(tenant, "/team"), viewer(tenant))
    assert {(m["user_id"], m["role"]) for m in listed.json()} == {
        (lead(tenant).pk, "lead"),
        (coder(tenant).pk, "coder"),
        (viewer(tenant).pk, "viewer"),
    }
    admin = tenant.users[Role.ADMINISTRATOR]
    path = project_path(tenant, f"/team/{admin.pk}")
    assert send(client, "put", path, coder(tenant), {"role": "coder"}).status_code == 403
    added = send(client, "put", path, lead(tenant), {"role": "coder"})
    assert added.status_code == 200 and added.json()["role"] == "coder"
    assert send(client, "put", path, lead(tenant), {"role": "owner"}).status_code == 422
    # Someone from another organisation, or a member of the public, cannot join.
    for stranger in (lead(other_tenant), tenant.member):
        refused = send(
            client,
            "put",
            project_path(tenant, f"/team/{stranger.pk}"),
            lead(tenant),
            {"role": "viewer"},
        )
        assert refused.status_code == 422 and refused.json()["field"] == "user_id"
    removed = send(client, "delete", path, lead(tenant))
    assert removed.status_code == 204
    assert not TeamMember.objects.filter(project=project, user=admin).exists()
    # The last lead cannot leave, nor be made something else.
    alone = send(client, "delete", project_path(tenant, f"/team/{lead(tenant).pk}"), lead(tenant))
    assert alone.status_code == 422 and "lead analyst" in alone.json()["detail"]
    assert send(client, "delete", path, lead(tenant)).status_code == 404


# Sources, imports and review


def test_coders_list_released_sources_and_the_lead_sees_those_under_review(
    client: Client, tenant: Tenant
) -> None:
    analysis = tenant.analysis
    seen = get(client, project_path(tenant, "/sources"), coder(tenant)).json()
    assert [item["name"] for item in seen["items"]] == ["Focus group one"]
    assert seen["items"][0]["released"] and seen["items"][0]["length"] == len(analysis.source.text)
    everything = get(client, project_path(tenant, "/sources"), lead(tenant)).json()["items"]
    assert {(item["name"], item["released"]) for item in everything} == {
        ("Focus group one", True),
        ("Interview", False),
    }
    responses = get(client, project_path(tenant, "/sources?kind=response"), viewer(tenant)).json()
    assert [item["id"] for item in responses["items"]] == [analysis.response.pk]
    assert get(client, project_path(tenant, "/sources?kind=video"), lead(tenant)).status_code == 422


def test_a_source_is_read_whole_and_its_original_words_are_the_leads(
    client: Client, tenant: Tenant
) -> None:
    analysis = tenant.analysis
    read = get(client, project_path(tenant, f"/sources/{analysis.source.pk}"), viewer(tenant))
    assert read.status_code == 200
    assert read.json()["text"] == analysis.source.text and read.json()["original_text"] is None
    hidden = analysis.under_review.sources.get()
    assert (
        get(client, project_path(tenant, f"/sources/{hidden.pk}"), coder(tenant)).status_code == 404
    )
    reviewed = get(client, project_path(tenant, f"/sources/{hidden.pk}"), lead(tenant)).json()
    assert "Jenny" not in reviewed["text"] and "Jenny" in reviewed["original_text"]
    response = get(
        client, project_path(tenant, f"/sources/{analysis.response.pk}"), coder(tenant)
    ).json()
    attribute = str(analysis.attribute.pk)
    assert response["values"] == {attribute: "Radiotherapy"}
    assert response["attributes"][0]["name"] == "Service"
    assert response["case"]["name"] == "P1" and response["case"]["values"] == {attribute: "Clinic"}


def test_pasted_text_waits_for_review_when_something_was_replaced(
    client: Client, tenant: Tenant
) -> None:
    path = project_path(tenant, "/sources/text")
    plain = send(client, "post", path, lead(tenant), {"name": "Notes", "text": "All went well."})
    assert plain.status_code == 201 and plain.json()["status"] == "released"
    named = send(
        client, "post", path, lead(tenant), {"name": "Call", "text": "Ring 07700 900123 today."}
    )
    assert named.json()["status"] == "review" and named.json()["name"] == "Call"
    kept = send(
        client,
        "post",
        path,
        lead(tenant),
        {"name": "Raw", "text": "Ring 07700 900123 today.", "pseudonymise": False},
    )
    assert kept.json()["status"] == "released" and not kept.json()["pseudonymised"]
    assert send(client, "post", path, coder(tenant), {"name": "X", "text": "Y"}).status_code == 403
    nul = send(client, "post", path, lead(tenant), {"name": "Bad", "text": "a\u0000b"})
    assert nul.status_code == 422 and nul.json()["field"] == "text"
    assert not Source.objects.filter(name="Bad").exists()


def upload(
    client: Client, tenant: Tenant, user: User, file_name: str, data: bytes, **options: Any
) -> Any:
    return client.post(
        f"{API}{project_path(tenant, '/imports')}",
        {"file": SimpleUploadedFile(file_name, data), **options},
        headers=auth(user),
    )


def test_a_file_is_imported_in_the_background_and_followed_to_the_end(
    client: Client, tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        started = upload(
            client, tenant, lead(tenant), "notes.txt", b"The letters came late.", name="Letters"
        )
    assert started.status_code == 202, started.content
    imported = started.json()
    followed = get(client, project_path(tenant, f"/imports/{imported['id']}"), lead(tenant))
    assert followed.json()["status"] == "released"
    assert followed.json()["rows_done"] == 1
    made = get(
        client, project_path(tenant, f"/sources?import_id={imported['id']}"), coder(tenant)
    ).json()["items"]
    assert [item["name"] for item in made] == ["Letters"]
    newest = get(client, project_path(tenant, "/imports"), lead(tenant)).json()["items"][0]
    assert newest["id"] == imported["id"] and newest["file_name"] == "notes.txt"
    assert (
        get(client, project_path(tenant, f"/imports/{imported['id']}"), coder(tenant)).status_code
        == 403
    )


def test_a_survey_export_becomes_responses_with_attributes(
    client: Client, tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    export = b"Comment,Service,Score\nThe nurses were kind,Clinic,5\nParking was awful,Ward,2\n"
    with django_capture_on_commit_callbacks(execute=True):
        started = upload(
            client,
            tenant,
            lead(tenant),
            "fft.csv",
            export,
            text_column="Comment",
            attribute_columns=["Service", "Score"],
            pseudonymise="false",
        )
    assert started.status_code == 202, started.content
    datasets = get(client, project_path(tenant, "/datasets"), coder(tenant)).json()["items"]
    [fft] = [dataset for dataset in datasets if dataset["name"] == "fft"]
    assert fft["rows"] == 2 and {a["name"] for a in fft["attributes"]} == {"Service", "Score"}
    rows = get(
        client, project_path(tenant, f"/datasets/{fft['id']}/responses"), coder(tenant)
    ).json()["items"]
    service = next(str(a["id"]) for a in fft["attributes"] if a["name"] == "Service")
    assert [(row["text"], row["values"][service]) for row in rows] == [
        ("The nurses were kind", "Clinic"),
        ("Parking was awful", "Ward"),
    ]


def test_a_file_coproduce_cannot_read_is_refused_with_a_json_error(
    client: Client, tenant: Tenant
) -> None:
    refused = upload(client, tenant, lead(tenant), "notes.rtf", b"{\\rtf1 Hello}")
    assert refused.status_code == 422
    assert refused.json()["field"] == "file" and ".rtf" in refused.json()["detail"]
    no_column = upload(client, tenant, lead(tenant), "fft.csv", b"Comment\nFine\n")
    assert no_column.status_code == 422 and no_column.json()["field"] == "text_column"
    missing = client.post(
        f"{API}{project_path(tenant, '/imports')}", {}, headers=auth(lead(tenant))
    )
    assert missing.status_code == 422
    assert upload(client, tenant, coder(tenant), "a.txt", b"Hello").status_code == 403
    assert not Import.objects.filter(file_name__in=["notes.rtf", "fft.csv", "a.txt"]).exists()


def test_a_corrupt_document_ends_failed_with_the_reason_and_leaves_nothing(
    client: Client, tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        started = upload(client, tenant, lead(tenant), "minutes.docx", b"PK\x03\x04 not a zip")
    assert started.status_code == 202
    failed = get(client, project_path(tenant, f"/imports/{started.json()['id']}"), lead(tenant))
    assert failed.json()["status"] == "failed" and failed.json()["error"]
    assert not Source.objects.filter(source_import_id=started.json()["id"]).exists()


def test_a_word_document_keeps_its_text(
    client: Client, tenant: Tenant, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    document = Document()
    document.add_paragraph("Café staff were welcoming.")
    stream = io.BytesIO()
    document.save(stream)
    with django_capture_on_commit_callbacks(execute=True):
        started = upload(client, tenant, lead(tenant), "minutes.docx", stream.getvalue())
    source = Source.objects.get(source_import_id=started.json()["id"])
    read = get(client, project_path(tenant, f"/sources/{source.pk}"), coder(tenant)).json()
    assert "Café staff were welcoming." in read["text"]


def test_the_lead_reviews_replacements_keeps_some_words_and_releases(
    client: Client, tenant: Tenant
) -> None:
    under_review = tenant.analysis.under_review
    path = project_path(tenant, f"/imports/{under_review.pk}")
    assert get(client, f"{path}/replacements", coder(tenant)).status_code == 403
    replaced = get(client, f"{path}/replacements", lead(tenant)).json()["items"]
    [name] = [item for item in replaced if item["kind"] == "name"]
    assert name["original"] == "Jenny Okafor" and name["source_name"] == "Interview"
    unknown = send(client, "post", f"{path}/keep", lead(tenant), {"replacement_ids": [0]})
    assert unknown.status_code == 422 and unknown.json()["field"] == "replacement_ids"
    kept = send(client, "post", f"{path}/keep", lead(tenant), {"replacement_ids": [name["id"]]})
    assert kept.json() == {"kept": 1}
    assert send(client, "post", f"{path}/release", coder(tenant)).status_code == 403
    released = send(client, "post", f"{path}/release", lead(tenant))
    assert released.status_code == 200 and released.json()["status"] == "released"
    source = under_review.sources.get()
    read = get(client, project_path(tenant, f"/sources/{source.pk}"), coder(tenant)).json()
    assert "Jenny Okafor" in read["text"]
    again = send(client, "post", f"{path}/release", lead(tenant))
    assert again.status_code == 422
    assert Replacement.objects.get(pk=name["id"]).original == ""


# Responses, codes and coding


def test_a_response_is_coded_in_one_call_and_again_to_take_it_off(
    client: Client, tenant: Tenant
) -> None:
    analysis = tenant.analysis
    path = project_path(tenant, f"/responses/{analysis.response.pk}/code")
    body = {"code_id": analysis.code.pk}
    coded = send(client, "post", path, coder(tenant), body)
    assert coded.status_code == 200 and coded.json()["codes"] == [analysis.code.pk]
    listed = get(
        client, project_path(tenant, f"/datasets/{analysis.dataset.pk}/responses"), coder(tenant)
    ).json()["items"]
    assert listed[0]["codes"] == [analysis.code.pk]
    # The lead has not coded it: their list shows their own codes only.
    theirs = get(
        client, project_path(tenant, f"/datasets/{analysis.dataset.pk}/responses"), lead(tenant)
    ).json()["items"]
    assert theirs[0]["codes"] == []
    uncoded = get(
        client,
        project_path(tenant, f"/datasets/{analysis.dataset.pk}/responses?uncoded=true"),
        coder(tenant),
    ).json()
    assert uncoded["count"] == 0
    assert send(client, "post", path, coder(tenant), body).json()["codes"] == []
    assert send(client, "post", path, viewer(tenant), body).status_code == 403
    unknown = send(client, "post", path, coder(tenant), {"code_id": 0})
    assert unknown.status_code == 422 and unknown.json()["field"] == "code_id"


def test_the_codebook_is_read_as_a_flat_tree(client: Client, tenant: Tenant) -> None:
    project = tenant.analysis.project
    parent = tenant.analysis.code
    child = Code.objects.create(project=project, parent=parent, name="Told what changed")
    old = Code.objects.create(project=project, name="Another", position=5, retired=True)
    codes = get(client, project_path(tenant, "/codes"), viewer(tenant)).json()
    assert [(c["id"], c["parent_id"], c["depth"]) for c in codes] == [
        (parent.pk, None, 0),
        (child.pk, parent.pk, 1),
        (old.pk, None, 0),
    ]
    assert codes[0]["colour"] == "#007f3b" and codes[2]["retired"]


def segment_ids(client: Client, tenant: Tenant, user: User, query: str = "") -> set[int]:
    body = get(client, project_path(tenant, f"/segments{query}"), user).json()
    return {item["id"] for item in body["items"]}


def test_blind_coding_a_coder_never_sees_the_leads_segments(client: Client, tenant: Tenant) -> None:
    analysis = tenant.analysis
    coders_own = Segment.objects.get(coder=coder(tenant), source=analysis.source)
    assert segment_ids(client, tenant, coder(tenant)) == {coders_own.pk}
    assert segment_ids(client, tenant, coder(tenant), f"?coder={lead(tenant).pk}") == set()
    assert segment_ids(client, tenant, viewer(tenant)) == set()
    assert segment_ids(client, tenant, lead(tenant)) == {analysis.segment.pk, coders_own.pk}
    item = get(client, project_path(tenant, "/segments"), lead(tenant)).json()["items"][0]
    assert item["text"] == analysis.source.text[item["start"] : item["end"]]
    # Once the lead opens the comparison the team sees each other's coding.
    coding.open_comparison(by=lead(tenant), project=analysis.project)
    assert segment_ids(client, tenant, coder(tenant)) == {analysis.segment.pk, coders_own.pk}


def test_a_coder_codes_a_passage_once(client: Client, tenant: Tenant) -> None:
    analysis = tenant.analysis
    body = {"source_id": analysis.source.pk, "code_ids": [analysis.code.pk], "start": 0, "end": 11}
    made = send(client, "post", project_path(tenant, "/segments"), coder(tenant), body)
    assert made.status_code == 201, made.content
    [segment] = made.json()
    assert segment["text"] == "Interviewer" and segment["coder_id"] == coder(tenant).pk
    again = send(client, "post", project_path(tenant, "/segments"), coder(tenant), body)
    assert again.status_code == 200 and [s["id"] for s in again.json()] == [segment["id"]]
    assert (
        send(client, "post", project_path(tenant, "/segments"), viewer(tenant), body).status_code
        == 403
    )


def test_non_ascii_offsets_count_characters(client: Client, tenant: Tenant) -> None:
    pasted = send(
        client,
        "post",
        project_path(tenant, "/sources/text"),
        lead(tenant),
        {
            "name": "Café",
            "text": "Naïve café chat 🙂\r\nThe nurse\u2019s reply.",
            "pseudonymise": False,
        },
    )
    source = Source.objects.get(source_import_id=pasted.json()["id"])
    start = source.text.index("nurse")
    body = {
        "source_id": source.pk,
        "code_ids": [tenant.analysis.code.pk],
        "start": start,
        "end": start + len("nurse\u2019s"),
    }
    made = send(client, "post", project_path(tenant, "/segments"), coder(tenant), body)
    assert made.json()[0]["text"] == "nurse\u2019s"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": 70, "end": 500}, "start"),
        ({"start": 20, "end": 10}, "start"),
        ({"start": -1}, None),
        ({"code_ids": [0]}, "code_ids"),
        ({"code_ids": []}, None),
        ({"source_id": 0}, "source_id"),
    ],
)
def test_bad_coding_is_refused_naming_the_field(
    client: Client, tenant: Tenant, change: dict[str, Any], field: str | None
) -> None:
    analysis = tenant.analysis
    before = Segment.objects.count()
    body = {"source_id": analysis.source.pk, "code_ids": [analysis.code.pk], "start": 0, "end": 5}
    refused = send(client, "post", project_path(tenant, "/segments"), coder(tenant), body | change)
    assert refused.status_code == 422, refused.content
    if field:
        assert refused.json()["field"] == field and refused.json()["detail"]
    assert Segment.objects.count() == before


def test_codes_from_elsewhere_retired_codes_and_hidden_sources_are_refused(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    analysis = tenant.analysis
    retired = Code.objects.create(project=analysis.project, name="Old", retired=True)
    path = project_path(tenant, "/segments")
    body = {"source_id": analysis.source.pk, "start": 0, "end": 5}
    theirs = send(
        client, "post", path, coder(tenant), body | {"code_ids": [other_tenant.analysis.code.pk]}
    )
    assert theirs.status_code == 422 and theirs.json()["field"] == "code_ids"
    old = send(client, "post", path, coder(tenant), body | {"code_ids": [retired.pk]})
    assert old.status_code == 422 and "retired" in old.json()["detail"]
    hidden = analysis.under_review.sources.get()
    unseen = body | {"source_id": hidden.pk, "code_ids": [analysis.code.pk]}
    assert send(client, "post", path, coder(tenant), unseen).json()["field"] == "source_id"
    # The lead can see it, and is told why it cannot be coded yet.
    waiting = send(client, "post", path, lead(tenant), unseen)
    assert waiting.status_code == 422 and "released" in waiting.json()["detail"]


def test_coders_remove_their_own_coding_only(client: Client, tenant: Tenant) -> None:
    analysis = tenant.analysis
    leads = project_path(tenant, f"/segments/{analysis.segment.pk}")
    # Hidden while blind, so not even found.
    assert send(client, "delete", leads, coder(tenant)).status_code == 404
    own = Segment.objects.get(coder=coder(tenant), source=analysis.source)
    coding.open_comparison(by=lead(tenant), project=analysis.project)
    refused = send(client, "delete", leads, coder(tenant))
    assert refused.status_code == 403 and refused.json()["detail"]
    assert (
        send(
            client, "delete", project_path(tenant, f"/segments/{own.pk}"), coder(tenant)
        ).status_code
        == 204
    )
    assert not Segment.objects.filter(pk=own.pk).exists()
    assert send(client, "delete", leads, viewer(tenant)).status_code == 403


def test_memos_follow_blind_coding(client: Client, tenant: Tenant) -> None:
    analysis = tenant.analysis
    path = project_path(tenant, "/memos")
    assert LEAD_MEMO not in get(client, path, coder(tenant)).content.decode()
    assert LEAD_MEMO in get(client, path, lead(tenant)).content.decode()
    own = Segment.objects.get(coder=coder(tenant), source=analysis.source)
    added = send(client, "post", path, coder(tenant), {"text": " Hopeful ", "segment_id": own.pk})
    assert added.status_code == 201 and added.json()["text"] == "Hopeful"
    on_leads = send(
        client, "post", path, coder(tenant), {"text": "Hm", "segment_id": analysis.segment.pk}
    )
    assert on_leads.status_code == 422 and on_leads.json()["field"] == "segment_id"
    assert send(client, "post", path, coder(tenant), {"text": "  "}).status_code == 422
    assert send(client, "post", path, viewer(tenant), {"text": "Note"}).status_code == 403
    filtered = get(client, f"{path}?segment={own.pk}", coder(tenant)).json()["items"]
    assert [memo["text"] for memo in filtered] == ["Hopeful"]


# Agreement and the consensus layer


def test_agreement_is_the_leads_while_coding_is_blind(client: Client, tenant: Tenant) -> None:
    analysis = tenant.analysis
    for path in ("/agreement", f"/agreement/sources/{analysis.source.pk}"):
        refused = get(client, project_path(tenant, path), coder(tenant))
        assert refused.status_code == 403 and "blind" in refused.json()["detail"]
    figures = get(client, project_path(tenant, "/agreement"), lead(tenant))
    assert figures.status_code == 200
    body = figures.json()
    # The lead coded characters 40-76 and the coder 48-76 of a 76-character source.
    length, both, lead_only, neither = 76, 28, 8, 40
    chance = ((both + lead_only) * both + (lead_only + neither) * neither) / length**2
    kappa = ((both + neither) / length - chance) / (1 - chance)
    assert body["overall"]["characters"] == length and body["overall"]["coders"] == 2
    assert body["overall"]["percent"] == pytest.approx(100 * (length - lead_only) / length)
    assert body["overall"]["kappa"] == pytest.approx(kappa)
    assert body["overall"]["alpha"] is not None
    assert [(c["code_id"], c["code_name"]) for c in body["by_code"]] == [
        (analysis.code.pk, "Hearing back")
    ]
    assert body["sources"] == [
        {"source_id": analysis.source.pk, "name": "Focus group one", "coders": 2}
    ]
    one = get(
        client, project_path(tenant, f"/agreement/sources/{analysis.source.pk}"), lead(tenant)
    ).json()
    [difference] = one["differences"]
    assert (difference["start"], difference["end"], difference["text"]) == (40, 48, "Hearing ")
    assert difference["applied_by"] == [lead(tenant).pk]
    assert difference["not_applied_by"] == [coder(tenant).pk]
    coding.open_comparison(by=lead(tenant), project=analysis.project)
    assert get(client, project_path(tenant, "/agreement"), coder(tenant)).status_code == 200


def test_the_lead_opens_the_comparison_and_the_team_agrees(client: Client, tenant: Tenant) -> None:
    analysis = tenant.analysis
    source = analysis.source
    decisions = project_path(tenant, f"/comparison/sources/{source.pk}/decisions")
    agreed = {"code_id": analysis.code.pk, "start": 40, "end": 48, "outcome": "agreed"}
    blind = send(client, "post", decisions, lead(tenant), agreed)
    assert blind.status_code == 422 and "comparison" in blind.json()["detail"]
    unanimous = project_path(tenant, f"/comparison/sources/{source.pk}/agree-unanimous")
    assert send(client, "post", unanimous, lead(tenant)).status_code == 422
    assert not Segment.objects.filter(layer=Layer.CONSENSUS).exists()

    opened_path = project_path(tenant, "/comparison/open")
    assert send(client, "post", opened_path, coder(tenant)).status_code == 403
    opened = send(client, "post", opened_path, lead(tenant))
    assert opened.status_code == 200 and not opened.json()["coding_is_blind"]

    assert send(client, "post", decisions, coder(tenant), agreed).status_code == 403
    decided = send(
        client, "post", decisions, lead(tenant), agreed | {"note": "It is about hearing"}
    )
    assert decided.status_code == 201, decided.content
    assert decided.json()["decided_by_id"] == lead(tenant).pk
    made = send(client, "post", unanimous, lead(tenant))
    assert made.status_code == 200 and made.json()["made"] == 1
    consensus = get(client, project_path(tenant, "/segments?layer=consensus"), coder(tenant)).json()
    assert {(s["start"], s["end"]) for s in consensus["items"]} == {(40, 48), (48, 76)}
    one = get(client, project_path(tenant, f"/agreement/sources/{source.pk}"), coder(tenant)).json()
    assert one["differences"][0]["decision"]["outcome"] == "agreed"

    outside = send(client, "post", decisions, lead(tenant), agreed | {"end": 900})
    assert outside.status_code == 422 and outside.json()["field"] == "start"
    unknown = send(client, "post", decisions, lead(tenant), agreed | {"code_id": 0})
    assert unknown.status_code == 422 and unknown.json()["field"] == "code_id"
    assert (
        send(client, "post", decisions, lead(tenant), agreed | {"outcome": "maybe"}).status_code
        == 422
    )
    assert Decision.objects.count() == 1


# Every read, every role, two organisations


READS: list[tuple[str, Right | str]] = [
    ("", Right.VIEW),
    ("/team", Right.VIEW),
    ("/sources", Right.VIEW),
    ("/sources/{source}", Right.VIEW),
    ("/sources?kind=response", Right.VIEW),
    ("/imports", Right.LEAD),
    ("/imports/{import}", Right.LEAD),
    ("/imports/{import}/replacements", Right.LEAD),
    ("/datasets", Right.VIEW),
    ("/datasets/{dataset}/responses", Right.VIEW),
    ("/codes", Right.VIEW),
    ("/segments", Right.VIEW),
    ("/memos", Right.VIEW),
    # While coding is blind, agreement is the lead's.
    ("/agreement", Right.LEAD),
    ("/agreement/sources/{source}", Right.LEAD),
]
TEAM = {
    Role.ANALYST: TeamRole.LEAD,
    Role.STAFF: TeamRole.CODER,
    Role.INVOLVEMENT_LEAD: TeamRole.VIEWER,
}


def test_every_read_follows_the_team_rules_for_every_role(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    analysis = tenant.analysis
    ids = {
        "source": analysis.source.pk,
        "import": analysis.under_review.pk,
        "dataset": analysis.dataset.pk,
    }
    paths = [
        (f"/projects/{analysis.project.pk}{path.format(**ids)}", right) for path, right in READS
    ]
    for path, _ in [*paths, ("/projects", Right.VIEW)]:
        assert client.get(f"{API}{path}").status_code == 401, path
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
                body = response.content.decode()
                if team_role != TeamRole.LEAD:
                    # Blind coding and pseudonymisation hold in every answer.
                    assert LEAD_MEMO not in body and "Jenny" not in body, f"{path} as {role}"
            listed = get(client, "/projects", user)
            if owner is other_tenant and listed.status_code == 200:
                assert analysis.project.pk not in {item["id"] for item in listed.json()["items"]}


def test_the_openapi_document_lists_the_analysis_operations(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        f"{API}/projects",
        f"{API}/projects/{{project_id}}/sources/{{source_id}}",
        f"{API}/projects/{{project_id}}/imports",
        f"{API}/projects/{{project_id}}/segments",
        f"{API}/projects/{{project_id}}/agreement",
        f"{API}/projects/{{project_id}}/comparison/sources/{{source_id}}/decisions",
    } <= set(paths)
    assert (
        "multipart/form-data"
        in paths[f"{API}/projects/{{project_id}}/imports"]["post"]["requestBody"]["content"]
    )


@pytest.mark.parametrize(
    ("literal", "choices"),
    [
        (schemas.TeamRoleName, TeamRole.values),
        (schemas.SourceKind, Source.Kind.values),
        (schemas.ImportStatus, Import.Status.values),
        (schemas.LayerName, Layer.values),
        (schemas.OutcomeName, Decision.Outcome.values),
    ],
)
def test_api_choices_match_the_models(literal: Any, choices: list[str]) -> None:
    assert list(get_args(literal)) == choices
