"""Themes move from candidate to reviewed to defined and named; the thematic map shows each
theme with its codes as a picture and, with the same content, as a list."""

import re

import pytest
from django.test import Client

from conftest import Tenant
from coproduce.analysis import reports
from coproduce.analysis.models import Code, Segment, Theme
from coproduce.analysis.services import coding
from coproduce.analysis.services import themes as services
from coproduce.core.errors import ServiceError
from coproduce.core.models import AuditEvent
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def lead(tenant: Tenant):
    return tenant.users[Role.ANALYST]


def code(tenant: Tenant, name: str, parent: Code | None = None, position: int = 0) -> Code:
    return Code.objects.create(
        project=tenant.analysis.project, name=name, parent=parent, position=position
    )


# Services ------------------------------------------------------------------------------------


def test_a_new_theme_is_a_candidate_placed_after_the_others(tenant: Tenant) -> None:
    theme = services.add_theme(
        by=lead(tenant),
        project=tenant.analysis.project,
        name="Being listened to",
        codes=[tenant.analysis.code],
    )
    assert theme.status == Theme.Status.CANDIDATE
    assert theme.position > tenant.analysis.theme.position
    assert list(theme.codes.all()) == [tenant.analysis.code]
    assert AuditEvent.objects.filter(action="analysis.theme_added").exists()
    with pytest.raises(ServiceError, match="There is already a theme called being listened to"):
        services.add_theme(
            by=lead(tenant), project=tenant.analysis.project, name="being listened to"
        )


def test_a_theme_is_defined_and_named_only_with_a_definition_and_codes(tenant: Tenant) -> None:
    theme = services.add_theme(by=lead(tenant), project=tenant.analysis.project, name="Trust")
    with pytest.raises(ServiceError, match="Write the theme's definition before"):
        services.set_status(by=lead(tenant), theme=theme, status=Theme.Status.DEFINED)
    services.change_theme(
        by=lead(tenant), theme=theme, name="Trust in staff", definition="Feeling safe to speak"
    )
    with pytest.raises(ServiceError, match="Add the codes the theme brings together"):
        services.set_status(by=lead(tenant), theme=theme, status=Theme.Status.DEFINED)
    services.add_codes(by=lead(tenant), theme=theme, codes=[tenant.analysis.code])
    services.set_status(by=lead(tenant), theme=theme, status=Theme.Status.REVIEWED)
    services.set_status(by=lead(tenant), theme=theme, status=Theme.Status.DEFINED)
    theme.refresh_from_db()
    assert theme.status == Theme.Status.DEFINED and theme.name == "Trust in staff"
    with pytest.raises(ServiceError, match="needs its definition"):
        services.change_theme(by=lead(tenant), theme=theme, name="Trust", definition="")
    with pytest.raises(ServiceError, match="last code of a defined theme"):
        services.remove_code(by=lead(tenant), theme=theme, code=tenant.analysis.code)


def test_codes_are_added_once_and_taken_out_without_touching_coding(tenant: Tenant) -> None:
    theme = tenant.analysis.theme
    other = code(tenant, "Being thanked")
    assert (
        services.add_codes(by=lead(tenant), theme=theme, codes=[tenant.analysis.code, other]) == 1
    )
    segments = Segment.objects.filter(code=tenant.analysis.code).count()
    services.remove_code(by=lead(tenant), theme=theme, code=tenant.analysis.code)
    assert list(theme.codes.all()) == [other]
    assert Segment.objects.filter(code=tenant.analysis.code).count() == segments
    with pytest.raises(ServiceError, match="is not in the theme"):
        services.remove_code(by=lead(tenant), theme=theme, code=tenant.analysis.code)


def test_a_code_of_another_project_cannot_join_a_theme(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    with pytest.raises(ServiceError, match="Choose codes from this project's codebook"):
        services.add_codes(
            by=lead(tenant), theme=tenant.analysis.theme, codes=[other_tenant.analysis.code]
        )


def test_themes_are_reordered_one_place_at_a_time(tenant: Tenant) -> None:
    project = tenant.analysis.project
    first = tenant.analysis.theme
    second = services.add_theme(by=lead(tenant), project=project, name="Second")
    third = services.add_theme(by=lead(tenant), project=project, name="Third")
    services.move_theme(by=lead(tenant), theme=third, earlier=True)
    assert list(Theme.objects.filter(project=project)) == [first, third, second]
    with pytest.raises(ServiceError, match="is already first"):
        services.move_theme(by=lead(tenant), theme=first, earlier=True)
    services.move_theme(by=lead(tenant), theme=first, earlier=False)
    assert list(Theme.objects.filter(project=project)) == [third, first, second]


def test_deleting_a_theme_keeps_its_codes(tenant: Tenant) -> None:
    services.delete_theme(by=lead(tenant), theme=tenant.analysis.theme)
    assert not Theme.objects.filter(pk=tenant.analysis.theme.pk).exists()
    assert Code.objects.filter(pk=tenant.analysis.code.pk).exists()


def test_the_map_holds_child_codes_under_their_parent_with_counts(tenant: Tenant) -> None:
    parent = tenant.analysis.code
    child = code(tenant, "Hearing back quickly", parent=parent)
    loose = code(tenant, "Parking")
    coding.apply_codes(
        by=lead(tenant), source=tenant.analysis.source, codes=[child], start=0, end=11
    )
    segments = reports.coding(lead(tenant), tenant.analysis.project)
    found = reports.thematic_map(tenant.analysis.project, segments)
    (theme,) = found.themes
    assert [(c.code, c.depth, c.count) for c in theme.codes] == [(parent, 0, 2), (child, 1, 1)]
    assert theme.total == 3
    assert [(c.code, c.count) for c in found.unthemed] == [(loose, 0)]
    tree = theme.tree
    assert tree[0].item.code == parent and tree[0].children[0].item.code == child


# Pages ---------------------------------------------------------------------------------------


def test_the_map_shows_the_same_themes_codes_and_counts_in_the_picture_and_the_list(
    tenant: Tenant,
) -> None:
    project = tenant.analysis.project
    child = code(tenant, "Hearing back quickly", parent=tenant.analysis.code)
    coding.apply_codes(
        by=lead(tenant), source=tenant.analysis.source, codes=[child], start=0, end=11
    )
    page = signed_in(lead(tenant)).get(f"/analysis/{project.pk}/themes/")
    assert page.status_code == 200
    body = page.content.decode()
    start = body.index('<svg viewBox="0 0 640')
    picture = body[start : body.index("</svg>", start)]
    listing = body[body.index("Themes and their codes") :]
    assert 'role="img"' in picture and "<title" in picture
    for text in ("Feeling heard", "Hearing back", "Hearing back quickly"):
        assert f">{text}<" in picture
        assert text in listing
    # The parent's two segments (the lead's and the coder's) and the child's one.
    assert "2 segments" in picture and "1 segment<" in picture
    assert "Hearing back: 2 coded segments" in re.sub(r"\s+", " ", listing)
    assert "Hearing back quickly: 1 coded segment" in re.sub(r"\s+", " ", listing)
    assert "Candidate" in picture and "Candidate" in listing


def test_a_coder_in_blind_coding_sees_counts_of_their_own_coding_only(tenant: Tenant) -> None:
    project = tenant.analysis.project
    body = signed_in(tenant.users[Role.STAFF]).get(f"/analysis/{project.pk}/themes/")
    text = re.sub(r"\s+", " ", body.content.decode())
    assert "Hearing back: 1 coded segment" in text
    lead_text = re.sub(
        r"\s+", " ", signed_in(lead(tenant)).get(f"/analysis/{project.pk}/themes/").content.decode()
    )
    assert "Hearing back: 2 coded segments" in lead_text


def test_the_lead_builds_a_theme_from_the_pages(tenant: Tenant) -> None:
    project = tenant.analysis.project
    client = signed_in(lead(tenant))
    base = f"/analysis/{project.pk}/themes/"
    assert client.get(base + "new/").status_code == 200
    blank = client.post(base + "new/", {"name": ""})
    assert "Enter a name for the theme" in blank.content.decode()
    added = client.post(base + "new/", {"name": "Trust", "definition": ""})
    theme = Theme.objects.get(project=project, name="Trust")
    assert added["Location"] == f"{base}{theme.pk}/"
    other = code(tenant, "Being thanked")
    detail = client.get(f"{base}{theme.pk}/").content.decode()
    assert "Being thanked" in detail and "Codes to add" in detail
    assert client.get(f"{base}{theme.pk}/codes/").status_code == 200
    assert client.post(f"{base}{theme.pk}/codes/", {"codes": [other.pk]}).status_code == 302
    assert list(theme.codes.all()) == [other]
    refused = client.post(f"{base}{theme.pk}/status/", {"status": "defined"})
    assert "Write the theme&#39;s definition before" in refused.content.decode()
    client.post(f"{base}{theme.pk}/edit/", {"name": "Trust", "definition": "Safe to speak up"})
    assert client.post(f"{base}{theme.pk}/status/", {"status": "defined"}).status_code == 302
    theme.refresh_from_db()
    assert theme.status == Theme.Status.DEFINED
    assert client.get(f"{base}{theme.pk}/move/").status_code == 200
    assert client.post(f"{base}{theme.pk}/move/", {"direction": "earlier"}).status_code == 302
    assert Theme.objects.filter(project=project).first() == theme
    remove = f"{base}{tenant.analysis.theme.pk}/codes/{tenant.analysis.code.pk}/remove/"
    assert "Take Hearing back out of this theme?" in client.get(remove).content.decode()
    assert client.post(remove).status_code == 302
    assert not tenant.analysis.theme.codes.exists()
    assert client.post(f"{base}{theme.pk}/delete/").status_code == 302
    assert not Theme.objects.filter(pk=theme.pk).exists()


def test_codes_that_come_with_their_parent_are_not_offered_again(tenant: Tenant) -> None:
    project = tenant.analysis.project
    code(tenant, "Hearing back quickly", parent=tenant.analysis.code)
    code(tenant, "Parking")
    page = signed_in(lead(tenant)).get(
        f"/analysis/{project.pk}/themes/{tenant.analysis.theme.pk}/codes/"
    )
    offered = page.content.decode()
    assert "Parking" in offered
    assert "Hearing back quickly" not in offered


def test_only_the_lead_changes_themes(tenant: Tenant) -> None:
    project = tenant.analysis.project
    theme = tenant.analysis.theme
    base = f"/analysis/{project.pk}/themes/"
    for role in (Role.STAFF, Role.INVOLVEMENT_LEAD):
        client = signed_in(tenant.users[role])
        assert client.get(base).status_code == 200
        detail = client.get(f"{base}{theme.pk}/")
        assert detail.status_code == 200 and "Codes to add" not in detail.content.decode()
        for url in ("new/", f"{theme.pk}/edit/", f"{theme.pk}/status/", f"{theme.pk}/delete/"):
            assert client.post(base + url, {"name": "Changed"}).status_code == 403
    theme.refresh_from_db()
    assert theme.name == "Feeling heard"


def test_a_theme_of_another_project_is_not_found(tenant: Tenant, other_tenant: Tenant) -> None:
    project = tenant.analysis.project
    foreign = other_tenant.analysis.theme
    client = signed_in(lead(tenant))
    assert client.get(f"/analysis/{project.pk}/themes/{foreign.pk}/").status_code == 404
    assert client.post(f"/analysis/{project.pk}/themes/{foreign.pk}/delete/").status_code == 404
