import pytest
from django.test import Client

from conftest import Tenant
from coproduce.accounts.models import User
from coproduce.accounts.services import issue_api_token
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db


def auth(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user=user)}"}


def test_the_activity_report_has_the_same_figures_as_the_page(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    response = client.get("/api/v1/reports/activity", headers=auth(tenant.lead))
    assert response.status_code == 200
    figures = {(f["section"], f["measure"]): f["value"] for f in response.json()["figures"]}
    assert figures[("Activities", "Activities held")] == "1"
    # One person took part: their hours would describe them, so they are not shown.
    assert figures[("People", "People who took part")] == "Fewer than 5"
    assert figures[("People", "Hours given")] == "Fewer than 5 people: not shown"
    # Another organisation's lead sees their own activity only, never this one's.
    theirs = client.get(
        "/api/v1/reports/activity",
        {"organisation_id": tenant.organisation.pk},
        headers=auth(other_tenant.lead),
    )
    assert theirs.status_code == 404


def test_a_period_that_ends_before_it_starts_is_a_422(client: Client, tenant: Tenant) -> None:
    response = client.get(
        "/api/v1/reports/activity",
        {"starts_on": "2026-06-01", "ends_on": "2026-01-01"},
        headers=auth(tenant.lead),
    )
    assert response.status_code == 422
    assert "end of the period" in response.json()["detail"]


def test_roles_without_the_report_are_refused(client: Client, tenant: Tenant) -> None:
    for role in (Role.STAFF, Role.MEMBER):
        response = client.get("/api/v1/reports/activity", headers=auth(tenant.users[role]))
        assert response.status_code == 403


def test_policy_and_budgets_show_rates_and_spend(client: Client, tenant: Tenant) -> None:
    policy = client.get("/api/v1/reports/payment-policy", headers=auth(tenant.lead)).json()
    assert [rate["amount"] for rate in policy["rates"]] == ["25.00"]
    assert policy["expense_rules"][0]["kind"] == "travel"
    budgets = client.get("/api/v1/reports/budgets", headers=auth(tenant.lead)).json()
    assert budgets[0]["committed"] == "50.00"  # the member's submitted claim
    assert client.get("/api/v1/reports/budgets", headers=auth(tenant.member)).status_code == 403


def test_a_member_reads_their_own_involvement(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = client.get("/api/v1/reports/my-involvement", headers=auth(tenant.member)).json()
    assert mine["hours_in_all"] == "2.00"
    assert [claim["id"] for claim in mine["claims"]] == [tenant.involvement.claim.pk]
    assert other_tenant.involvement.opportunity.title not in str(mine)
    staff = client.get("/api/v1/reports/my-involvement", headers=auth(tenant.users[Role.STAFF]))
    assert staff.status_code == 403
