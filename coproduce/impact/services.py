"""Every write to impact records: the questionnaire engine and the self-assessment.

The engine's rules:
- a published version never changes; editing a questionnaire works on a draft copy, and
  publishing the draft makes it the version sent from then on;
- an invitation is one person's link to one version and can be answered once; answers are
  checked question by question, and the response, its answers and the mark that the invitation
  was used are saved in one transaction or not at all;
- the response is not linked to the invitation, so answers cannot be traced back to a person.
"""

import secrets
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from coproduce.accounts.models import User
from coproduce.activities.models import Activity
from coproduce.core import audit
from coproduce.core.errors import ServiceError
from coproduce.groups.models import Membership
from coproduce.impact import defaults
from coproduce.impact.models import (
    Answer,
    Audience,
    Invitation,
    Question,
    Questionnaire,
    Response,
    SelfAssessment,
    Standard,
    StandardRating,
    Version,
)
from coproduce.notifications.models import Notification
from coproduce.notifications.services import notify
from coproduce.organisations.models import Organisation
from coproduce.people.models import Person

# Only activities held this recently are followed by a questionnaire: later, memories fade.
AFTER_ACTIVITY_WITHIN = timedelta(days=14)


def ask_every() -> timedelta:
    """How often members and staff are asked the periodic questionnaires."""
    return timedelta(days=settings.QUESTIONNAIRE_EVERY_DAYS)


# Questionnaires and their versions


def ensure_defaults(organisation: Organisation) -> list[Questionnaire]:
    """The organisation's three questionnaires, made from the defaults the first time."""
    existing = {
        questionnaire.audience: questionnaire
        for questionnaire in Questionnaire.objects.filter(organisation=organisation)
    }
    for default in defaults.QUESTIONNAIRES:
        if default.audience in existing:
            continue
        with transaction.atomic():
            questionnaire = Questionnaire.objects.create(
                organisation=organisation,
                audience=default.audience,
                title=default.title,
                introduction=default.introduction,
            )
            version = Version.objects.create(
                questionnaire=questionnaire, number=1, published_at=timezone.now()
            )
            Question.objects.bulk_create(
                Question(
                    version=version,
                    position=position,
                    key=question.key,
                    kind=question.kind,
                    text=question.text,
                    hint=question.hint,
                    choices=list(question.choices),
                    principle=question.principle,
                    theme=question.theme,
                    negative=question.negative,
                    required=question.required,
                )
                for position, question in enumerate(default.questions, start=1)
            )
        existing[default.audience] = questionnaire
    return [existing[audience] for audience in Audience.values]


def current_version(questionnaire: Questionnaire) -> Version | None:
    """The version sent now: the latest published one."""
    return questionnaire.versions.filter(published_at__isnull=False).order_by("-number").first()


def draft_of(questionnaire: Questionnaire) -> Version:
    """The draft being edited, made as a copy of the current version if there is none."""
    draft = questionnaire.versions.filter(published_at__isnull=True).first()
    if draft is not None:
        return draft
    with transaction.atomic():
        number = (questionnaire.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        draft = Version.objects.create(questionnaire=questionnaire, number=number)
        current = current_version(questionnaire)
        if current is not None:
            Question.objects.bulk_create(
                Question(
                    version=draft,
                    **{
                        name: getattr(question, name)
                        for name in (
                            "position",
                            "key",
                            "kind",
                            "text",
                            "hint",
                            "choices",
                            "principle",
                            "theme",
                            "negative",
                            "required",
                        )
                    },
                )
                for question in current.questions.all()
            )
    return draft


def _require_draft(version: Version) -> None:
    if not version.is_draft:
        raise ServiceError(
            "This version has been published and cannot change. Edit the draft instead.",
            status=409,
        )


def _clean_question(details: Mapping[str, Any]) -> dict[str, Any]:
    text = (details.get("text") or "").strip()
    if not text:
        raise ServiceError("Enter the question", field="text")
    kind = details.get("kind")
    if kind not in Question.Kind.values:
        raise ServiceError("Select the kind of answer", field="kind")
    choices = [choice.strip() for choice in details.get("choices") or [] if choice.strip()]
    if kind == Question.Kind.CHOICE and len(choices) < 2:
        raise ServiceError("Give at least two choices, one on each line", field="choices")
    if kind != Question.Kind.CHOICE:
        choices = []
    if len(set(choices)) != len(choices):
        raise ServiceError("Each choice must be different", field="choices")
    return {
        "text": text,
        "kind": kind,
        "hint": (details.get("hint") or "").strip(),
        "choices": choices,
        "principle": details.get("principle") or "",
        "theme": details.get("theme") or "",
        "negative": bool(details.get("negative")) and kind == Question.Kind.LIKERT,
        "required": bool(details.get("required", True)),
    }


def _fresh_key(version: Version, text: str) -> str:
    """A key no version of the questionnaire has used, so new wording is never pooled with old."""
    used = set(
        Question.objects.filter(version__questionnaire_id=version.questionnaire_id).values_list(
            "key", flat=True
        )
    )
    base = slugify(text)[:50] or "question"
    key, n = base, 2
    while key in used:
        key, n = f"{base}-{n}", n + 1
    return key


def add_question(*, actor: User, version: Version, details: Mapping[str, Any]) -> Question:
    _require_draft(version)
    cleaned = _clean_question(details)
    position = (version.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    question = Question.objects.create(
        version=version, position=position, key=_fresh_key(version, cleaned["text"]), **cleaned
    )
    audit.record(
        actor=actor,
        action="questionnaire.question_added",
        target=question,
        summary=f"Added a question to {version}",
        organisation_id=version.questionnaire.organisation_id,
    )
    return question


def change_question(*, actor: User, question: Question, details: Mapping[str, Any]) -> Question:
    """Change a draft's question. New wording or a new kind of answer gets a new key, so its
    answers are not pooled with those given to the old wording."""
    _require_draft(question.version)
    cleaned = _clean_question(details)
    if (cleaned["text"], cleaned["kind"], cleaned["choices"], cleaned["negative"]) != (
        question.text,
        question.kind,
        question.choices,
        question.negative,
    ):
        question.key = _fresh_key(question.version, cleaned["text"])
    for name, value in cleaned.items():
        setattr(question, name, value)
    question.save()
    audit.record(
        actor=actor,
        action="questionnaire.question_changed",
        target=question,
        summary=f"Changed a question in {question.version}",
        organisation_id=question.version.questionnaire.organisation_id,
    )
    return question


def remove_question(*, actor: User, question: Question) -> None:
    version = question.version
    _require_draft(version)
    question.delete()
    audit.record(
        actor=actor,
        action="questionnaire.question_removed",
        target=version,
        summary=f"Removed the question “{question.text}” from {version}",
        organisation_id=version.questionnaire.organisation_id,
    )


def publish(*, actor: User, version: Version) -> Version:
    _require_draft(version)
    if not version.questions.exists():
        raise ServiceError("Add at least one question before publishing")
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["published_at", "published_by"])
    audit.record(
        actor=actor,
        action="questionnaire.published",
        target=version,
        summary=f"Published {version}",
        organisation_id=version.questionnaire.organisation_id,
    )
    return version


# Sending


def member_path(invitation: Invitation) -> str:
    return f"/me/questionnaires/{invitation.token}/"


def invite(
    questionnaire: Questionnaire,
    person: Person,
    *,
    activity: Activity | None = None,
    group: Any = None,
) -> Invitation | None:
    """Send `person` a link to the current version; None if there is nothing to send."""
    version = current_version(questionnaire)
    if version is None or person.organisation_id != questionnaire.organisation_id:
        return None
    invitation = Invitation.objects.create(
        questionnaire=questionnaire,
        version=version,
        person=person,
        activity=activity,
        group=group,
        token=secrets.token_urlsafe(32),
        sent_at=timezone.now(),
    )
    about = f" about {activity.title}" if activity else ""
    notify(
        person,
        Notification.Kind.QUESTIONNAIRE,
        f"{questionnaire.title}: a few questions{about}",
        f"{questionnaire.introduction}\n\nIt takes about five minutes.",
        member_path(invitation),
    )
    return invitation


def invite_after_activity(activity: Activity) -> int:
    """Everyone who took part in a held one-off activity, staff excepted, once each."""
    if activity.kind != Activity.Kind.ACTIVITY or activity.status != Activity.Status.HELD:
        return 0
    questionnaire = ensure_defaults(activity.organisation)[0]
    already = Invitation.objects.filter(questionnaire=questionnaire, activity=activity).values(
        "person_id"
    )
    people = (
        Person.objects.filter(attendance__activity=activity, attendance__attended=True)
        .exclude(kind=Person.Kind.STAFF)
        .exclude(pk__in=already)
        .distinct()
    )
    sent = 0
    for person in people:
        with transaction.atomic():
            sent += invite(questionnaire, person, activity=activity) is not None
    return sent


def _asked_recently(questionnaire: Questionnaire, since: Any) -> Any:
    return Invitation.objects.filter(questionnaire=questionnaire, sent_at__gte=since).values(
        "person_id"
    )


def invite_periodic(organisation: Organisation) -> int:
    """Members of the organisation's groups, and staff who took part in the last year, who have
    not been asked within the set time."""
    _, members_questionnaire, staff_questionnaire = ensure_defaults(organisation)
    now = timezone.now()
    since = now - ask_every()
    sent = 0
    memberships = (
        Membership.objects.current()
        .filter(group__organisation=organisation, person__user__isnull=False)
        .exclude(person__kind=Person.Kind.STAFF)
        .exclude(person_id__in=_asked_recently(members_questionnaire, since))
        .select_related("person", "group")
        .order_by("person_id", "started_on")
    )
    asked: set[int] = set()
    for membership in memberships:
        if membership.person_id in asked:
            continue  # someone in two groups is asked once, about the group they joined first
        asked.add(membership.person_id)
        with transaction.atomic():
            sent += (
                invite(members_questionnaire, membership.person, group=membership.group) is not None
            )
    staff = (
        Person.objects.filter(
            organisation=organisation,
            kind=Person.Kind.STAFF,
            user__isnull=False,
            attendance__attended=True,
            attendance__activity__starts_at__gte=now - timedelta(days=365),
        )
        .exclude(pk__in=_asked_recently(staff_questionnaire, since))
        .distinct()
    )
    for person in staff:
        with transaction.atomic():
            sent += invite(staff_questionnaire, person) is not None
    return sent


def send_due_for(organisation: Organisation) -> int:
    """Everything due now: after recent one-off activities, and the periodic questionnaires."""
    since = timezone.now() - AFTER_ACTIVITY_WITHIN
    sent = 0
    for activity in Activity.objects.filter(
        organisation=organisation,
        kind=Activity.Kind.ACTIVITY,
        status=Activity.Status.HELD,
        starts_at__gte=since,
    ).select_related("organisation"):
        sent += invite_after_activity(activity)
    return sent + invite_periodic(organisation)


def send_due() -> int:
    return sum(send_due_for(organisation) for organisation in Organisation.objects.all())


# Answering


def _answer_for(question: Question, raw: Any) -> Answer | None:
    """The answer to one question from what was submitted, or a ServiceError naming it."""
    field = f"q{question.pk}"
    value = raw.strip() if isinstance(raw, str) else raw
    if value in (None, ""):
        if question.required:
            raise ServiceError(f"Answer “{question.text}”", field=field)
        return None
    if question.kind == Question.Kind.LIKERT:
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = 0
        if not 1 <= score <= 5:
            raise ServiceError(
                f"Choose an answer from strongly disagree to strongly agree for “{question.text}”",
                field=field,
            )
        return Answer(question=question, score=score)
    if question.kind == Question.Kind.CHOICE:
        if value not in question.choices:
            raise ServiceError(
                f"Choose one of the answers given for “{question.text}”", field=field
            )
        return Answer(question=question, choice=value)
    text = str(value)
    if len(text) > 5000:
        raise ServiceError(
            f"Your answer to “{question.text}” must be 5,000 characters or fewer", field=field
        )
    return Answer(question=question, text=text)


def check_can_answer(invitation: Invitation, person: Person | None) -> None:
    if person is None or invitation.person_id != person.pk:
        raise ServiceError(
            "This questionnaire link was sent to someone else. If it was meant for you, ask the "
            "person who runs your group to send you your own.",
            status=403,
        )
    if invitation.answered_at is not None:
        raise ServiceError(
            "You have already answered this questionnaire. Thank you: answers can only be "
            "given once.",
            status=409,
        )


def answer(*, invitation: Invitation, person: Person | None, answers: Mapping[str, Any]) -> int:
    """Save a person's answers, keyed "q<question id>"; returns how many were given."""
    check_can_answer(invitation, person)
    questions = list(invitation.version.questions.all())
    known = {f"q{question.pk}" for question in questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ServiceError(f"These are not questions in this questionnaire: {', '.join(unknown)}")
    given = [
        found
        for question in questions
        if (found := _answer_for(question, answers.get(f"q{question.pk}"))) is not None
    ]
    with transaction.atomic():
        # Marking the invitation used only if it is still unused makes a double submit (two tabs,
        # a repeated request) save one response, never two.
        used = Invitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
            answered_at=timezone.now()
        )
        if not used:
            raise ServiceError("You have already answered this questionnaire.", status=409)
        response = Response.objects.create(
            version=invitation.version,
            activity=invitation.activity,
            group=invitation.group,
            submitted_on=timezone.localdate(),
        )
        for found in given:
            found.response = response
        Answer.objects.bulk_create(given)
    return len(given)


def open_invitations(person: Person) -> Iterable[Invitation]:
    return (
        Invitation.objects.filter(person=person, answered_at__isnull=True)
        .select_related("questionnaire", "activity", "group")
        .order_by("-sent_at")
    )


# Self-assessment


def record_assessment(
    *,
    actor: User,
    organisation: Organisation,
    group: Any,
    assessed_on: Any,
    cube: Mapping[str, int],
    ratings: Mapping[str, Mapping[str, Any]],
    notes: str = "",
) -> SelfAssessment:
    """A self-assessment with all six standards rated and the four Cube points placed."""
    if group is not None and group.organisation_id != organisation.pk:
        raise ServiceError("Select a group of the same organisation", field="group")
    if assessed_on is None or assessed_on > timezone.localdate():
        raise ServiceError(
            "Enter the date of the assessment, today or earlier", field="assessed_on"
        )
    for name, question, *_ in defaults.CUBE:
        point = cube.get(name)
        if not isinstance(point, int) or not 1 <= point <= 5:
            raise ServiceError(f"{question} Choose a point from 1 to 5", field=name)
    for standard in Standard:
        rating = (ratings.get(standard.value) or {}).get("rating")
        if not isinstance(rating, int) or not 1 <= rating <= 4:
            raise ServiceError(
                f"Rate “{standard.label}” from not started to established",
                field=f"{standard.value}_rating",
            )
    with transaction.atomic():
        assessment = SelfAssessment.objects.create(
            organisation=organisation,
            group=group,
            assessed_on=assessed_on,
            recorded_by=actor,
            notes=notes,
            **{name: cube[name] for name, *_ in defaults.CUBE},
        )
        StandardRating.objects.bulk_create(
            StandardRating(
                assessment=assessment,
                standard=standard.value,
                rating=ratings[standard.value]["rating"],
                evidence=(ratings[standard.value].get("evidence") or "").strip(),
                actions=(ratings[standard.value].get("actions") or "").strip(),
            )
            for standard in Standard
        )
        audit.record(
            actor=actor,
            action="self_assessment.recorded",
            target=assessment,
            summary=f"Recorded a self-assessment of {group or organisation}",
            organisation_id=organisation.pk,
        )
    return assessment
