"""The discovery pages: the team reads the themes found among uncoded responses, the lead asks
for them and makes a theme into a code in one step, with mistakes in the error summary."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from conftest import Tenant
from coproduce.analysis.models import Code, Discovery, Segment, Suggestion
from coproduce.analysis.services import discovery as services
from coproduce.core.roles import Role

from .suggest_data import labelled
from .test_discovery_services import add_responses, discover

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(tenant: Tenant, rest: str = "") -> str:
    return f"/analysis/{tenant.analysis.project.pk}/discovery/{rest}"


@pytest.fixture
def found(tenant: Tenant, django_capture_on_commit_callbacks: Capture) -> Discovery:
    texts, _, _ = labelled(120, seed=3)
    add_responses(tenant, texts)
    tenant.analysis.project.blind = False
    tenant.analysis.project.save(update_fields=["blind"])
    return discover(tenant, django_capture_on_commit_callbacks)


def test_while_coding_is_blind_only_the_lead_reads_the_themes(
    tenant: Tenant, found: Discovery
) -> None:
    tenant.analysis.project.blind = True
    tenant.analysis.project.save(update_fields=["blind"])
    name = services.suggested_name(found.themes[0])
    coder = signed_in(tenant.users[Role.STAFF]).get(page_url(tenant)).content.decode()
    assert "for the lead analyst only" in coder and name not in coder
    members = signed_in(tenant.users[Role.STAFF]).get(page_url(tenant, "responses/?theme=1"))
    assert name not in members.content.decode()
    assert name in signed_in(tenant.users[Role.ANALYST]).get(page_url(tenant)).content.decode()


def test_before_any_search_the_page_says_so_and_offers_the_lead_a_search(tenant: Tenant) -> None:
    lead = signed_in(tenant.users[Role.ANALYST]).get(page_url(tenant)).content.decode()
    assert "No themes have been found yet" in lead and "Look for themes" in lead
    assert "Survey" in lead  # the dataset may be chosen
    viewer = signed_in(tenant.users[Role.INVOLVEMENT_LEAD]).get(page_url(tenant))
    assert viewer.status_code == 200 and "Look for themes" not in viewer.content.decode()
    for rest in ("responses/", "code/"):
        empty = signed_in(tenant.users[Role.ANALYST]).get(page_url(tenant, rest))
        assert (
            empty.status_code == 200 and "No themes have been found yet" in empty.content.decode()
        )


def test_the_team_reads_the_themes_and_only_the_lead_is_offered_the_code_form(
    tenant: Tenant, found: Discovery
) -> None:
    first = found.themes[0]
    typical = services.texts(first["typical"])
    for role in (Role.STAFF, Role.INVOLVEMENT_LEAD, Role.ANALYST):
        body = signed_in(tenant.users[role]).get(page_url(tenant)).content.decode()
        assert services.suggested_name(first) in body
        assert f"All {len(first['members'])} responses in this theme" in body
        assert typical[first["typical"][0]] in body
        assert ("Make this a code" in body) == (role == Role.ANALYST)
        assert ("Look for themes again" in body) == (role == Role.ANALYST)


def test_the_lead_asks_for_themes_and_mistakes_are_in_the_error_summary(
    tenant: Tenant, django_capture_on_commit_callbacks: Capture
) -> None:
    texts, _, _ = labelled(60, seed=2)
    add_responses(tenant, texts)
    client = signed_in(tenant.users[Role.ANALYST])
    wrong = client.post(page_url(tenant, "start/"), {"dataset": "all", "themes": "99"})
    assert wrong.status_code == 200
    assert "There is a problem" in wrong.content.decode()
    assert "Ask for 30 themes or fewer" in wrong.content.decode()
    assert not Discovery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            page_url(tenant, "start/"),
            {"dataset": str(tenant.analysis.dataset.pk), "themes": "3"},
        )
    assert started.status_code == 302 and started["Location"] == page_url(tenant)
    made = Discovery.objects.get()
    assert made.status == Discovery.Status.READY and len(made.themes) == 3
    for role in (Role.STAFF, Role.INVOLVEMENT_LEAD):
        refused = signed_in(tenant.users[role]).post(page_url(tenant, "start/"), {"dataset": "all"})
        assert refused.status_code == 403
    assert Discovery.objects.count() == 1


def test_the_page_shows_progress_and_why_a_search_stopped(tenant: Tenant) -> None:
    project = tenant.analysis.project
    client = signed_in(tenant.users[Role.STAFF])
    waiting = Discovery.objects.create(project=project, status=Discovery.Status.RUNNING)
    body = client.get(page_url(tenant)).content.decode()
    assert "Looking for themes among the uncoded responses" in body and "reload the page" in body
    panel = client.get(page_url(tenant), {"progress": "1"}, headers={"HX-Request": "true"})
    assert panel.status_code == 200 and 'id="discovery-progress"' in panel.content.decode()
    waiting.status = Discovery.Status.FAILED
    waiting.error = services.TOO_FEW
    waiting.save()
    done = client.get(page_url(tenant), {"progress": "1"}, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    body = client.get(page_url(tenant)).content.decode()
    assert "No themes were found" in body and "Fewer than 20 uncoded responses" in body


def test_a_themes_responses_are_paged(tenant: Tenant, found: Discovery, settings: Any) -> None:
    members = found.themes[0]["members"]
    client = signed_in(tenant.users[Role.INVOLVEMENT_LEAD])
    first = client.get(page_url(tenant, "responses/"), {"theme": "1"})
    assert first.status_code == 200
    body = first.content.decode()
    assert f"Showing 1 to 25 of {len(members)}" in body and "?theme=1&amp;page=2" in body
    last = client.get(page_url(tenant, "responses/"), {"theme": "1", "page": "2"}).content.decode()
    assert f"Showing 26 to {min(50, len(members))} of {len(members)}" in last
    assert client.get(page_url(tenant, "responses/"), {"theme": "99"}).status_code == 404


def test_the_lead_makes_a_theme_a_code_in_one_step(tenant: Tenant, found: Discovery) -> None:
    segments = Segment.objects.count()
    members = found.themes[0]["members"]
    client = signed_in(tenant.users[Role.ANALYST])
    body = {
        "discovery": str(found.pk),
        "theme": "1",
        "theme-1-name": "Parking problems",
        "theme-1-parent": "",
    }
    for role in (Role.STAFF, Role.INVOLVEMENT_LEAD):
        assert (
            signed_in(tenant.users[role]).post(page_url(tenant, "code/"), body).status_code == 403
        )
    made = client.post(page_url(tenant, "code/"), body, follow=True)
    code = Code.objects.get(name="Parking problems")
    assert made.redirect_chain[-1][0] == f"/analysis/{tenant.analysis.project.pk}/codes/{code.pk}/"
    page = made.content.decode()
    assert f"{len(members)} responses put up for review" in page
    assert Suggestion.objects.filter(code=code, status=Suggestion.Status.PENDING).count() == len(
        members
    )
    assert Segment.objects.count() == segments
    # There is no model of the new code yet: the review says how like the theme each response
    # is, not how sure a model is.
    review = (
        signed_in(tenant.users[Role.STAFF])
        .get(f"/analysis/{tenant.analysis.project.pk}/suggestions/review/?code={code.pk}")
        .content.decode()
    )
    shown = {
        f'Parking problems <span class="nhsuk-body-s">(from a new theme, {value * 100:.0f}% like '
        "its centre)"
        for value in found.themes[0]["closeness"]
    }
    assert any(text in review for text in shown)
    assert "% sure" not in review
    after = client.get(page_url(tenant)).content.decode()
    assert "Made into the code" in after and "Parking problems" in after

    again = client.post(page_url(tenant, "code/"), body | {"theme-1-name": "Parking again"})
    assert again.status_code == 200 and "There is a problem" in again.content.decode()
    assert "already been made into the code Parking problems" in again.content.decode()


def test_a_name_taken_or_stale_themes_are_explained_on_the_code_page(
    tenant: Tenant, found: Discovery, django_capture_on_commit_callbacks: Capture
) -> None:
    client = signed_in(tenant.users[Role.ANALYST])
    form = client.get(page_url(tenant, "code/"), {"theme": "2"})
    assert form.status_code == 200
    assert f'value="{services.suggested_name(found.themes[1])}"' in form.content.decode()
    taken = client.post(
        page_url(tenant, "code/"),
        {"discovery": str(found.pk), "theme": "2", "theme-2-name": "Hearing back"},
    )
    assert taken.status_code == 200
    assert 'href="#id_theme-2-name"' in taken.content.decode()
    assert "There is already a code called Hearing back" in taken.content.decode()
    newer = discover(tenant, django_capture_on_commit_callbacks, themes=3)
    stale = client.post(
        page_url(tenant, "code/"),
        {"discovery": str(found.pk), "theme": "2", "theme-2-name": "Something new"},
    )
    assert "replaced by newer ones" in stale.content.decode()
    assert not Code.objects.filter(name="Something new").exists()
    assert newer.themes[0]["code"] is None
