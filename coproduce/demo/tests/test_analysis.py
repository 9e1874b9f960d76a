import pytest
from django.test import Client

from coproduce.accounts.models import User
from coproduce.analysis import identifiers
from coproduce.analysis.models import (
    Code,
    Decision,
    Import,
    Layer,
    Memo,
    Project,
    Segment,
    Source,
    TeamRole,
)
from coproduce.analysis.services import coding
from coproduce.demo import analysis as demo
from coproduce.demo.builder import DEMO, populate
from coproduce.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_has_focus_groups_coded_by_two_people_who_partly_agree() -> None:
    populate(DEMO)
    project = Project.objects.get(name=demo.PROJECT_NAME)
    assert project.organisation == Organisation.objects.order_by("pk").first()
    team = dict(project.team.values_list("user__username", "role"))
    assert team == {"analyst": TeamRole.LEAD, "staff": TeamRole.CODER, "lead": TeamRole.VIEWER}

    # A codebook with a hierarchy: the three personal-impact themes, each with codes inside.
    top = project.codes.filter(parent=None)
    assert sorted(top.values_list("name", flat=True)) == [
        "Challenges",
        "Motivations and expectations",
        "Positive aspects",
    ]
    assert all(code.children.count() >= 4 for code in top)

    # Five focus groups of a realistic length, released to coders, with the identifiers people
    # mentioned replaced by placeholders.
    transcripts = list(Source.objects.visible().filter(project=project).documents())
    assert len(transcripts) == 5
    for source in transcripts:
        assert 600 <= len(source.text.split()) <= 1500
        assert source.text.startswith("Facilitator:")
        assert "\nP1: " in source.text
        assert source.source_import.status == Import.Status.RELEASED
        assert not source.original_text
        assert source.replacements.filter(kept=False).exists()
        assert not [span for span in identifiers.find(source.text) if span.kind == "phone"]
        assert "07700 900461" not in source.text
    assert "[Phone 1]" in transcripts[0].text
    # The lead's review kept words that were not identifiers.
    assert "Mostly?" in transcripts[0].text

    # The survey: a few hundred released responses with the date and the group as attributes,
    # and no phone numbers or email addresses left in them.
    dataset = project.datasets.get()
    responses = Source.objects.visible().filter(dataset=dataset)
    assert responses.count() == demo.SURVEY_RESPONSES
    assert sorted(dataset.attributes.values_list("name", flat=True)) == ["Date", "Group"]
    first = responses.order_by("row").first()
    assert first is not None and first.row == 2
    assert set(first.values) == {str(pk) for pk in dataset.attributes.values_list("pk", flat=True)}
    for response in responses:
        assert not [
            span for span in identifiers.find(response.text) if span.kind in {"phone", "email"}
        ]

    # Two coders who partly agree: overlapping passages, some codes only one of them used.
    lead, coder = User.objects.get(username="analyst"), User.objects.get(username="staff")
    coded = Segment.objects.filter(project=project, layer=Layer.CODER)
    assert coded.filter(coder=lead).exists() and coded.filter(coder=coder).exists()
    pooled = coding.project_agreement(project).overall
    assert pooled.kappa is not None and 0.3 <= pooled.kappa <= 0.95
    assert pooled.alpha is not None and 0.3 <= pooled.alpha <= 0.95
    assert pooled.percent is not None and 0.3 <= pooled.percent <= 0.95
    focus_group = transcripts[0]
    result = coding.compare(focus_group)
    assert result.differences
    by_coder = {
        user: set(coded.filter(source=focus_group, coder=user).values_list("code", flat=True))
        for user in (lead, coder)
    }
    assert by_coder[lead] & by_coder[coder]
    assert by_coder[lead] != by_coder[coder]

    # The comparison is open, with decisions and agreed coding; memos from both coders.
    assert not project.coding_is_blind
    assert Decision.objects.filter(project=project, decided_by=lead).count() >= 5
    assert {"agreed", "rejected"} <= set(
        Decision.objects.filter(project=project).values_list("outcome", flat=True)
    )
    assert Segment.objects.filter(project=project, layer=Layer.CONSENSUS).exists()
    assert set(Memo.objects.filter(project=project).values_list("author__username", flat=True)) == {
        "analyst",
        "staff",
    }

    # The lead sees the comparison of a focus group, and the coder codes the survey page by page.
    client = Client()
    client.force_login(lead)
    page = client.get(f"/analysis/{project.pk}/comparison/{focus_group.pk}/")
    assert page.status_code == 200
    assert "too little here to stand on its own" in page.content.decode()
    client.force_login(coder)
    page = client.get(f"/analysis/{project.pk}/datasets/{dataset.pk}/")
    assert page.status_code == 200
    assert first.text[:40] in page.content.decode()


def test_the_second_demo_project_is_still_coded_blind() -> None:
    populate(DEMO)
    project = Project.objects.get(name=demo.BLIND_PROJECT_NAME)
    assert project.coding_is_blind
    lead, coder = User.objects.get(username="analyst"), User.objects.get(username="staff")
    source = Source.objects.visible().get(project=project)
    lead_coding = Segment.objects.filter(source=source, coder=lead)
    assert lead_coding.exists()
    assert Segment.objects.filter(source=source, coder=coder).exists()
    # The coder sees only their own coding; the lead sees both.
    assert not coding.visible_segments(coder, project).filter(coder=lead).exists()
    assert coding.visible_segments(lead, project).filter(coder=coder).exists()
    assert Code.objects.filter(project=project, parent__isnull=False).count() == 6
    client = Client()
    client.force_login(coder)
    page = client.get(f"/analysis/{project.pk}/comparison/{source.pk}/")
    assert page.status_code == 200
    assert "Until then you see only your own coding" in page.content.decode()
    assert "Trevor Hall" not in source.text
