import datetime
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from conftest import Tenant
from coproduce.activities.models import Activity
from coproduce.asks import services as asks_services
from coproduce.asks.models import Ask, Domain, Status
from coproduce.core.errors import ServiceError
from coproduce.core.roles import Role
from coproduce.factories import ActivityFactory, AttendanceFactory, member_of, user_with_role
from coproduce.impact import dashboard, results, services
from coproduce.impact.models import (
    Answer,
    Audience,
    Invitation,
    Question,
    Questionnaire,
    Response,
    SelfAssessment,
    Standard,
)
from coproduce.notifications.models import Notification
from coproduce.people.models import Person


def members_questionnaire(tenant: Tenant) -> Questionnaire:
    return services.ensure_defaults(tenant.organisation)[1]


def full_answers(invitation: Invitation, score: int = 4) -> dict[str, object]:
    answers: dict[str, object] = {}
    for question in invitation.version.questions.all():
        if question.kind == Question.Kind.LIKERT:
            answers[f"q{question.pk}"] = score
        elif question.kind == Question.Kind.CHOICE:
            answers[f"q{question.pk}"] = question.choices[0]
        else:
            answers[f"q{question.pk}"] = "Meeting others who understand"
    return answers


def answered_by(tenant: Tenant, people: int, score: int = 4) -> Questionnaire:
    """`people` members of the tenant's group, each invited and answering."""
    questionnaire = members_questionnaire(tenant)
    for n in range(people):
        _, person = member_of(tenant.organisation, given_name="Respondent", family_name=str(n))
        invitation = services.invite(questionnaire, person, group=tenant.group)
        assert invitation is not None
        services.answer(
            invitation=invitation, person=person, answers=full_answers(invitation, score)
        )
    return questionnaire


@pytest.mark.django_db
def test_every_organisation_starts_with_three_questionnaires_mapped_to_the_frameworks(
    tenant: Tenant,
) -> None:
    questionnaires = services.ensure_defaults(tenant.organisation)
    assert [q.audience for q in questionnaires] == list(Audience.values)
    assert services.ensure_defaults(tenant.organisation) == questionnaires  # made once
    questions = Question.objects.filter(version__questionnaire__in=questionnaires)
    assert {q.principle for q in questions} >= {
        "integrity",
        "influence",
        "culture",
        "collaboration",
    }
    assert {q.theme for q in questions} >= {"motivations", "positives", "challenges"}
    assert questions.filter(kind=Question.Kind.FREE_TEXT).exists()


@pytest.mark.django_db
def test_answers_are_saved_once_and_apart_from_the_person(tenant: Tenant) -> None:
    questionnaire = members_questionnaire(tenant)
    invitation = services.invite(questionnaire, tenant.member_person, group=tenant.group)
    assert invitation is not None
    assert Notification.objects.filter(
        person=tenant.member_person, kind=Notification.Kind.QUESTIONNAIRE
    ).exists()
    given = services.answer(
        invitation=invitation, person=tenant.member_person, answers=full_answers(invitation)
    )
    response = Response.objects.get()
    assert given == response.answers.count() == invitation.version.questions.count()
    assert response.group == tenant.group
    # Nothing on the response leads back to who gave it.
    assert not {f.name for f in Response._meta.get_fields()} & {"person", "invitation"}
    invitation.refresh_from_db()
    assert invitation.answered_at is not None

    with pytest.raises(ServiceError) as twice:
        services.answer(
            invitation=invitation, person=tenant.member_person, answers=full_answers(invitation)
        )
    assert twice.value.status == 409
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_a_link_used_by_someone_else_is_refused(tenant: Tenant) -> None:
    invitation = services.invite(members_questionnaire(tenant), tenant.member_person)
    assert invitation is not None
    _, someone_else = member_of(tenant.organisation)
    with pytest.raises(ServiceError, match="sent to someone else") as refused:
        services.answer(
            invitation=invitation, person=someone_else, answers=full_answers(invitation)
        )
    assert refused.value.status == 403
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [0, 6, "strongly", None])
def test_an_answer_out_of_range_saves_nothing(tenant: Tenant, bad: object) -> None:
    invitation = services.invite(members_questionnaire(tenant), tenant.member_person)
    assert invitation is not None
    answers = full_answers(invitation)
    likert = invitation.version.questions.filter(kind=Question.Kind.LIKERT).last()
    assert likert is not None
    answers[f"q{likert.pk}"] = bad
    with pytest.raises(ServiceError) as refused:
        services.answer(invitation=invitation, person=tenant.member_person, answers=answers)
    assert refused.value.field == f"q{likert.pk}"
    assert not Response.objects.exists() and not Answer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


@pytest.mark.django_db
def test_a_choice_not_offered_and_an_unknown_question_are_refused(tenant: Tenant) -> None:
    invitation = services.invite(members_questionnaire(tenant), tenant.member_person)
    assert invitation is not None
    choice = invitation.version.questions.get(kind=Question.Kind.CHOICE)
    answers = full_answers(invitation) | {f"q{choice.pk}": "Free lunch"}
    with pytest.raises(ServiceError, match="Choose one of the answers given"):
        services.answer(invitation=invitation, person=tenant.member_person, answers=answers)
    with pytest.raises(ServiceError, match="not questions in this questionnaire"):
        services.answer(
            invitation=invitation,
            person=tenant.member_person,
            answers=full_answers(invitation) | {"q999999": 3},
        )
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_published_version_never_changes_and_new_wording_gets_a_new_key(tenant: Tenant) -> None:
    questionnaire = members_questionnaire(tenant)
    first = services.current_version(questionnaire)
    assert first is not None
    question = first.questions.first()
    assert question is not None
    with pytest.raises(ServiceError) as refused:
        services.change_question(
            actor=tenant.lead, question=question, details={"text": "New", "kind": "likert"}
        )
    assert refused.value.status == 409

    draft = services.draft_of(questionnaire)
    assert draft.number == 2 and draft.is_draft
    assert services.draft_of(questionnaire) == draft  # one draft at a time
    copied = draft.questions.get(key=question.key)
    services.change_question(
        actor=tenant.lead,
        question=copied,
        details={"text": "I know what the group is trying to achieve.", "kind": "likert"},
    )
    copied.refresh_from_db()
    assert copied.key != question.key
    unchanged = draft.questions.exclude(pk=copied.pk)
    assert set(unchanged.values_list("key", flat=True)) <= set(
        first.questions.values_list("key", flat=True)
    )
    added = services.add_question(
        actor=tenant.lead,
        version=draft,
        details={
            "text": "How did you hear about us?",
            "kind": "choice",
            "choices": ["Clinic", "Online"],
        },
    )
    assert added.position == draft.questions.count()
    with pytest.raises(ServiceError, match="at least two choices"):
        services.add_question(
            actor=tenant.lead,
            version=draft,
            details={"text": "Pick", "kind": "choice", "choices": ["One"]},
        )
    services.publish(actor=tenant.lead, version=draft)
    assert services.current_version(questionnaire) == draft
    question.refresh_from_db()
    assert question.text != "New"


@pytest.mark.django_db
def test_results_are_hidden_below_the_threshold_and_pooled_across_versions(tenant: Tenant) -> None:
    questionnaire = answered_by(tenant, 4)
    found = results.build(Response.objects.filter(version__questionnaire=questionnaire))
    assert found.suppressed and found.questions == [] and found.respondents_text == "Fewer than 5"

    # A fifth person answers a second version in which one question was reworded.
    draft = services.draft_of(questionnaire)
    reworded = draft.questions.get(key="group-purpose")
    services.change_question(
        actor=tenant.lead,
        question=reworded,
        details={"text": "I know what our group is for.", "kind": "likert"},
    )
    services.publish(actor=tenant.lead, version=draft)
    answered_by(tenant, 1, score=2)
    found = results.build(Response.objects.filter(version__questionnaire=questionnaire))
    assert found.respondents == 5 and not found.suppressed
    by_key = {result.key: result for result in found.questions}
    assert by_key["heard-back"].summary is not None
    assert by_key["heard-back"].agree_percent == 80  # 4 of 5 agreed, pooled over versions
    # The old and new wordings are kept apart; each has too few answers to show its counts.
    assert "group-purpose" in by_key and reworded.key != "group-purpose"
    assert by_key["group-purpose"].agree_percent is None
    # Four agreed and one disagreed: both counts are under 5, so neither is shown.
    cells = by_key["heard-back"].summary.cells
    assert [cell.count for cell in cells] == [0, None, 0, None, 0]
    principles = {score.label: score for score in found.principles}
    assert principles["Influence and impact"].percent is not None


@pytest.mark.django_db
def test_negative_statements_are_reversed_for_principles(tenant: Tenant) -> None:
    questionnaire = answered_by(tenant, 5, score=5)
    found = results.build(Response.objects.filter(version__questionnaire=questionnaire))
    principles = {score.label: score.percent for score in found.principles}
    themes = {score.label: score.percent for score in found.themes}
    # Everyone strongly agreed with everything, including "the time asked of me is too much".
    assert principles["Influence and impact"] == 100
    assert (principles["Integrity of design and process"] or 0) < 100
    assert themes["Challenges"] == 100


@pytest.mark.django_db
def test_free_text_is_downloadable_only_for_a_large_enough_set(tenant: Tenant) -> None:
    questionnaire = answered_by(tenant, 4)
    responses = Response.objects.filter(version__questionnaire=questionnaire)
    assert results.free_text_rows(responses) == []
    answered_by(tenant, 1)
    rows = results.free_text_rows(responses)
    assert rows and rows[0][3] == "Meeting others who understand"


@pytest.mark.django_db
def test_after_an_activity_those_who_took_part_are_asked_once(tenant: Tenant) -> None:
    activity = ActivityFactory.create(
        organisation=tenant.organisation,
        kind=Activity.Kind.ACTIVITY,
        status=Activity.Status.HELD,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2, hours=-2),
    )
    AttendanceFactory.create(activity=activity, person=tenant.member_person)
    staff = Person.objects.create(
        organisation=tenant.organisation,
        kind=Person.Kind.STAFF,
        given_name="Sam",
        family_name="Staff",
    )
    AttendanceFactory.create(activity=activity, person=staff)
    assert services.invite_after_activity(activity) == 1
    assert services.invite_after_activity(activity) == 0
    invitation = Invitation.objects.get(activity=activity)
    assert invitation.person == tenant.member_person
    assert invitation.questionnaire.audience == Audience.AFTER_ACTIVITY


@pytest.mark.django_db
@override_settings(QUESTIONNAIRE_EVERY_DAYS=90)
def test_members_and_staff_are_asked_every_few_months(tenant: Tenant) -> None:
    Invitation.objects.all().delete()  # start from nobody asked
    staff_user = user_with_role(Role.STAFF, tenant.organisation)
    staff = Person.objects.create(
        organisation=tenant.organisation,
        kind=Person.Kind.STAFF,
        given_name="Sam",
        family_name="Staff",
        user=staff_user,
    )
    AttendanceFactory.create(activity=tenant.involvement.activity, person=staff)
    sent = services.send_due()
    audiences = set(Invitation.objects.values_list("questionnaire__audience", flat=True))
    assert sent == 2 and audiences == {Audience.MEMBERS, Audience.STAFF}
    assert services.send_due() == 0
    Invitation.objects.update(sent_at=timezone.now() - datetime.timedelta(days=91))
    assert services.send_due() == 2


def ratings(rating: int = 3) -> dict[str, dict[str, object]]:
    return {
        standard.value: {"rating": rating, "evidence": "Minutes", "actions": "Keep going"}
        for standard in Standard
    }


CUBE = {"voice": 3, "ways": 2, "concerns": 4, "willingness": 3}


@pytest.mark.django_db
def test_a_self_assessment_needs_all_six_standards_and_the_cube(tenant: Tenant) -> None:
    record: dict[str, Any] = {
        "actor": tenant.lead,
        "organisation": tenant.organisation,
        "group": tenant.group,
        "assessed_on": timezone.localdate(),
    }
    with pytest.raises(ServiceError, match="Rate “Governance”"):
        partial = ratings()
        del partial["governance"]
        services.record_assessment(**record, cube=CUBE, ratings=partial)
    with pytest.raises(ServiceError, match="Choose a point from 1 to 5"):
        services.record_assessment(**record, cube=CUBE | {"voice": 6}, ratings=ratings())
    with pytest.raises(ServiceError, match="today or earlier"):
        services.record_assessment(
            **record | {"assessed_on": timezone.localdate() + datetime.timedelta(days=1)},
            cube=CUBE,
            ratings=ratings(),
        )
    assert SelfAssessment.objects.count() == 1  # the tenant's own, from the fixture
    assessment = services.record_assessment(**record, cube=CUBE, ratings=ratings())
    assert assessment.ratings.count() == 6


@pytest.mark.django_db
def test_the_dashboard_counts_changes_by_level_time_to_change_and_the_trend(tenant: Tenant) -> None:
    today = timezone.localdate()
    ask = tenant.involvement.ask
    ask.owner = Person.objects.create(
        organisation=tenant.organisation, kind=Person.Kind.STAFF, given_name="O", family_name="W"
    )
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
    for days_ago, rating in ((200, 2), (20, 3)):
        services.record_assessment(
            actor=tenant.lead,
            organisation=tenant.organisation,
            group=tenant.group,
            assessed_on=today - datetime.timedelta(days=days_ago),
            cube=CUBE,
            ratings=ratings(rating),
        )
    board = dashboard.build(
        Ask.objects.filter(organisation=tenant.organisation),
        Response.objects.all(),
        SelfAssessment.objects.all(),
        starts_on=today - datetime.timedelta(days=364),
        ends_on=today,
    )
    assert board.changes == 1 and board.raised == 1 and board.answered == 1
    assert {row.label: row.count for row in board.by_level}["Grass-roots"] == 1
    assert board.speed[0].median_days == 0
    assert sum(period.total for period in board.over_time) == 1
    # The fixture's assessment of today comes last.
    assert [point.average for point in board.assessments] == [2.0, 3.0, 2.0]
    assert board.loop is not None and board.loop.few_people  # one contributor: not shown
    assert board.loop.heard_back_percent is None
    lines = board.table()
    assert ("Changes by level", "Grass-roots", "1") in lines
