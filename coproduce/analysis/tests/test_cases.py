"""Cases and typed attributes: values are checked against their kind with a message a person
can act on, kept in one form, and cases gather the sources and responses about them."""

import pytest
from django.test import Client

from conftest import Tenant
from coproduce.analysis.models import Attribute, Case, Source
from coproduce.analysis.services import cases
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


def attribute(tenant: Tenant, name: str, kind: str) -> Attribute:
    return cases.add_attribute(
        by=lead(tenant), project=tenant.analysis.project, name=name, kind=kind
    )


# Values checked by kind --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("number", "about forty", "Age must be a number, like 12 or 3.5"),
        ("number", "12 years", "Age must be a number, like 12 or 3.5"),
        ("date", "31/02/2026", "Age must be a real date, like 15/3/2026"),
        ("date", "next week", "Age must be a real date, like 15/3/2026"),
        ("boolean", "maybe", "Age must be yes or no"),
        ("text", "x" * 501, "Age must be 500 characters or fewer"),
    ],
)
def test_a_value_that_does_not_fit_its_kind_is_refused_with_a_clear_message(
    tenant: Tenant, kind: str, raw: str, message: str
) -> None:
    age = attribute(tenant, "Age", kind)
    before = Case.objects.count()
    with pytest.raises(ServiceError) as refused:
        cases.add_case(
            by=lead(tenant), project=tenant.analysis.project, name="P2", values={age: raw}
        )
    assert refused.value.message == message
    assert refused.value.field == f"attribute_{age.pk}"
    assert Case.objects.count() == before


def test_values_are_kept_in_one_form_for_each_kind(tenant: Tenant) -> None:
    age = attribute(tenant, "Age", "number")
    score = attribute(tenant, "Score", "number")
    joined = attribute(tenant, "Joined", "date")
    carer = attribute(tenant, "Carer", "boolean")
    site = attribute(tenant, "Site", "text")
    case = cases.add_case(
        by=lead(tenant),
        project=tenant.analysis.project,
        name="P2",
        values={age: " 42 ", score: "3.5", joined: "15/3/2026", carer: "Yes", site: "  Leeds "},
    )
    case.refresh_from_db()
    assert case.values == {
        str(age.pk): 42,
        str(score.pk): 3.5,
        str(joined.pk): "2026-03-15",
        str(carer.pk): True,
        str(site.pk): "Leeds",
    }
    shown = {
        found.name: value
        for found, value in cases.described([age, score, joined, carer, site], case.values)
    }
    assert shown == {
        "Age": "42",
        "Score": "3.5",
        "Joined": "15 March 2026",
        "Carer": "Yes",
        "Site": "Leeds",
    }


def test_a_blank_value_clears_it_and_values_left_out_are_kept(tenant: Tenant) -> None:
    age = attribute(tenant, "Age", "number")
    site = attribute(tenant, "Site", "text")
    case = cases.add_case(
        by=lead(tenant),
        project=tenant.analysis.project,
        name="P2",
        values={age: "42", site: "Leeds"},
    )
    cases.change_case(by=lead(tenant), case=case, name="P2", values={age: ""})
    case.refresh_from_db()
    assert case.values == {str(site.pk): "Leeds"}


def test_case_and_attribute_names_must_be_unique_in_a_project(tenant: Tenant) -> None:
    with pytest.raises(ServiceError, match="There is already a case called p1"):
        cases.add_case(by=lead(tenant), project=tenant.analysis.project, name="p1")
    with pytest.raises(ServiceError, match="There is already an attribute called service"):
        attribute(tenant, "service", "text")
    with pytest.raises(ServiceError, match="Enter a name for the case"):
        cases.add_case(by=lead(tenant), project=tenant.analysis.project, name="  ")


def test_an_attribute_of_another_project_is_refused(tenant: Tenant, other_tenant: Tenant) -> None:
    foreign = other_tenant.analysis.attribute
    with pytest.raises(ServiceError, match="Choose attributes of this project"):
        cases.add_case(
            by=lead(tenant), project=tenant.analysis.project, name="P2", values={foreign: "x"}
        )


def test_retyping_an_attribute_is_refused_while_values_do_not_fit(tenant: Tenant) -> None:
    # The fixture's Service attribute holds "Clinic" on a case and "Radiotherapy" on a response.
    service = tenant.analysis.attribute
    with pytest.raises(ServiceError) as refused:
        cases.change_attribute(by=lead(tenant), attribute=service, name="Service", kind="number")
    assert refused.value.field == "kind"
    assert '"Clinic"' in refused.value.message and '"Radiotherapy"' in refused.value.message
    service.refresh_from_db()
    assert service.kind == "text"


def test_retyping_an_attribute_rewrites_case_values_in_the_new_form(tenant: Tenant) -> None:
    visits = attribute(tenant, "Visits", "text")
    case = cases.add_case(
        by=lead(tenant), project=tenant.analysis.project, name="P2", values={visits: "12"}
    )
    response = tenant.analysis.response
    response.values[str(visits.pk)] = "7"
    response.save()
    cases.change_attribute(by=lead(tenant), attribute=visits, name="Visits", kind="number")
    case.refresh_from_db()
    assert case.values[str(visits.pk)] == 12
    visits.refresh_from_db()
    assert visits.kind == "number"


def test_an_imported_attribute_is_not_deleted_while_responses_hold_it(tenant: Tenant) -> None:
    with pytest.raises(ServiceError, match="holds values of imported responses"):
        cases.delete_attribute(by=lead(tenant), attribute=tenant.analysis.attribute)
    age = attribute(tenant, "Age", "number")
    case = cases.add_case(
        by=lead(tenant), project=tenant.analysis.project, name="P2", values={age: "40"}
    )
    cases.delete_attribute(by=lead(tenant), attribute=age)
    case.refresh_from_db()
    assert case.values == {}
    assert AuditEvent.objects.filter(action="analysis.attribute_deleted").exists()


def test_value_of_reads_an_attribute_whose_id_looks_like_an_array_position(
    tenant: Tenant,
) -> None:
    key = str(tenant.analysis.attribute.pk)
    found = (
        Source.objects.filter(pk=tenant.analysis.response.pk)
        .annotate(value=cases.ValueOf(key, "values"))
        .values_list("value", flat=True)
        .get()
    )
    assert found == "Radiotherapy"


def test_sources_are_linked_to_a_case_and_unlinked(tenant: Tenant) -> None:
    case = tenant.analysis.case
    source = tenant.analysis.source
    assert cases.link_sources(by=lead(tenant), case=case, sources=[source]) == 1
    source.refresh_from_db()
    assert source.case == case
    cases.unlink_source(by=lead(tenant), case=case, source=source)
    source.refresh_from_db()
    assert source.case is None
    with pytest.raises(ServiceError, match="is not linked to P1"):
        cases.unlink_source(by=lead(tenant), case=case, source=source)


def test_deleting_a_case_keeps_its_sources(tenant: Tenant) -> None:
    response = tenant.analysis.response
    cases.delete_case(by=lead(tenant), case=tenant.analysis.case)
    response.refresh_from_db()
    assert response.case is None


# Pages ---------------------------------------------------------------------------------------


def test_the_lead_adds_a_case_and_a_wrong_value_is_shown_against_its_field(
    tenant: Tenant,
) -> None:
    age = attribute(tenant, "Age", "number")
    joined = attribute(tenant, "Joined", "date")
    project = tenant.analysis.project
    client = signed_in(lead(tenant))
    url = f"/analysis/{project.pk}/cases/new/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Age (optional)" in page.content.decode()
    refused = client.post(
        url,
        {
            "name": "P2",
            f"attribute_{age.pk}": "forty",
            f"attribute_{joined.pk}-day": "31",
            f"attribute_{joined.pk}-month": "2",
            f"attribute_{joined.pk}-year": "2026",
        },
    )
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "There is a problem" in body
    assert "Age must be a number, like 12 or 3.5" in body
    assert "Joined must be a real date, like 15/3/2026" in body
    assert not Case.objects.filter(name="P2").exists()
    added = client.post(
        url,
        {
            "name": "P2",
            f"attribute_{age.pk}": "40",
            f"attribute_{joined.pk}-day": "1",
            f"attribute_{joined.pk}-month": "2",
            f"attribute_{joined.pk}-year": "2026",
        },
    )
    case = Case.objects.get(name="P2")
    assert (
        added.status_code == 302 and added["Location"] == f"/analysis/{project.pk}/cases/{case.pk}/"
    )
    assert case.values == {str(age.pk): 40, str(joined.pk): "2026-02-01"}
    detail = client.get(added["Location"]).content.decode()
    assert "1 February 2026" in detail and "40" in detail


def test_the_case_form_shows_the_values_held(tenant: Tenant) -> None:
    carer = attribute(tenant, "Carer", "boolean")
    case = tenant.analysis.case
    cases.change_case(by=lead(tenant), case=case, name="P1", values={carer: "no"})
    page = signed_in(lead(tenant)).get(
        f"/analysis/{tenant.analysis.project.pk}/cases/{case.pk}/edit/"
    )
    body = page.content.decode()
    assert 'value="Clinic"' in body
    assert f'name="attribute_{carer.pk}" type="radio" value="no" checked' in body


def test_viewers_read_cases_but_only_the_lead_changes_them(tenant: Tenant) -> None:
    project = tenant.analysis.project
    case = tenant.analysis.case
    viewer = signed_in(tenant.users[Role.INVOLVEMENT_LEAD])
    listing = viewer.get(f"/analysis/{project.pk}/cases/")
    assert listing.status_code == 200
    assert "P1" in listing.content.decode() and "Service: Clinic" in listing.content.decode()
    detail = viewer.get(f"/analysis/{project.pk}/cases/{case.pk}/").content.decode()
    assert "Survey, row 2" in detail
    assert "Unlink" not in detail
    for url in (
        f"/analysis/{project.pk}/cases/new/",
        f"/analysis/{project.pk}/cases/{case.pk}/edit/",
        f"/analysis/{project.pk}/cases/{case.pk}/sources/",
        f"/analysis/{project.pk}/cases/attributes/new/",
    ):
        assert viewer.get(url).status_code == 403
        assert viewer.post(url, {"name": "Changed"}).status_code == 403
    assert not Case.objects.filter(name="Changed").exists()
    outsider = signed_in(tenant.users[Role.ADMINISTRATOR])
    assert outsider.get(f"/analysis/{project.pk}/cases/").status_code == 403


def test_the_case_list_is_paged(tenant: Tenant) -> None:
    project = tenant.analysis.project
    for number in range(2, 31):
        Case.objects.create(project=project, name=f"P{number:02d}")
    client = signed_in(tenant.users[Role.STAFF])
    first = client.get(f"/analysis/{project.pk}/cases/").content.decode()
    assert "Showing 1 to 25 of 30" in first
    second = client.get(f"/analysis/{project.pk}/cases/?page=2").content.decode()
    assert "Showing 26 to 30 of 30" in second and "P30" in second


def test_the_lead_links_and_unlinks_sources(tenant: Tenant) -> None:
    project = tenant.analysis.project
    case = tenant.analysis.case
    source = tenant.analysis.source
    client = signed_in(lead(tenant))
    url = f"/analysis/{project.pk}/cases/{case.pk}/sources/"
    page = client.get(url + "?q=focus").content.decode()
    assert "Focus group one (text)" in page
    assert "Survey, row 2" not in page  # already linked
    nothing = client.post(url, {})
    assert "Choose at least one source" in nothing.content.decode()
    linked = client.post(url, {"sources": [source.pk]})
    assert linked.status_code == 302
    source.refresh_from_db()
    assert source.case == case
    unlink = f"/analysis/{project.pk}/cases/{case.pk}/sources/{source.pk}/unlink/"
    confirm = client.get(unlink)
    assert confirm.status_code == 200 and "Unlink Focus group one from this case?" in (
        confirm.content.decode()
    )
    assert client.post(unlink).status_code == 302
    source.refresh_from_db()
    assert source.case is None


def test_a_source_of_another_project_cannot_be_linked(tenant: Tenant, other_tenant: Tenant) -> None:
    project = tenant.analysis.project
    case = tenant.analysis.case
    foreign = other_tenant.analysis.source
    response = signed_in(lead(tenant)).post(
        f"/analysis/{project.pk}/cases/{case.pk}/sources/", {"sources": [foreign.pk]}
    )
    assert response.status_code == 200
    foreign.refresh_from_db()
    assert foreign.case is None


def test_the_lead_adds_retypes_and_deletes_attributes(tenant: Tenant) -> None:
    project = tenant.analysis.project
    client = signed_in(lead(tenant))
    added = client.post(
        f"/analysis/{project.pk}/cases/attributes/new/", {"name": "Age", "kind": "number"}
    )
    assert added.status_code == 302
    age = Attribute.objects.get(project=project, name="Age")
    assert age.kind == "number"
    listing = client.get(f"/analysis/{project.pk}/cases/attributes/").content.decode()
    assert "Age" in listing and "Number" in listing
    refused = client.post(
        f"/analysis/{project.pk}/cases/attributes/{tenant.analysis.attribute.pk}/edit/",
        {"name": "Service", "kind": "date"},
    )
    assert "Service cannot become date" in refused.content.decode()
    deleted = client.post(f"/analysis/{project.pk}/cases/attributes/{age.pk}/delete/")
    assert deleted.status_code == 302
    assert not Attribute.objects.filter(pk=age.pk).exists()
