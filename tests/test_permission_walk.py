"""The permission walk: every URL, every role, two organisations.

Each page must declare an access rule, and the rule must hold in practice: staff of another
organisation never see this organisation's data, members reach only their own record, and
nobody signed out reaches anything but the public pages.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import LEAD_MEMO, Tenant
from coproduce.analysis.models import TeamRole
from coproduce.analysis.team import RIGHTS
from coproduce.core import access
from coproduce.core.access import ROLE_PERMISSIONS, Permission
from coproduce.core.roles import Role
from coproduce.factories import ClaimFactory

ROLES = list(Role.values)


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str, Any]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else entry.namespace or namespace
            )
            found += walk(entry.url_patterns, prefix + str(entry.pattern), space or "")
        elif isinstance(entry, URLPattern):
            found.append(
                (
                    prefix + str(entry.pattern),
                    f"{namespace}:{entry.name}".strip(":"),
                    entry.callback,
                )
            )
    return found


PAGES = [
    (route, name, view)
    for route, name, view in walk(get_resolver().url_patterns)
    if not route.startswith("api/")
]


OBJECT_PAGES = [
    (route, name, view)
    for route, name, view in PAGES
    if "<" in route and getattr(access.rule_of(view), "kind", None) == "permission"
]


OBJECT_PAGES = [
    (route, name, view)
    for route, name, view in PAGES
    if "<" in route and getattr(access.rule_of(view), "kind", None) == "permission"
]


def fill(route: str, name: str, tenant: Tenant) -> str:
    """A concrete URL for a route, pointing at the tenant's own objects."""
    involved = tenant.involvement
    analysis = tenant.analysis
    values = {
        "pk": {
            "impact:assessment": involved.assessment.pk,
        }.get(name)
        or {
            "groups": tenant.group.pk,
            "people": tenant.member_person.pk,
            "organisations": tenant.organisation.pk,
            "accounts": tenant.member.pk,
            "opportunities": involved.opportunity.pk,
            "me_opportunities": involved.opportunity.pk,
            "activities": involved.activity.pk,
            "me_activities": involved.activity.pk,
            "payments": involved.claim.pk,
            "me_claims": involved.claim.pk,
            "asks": involved.ask.pk,
            "me_asks": involved.ask.pk,
            "impact": involved.questionnaire.pk,
        }.get(name.split(":")[0], 0),
        "version_pk": involved.draft.pk,
        "question_pk": involved.question.pk,
        "membership_pk": tenant.membership.pk,
        "interest_pk": involved.interest.pk,
        "registration_pk": involved.registration.pk,
        "attendance_pk": involved.attendance.pk,
        "decision_pk": involved.decision.pk,
        "action_pk": involved.action.pk,
        "document_pk": involved.document.pk,
        "receipt_pk": involved.receipt.pk,
        "rate_pk": involved.rate.pk,
        "rule_pk": involved.rule.pk,
        "budget_pk": involved.budget.pk,
        "evidence_pk": involved.evidence.pk,
        "organisation_pk": tenant.organisation.pk,
        "project_pk": analysis.project.pk,
        "activity_pk": involved.activity.pk,
        "source_pk": analysis.source.pk,
        "import_pk": analysis.under_review.pk,
        "member_pk": analysis.team_member.pk,
        "segment_pk": analysis.segment.pk,
        "dataset_pk": analysis.dataset.pk,
        "response_pk": analysis.response.pk,
        "code_pk": analysis.code.pk,
        "theme_pk": analysis.theme.pk,
        "case_pk": analysis.case.pk,
        "attribute_pk": analysis.attribute.pk,
        "memo_pk": analysis.memo.pk,
        "group_pk": tenant.group.pk,
        "status": "under_consideration",
        "evidence_kind": "link",
        "kind": "contact",
        "uidb64": "MQ",
        # A questionnaire link is the member's own; other secrets are wrong in the walk.
        "token": involved.invitation.token if name in PERSONAL_LINKS else "not-a-token",
    }
    url = "/" + route
    for key, value in values.items():
        for converter in ("<int:", "<slug:", "<str:", "<"):
            url = url.replace(f"{converter}{key}>", str(value))
    assert "<" not in url, f"walk cannot fill {route}"
    return url


def test_every_page_declares_an_access_rule() -> None:
    missing = [route for route, _, view in PAGES if access.rule_of(view) is None]
    assert missing == []


# Pages that also check the object: staff answer only the asks given to them, and the walk's
# ask is given to someone else, so only those who manage asks may open these.
ANSWERED_BY_OWNER = {"asks:move", "asks:progress", "asks:evidence_add"}
# The walk's segment is the lead analyst's: in blind coding the coder cannot even find it.
HIDDEN_IN_BLIND_CODING = {"analysis:segment_remove"}
# Links sent to one person: anyone else who follows one is refused.
PERSONAL_LINKS = {"me_questionnaires:answer"}


# The walk's analysis project team: the analyst leads, staff code, the involvement lead views,
# and the administrator is not on the team.
ANALYSIS_TEAM: dict[str, str] = {
    Role.ANALYST: TeamRole.LEAD,
    Role.STAFF: TeamRole.CODER,
    Role.INVOLVEMENT_LEAD: TeamRole.VIEWER,
}


def expected_status(
    rule: access.AccessRule, role: str | None, same_organisation: bool, has_object: bool
) -> set[int]:
    if rule.kind == "public":
        # A public page named by a secret (a set-password link, a calendar feed) is not found
        # when the secret is wrong, as it is in the walk.
        return {200, 302, 404} if has_object else {200, 302}
    if role is None:
        return {302}
    if rule.kind == "signed_in":
        return {200, 302}
    if rule.kind == "member_area":
        if role != Role.MEMBER:
            return {403}
        # A member reaches objects of their own organisation only (their own claims, its
        # published opportunities); another organisation's are not found.
        return {404} if has_object and not same_organisation else {200}
    assert rule.permission is not None
    if rule.permission not in ROLE_PERMISSIONS[role]:
        return {403}
    if has_object and not same_organisation:
        return {404}
    if rule.team_right is not None:
        # Inside an analysis project, the project's team decides (see conftest.make_analysis).
        team_role = ANALYSIS_TEAM.get(role)
        return {200} if team_role and rule.team_right in RIGHTS[team_role] else {403}
    return {200}


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name", "view"), PAGES, ids=[name for _, name, _ in PAGES])
def test_walk_every_role(
    route: str, name: str, view: Any, tenant: Tenant, other_tenant: Tenant
) -> None:
    rule = access.rule_of(view)
    assert rule is not None
    url = fill(route, name, tenant)
    has_object = "<" in route and (
        rule.kind in {"permission", "public"} or (rule.kind == "member_area" and "pk>" in route)
    )
    private_to_tenant = [tenant.member_person.family_name]
    if rule.kind != "public":
        # A group's public "you said, we did" record names the group, by design.
        private_to_tenant.append(tenant.group.name)
    actors: list[tuple[str | None, Tenant | None]] = [(None, None)]
    actors += [(role, tenant) for role in ROLES] + [(role, other_tenant) for role in ROLES]
    for role, owner in actors:
        client = Client()
        if owner is not None and role is not None:
            client.force_login(owner.users[role])
        response = client.get(url)
        same = owner is tenant
        expected = expected_status(rule, role, same, has_object)
        if name in ANSWERED_BY_OWNER and expected == {200}:
            assert role is not None
            expected = {200} if Permission.MANAGE_ASKS in ROLE_PERMISSIONS[role] else {403}
        if name in HIDDEN_IN_BLIND_CODING and role == Role.STAFF and same:
            expected = {404}
        if name in PERSONAL_LINKS and role == Role.MEMBER and not same:
            expected = {403}
        assert response.status_code in expected, (
            f"{url} as {role} of {'this' if same else 'another'} organisation gave {response.status_code}"
        )
        if response.status_code == 302 and role is None and rule.kind != "public":
            assert response["Location"].startswith("/account/sign-in/")
        body = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
            if response.streaming
            else response.content
        ).decode(errors="replace")
        own_record = role == Role.MEMBER and same and rule.kind == "member_area"
        if not same or (role == Role.MEMBER and not own_record):
            for marker in private_to_tenant:
                assert marker not in body, (
                    f"{url} leaked {marker!r} to {role} of another organisation"
                )
        if rule.team_right is not None and role != Role.ANALYST:
            # Coding is blind in the walk's project: only the lead analyst reads the lead's memo.
            assert LEAD_MEMO not in body, f"{url} showed the lead's memo to {role} in blind coding"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "name", "view"),
    OBJECT_PAGES,
    ids=[name for _, name, _ in OBJECT_PAGES],
)
def test_writes_to_another_organisation_are_refused(
    route: str, name: str, view: Any, tenant: Tenant, other_tenant: Tenant
) -> None:
    url = fill(route, name, tenant)
    for role in ROLES:
        client = Client()
        client.force_login(other_tenant.users[role])
        response = client.post(
            url, {"given_name": "Changed", "name": "Changed", "role": "member", "remove": "1"}
        )
        assert response.status_code in {403, 404}, (
            f"POST {url} as {role} of another organisation gave {response.status_code}"
        )
    tenant.group.refresh_from_db()
    tenant.member_person.refresh_from_db()
    assert tenant.group.name != "Changed"
    assert tenant.member_person.given_name != "Changed"


# The API: the same rules through bearer tokens.

API_READS = [
    ("/api/v1/organisations/{organisation}", "view_organisation"),
    ("/api/v1/groups/{group}", "view_groups"),
    ("/api/v1/groups/{group}/memberships", "view_groups"),
    ("/api/v1/people/{person}", "view_people"),
    ("/api/v1/people/{person}/consent", "manage_people"),
    ("/api/v1/opportunities/{opportunity}", "view_opportunities"),
    ("/api/v1/opportunities/{opportunity}/interests", "manage_opportunities"),
    ("/api/v1/opportunities/{opportunity}/suggestions", "manage_opportunities"),
    ("/api/v1/activities/{activity}", "view_activities"),
    ("/api/v1/activities/{activity}/registrations", "manage_activities"),
    ("/api/v1/claims/{claim}", "manage_claims"),
    ("/api/v1/asks/{ask}", "view_asks"),
    ("/api/v1/asks/{ask}/contributors", "manage_asks"),
    ("/api/v1/impact/questionnaires/{questionnaire}", "view_impact"),
    ("/api/v1/impact/questionnaires/{questionnaire}/results", "view_impact"),
    ("/api/v1/impact/questionnaires/{questionnaire}/versions/{version}", "view_impact"),
    ("/api/v1/impact/self-assessments/{assessment}", "view_impact"),
    ("/api/v1/impact/dashboard?organisation={organisation}", "view_impact"),
]
API_LISTS = [
    "/api/v1/organisations",
    "/api/v1/groups",
    "/api/v1/people",
    "/api/v1/opportunities",
    "/api/v1/activities",
    "/api/v1/claims",
    "/api/v1/asks",
    "/api/v1/asks/hearing-back",
    "/api/v1/impact/questionnaires",
    "/api/v1/impact/self-assessments",
    "/api/v1/impact/dashboard",
    "/api/v1/me/questionnaires",
]


def token_for(client: Client, user: Any) -> str:
    from coproduce.accounts.services import issue_api_token

    return issue_api_token(user=user)


@pytest.mark.django_db
def test_api_walk_every_role(tenant: Tenant, other_tenant: Tenant) -> None:
    client = Client()
    # Someone else's claim: the member may read their own, which is not what this checks.
    claim = ClaimFactory.create(activity=tenant.involvement.activity)
    ids = {
        "organisation": tenant.organisation.pk,
        "group": tenant.group.pk,
        "person": tenant.member_person.pk,
        "opportunity": tenant.involvement.opportunity.pk,
        "activity": tenant.involvement.activity.pk,
        "claim": claim.pk,
        "ask": tenant.involvement.ask.pk,
        "questionnaire": tenant.involvement.questionnaire.pk,
        "version": tenant.involvement.draft.pk,
        "assessment": tenant.involvement.assessment.pk,
    }
    for path, _ in API_READS + [(path, "") for path in API_LISTS]:
        assert client.get(path.format(**ids)).status_code == 401
    for owner in (tenant, other_tenant):
        for role in ROLES:
            headers = {"Authorization": f"Bearer {token_for(client, owner.users[role])}"}
            for path, permission in API_READS:
                response = client.get(path.format(**ids), headers=headers)
                allowed = permission in ROLE_PERMISSIONS[role]
                if owner is tenant:
                    expected = {200} if allowed else {403}
                else:
                    expected = {404} if allowed else {403, 404}
                assert response.status_code in expected, f"{path} as {role}: {response.status_code}"
            for path in API_LISTS:
                body = client.get(path, headers=headers).content.decode()
                if owner is other_tenant:
                    assert tenant.member_person.family_name not in body
                    assert tenant.group.name not in body
                    assert tenant.organisation.name not in body
