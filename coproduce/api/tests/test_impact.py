import datetime
from typing import Any, get_args

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Tenant
from coproduce.accounts.models import User
from coproduce.accounts.services import issue_api_token
from coproduce.api import impact as api
from coproduce.asks import services as asks_services
from coproduce.asks.models import Domain, Status
from coproduce.core.roles import Role
from coproduce.factories import MembershipFactory, PersonFactory, member_of, user_with_role
from coproduce.impact import services
from coproduce.impact.models import (
    Answer,
    Invitation,
    Principle,
    Question,
    Questionnaire,
    Response,
    SelfAssessment,
    Standard,
    Theme,
)
from coproduce.people.models import Person

pytestmark = pytest.mark.django_db

FREE_TEXT = "Meeting others who understand"


def auth(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user=user)}"}


def get(client: Client, path: str, user: User) -> Any:
    return client.get(path, headers=auth(user))


def post(client: Client, path: str, user: User, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json", headers=auth(user))


def patch(client: Client, path: str, user: User, body: dict[str, Any]) -> Any:
    return client.patch(path, body, content_type="application/json", headers=auth(user))


def members_questionnaire(tenant: Tenant) -> Questionnaire:
    return services.ensure_defaults(tenant.organisation)[1]


def invite(tenant: Tenant, person: Person | None = None) -> Invitation:
    invitation = services.invite(
        members_questionnaire(tenant), person or tenant.member_person, group=tenant.group
    )
    assert invitation is not None
    return invitation


def full_answers(invitation: Invitation, score: int = 4) -> dict[str, object]:
    answers: dict[str, object] = {}
    for question in invitation.version.questions.all():
        if question.kind == Question.Kind.LIKERT:
            answers[f"q{question.pk}"] = score
        elif question.kind == Question.Kind.CHOICE:
            answers[f"q{question.pk}"] = question.choices[0]
        else:
            answers[f"q{question.pk}"] = FREE_TEXT
    return answers


def answered_by(tenant: Tenant, people: int, score: int = 4) -> Questionnaire:
    """`people` new members of the tenant's group, each invited and answering."""
    questionnaire = members_questionnaire(tenant)
    for n in range(people):
        _, person = member_of(tenant.organisation, given_name="Respondent", family_name=str(n))
        invitation = invite(tenant, person)
        services.answer(
            invitation=invitation, person=person, answers=full_answers(invitation, score)
        )
    return questionnaire


def assessment(tenant: Tenant, **changes: Any) -> dict[str, Any]:
    return {
        "organisation_id": tenant.organisation.pk,
        "group_id": tenant.group.pk,
        "assessed_on": timezone.localdate().isoformat(),
        "cube": {"voice": 3, "ways": 2, "concerns": 4, "willingness": 3},
        "ratings": {
            standard.value: {"rating": 3, "evidence": "Minutes", "actions": "Keep going"}
            for standard in Standard
        },
        "notes": "The whole group took part",
    } | changes


# Questionnaires


def test_questionnaires_are_listed_and_read_within_the_callers_organisations(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    listed = get(client, "/api/v1/impact/questionnaires", tenant.users[Role.ANALYST])
    assert listed.status_code == 200, listed.content
    items = listed.json()["items"]
    assert [item["audience"] for item in items] == ["after_activity", "members", "staff"]
    assert {item["organisation_id"] for item in items} == {tenant.organisation.pk}
    assert {item["current_version"] for item in items} == {1}
    # Made the first time they were listed, once.
    assert Questionnaire.objects.filter(organisation=tenant.organisation).count() == 3

    mine = items[1]["id"]
    detail = get(client, f"/api/v1/impact/questionnaires/{mine}", tenant.users[Role.STAFF])
    assert detail.status_code == 200
    body = detail.json()
    [first] = [version for version in body["versions"] if version["number"] == 1]
    assert first["draft"] is False and first["published_at"]
    assert body["questions"] and {"key", "kind", "principle", "theme", "negative"} <= set(
        body["questions"][0]
    )
    version = first["id"]
    read = get(
        client, f"/api/v1/impact/questionnaires/{mine}/versions/{version}", tenant.users[Role.STAFF]
    )
    assert read.status_code == 200 and read.json()["questions"] == body["questions"]

    theirs = members_questionnaire(other_tenant).pk
    assert get(client, f"/api/v1/impact/questionnaires/{theirs}", tenant.lead).status_code == 404
    assert (
        get(client, f"/api/v1/impact/questionnaires/{theirs}/results", tenant.lead).status_code
        == 404
    )
    other_list = get(client, "/api/v1/impact/questionnaires", other_tenant.lead).json()["items"]
    assert mine not in [item["id"] for item in other_list]
    # Members have no staff-side rights: their own invitations only.
    assert get(client, "/api/v1/impact/questionnaires", tenant.member).status_code == 403
    assert get(client, f"/api/v1/impact/questionnaires/{mine}", tenant.member).status_code == 403
    assert client.get("/api/v1/impact/questionnaires").status_code == 401


def test_staff_who_do_not_manage_impact_cannot_change_questionnaires(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    questionnaire = members_questionnaire(tenant)
    current = services.current_version(questionnaire)
    assert current is not None
    question = current.questions.first()
    assert question is not None
    versions = questionnaire.versions.count()
    base = f"/api/v1/impact/questionnaires/{questionnaire.pk}"
    questions = f"{base}/versions/{current.pk}/questions"
    for role in (Role.STAFF, Role.ANALYST, Role.MEMBER):
        user = tenant.users[role]
        assert post(client, f"{base}/draft", user).status_code == 403
        assert post(client, f"{base}/send", user).status_code == 403
        added = post(client, questions, user, {"text": "New", "kind": "likert"})
        assert added.status_code == 403
        changed = patch(client, f"{questions}/{question.pk}", user, {"text": "New"})
        assert changed.status_code == 403
        removed = client.delete(f"{questions}/{question.pk}", headers=auth(user))
        assert removed.status_code == 403
        published = post(client, f"{base}/versions/{current.pk}/publish", user)
        assert published.status_code == 403
    assert post(client, f"{base}/draft", other_tenant.lead).status_code == 404
    assert questionnaire.versions.count() == versions
    question.refresh_from_db()
    assert question.text != "New"


def test_a_lead_drafts_changes_and_publishes_and_a_published_version_never_changes(
    client: Client, tenant: Tenant
) -> None:
    questionnaire = members_questionnaire(tenant)
    first = services.current_version(questionnaire)
    assert first is not None
    base = f"/api/v1/impact/questionnaires/{questionnaire.pk}"

    drafted = post(client, f"{base}/draft", tenant.lead)
    assert drafted.status_code == 200, drafted.content
    draft = drafted.json()
    assert draft["number"] == 2 and draft["draft"] and draft["published_at"] is None
    assert len(draft["questions"]) == first.questions.count()
    assert post(client, f"{base}/draft", tenant.lead).json()["id"] == draft["id"]  # one at a time

    questions = f"{base}/versions/{draft['id']}/questions"
    added = post(
        client,
        questions,
        tenant.lead,
        {
            "text": "How did you hear about us?",
            "kind": "choice",
            "choices": ["Clinic", "Online"],
            "principle": "integrity",
        },
    )
    assert added.status_code == 201, added.content
    assert added.json()["choices"] == ["Clinic", "Online"]
    one_choice = post(client, questions, tenant.lead, {"text": "Pick", "kind": "choice"})
    assert one_choice.status_code == 422 and one_choice.json()["field"] == "choices"
    bad_kind = post(client, questions, tenant.lead, {"text": "Pick", "kind": "ranking"})
    assert bad_kind.status_code == 422

    reworded = draft["questions"][0]
    changed = patch(
        client, f"{questions}/{reworded['id']}", tenant.lead, {"text": "I know what we are for."}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["text"] == "I know what we are for."
    assert changed.json()["key"] != reworded["key"]  # new wording is not pooled with the old
    assert changed.json()["kind"] == reworded["kind"]  # what was left out is kept
    hint_only = patch(client, f"{questions}/{added.json()['id']}", tenant.lead, {"hint": "Any"})
    assert hint_only.json()["key"] == added.json()["key"]
    removed = client.delete(
        f"{questions}/{draft['questions'][-1]['id']}", headers=auth(tenant.lead)
    )
    assert removed.status_code == 204

    published = post(client, f"{base}/versions/{draft['id']}/publish", tenant.lead)
    assert published.status_code == 200, published.content
    assert not published.json()["draft"] and published.json()["published_at"]
    detail = get(client, base, tenant.lead).json()
    assert detail["current_version"] == 2
    assert [version["number"] for version in detail["versions"]] == [2, 1]
    assert "I know what we are for." in [question["text"] for question in detail["questions"]]

    # Neither version can change now: a 409, and nothing is written.
    for version in (draft["id"], first.pk):
        path = f"{base}/versions/{version}/questions"
        some = Question.objects.filter(version_id=version).first()
        assert some is not None
        refused = [
            post(client, path, tenant.lead, {"text": "Late", "kind": "likert"}),
            patch(client, f"{path}/{some.pk}", tenant.lead, {"text": "Late"}),
            client.delete(f"{path}/{some.pk}", headers=auth(tenant.lead)),
            post(client, f"{base}/versions/{version}/publish", tenant.lead),
        ]
        assert [response.status_code for response in refused] == [409] * 4
        assert refused[0].json()["detail"]
    assert not Question.objects.filter(text="Late").exists()
    # A question of another version is not found through this one.
    other = first.questions.first()
    assert other is not None
    wrong = patch(client, f"{questions}/{other.pk}", tenant.lead, {"text": "x"})
    assert wrong.status_code == 404


def test_a_lead_sends_to_everyone_due(client: Client, tenant: Tenant) -> None:
    questionnaire = members_questionnaire(tenant)
    _, joined = member_of(tenant.organisation, given_name="New", family_name="Joiner")
    MembershipFactory.create(group=tenant.group, person=joined)
    before = Invitation.objects.count()
    path = f"/api/v1/impact/questionnaires/{questionnaire.pk}/send"
    sent = post(client, path, tenant.lead)
    assert sent.status_code == 200, sent.content
    assert sent.json()["sent"] == Invitation.objects.count() - before >= 1
    assert Invitation.objects.filter(person=joined, questionnaire=questionnaire).exists()
    assert post(client, path, tenant.lead).json() == {"sent": 0}  # nobody is due twice


# Results


def test_results_are_suppressed_below_the_threshold_and_shown_at_it(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    questionnaire = answered_by(tenant, 4)
    path = f"/api/v1/impact/questionnaires/{questionnaire.pk}/results"
    few = get(client, path, tenant.users[Role.ANALYST])
    assert few.status_code == 200, few.content
    assert few.json() | {"questionnaire_id": 0} == {
        "questionnaire_id": 0,
        "starts_on": None,
        "ends_on": None,
        "group_id": None,
        "threshold": 5,
        "suppressed": True,
        "respondents": None,
        "respondents_text": "Fewer than 5",
        "questions": [],
        "principles": [],
        "themes": [],
    }

    answered_by(tenant, 1, score=2)
    shown = get(client, path, tenant.users[Role.ANALYST])
    body = shown.json()
    assert body["suppressed"] is False and body["respondents"] == 5
    by_key = {question["key"]: question for question in body["questions"]}
    assert by_key["heard-back"]["agree_percent"] == 80
    assert by_key["heard-back"]["answered"] == 5
    assert [cell["label"] for cell in by_key["heard-back"]["cells"]] == [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ]
    # No count below the threshold, anywhere, and no free text.
    counts = [cell["count"] for question in body["questions"] for cell in question["cells"]]
    assert counts and all(count is None or count == 0 or count >= 5 for count in counts)
    scores = body["principles"] + body["themes"]
    assert scores and all(score["answers"] is None or score["answers"] >= 5 for score in scores)
    free = [question for question in body["questions"] if question["kind"] == "free_text"]
    assert free and all(question["cells"] == [] for question in free)
    assert FREE_TEXT not in shown.content.decode()

    in_group = get(client, f"{path}?group={tenant.group.pk}", tenant.lead).json()
    assert in_group["respondents"] == 5 and in_group["group_id"] == tenant.group.pk
    later = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    none_yet = get(client, f"{path}?starts_on={later}", tenant.lead).json()
    assert none_yet["suppressed"] and none_yet["respondents"] is None
    assert none_yet["respondents_text"] == "0"
    theirs = get(client, f"{path}?group={other_tenant.group.pk}", tenant.lead)
    assert theirs.status_code == 422 and theirs.json()["field"] == "group"
    backwards = get(client, f"{path}?starts_on=2026-05-01&ends_on=2026-04-01", tenant.lead)
    assert backwards.status_code == 422 and backwards.json()["field"] == "ends_on"


# A member's own questionnaires


def test_a_member_answers_through_the_api_once(client: Client, tenant: Tenant) -> None:
    invitation = invite(tenant)
    waiting = get(client, "/api/v1/me/questionnaires", tenant.member)
    assert waiting.status_code == 200, waiting.content
    assert waiting.json()[0] == {  # newest first
        "token": invitation.token,
        "questionnaire_id": invitation.questionnaire_id,
        "questionnaire_title": invitation.questionnaire.title,
        "activity_id": None,
        "activity_title": None,
        "sent_at": waiting.json()[0]["sent_at"],
    }
    path = f"/api/v1/me/questionnaires/{invitation.token}"
    asked = get(client, path, tenant.member).json()
    assert [question["field"] for question in asked["questions"]] == [
        f"q{question.pk}" for question in invitation.version.questions.all()
    ]
    assert "principle" not in asked["questions"][0]
    assert [point["value"] for point in asked["scale"]] == [1, 2, 3, 4, 5]

    answered = post(client, path, tenant.member, {"answers": full_answers(invitation)})
    assert answered.status_code == 201, answered.content
    assert answered.json() == {"answered": invitation.version.questions.count()}
    assert Response.objects.get().group == tenant.group

    again = post(client, path, tenant.member, {"answers": full_answers(invitation)})
    assert again.status_code == 409 and again.json()["detail"]
    assert get(client, path, tenant.member).status_code == 409
    assert Response.objects.count() == 1
    still_waiting = get(client, "/api/v1/me/questionnaires", tenant.member).json()
    assert invitation.token not in [item["token"] for item in still_waiting]


def test_a_link_is_only_for_the_person_it_was_sent_to(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    invitation = invite(tenant)
    path = f"/api/v1/me/questionnaires/{invitation.token}"
    someone_else, _ = member_of(tenant.organisation)
    for user in (someone_else, other_tenant.member):
        assert get(client, path, user).status_code == 403
        refused = post(client, path, user, {"answers": full_answers(invitation)})
        assert refused.status_code == 403
    # A sign-in with no person record has no invitations at all.
    assert get(client, "/api/v1/me/questionnaires", tenant.lead).status_code == 403
    assert post(client, path, tenant.lead, {"answers": {}}).status_code == 403
    theirs = get(client, "/api/v1/me/questionnaires", other_tenant.member).json()
    assert invitation.token not in [item["token"] for item in theirs]
    unknown = "x" * 43
    assert get(client, f"/api/v1/me/questionnaires/{unknown}", tenant.member).status_code == 404
    assert (
        post(client, f"/api/v1/me/questionnaires/{unknown}", tenant.member, {"answers": {}})
    ).status_code == 404
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


@pytest.mark.parametrize("bad", [0, 6, "strongly", None])
def test_an_answer_out_of_range_is_422_naming_the_question_and_saves_nothing(
    client: Client, tenant: Tenant, bad: object
) -> None:
    invitation = invite(tenant)
    likert = invitation.version.questions.filter(kind=Question.Kind.LIKERT).last()
    assert likert is not None
    answers = full_answers(invitation) | {f"q{likert.pk}": bad}
    path = f"/api/v1/me/questionnaires/{invitation.token}"
    refused = post(client, path, tenant.member, {"answers": answers})
    assert refused.status_code == 422, refused.content
    assert refused.json()["field"] == f"q{likert.pk}"
    assert not Response.objects.exists() and not Answer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_an_unknown_question_is_422(client: Client, tenant: Tenant) -> None:
    invitation = invite(tenant)
    path = f"/api/v1/me/questionnaires/{invitation.token}"
    answers = full_answers(invitation) | {"q999999": 3}
    assert post(client, path, tenant.member, {"answers": answers}).status_code == 422
    assert post(client, path, tenant.member, {"answers": "all good"}).status_code == 422
    assert not Response.objects.exists()


# Self-assessment


def test_a_self_assessment_is_recorded_and_listed_within_the_organisation(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    recorded = post(client, "/api/v1/impact/self-assessments", tenant.lead, assessment(tenant))
    assert recorded.status_code == 201, recorded.content
    body = recorded.json()
    assert body["cube"] == {"voice": 3, "ways": 2, "concerns": 4, "willingness": 3}
    assert set(body["ratings"]) == set(Standard.values)
    assert body["ratings"]["governance"] == {
        "rating": 3,
        "evidence": "Minutes",
        "actions": "Keep going",
    }
    assert body["group_id"] == tenant.group.pk

    listed = get(client, "/api/v1/impact/self-assessments", tenant.users[Role.ANALYST]).json()
    assert body["id"] in [item["id"] for item in listed["items"]]
    assert {item["organisation_id"] for item in listed["items"]} == {tenant.organisation.pk}
    one = get(client, f"/api/v1/impact/self-assessments/{body['id']}", tenant.users[Role.STAFF])
    assert one.status_code == 200 and one.json() == body
    theirs = get(client, "/api/v1/impact/self-assessments", other_tenant.lead).json()
    assert body["id"] not in [item["id"] for item in theirs["items"]]
    assert {item["organisation_id"] for item in theirs["items"]} <= {other_tenant.organisation.pk}
    assert (
        get(client, f"/api/v1/impact/self-assessments/{body['id']}", other_tenant.lead).status_code
        == 404
    )
    assert get(client, "/api/v1/impact/self-assessments", tenant.member).status_code == 403


def test_a_self_assessment_is_refused_and_nothing_saved(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    path = "/api/v1/impact/self-assessments"
    before = SelfAssessment.objects.count()
    staff = post(client, path, tenant.users[Role.STAFF], assessment(tenant))
    assert staff.status_code == 403
    # A group the lead cannot see: not found.
    hidden = post(client, path, tenant.lead, assessment(tenant, group_id=other_tenant.group.pk))
    assert hidden.status_code == 404
    their_organisation = post(
        client,
        path,
        tenant.lead,
        assessment(tenant, organisation_id=other_tenant.organisation.pk, group_id=None),
    )
    assert their_organisation.status_code == 404
    # A lead of both organisations choosing a group of the other one: invalid.
    both = user_with_role(Role.INVOLVEMENT_LEAD, tenant.organisation)
    both.role_assignments.create(organisation=other_tenant.organisation, role=Role.INVOLVEMENT_LEAD)
    mixed = post(client, path, both, assessment(tenant, group_id=other_tenant.group.pk))
    assert mixed.status_code == 422 and mixed.json()["field"] == "group_id"

    partial = assessment(tenant)
    del partial["ratings"]["governance"]
    unrated = post(client, path, tenant.lead, partial)
    assert unrated.status_code == 422 and unrated.json()["field"] == "governance_rating"
    off_cube = assessment(tenant, cube={"voice": 6, "ways": 2, "concerns": 4, "willingness": 3})
    refused = post(client, path, tenant.lead, off_cube)
    assert refused.status_code == 422 and refused.json()["field"] == "voice"
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = post(client, path, tenant.lead, assessment(tenant, assessed_on=tomorrow))
    assert future.status_code == 422 and future.json()["field"] == "assessed_on"
    unknown = assessment(tenant)
    unknown["ratings"]["charisma"] = {"rating": 3}
    assert post(client, path, tenant.lead, unknown).status_code == 422
    assert SelfAssessment.objects.count() == before


# The dashboard


def test_the_dashboard_gives_the_figures_for_the_callers_organisation(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    today = timezone.localdate()
    ask = tenant.involvement.ask
    ask.owner = PersonFactory.create(organisation=tenant.organisation, kind=Person.Kind.STAFF)
    for status in (Status.UNDER_CONSIDERATION, Status.ACCEPTED, Status.IN_PROGRESS, Status.CHANGED):
        ask = asks_services.move(
            actor=tenant.lead,
            ask=ask,
            status=status,
            outcome={
                "outcome": "Letters now in 16 point",
                "domain": Domain.PATIENT_INFORMATION,
                "scope": "local",
                "took_effect_on": today,
            },
        )
    post(client, "/api/v1/impact/self-assessments", tenant.lead, assessment(tenant))
    answered_by(tenant, 5)

    path = f"/api/v1/impact/dashboard?organisation={tenant.organisation.pk}"
    response = get(client, path, tenant.users[Role.ANALYST])
    assert response.status_code == 200, response.content
    board = response.json()
    assert board["organisation_id"] == tenant.organisation.pk
    assert board["starts_on"].endswith("-01")  # whole months
    assert (board["raised"], board["answered"], board["changes"]) == (1, 1, 1)
    assert board["answered_percent"] == 100 and board["not_possible"] == 0
    assert {row["label"]: row["count"] for row in board["by_level"]}["Grass-roots"] == 1
    assert {row["label"]: row["count"] for row in board["by_domain"]}["Patient information"] == 1
    assert sum(period["total"] for period in board["over_time"]) == 1
    assert set(board["over_time"][-1]["counts"]) == {"grass_roots", "strategic", "culture"}
    assert board["speed"][0] == {
        "label": "All changes",
        "changes": 1,
        "median_days": 0,
        "p90_days": 0,
    }
    # One contributor: too few to show who heard back.
    hearing = board["hearing_back"]
    assert hearing["contributors"] is None and hearing["heard_back_percent"] is None
    assert hearing["contributors_text"] == "Fewer than 5"
    [members] = board["impact"]
    assert members["audience"] == "members" and members["respondents"] == 5
    assert not members["suppressed"] and members["principles"] and members["themes"]
    assert FREE_TEXT not in response.content.decode()
    recorded = assessment(tenant)
    [point] = [point for point in board["assessments"] if point["cube"] == recorded["cube"]]
    assert point["average"] == 3.0 and point["whose"] == tenant.group.name

    everything = get(client, "/api/v1/impact/dashboard", tenant.lead).json()
    assert everything["organisation_id"] is None and everything["changes"] == 1

    theirs = get(client, "/api/v1/impact/dashboard", other_tenant.lead)
    assert theirs.json()["changes"] == 0 and theirs.json()["impact"] == []
    assert tenant.group.name not in theirs.content.decode()
    assert get(client, path, other_tenant.lead).status_code == 404
    assert get(client, path, tenant.member).status_code == 403
    backwards = get(
        client, f"{path}&starts_on=2026-05-01&ends_on=2026-04-01", tenant.users[Role.ANALYST]
    )
    assert backwards.status_code == 422 and backwards.json()["field"] == "ends_on"


def test_the_dashboard_hides_answers_from_too_few_people(client: Client, tenant: Tenant) -> None:
    answered_by(tenant, 4)
    board = get(client, "/api/v1/impact/dashboard", tenant.lead).json()
    [members] = board["impact"]
    assert members["suppressed"] and members["respondents"] is None
    assert members["principles"] == [] and members["themes"] == []


def test_the_openapi_document_lists_the_impact_operations(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/impact/questionnaires",
        "/api/v1/impact/questionnaires/{questionnaire_id}/results",
        "/api/v1/impact/self-assessments",
        "/api/v1/impact/dashboard",
        "/api/v1/me/questionnaires/{token}",
    } <= set(paths)


@pytest.mark.parametrize(
    ("literal", "choices"),
    [
        (api.QuestionKind, Question.Kind.values),
        (api.PrincipleName, Principle.values),
        (api.ThemeName, Theme.values),
        (api.StandardName, Standard.values),
    ],
)
def test_api_choices_match_the_models(literal: Any, choices: list[str]) -> None:
    assert list(get_args(literal)) == choices
