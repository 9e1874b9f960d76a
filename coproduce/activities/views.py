"""Staff pages for activities: setting them up, places, papers, attendance and closing them."""

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coproduce.activities import ical, services
from coproduce.activities.forms import (
    ActionDoneForm,
    ActionForm,
    ActivityFilterForm,
    ActivityForm,
    AttendanceForm,
    CancelActivityForm,
    CloseForm,
    DecisionForm,
    DocumentForm,
    MinutesForm,
    NewActivityForm,
    RegisterForm,
)
from coproduce.activities.models import Action, Activity, Document, Registration
from coproduce.asks.models import Ask
from coproduce.core import access, uploads
from coproduce.core.access import Permission
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate
from coproduce.groups.models import Membership, PartnershipGroup
from coproduce.organisations.models import Organisation
from coproduce.people import finder
from coproduce.people.models import Person

V, M = Permission.VIEW_ACTIVITIES, Permission.MANAGE_ACTIVITIES


def _activity(request: AuthenticatedRequest, pk: int, permission: Permission) -> Activity:
    return access.get(
        request.user,
        Activity.objects.select_related("organisation", "group", "opportunity", "activity_type"),
        permission,
        pk=pk,
    )


def _detail_url(activity: Activity) -> str:
    return f"/activities/{activity.pk}/"


def _find_people(
    request: AuthenticatedRequest, activity: Activity, exclude: "QuerySet[Any]"
) -> finder.PersonSearch:
    """People of the activity's organisation found by name, for staff to pick one."""
    return finder.find(
        request,
        Person.objects.filter(organisation_id=activity.organisation_id).exclude(pk__in=exclude),
        permission=M,
        label="Find a person by name",
    )


@access.requires(V)
def activity_list(request: AuthenticatedRequest) -> HttpResponse:
    activities = access.scoped(
        request.user, Activity.objects.select_related("group", "activity_type"), V
    )
    groups = access.scoped(request.user, PartnershipGroup.objects.order_by("name"), V)
    form = ActivityFilterForm(request.GET or None, groups=groups)
    when = "upcoming"
    if form.is_valid():
        when = form.cleaned_data["when"] or "upcoming"
        if form.cleaned_data["group"]:
            activities = activities.filter(group=form.cleaned_data["group"])
        if form.cleaned_data["activity_type"]:
            activities = activities.filter(activity_type=form.cleaned_data["activity_type"])
    now = timezone.now()
    if when == "upcoming":
        activities = activities.filter(ends_at__gte=now).order_by("starts_at", "pk")
    elif when == "past":
        activities = activities.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        activities = activities.order_by("-starts_at", "-pk")
    paged = paginate(request, activities)
    counts = dict(
        Registration.objects.filter(activity__in=paged.items, status=Registration.Status.REGISTERED)
        .values_list("activity_id")
        .annotate(Count("id"))
        .order_by()
    )
    for activity in paged.items:
        activity.registered_count = counts.get(activity.pk, 0)
    return render(
        request,
        "activities/list.jinja",
        {
            "title": "Activities and meetings",
            "form": form,
            "when": when,
            "activities": paged,
            "column": "full",
            "can_add": access.has_permission(request.user, M),
        },
    )


@access.requires(M)
def activity_create(request: AuthenticatedRequest) -> HttpResponse:
    organisations = access.scoped(request.user, Organisation.objects.all(), M)
    form = NewActivityForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        made = submit(
            form,
            lambda: services.create_activities(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                details=form.cleaned_data,
                support_offered=form.cleaned_data["support_offered"],
                every=form.cleaned_data["every"],
                count=form.cleaned_data["count"] or 1,
            ),
        )
        if made:
            first = made[0]
            messages.success(
                request,
                f"{len(made)} meetings of {first.title} have been set up"
                if len(made) > 1
                else f"{first.title} has been set up",
            )
            return redirect("activities:detail", first.pk)
    return render(
        request,
        "activities/form.jinja",
        {"title": "Set up an activity or meetings", "form": form, "back_url": "/activities/"},
    )


@access.requires(V)
def activity_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, V)
    # Names, support needs (often health or disability) and attendance are for those who run
    # the activity; everyone else who may see it gets the counts.
    can_manage = access.has_permission(request.user, M, activity.organisation_id)
    registrations = list(
        activity.registrations.select_related("person").order_by("created_at", "pk")
    )
    series = (
        Activity.objects.filter(series=activity.series).only("pk", "starts_at", "status", "title")
        if activity.series
        else []
    )
    return render(
        request,
        "activities/detail.jinja",
        {
            "title": activity.title,
            "activity": activity,
            "registered": [r for r in registrations if r.status == Registration.Status.REGISTERED],
            "waiting": [r for r in registrations if r.status == Registration.Status.WAITING],
            "attendance": activity.attendance.select_related("person").order_by(
                "person__family_name", "person__given_name"
            )
            if can_manage
            else [],
            "documents": activity.documents.order_by("kind", "created_at"),
            "decisions": activity.decisions.all(),
            "actions": activity.actions.select_related("owner"),
            "asks": Ask.objects.filter(activities=activity).order_by("-raised_at", "-pk"),
            "can_raise": access.has_permission(
                request.user, Permission.RAISE_ASKS, activity.organisation_id
            ),
            "series": series,
            "support_offered": activity.support_offered.all(),
            "can_manage": can_manage,
            "can_analyse": access.has_permission(
                request.user, Permission.START_ANALYSIS, activity.organisation_id
            ),
            "started": activity.starts_at <= timezone.now(),
            "column": "full",
            "back_url": "/activities/",
        },
    )


@access.requires(M)
def activity_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, M)
    form = ActivityForm(
        request.POST or None, instance=activity, organisation_ids=[activity.organisation_id]
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda: services.update_activity(
                actor=request.user,
                activity=activity,
                details=form.cleaned_data,
                support_offered=form.cleaned_data["support_offered"],
            ),
        )
        if saved:
            messages.success(request, f"{activity.title} has been updated")
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/form.jinja",
        {"title": f"Change {activity.title}", "form": form, "back_url": _detail_url(activity)},
    )


@access.requires(M)
def activity_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, M)
    form = CancelActivityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        cancelled = submit(
            form,
            lambda: services.cancel_activity(
                actor=request.user, activity=activity, reason=form.cleaned_data["reason"]
            ),
        )
        if cancelled:
            messages.success(
                request, f"{activity.title} has been cancelled and everyone registered told"
            )
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/cancel.jinja",
        {
            "title": f"Cancel {activity.title}",
            "activity": activity,
            "form": form,
            "registered_count": activity.registrations.exclude(
                status=Registration.Status.CANCELLED
            ).count(),
            "back_url": _detail_url(activity),
        },
    )


@access.requires(M)
def register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, M)
    # People already registered are still found, so picking one says so rather than hiding them.
    search = _find_people(request, activity, Person.objects.none().values("pk"))
    form = RegisterForm(request.POST if request.method == "POST" else None, people=search.matches)
    if request.method == "POST":
        registration = submit(
            form,
            lambda: services.register(
                actor=request.user,
                activity=activity,
                person=form.cleaned_data["person"],
                support_needed=form.cleaned_data["support_needed"],
            ),
        )
        if registration:
            name = registration.person.full_name
            messages.success(
                request,
                f"The activity is full: {name} has been put on the waiting list"
                if registration.status == Registration.Status.WAITING
                else f"{name} has been registered",
            )
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/register.jinja",
        {
            "title": f"Register someone for {activity.title}",
            "activity": activity,
            **search.context(),
            "form": form,
            "back_url": _detail_url(activity),
        },
    )


@access.requires(M)
def registration_cancel(
    request: AuthenticatedRequest, pk: int, registration_pk: int
) -> HttpResponse:
    registration = access.get(
        request.user,
        Registration.objects.select_related("activity", "person"),
        M,
        pk=registration_pk,
        activity_id=pk,
    )
    activity = registration.activity
    form = CancelActivityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        promoted = submit(
            form,
            lambda: services.cancel_registration(actor=request.user, registration=registration),
        )
        if promoted is not None:
            message = f"{registration.person.full_name}'s place has been cancelled"
            if promoted:
                names = ", ".join(r.person.full_name for r in promoted)
                message += f". {names} moved up from the waiting list and has been told"
            messages.success(request, message)
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": f"Cancel {registration.person.full_name}'s place",
            "caption": activity.title,
            "explanation": "If anyone is on the waiting list, the first of them will get the place and be told.",
            "submit": "Cancel their place",
            "form": form,
            "fields": [],
            "back_url": _detail_url(activity),
        },
    )


@access.requires(M)
def document_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, M)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        document = submit(
            form,
            lambda: services.add_document(
                actor=request.user,
                activity=activity,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            ),
        )
        if document:
            messages.success(request, f"{document.title} has been added")
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Add a paper",
            "caption": activity.title,
            "explanation": "Everyone registered can download the papers from their own pages.",
            "submit": "Add paper",
            "form": form,
            "fields": ["title", "file"],
            "upload": True,
            "back_url": _detail_url(activity),
        },
    )


@access.requires(V)
def document(request: AuthenticatedRequest, pk: int, document_pk: int) -> FileResponse:
    paper = access.get(request.user, Document.objects.all(), V, pk=document_pk, activity_id=pk)
    return uploads.serve(paper.file, paper.content_type, services.download_name(paper))


def _attendance_people(activity: Activity) -> list[Person]:
    """Everyone with a place, and anyone whose attendance is already recorded."""
    ids = activity.registrations.filter(status=Registration.Status.REGISTERED).values("person_id")
    return list(
        Person.objects.filter(
            Q(pk__in=ids) | Q(pk__in=activity.attendance.values("person_id"))
        ).order_by("family_name", "given_name", "pk")
    )


@access.requires(M)
def attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, M)
    people = _attendance_people(activity)
    search = _find_people(
        request, activity, Person.objects.filter(pk__in=[p.pk for p in people]).values("pk")
    )
    extra = list(search.matches) if search.listed else []
    if request.method == "POST":
        # People added from a search come back as hidden ids, so their rows survive the post.
        ids = [value for value in request.POST.getlist("extra") if value.isdigit()]
        extra = list(Person.objects.filter(organisation_id=activity.organisation_id, pk__in=ids))
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        activity=activity,
        people=people,
        extra=extra,
    )
    if request.method == "POST":
        recorded = submit(
            form,
            lambda: services.record_attendance(
                actor=request.user, activity=activity, entries=form.entries()
            ),
        )
        if recorded is not None:
            messages.success(request, "Attendance has been recorded")
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/attendance.jinja",
        {
            "title": f"Attendance at {activity.title}",
            "activity": activity,
            "form": form,
            **search.context(),
            "extra": extra,
            "back_url": _detail_url(activity),
        },
    )


@access.requires(M)
def minutes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, M)
    form = MinutesForm(
        request.POST or None, request.FILES or None, initial={"minutes": activity.minutes}
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda: services.record_minutes(
                actor=request.user,
                activity=activity,
                minutes=form.cleaned_data["minutes"],
                upload=form.cleaned_data["minutes_file"],
            ),
        )
        if saved:
            messages.success(request, "The minutes have been saved")
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Minutes",
            "caption": activity.title,
            "submit": "Save minutes",
            "form": form,
            "fields": ["minutes", "minutes_file"],
            "upload": True,
            "back_url": _detail_url(activity),
        },
    )


@access.requires(M)
def decision_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, M)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        decision = submit(
            form,
            lambda: services.add_decision(
                actor=request.user, activity=activity, text=form.cleaned_data["text"]
            ),
        )
        if decision:
            messages.success(request, "The decision has been recorded")
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Record a decision",
            "caption": activity.title,
            "submit": "Record decision",
            "form": form,
            "fields": ["text"],
            "back_url": _detail_url(activity),
        },
    )


def _action_owners(activity: Activity) -> "QuerySet[Person]":
    """People who took part, had a place, or belong to the group that met."""
    taking_part = Q(pk__in=activity.registrations.values("person_id")) | Q(
        pk__in=activity.attendance.values("person_id")
    )
    if activity.group_id:
        taking_part |= Q(
            pk__in=Membership.objects.filter(group_id=activity.group_id)
            .ongoing()
            .values("person_id")
        )
    return Person.objects.filter(taking_part, organisation_id=activity.organisation_id).order_by(
        "family_name", "given_name", "pk"
    )


@access.requires(M)
def action_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, M)
    form = ActionForm(request.POST or None, people=_action_owners(activity))
    if request.method == "POST":
        action = submit(
            form,
            lambda: services.add_action(
                actor=request.user,
                activity=activity,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
            ),
        )
        if action:
            messages.success(request, f"The action has been given to {action.owner.full_name}")
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Add an action",
            "caption": activity.title,
            "explanation": "The person who will do it is told, with the date it is due.",
            "submit": "Add action",
            "form": form,
            "fields": ["description", "owner", "due_on"],
            "back_url": _detail_url(activity),
        },
    )


@access.requires(M)
def action_done(request: AuthenticatedRequest, pk: int, action_pk: int) -> HttpResponse:
    action = access.get(
        request.user,
        Action.objects.select_related("activity", "owner"),
        M,
        pk=action_pk,
        activity_id=pk,
    )
    form = ActionDoneForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = submit(
            form,
            lambda: services.complete_action(
                actor=request.user, action=action, done_on=form.cleaned_data["done_on"]
            ),
        )
        if done:
            messages.success(request, "The action has been marked as done")
            return redirect("activities:detail", pk)
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Mark the action as done",
            "caption": action.activity.title,
            "explanation": f"{action.owner.full_name}: {action.description}",
            "submit": "Mark as done",
            "form": form,
            "fields": ["done_on"],
            "back_url": _detail_url(action.activity),
        },
    )


@access.requires(M)
def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, M)
    form = CloseForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        activity=activity,
        people=_attendance_people(activity),
        initial={"minutes": activity.minutes},
    )
    if request.method == "POST":
        closed = submit(
            form,
            lambda: services.close_activity(
                actor=request.user,
                activity=activity,
                attendance=form.entries(),
                minutes=form.cleaned_data["minutes"],
                minutes_file=form.cleaned_data["minutes_file"],
                decisions=form.decision_lines(),
            ),
        )
        if closed:
            messages.success(request, f"{activity.title} has been closed and marked as held")
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/close.jinja",
        {
            "title": f"Close {activity.title}",
            "activity": activity,
            "form": form,
            "started": activity.starts_at <= timezone.now(),
            "back_url": _detail_url(activity),
        },
    )


@access.requires(V)
def ics(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, V)
    body = ical.calendar_of([activity], "/activities/{pk}/")
    return ical.response(body, f"activity-{activity.pk}.ics")
