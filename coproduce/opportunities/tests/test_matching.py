import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import Tenant
from coproduce.factories import ConsentFactory, InterestFactory, OpportunityFactory, PersonFactory
from coproduce.opportunities import services
from coproduce.opportunities.matching import cancer_phrase, skill_keywords, suggest
from coproduce.opportunities.models import Opportunity
from coproduce.opportunities.tests.factories import contactable_person, took_part
from coproduce.organisations.models import Organisation
from coproduce.people.models import (
    Availability,
    CancerType,
    ConsentKind,
    PathwayStage,
    Person,
    SupportNeed,
    Topic,
)

pytestmark = pytest.mark.django_db


def bowel_opportunity(organisation: Organisation, **kwargs: object) -> Opportunity:
    opportunity = OpportunityFactory.create(organisation=organisation, **kwargs)
    opportunity.cancer_types.set([CancerType.objects.get(name="Bowel")])
    return opportunity


def suggested(opportunity: Opportunity) -> dict[str, list[str]]:
    return {s.person.family_name: s.reasons for s in suggest(opportunity)}


def test_only_contactable_patients_carers_and_public_who_have_not_offered(tenant: Tenant) -> None:
    organisation = tenant.organisation
    opportunity = bowel_opportunity(organisation)
    fits = contactable_person(organisation, family_name="Fits")
    contactable_person(organisation, family_name="Staffer", kind=Person.Kind.STAFF)
    PersonFactory.create(organisation=organisation, family_name="NeverAsked")
    withdrew = contactable_person(organisation, family_name="Withdrew")
    ConsentFactory.create(person=withdrew, kind=ConsentKind.CONTACT, given=False)
    keen = contactable_person(organisation, family_name="Keen")
    InterestFactory.create(opportunity=opportunity, person=keen)
    invited = contactable_person(organisation, family_name="Invited")
    services.invite(actor=tenant.lead, opportunity=opportunity, person=invited)
    contactable_person(Organisation.objects.create(name="Elsewhere"), family_name="Elsewhere")
    names = set(suggested(opportunity))
    assert fits.family_name in names
    assert names.isdisjoint({"Staffer", "NeverAsked", "Withdrew", "Keen", "Invited", "Elsewhere"})


def test_interests_rank_first_and_say_why(tenant: Tenant) -> None:
    organisation = tenant.organisation
    opportunity = bowel_opportunity(organisation, skills_wanted="Chairing meetings")
    stage = PathwayStage.objects.get(name="Diagnosis")
    topic = Topic.objects.get(name="Patient information")
    opportunity.pathway_stages.set([stage])
    opportunity.topics.set([topic])
    contactable_person(organisation, family_name="Nothing")
    contactable_person(
        organisation,
        family_name="Everything",
        cancer_types=[CancerType.objects.get(name="Bowel")],
        pathway_stages=[stage],
        topics=[topic],
        skills_and_experience="I chaired a parish council's meetings for years",
    )
    suggestions = suggest(opportunity)
    assert suggestions[0].person.family_name == "Everything"
    assert suggestions[0].reasons == [
        "Interested in bowel cancer",
        "Has experience of diagnosis",
        "Interested in patient information",
        "Skills and experience mention chair and meeting",
        "Has not taken part yet",
    ]
    assert suggestions[0].score > suggestions[1].score


def test_support_needs_all_offered_go_up_and_any_not_offered_go_down(tenant: Tenant) -> None:
    organisation = tenant.organisation
    loop = SupportNeed.objects.get(name="Hearing loop")
    bsl = SupportNeed.objects.get(name="British Sign Language interpreter")
    opportunity = bowel_opportunity(organisation)
    opportunity.support_offered.set([loop])
    contactable_person(organisation, family_name="Met", support_needs=[loop])
    contactable_person(organisation, family_name="Plain")
    contactable_person(organisation, family_name="Unmet", support_needs=[loop, bsl])
    suggestions = suggest(opportunity)
    assert [s.person.family_name for s in suggestions] == ["Met", "Plain", "Unmet"]
    reasons = {s.person.family_name: s.reasons for s in suggestions}
    assert "Needs hearing loop, which is offered" in reasons["Met"]
    assert "Needs British Sign Language interpreter, which is not offered" in reasons["Unmet"]


def test_spreading_the_load(tenant: Tenant) -> None:
    organisation = tenant.organisation
    opportunity = bowel_opportunity(organisation)
    took_part(contactable_person(organisation, family_name="Busy"), 9)
    took_part(contactable_person(organisation, family_name="Once"), 1)
    took_part(contactable_person(organisation, family_name="LongAgo"), 2, days_ago=400)
    contactable_person(organisation, family_name="New")
    suggestions = suggest(opportunity)
    assert [s.person.family_name for s in suggestions] == ["New", "LongAgo", "Once", "Busy"]
    reasons = {s.person.family_name: s.reasons for s in suggestions}
    assert reasons["New"] == ["Has not taken part yet"]
    assert reasons["LongAgo"] == ["Has not taken part in the last 12 months"]
    assert reasons["Once"] == ["Took part in 1 activity in the last 12 months"]
    assert reasons["Busy"] == ["Took part in 9 activities in the last 12 months"]


def test_availability_against_when_it_happens(tenant: Tenant) -> None:
    organisation = tenant.organisation
    opportunity = bowel_opportunity(organisation, timing=[Availability.WEEKEND])
    contactable_person(organisation, family_name="Free", availability=[Availability.WEEKEND])
    contactable_person(organisation, family_name="Unsaid")
    contactable_person(
        organisation, family_name="Busy", availability=[Availability.WEEKDAY_DAYTIME]
    )
    suggestions = suggest(opportunity)
    assert [s.person.family_name for s in suggestions] == ["Free", "Unsaid", "Busy"]
    assert "Free at weekends, when it happens" in suggestions[0].reasons
    assert "Not usually free when it happens" in suggestions[2].reasons


def test_a_handful_of_queries_however_many_people(tenant: Tenant) -> None:
    organisation = tenant.organisation
    loop = SupportNeed.objects.get(name="Hearing loop")
    opportunity = bowel_opportunity(
        organisation, skills_wanted="finance", timing=[Availability.WEEKEND]
    )
    for number in range(30):
        person = contactable_person(
            organisation, support_needs=[loop], availability=[Availability.WEEKEND]
        )
        if number % 3 == 0:
            took_part(person, 1)
    with CaptureQueriesContext(connection) as queries:
        suggestions = suggest(opportunity, limit=10)
    assert len(suggestions) == 10
    assert len(queries) <= 12


def test_wording_of_cancer_types_and_skills() -> None:
    assert cancer_phrase("Bowel") == "bowel cancer"
    assert cancer_phrase("Skin (including melanoma)") == "skin cancer (including melanoma)"
    assert cancer_phrase("Cancer of unknown primary") == "cancer of unknown primary"
    assert skill_keywords("Experience of chairing meetings and reading research") == [
        "chair",
        "meeting",
        "read",
        "research",
    ]
