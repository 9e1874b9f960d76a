import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from coproduce.activities.models import Activity, Attendance
from coproduce.demo.builder import DEMO, Scale, populate
from coproduce.demo.involvement import DEMO_INVOLVEMENT
from coproduce.equality.models import EqualityResponse
from coproduce.groups.models import Membership
from coproduce.opportunities.models import Interest
from coproduce.organisations.models import Organisation
from coproduce.payments.models import Claim, ClaimLine, PaymentRate
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
    scale = Scale(alliances=4, groups=10, people=400, memberships=900, involvement=DEMO_INVOLVEMENT)
    counts = populate(scale, accounts=False)
    assert {key: counts[key] for key in ("organisations", "groups", "people", "memberships")} == {
        "organisations": 4,
        "groups": 10,
        "people": 400,
        "memberships": 900,
    }
    assert counts["opportunities"] == 4 * DEMO_INVOLVEMENT.opportunities_per_organisation
    # Nobody is placed in a group run by an organisation that does not hold their record.
    assert not Membership.objects.exclude(person__organisation=F("group__organisation")).exists()
    assert EqualityResponse.objects.count() > 100


def test_a_year_of_involvement_is_consistent() -> None:
    populate(DEMO, accounts=False)
    today = timezone.localdate()
    # Only people who attended are paid, at the hourly rate in force on the day they attended.
    for claim in Claim.objects.select_related("activity").prefetch_related("lines")[:50]:
        assert Attendance.objects.filter(
            activity=claim.activity, person=claim.person, attended=True
        ).exists()
        payment = next(line for line in claim.lines.all() if line.kind == ClaimLine.PAYMENT)
        rate = (
            PaymentRate.objects.filter(
                organisation=claim.activity.organisation,
                unit=PaymentRate.Unit.HOUR,
                effective_from__lte=timezone.localdate(claim.activity.starts_at),
            )
            .order_by("-effective_from")
            .first()
        )
        assert rate is not None and payment.unit_amount == rate.amount
        assert claim.total == sum(line.amount for line in claim.lines.all())
    assert not Claim.objects.filter(status=Claim.Status.PAID, paid_at__isnull=True).exists()
    # Meetings in the past were held; those to come are planned.
    assert not Activity.objects.filter(
        starts_at__date__gte=today, status=Activity.Status.HELD
    ).exists()
    assert Activity.objects.filter(status=Activity.Status.PLANNED).exists()
    assert Interest.objects.filter(status=Interest.Status.SELECTED).exists()
    # People offered before the closing date, not on the day the demo was loaded.
    assert not Interest.objects.filter(expressed_at__date__gt=F("opportunity__closes_on")).exists()
    assert not Interest.objects.filter(expressed_at__gt=timezone.now()).exists()
