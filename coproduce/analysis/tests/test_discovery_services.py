"""Theme discovery: themes are found among the responses nobody has coded, and one step makes a
theme into a code whose responses wait for review, never coded by the machine on its own."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from conftest import Tenant
from coproduce.analysis.models import (
    Code,
    Dataset,
    Discovery,
    Import,
    Segment,
    Source,
    Suggestion,
)
from coproduce.analysis.services import coding
from coproduce.analysis.services import discovery as services
from coproduce.core.errors import ServiceError
from coproduce.core.models import AuditEvent
from coproduce.core.roles import Role

from .suggest_data import labelled

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def lead(tenant: Tenant) -> Any:
    return tenant.users[Role.ANALYST]


def add_responses(tenant: Tenant, texts: list[str], dataset: Dataset | None = None) -> list[Source]:
    """Released survey responses in the fixture's dataset (or another one)."""
    dataset = dataset or tenant.analysis.dataset
    return Source.objects.bulk_create(
        Source(
            project=tenant.analysis.project,
            source_import=dataset.source_import,
            dataset=dataset,
            row=100 + row,
            kind=Source.Kind.RESPONSE,
            name=f"{dataset.name}, row {100 + row}",
            text=text,
        )
        for row, text in enumerate(texts)
    )


def another_dataset(tenant: Tenant, name: str = "Second survey") -> Dataset:
    project = tenant.analysis.project
    released = Import.objects.create(
        project=project, status=Import.Status.RELEASED, file_name="second.csv"
    )
    return Dataset.objects.create(
        project=project, source_import=released, name=name, text_column="Comment"
    )


def discover(
    tenant: Tenant, capture: Capture, *, themes: int | None = 4, dataset: Dataset | None = None
) -> Discovery:
    with capture(execute=True):
        started = services.start_discovery(
            by=lead(tenant), project=tenant.analysis.project, dataset=dataset, themes=themes
        )
    started.refresh_from_db()
    return started


def surveyed(tenant: Tenant, n: int = 120) -> list[Source]:
    texts, _, _ = labelled(n, seed=3)
    return add_responses(tenant, texts)


def test_themes_are_found_among_the_responses_nobody_has_coded(
    tenant: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    responses = surveyed(tenant)
    coded, accepted, rejected = responses[:3]
    coding.apply_codes(by=lead(tenant), source=coded, codes=[tenant.analysis.code], start=0, end=5)
    project = tenant.analysis.project
    Suggestion.objects.create(
        project=project,
        source=accepted,
        code=tenant.analysis.code,
        confidence=0.9,
        status=Suggestion.Status.ACCEPTED,
    )
    Suggestion.objects.create(
        project=project,
        source=rejected,
        code=tenant.analysis.code,
        confidence=0.2,
        status=Suggestion.Status.REJECTED,
    )
    elsewhere = add_responses(tenant, ["The parking was dreadful."] * 3, another_dataset(tenant))

    found = discover(tenant, django_capture_on_commit_callbacks)

    assert found.status == Discovery.Status.READY and found.finished_at and not found.error
    uncoded = {
        tenant.analysis.response.pk,
        *(s.pk for s in responses[1:]),
        *(s.pk for s in elsewhere),
    }
    uncoded -= {accepted.pk}
    assert found.responses == len(uncoded)
    assert len(found.themes) == 4
    members = [pk for theme in found.themes for pk in theme["members"]]
    assert sorted(members) == sorted(uncoded)  # each uncoded response in exactly one theme
    assert coded.pk not in members and accepted.pk not in members
    for theme in found.themes:
        assert set(theme) == {"label", "words", "typical", "members", "closeness", "code"}
        assert len(theme["closeness"]) == len(theme["members"])
        assert theme["code"] is None and theme["label"] and theme["words"]
        assert 0 < len(theme["typical"]) <= 5 and set(theme["typical"]) <= set(theme["members"])
    words = " ".join(word for theme in found.themes for word in theme["words"])
    assert "parking" in words
    assert services.ready(project) == found == services.latest(project)
    assert AuditEvent.objects.filter(action="analysis.discovery_started").exists()


def test_one_dataset_may_be_chosen_and_the_engine_chooses_how_many_themes(
    tenant: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    surveyed(tenant, 40)
    second = another_dataset(tenant)
    texts, _, _ = labelled(80, seed=5)
    theirs = add_responses(tenant, texts, second)
    found = discover(tenant, django_capture_on_commit_callbacks, themes=None, dataset=second)
    assert found.status == Discovery.Status.READY
    members = {pk for theme in found.themes for pk in theme["members"]}
    assert members == {source.pk for source in theirs}
    assert len(found.themes) == 2  # the engine's choice for 80 responses


def test_too_few_uncoded_responses_stop_with_a_clear_message(
    tenant: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    add_responses(tenant, ["The parking was awful."] * (services.MIN_RESPONSES - 2))
    found = discover(tenant, django_capture_on_commit_callbacks)
    assert found.status == Discovery.Status.FAILED
    assert found.error.startswith("Fewer than 20 uncoded responses: there is nothing to group yet")
    assert found.themes == [] and found.responses == services.MIN_RESPONSES - 1
    assert services.ready(tenant.analysis.project) is None


def test_too_many_themes_for_the_responses_is_explained(
    tenant: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    surveyed(tenant, 30)
    found = discover(tenant, django_capture_on_commit_callbacks, themes=20)
    assert found.status == Discovery.Status.FAILED
    assert "Too few responses to find 20 themes" in found.error


def test_asking_is_for_the_lead_one_search_at_a_time_within_limits(tenant: Tenant) -> None:
    project = tenant.analysis.project
    for user in (tenant.users[Role.STAFF], tenant.users[Role.INVOLVEMENT_LEAD]):
        with pytest.raises(ServiceError) as refused:
            services.start_discovery(by=user, project=project)
        assert refused.value.status == 403
    with pytest.raises(ServiceError, match="between 2 and 30 themes"):
        services.start_discovery(by=lead(tenant), project=project, themes=31)
    with pytest.raises(ServiceError, match="Choose a dataset from this project"):
        other = Dataset(pk=10_000, project_id=project.pk + 1, name="Theirs")
        services.start_discovery(by=lead(tenant), project=project, dataset=other)
    services.start_discovery(by=lead(tenant), project=project)  # queued: the task never ran
    with pytest.raises(ServiceError, match="already being looked for") as busy:
        services.start_discovery(by=lead(tenant), project=project)
    assert busy.value.status == 409
    assert Discovery.objects.filter(project=project).count() == 1
    # A search whose worker was lost does not block the next one for ever.
    Discovery.objects.update(requested_at=timezone.now() - services.LOST_AFTER)
    services.start_discovery(by=lead(tenant), project=project)
    assert Discovery.objects.filter(project=project).count() == 2


def test_a_search_delivered_twice_runs_once(
    tenant: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    surveyed(tenant, 40)
    found = discover(tenant, django_capture_on_commit_callbacks, themes=2)
    Source.objects.filter(project=tenant.analysis.project).delete()
    again = services.run_discovery(found.pk)
    assert again.status == Discovery.Status.READY and again.themes == found.themes


def test_making_a_theme_a_code_puts_its_responses_up_for_review_without_coding_them(
    tenant: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    surveyed(tenant)
    found = discover(tenant, django_capture_on_commit_callbacks)
    segments = Segment.objects.count()
    theme = found.themes[0]
    parent = tenant.analysis.code

    made = services.make_code(
        by=lead(tenant), discovery=found, number=1, name="Car parking", parent=parent
    )

    code = made.code
    assert code.name == "Car parking" and code.parent == parent and code.position > 0
    typical = dict(Source.objects.filter(pk__in=theme["typical"]).values_list("pk", "text"))
    assert code.examples.splitlines() == [typical[pk] for pk in theme["typical"]]
    suggestions = Suggestion.objects.filter(code=code)
    assert made.suggested == len(theme["members"]) == suggestions.count()
    assert set(suggestions.values_list("source_id", flat=True)) == set(theme["members"])
    assert {(s.status, s.suggester) for s in suggestions} == {(Suggestion.Status.PENDING, None)}
    # Each suggestion is as confident as its response is like the theme's centre.
    closeness = dict(zip(theme["members"], theme["closeness"], strict=True))
    assert {s.source_id: s.confidence for s in suggestions} == closeness
    assert all(0 <= value <= 1 for value in closeness.values())
    assert max(closeness, key=closeness.__getitem__) in theme["typical"]
    assert Segment.objects.count() == segments  # nothing coded until a person accepts
    found.refresh_from_db()
    assert found.themes[0]["code"] == code.pk
    assert all(other["code"] is None for other in found.themes[1:])
    assert AuditEvent.objects.filter(action="analysis.code_added", target_id=str(code.pk)).exists()
    assert AuditEvent.objects.filter(action="analysis.discovery_code_made").exists()


def test_responses_already_coded_with_the_code_are_not_suggested_it(
    tenant: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    surveyed(tenant)
    found = discover(tenant, django_capture_on_commit_callbacks)
    theme = found.themes[1]
    members = dict(zip(theme["members"], theme["closeness"], strict=True))
    code = Code.objects.create(project=tenant.analysis.project, name="Already")
    coding.apply_codes(
        by=lead(tenant),
        source=Source.objects.get(pk=theme["members"][0]),
        codes=[code],
        start=0,
        end=3,
    )
    assert services._suggest(tenant.analysis.project, code, members) == len(members) - 1
    assert services._suggest(tenant.analysis.project, code, members) == 0


def test_a_theme_becomes_a_code_once_only_from_the_latest_themes_and_with_a_free_name(
    tenant: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    surveyed(tenant)
    found = discover(tenant, django_capture_on_commit_callbacks)
    with pytest.raises(ServiceError, match="There is already a code called Hearing back") as taken:
        services.make_code(by=lead(tenant), discovery=found, number=1, name="hearing back")
    assert taken.value.field == "name"
    with pytest.raises(ServiceError) as coder:
        services.make_code(by=tenant.users[Role.STAFF], discovery=found, number=1, name="Parking")
    assert coder.value.status == 403
    services.make_code(by=lead(tenant), discovery=found, number=2, name="Second")
    with pytest.raises(ServiceError, match="already been made into the code Second") as twice:
        services.make_code(by=lead(tenant), discovery=found, number=2, name="Second again")
    assert twice.value.status == 409
    with pytest.raises(ServiceError, match="Choose one of the themes shown"):
        services.make_code(by=lead(tenant), discovery=found, number=9, name="Ninth")

    newer = discover(tenant, django_capture_on_commit_callbacks, themes=3)
    assert newer.status == Discovery.Status.READY
    with pytest.raises(ServiceError, match="replaced by newer ones") as stale:
        services.make_code(by=lead(tenant), discovery=found, number=1, name="Parking")
    assert stale.value.status == 409
    assert not Code.objects.filter(name__in=["Parking", "Second again", "Ninth"]).exists()


def test_a_dataset_removed_before_the_search_runs_is_explained(
    tenant: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    second = another_dataset(tenant)
    with django_capture_on_commit_callbacks(execute=True):
        started = services.start_discovery(
            by=lead(tenant), project=tenant.analysis.project, dataset=second
        )
        second.delete()
    started.refresh_from_db()
    assert started.status == Discovery.Status.FAILED and started.error == services.GONE
