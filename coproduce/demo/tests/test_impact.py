import pytest
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.demo.builder import DEMO, populate
from coproduce.groups.models import PartnershipGroup
from coproduce.impact import dashboard, results, services
from coproduce.impact.models import (
    Answer,
    Invitation,
    Question,
    Questionnaire,
    Response,
    SelfAssessment,
    Standard,
)
from coproduce.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_has_questionnaires_answered_waiting_and_self_assessed_over_time() -> None:
    counts = populate(DEMO)
    assert counts["responses"] == Response.objects.count() > 0

    # Enough answers to show for at least one questionnaire, with its framework scores.
    shown = [
        found
        for questionnaire in Questionnaire.objects.all()
        if not (
            found := results.build(Response.objects.filter(version__questionnaire=questionnaire))
        ).suppressed
    ]
    assert shown
    assert any(score.percent is not None for found in shown for score in found.principles)
    # One response for each answered invitation, never dated before it was sent or after today.
    for questionnaire in Questionnaire.objects.all():
        answered = Invitation.objects.filter(questionnaire=questionnaire, answered_at__isnull=False)
        assert (
            Response.objects.filter(version__questionnaire=questionnaire).count()
            == answered.count()
        )
    assert not Response.objects.filter(submitted_on__gt=timezone.localdate()).exists()
    # Answers fit their questions: choices are the question's own, scores only for Likert.
    for answer in Answer.objects.exclude(choice="").select_related("question"):
        assert answer.choice in answer.question.choices
    assert not Answer.objects.filter(score__isnull=False).exclude(
        question__kind=Question.Kind.LIKERT
    )
    assert Answer.objects.exclude(text="").exists()

    # The demo member has questionnaires waiting, and sees them on their page.
    member = User.objects.get(username="member")
    waiting = list(services.open_invitations(member.person))
    assert waiting
    client = Client()
    client.force_login(member)
    page = client.get("/me/questionnaires/").content.decode()
    assert services.member_path(waiting[0]) in page

    # Every group assessed itself at least twice, with all six standards; most improved.
    groups = list(PartnershipGroup.objects.all())
    assessed = dict(
        PartnershipGroup.objects.annotate(n=Count("self_assessments")).values_list("pk", "n")
    )
    assert groups and all(assessed[group.pk] >= 2 for group in groups)
    improved = 0
    for group in groups:
        points = dashboard.trend(SelfAssessment.objects.filter(group=group))
        assert all(set(point.ratings) == set(Standard.values) for point in points)
        improved += points[-1].average > points[0].average
    assert improved > len(groups) / 2
    # And each organisation once as a whole.
    assert set(
        SelfAssessment.objects.filter(group=None).values_list("organisation", flat=True)
    ) == set(Organisation.objects.values_list("pk", flat=True))
