import pytest
from django.test import Client, override_settings

from conftest import Tenant
from coproduce.equality.models import EqualityResponse
from coproduce.factories import member_of

pytestmark = pytest.mark.django_db


def test_a_member_answers_and_deletes_their_own_equality_questions(
    client: Client, tenant: Tenant
) -> None:
    client.force_login(tenant.member)
    response = client.post("/equality/mine/", {"age_band": "55_64", "ethnic_group": "white"})
    assert response.status_code == 302
    answers = EqualityResponse.objects.get(person=tenant.member_person)
    assert answers.age_band == "55_64"
    assert answers.sex == ""
    client.post("/equality/mine/delete/")
    assert not EqualityResponse.objects.filter(person=tenant.member_person).exists()


def test_an_invalid_answer_is_refused_with_a_message(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.member)
    response = client.post("/equality/mine/", {"age_band": "200"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not EqualityResponse.objects.exists()


@override_settings(SMALL_NUMBER_THRESHOLD=5)
def test_the_report_shows_totals_and_hides_small_numbers(client: Client, tenant: Tenant) -> None:
    for index in range(7):
        _, person = member_of(tenant.organisation, email=f"eq{index}@example.org")
        EqualityResponse.objects.create(person=person, sex="female" if index < 6 else "male")
    client.force_login(tenant.lead)
    body = client.get("/equality/").content.decode()
    assert "Fewer than 5" in body
    assert ">6<" not in body  # 6 women would reveal the 1 man by subtraction, so it is hidden too
    assert "People who answered: <strong>7</strong>" in body


def test_staff_cannot_read_anyones_answers(client: Client, tenant: Tenant) -> None:
    EqualityResponse.objects.create(person=tenant.member_person, religion="sikh")
    client.force_login(tenant.users["staff"])
    assert client.get("/equality/").status_code == 403
    client.force_login(tenant.lead)
    assert client.get("/equality/mine/").status_code == 403
