"""Fixtures shared by all tests: two organisations and a user for every role in each."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.activities.models import (
    Action,
    Activity,
    Attendance,
    Decision,
    Document,
    Registration,
)
from coproduce.analysis.models import (
    Attribute,
    Case,
    Code,
    Dataset,
    Import,
    Memo,
    Project,
    Segment,
    Source,
    TeamMember,
    TeamRole,
    Theme,
)
from coproduce.analysis.services import coding as analysis_coding
from coproduce.analysis.services import sources as analysis_sources
from coproduce.asks.models import Ask, AskUpdate, Contribution, Evidence
from coproduce.core.roles import Role
from coproduce.factories import (
    ActivityFactory,
    AttendanceFactory,
    BudgetFactory,
    ClaimFactory,
    ExpenseRuleFactory,
    GroupFactory,
    InterestFactory,
    MembershipFactory,
    OpportunityFactory,
    OrganisationFactory,
    PaymentRateFactory,
    RegistrationFactory,
    member_of,
    user_with_role,
)
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.impact import services as impact_services
from coproduce.impact.models import (
    Invitation,
    Question,
    Questionnaire,
    SelfAssessment,
    Standard,
    StandardRating,
    Version,
)
from coproduce.opportunities.models import Interest, Opportunity
from coproduce.organisations.models import Organisation
from coproduce.payments.models import Budget, Claim, ExpenseRule, PaymentRate, Receipt
from coproduce.people.models import Person


@dataclass
class Tenant:
    organisation: Organisation
    users: dict[str, User]
    member_person: Person
    group: PartnershipGroup
    membership: Membership
    involvement: "Involvement"
    analysis: "Analysis"

    @property
    def lead(self) -> User:
        return self.users[Role.INVOLVEMENT_LEAD]

    @property
    def member(self) -> User:
        return self.users[Role.MEMBER]


@dataclass
class Involvement:
    """One of everything the involvement side records, all about the tenant's member."""

    opportunity: Opportunity
    interest: Interest
    activity: Activity
    registration: Registration
    attendance: Attendance
    decision: Decision
    action: Action
    document: Document
    claim: Claim
    receipt: Receipt
    rate: PaymentRate
    rule: ExpenseRule
    budget: Budget
    ask: Ask
    evidence: Evidence
    questionnaire: Questionnaire
    draft: Version
    question: Question
    invitation: Invitation
    assessment: SelfAssessment


@dataclass
class Analysis:
    """An analysis project: the analyst leads it, staff code, the involvement lead views, and
    the administrator is not on the team. Coding is blind; the lead's memo must stay hidden
    from the coder until the comparison is opened."""

    project: Project
    team_member: TeamMember
    source: Source
    under_review: Import
    dataset: Dataset
    response: Source
    code: Code
    segment: Segment
    memo: Memo
    theme: Theme
    case: Case
    attribute: Attribute


LEAD_MEMO = "Only the lead analyst may read this memo while coding is blind"


def make_analysis(organisation: Organisation, users: dict[str, User]) -> Analysis:
    project = Project.objects.create(organisation=organisation, name="Why people stay involved")
    for role, team_role in (
        (Role.ANALYST, TeamRole.LEAD),
        (Role.STAFF, TeamRole.CODER),
        (Role.INVOLVEMENT_LEAD, TeamRole.VIEWER),
    ):
        member = TeamMember.objects.create(project=project, user=users[role], role=team_role)
    lead, coder = users[Role.ANALYST], users[Role.STAFF]
    released = analysis_sources.paste_text(
        by=lead,
        project=project,
        name="Focus group one",
        text="Interviewer: What keeps you coming?\nP1: Hearing what changed after we spoke.",
        pseudonymise=False,
    )
    source = released.sources.get()
    under_review = analysis_sources.paste_text(
        by=lead, project=project, name="Interview", text="My nurse Jenny Okafor rang me back."
    )
    dataset_import = Import.objects.create(
        project=project, status=Import.Status.RELEASED, file_name="ffT.csv", rows_done=1
    )
    attribute = Attribute.objects.create(project=project, name="Service")
    dataset = Dataset.objects.create(
        project=project, source_import=dataset_import, name="Survey", text_column="Comment"
    )
    dataset.attributes.add(attribute)
    case = Case.objects.create(project=project, name="P1", values={str(attribute.pk): "Clinic"})
    response = Source.objects.create(
        project=project,
        source_import=dataset_import,
        dataset=dataset,
        row=2,
        kind=Source.Kind.RESPONSE,
        name="Survey, row 2",
        text="The parking was impossible.",
        values={str(attribute.pk): "Radiotherapy"},
        case=case,
    )
    code = Code.objects.create(project=project, name="Hearing back", colour="#007f3b")
    segment = analysis_coding.apply_codes(by=lead, source=source, codes=[code], start=40, end=76)[0]
    analysis_coding.apply_codes(by=coder, source=source, codes=[code], start=48, end=76)
    memo = analysis_coding.add_memo(by=lead, project=project, segment=segment, text=LEAD_MEMO)
    theme = Theme.objects.create(project=project, name="Feeling heard")
    theme.codes.add(code)
    return Analysis(
        project=project,
        team_member=member,
        source=source,
        under_review=under_review,
        dataset=dataset,
        response=response,
        code=code,
        segment=segment,
        memo=memo,
        theme=theme,
        case=case,
        attribute=attribute,
    )


def make_ask(activity: Activity, person: Person) -> tuple[Ask, Evidence]:
    """An ask the member raised at the meeting, published, not yet given to anyone to answer
    (so the walk's staff, who own no asks, may read it but not answer it)."""
    ask = Ask.objects.create(
        organisation=activity.organisation,
        group=activity.group,
        title="Clinic letters in larger print",
        what_was_said="Letters from the clinic are hard to read for people with poor sight",
        raised_by=person,
        raised_at=timezone.now(),
        published_at=timezone.now(),
    )
    ask.activities.add(activity)
    Contribution.objects.create(ask=ask, person=person, raised_it=True, told_status=ask.status)
    AskUpdate.objects.create(ask=ask, status=ask.status, moved_by_label="System")
    evidence = Evidence.objects.create(
        ask=ask,
        kind=Evidence.Kind.FILE,
        title="New letter template",
        file=ContentFile(b"%PDF-1.4 letter", name="letter.pdf"),
        content_type="application/pdf",
        size=15,
    )
    return ask, evidence


def make_impact(
    organisation: Organisation, group: PartnershipGroup, person: Person
) -> tuple[Questionnaire, Version, Question, Invitation, SelfAssessment]:
    """The members' questionnaire with a draft in progress, the member's unanswered invitation,
    and a self-assessment of the group."""
    questionnaire = impact_services.ensure_defaults(organisation)[1]
    draft = impact_services.draft_of(questionnaire)
    # Made directly, not through the service, so that it sends the member no notification.
    current = impact_services.current_version(questionnaire)
    assert current is not None
    invitation = Invitation.objects.create(
        questionnaire=questionnaire,
        version=current,
        person=person,
        group=group,
        token=f"invitation-{person.pk}",
        sent_at=timezone.now(),
    )
    assessment = SelfAssessment.objects.create(
        organisation=organisation,
        group=group,
        assessed_on=timezone.localdate(),
        voice=3,
        ways=2,
        concerns=3,
        willingness=4,
    )
    for standard in Standard:
        StandardRating.objects.create(assessment=assessment, standard=standard, rating=2)
    question = draft.questions.first()
    assert question is not None
    return questionnaire, draft, question, invitation, assessment


def make_involvement(
    organisation: Organisation, group: PartnershipGroup, person: Person
) -> Involvement:
    opportunity = OpportunityFactory.create(organisation=organisation, group=group)
    activity = ActivityFactory.create(
        organisation=organisation,
        group=group,
        opportunity=opportunity,
        kind=Activity.Kind.MEETING,
        title=f"{group.name} meeting",
        starts_at=timezone.now() - datetime.timedelta(days=7),
        ends_at=timezone.now() - datetime.timedelta(days=7, hours=-2),
        status=Activity.Status.HELD,
    )
    claim = ClaimFactory.create(activity=activity, person=person)
    ask, evidence = make_ask(activity, person)
    questionnaire, draft, question, invitation, assessment = make_impact(
        organisation, group, person
    )
    return Involvement(
        opportunity=opportunity,
        interest=InterestFactory.create(opportunity=opportunity, person=person),
        activity=activity,
        registration=RegistrationFactory.create(activity=activity, person=person),
        attendance=AttendanceFactory.create(activity=activity, person=person),
        decision=Decision.objects.create(activity=activity, text="Agreed the leaflet's headings"),
        action=Action.objects.create(
            activity=activity,
            description="Send the revised leaflet to the group",
            owner=person,
            due_on=timezone.localdate() + datetime.timedelta(days=14),
        ),
        document=Document.objects.create(
            activity=activity,
            title="Agenda",
            file=ContentFile(b"%PDF-1.4 agenda", name="agenda.pdf"),
            content_type="application/pdf",
            size=15,
        ),
        claim=claim,
        receipt=Receipt.objects.create(
            claim=claim,
            file=ContentFile(b"%PDF-1.4 receipt", name="receipt.pdf"),
            original_name="receipt.pdf",
            content_type="application/pdf",
            size=16,
        ),
        rate=PaymentRateFactory.create(organisation=organisation),
        rule=ExpenseRuleFactory.create(organisation=organisation),
        budget=BudgetFactory.create(organisation=organisation, group=group),
        ask=ask,
        evidence=evidence,
        questionnaire=questionnaire,
        draft=draft,
        question=question,
        invitation=invitation,
        assessment=assessment,
    )


def make_tenant(name: str) -> Tenant:
    organisation = OrganisationFactory.create(name=name)
    users: dict[str, User] = {
        role: user_with_role(role, organisation, username=f"{role}-{organisation.pk}")
        for role in (Role.ADMINISTRATOR, Role.INVOLVEMENT_LEAD, Role.STAFF, Role.ANALYST)
    }
    member_user, member_person = member_of(
        organisation, given_name="Maya", family_name=f"Member{organisation.pk}"
    )
    users[Role.MEMBER] = member_user
    group = GroupFactory.create(organisation=organisation, name=f"{name} Partnership Group")
    membership = MembershipFactory.create(group=group, person=member_person)
    involvement = make_involvement(organisation, group, member_person)
    analysis = make_analysis(organisation, users)
    return Tenant(organisation, users, member_person, group, membership, involvement, analysis)


@pytest.fixture
def tenant(db: None) -> Tenant:
    return make_tenant("Severn Cancer Alliance")


@pytest.fixture
def other_tenant(db: None) -> Tenant:
    return make_tenant("Fenland Cancer Alliance")
