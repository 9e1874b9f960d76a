import pytest
from django.core.management import call_command
from django.db.models import F

from coproduce.demo.builder import Scale, populate
from coproduce.equality.models import EqualityResponse
from coproduce.groups.models import Membership
from coproduce.organisations.models import Organisation
from coproduce.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_sign_ins_for_every_role(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("load_demo", "--if-empty")
    assert Organisation.objects.count() == 3
    assert Person.objects.count() == 300
    assert Person.objects.get(user__username="member").kind == Person.Kind.PATIENT
    call_command("load_demo", "--if-empty")
    assert Organisation.objects.count() == 3
    assert "member" in capsys.readouterr().out


def test_a_scale_build_has_the_shape_asked_for() -> None:
    counts = populate(Scale(alliances=4, groups=10, people=400, memberships=900), accounts=False)
    assert counts == {"organisations": 4, "groups": 10, "people": 400, "memberships": 900}
    # Nobody is placed in a group run by an organisation that does not hold their record.
    assert not Membership.objects.exclude(person__organisation=F("group__organisation")).exists()
    assert EqualityResponse.objects.count() > 100
