"""Staff pages: recording asks, answering them with evidence, and seeing who has heard back."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coproduce.activities.models import Activity, Registration
from coproduce.asks import measures, presenters, services
from coproduce.asks.forms import (
    AskFilterForm,
    AskForm,
    EditAskForm,
    EvidenceForm,
    MoveForm,
    ProgressForm,
)
from coproduce.asks.models import NEXT, Ask, Evidence, Status
from coproduce.core import access, uploads
from coproduce.core.access import Permission
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate
from coproduce.groups.models import PartnershipGroup
from coproduce.organisations.models import Organisation
from coproduce.people import finder
from coproduce.people.models import Person

V, R, A, M = (
    Permission.VIEW_ASKS,
    Permission.RAISE_ASKS,
    Permission.ANSWER_ASKS,
    Permission.MANAGE_ASKS,
)


def _ask(request: AuthenticatedRequest, pk: int, permission: Permission = V) -> Ask:
    return access.get(
        request.user,
        Ask.objects.select_related(
            "organisation", "group", "service", "pathway_stage", "owner", "raised_by"
        ),
        permission,
        pk=pk,
    )


def _answerable(request: AuthenticatedRequest, pk: int) -> Ask:
    """An ask the user may answer: the lead's, or one given to them."""
    ask = _ask(request, pk)
    if not services.may_move(request.user, ask):
        raise PermissionDenied
    return ask


def _back(ask: Ask) -> str:
    return f"/asks/{ask.pk}/"


def _staff(organisation_ids: Any) -> "QuerySet[Person]":
    return Person.objects.filter(
        organisation_id__in=organisation_ids, kind=Person.Kind.STAFF, user__isnull=False
    ).order_by("family_name", "given_name")


@access.requires(V)
def ask_list(request: AuthenticatedRequest) -> HttpResponse:
    form = AskFilterForm(request.GET or None)
    asks = access.scoped(request.user, Ask.objects.all(), V)
    loops = measures.loops(asks)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            asks = asks.filter(
                Q(title__icontains=data["q"]) | Q(what_was_said__icontains=data["q"])
            )
        if data["status"]:
            asks = asks.filter(status=data["status"])
        if data["service"]:
            asks = asks.filter(service=data["service"])
        if data["waiting"]:
            asks = asks.unanswered_since(timezone.now() - services.answer_within())
    organisations = Organisation.objects.filter(pk__in=loops).order_by("name")
    return render(
        request,
        "asks/list.jinja",
        {
            "title": "You said, we did",
            "form": form,
            "asks": paginate(
                request,
                asks.select_related("organisation", "owner").order_by("-raised_at", "-pk"),
            ),
            "loops": [(organisation, loops[organisation.pk]) for organisation in organisations],
            "answer_days": services.answer_within().days,
            "status_tag": presenters.status_tag,
            "can_raise": access.has_permission(request.user, R),
            "column": "full",
        },
    )


def _from_activity(request: AuthenticatedRequest) -> Activity | None:
    if "activity" not in request.GET:
        return None
    try:
        pk = int(request.GET["activity"])
    except ValueError:
        raise Http404 from None
    return access.get(request.user, Activity.objects.all(), Permission.VIEW_ACTIVITIES, pk=pk)


@access.requires(R)
def ask_create(request: AuthenticatedRequest) -> HttpResponse:
    activity = _from_activity(request)
    organisations = access.scoped(request.user, Organisation.objects.all(), R)
    if activity is not None:
        organisations = organisations.filter(pk=activity.organisation_id)
        if not organisations:
            raise PermissionDenied
    attendees = (
        Person.objects.filter(
            pk__in=Registration.objects.filter(activity=activity).values("person_id")
        ).order_by("family_name", "given_name")
        if activity is not None
        else None
    )
    form = AskForm(
        request.POST or None,
        organisations=organisations,
        groups=PartnershipGroup.objects.filter(organisation__in=organisations).order_by("name"),
        staff=_staff(organisations.values("pk")),
        attendees=attendees,
        documents=activity.documents.all() if activity is not None else None,
        initial={"group": activity.group_id} if activity is not None else None,
    )
    if request.method == "POST":
        ask = submit(
            form,
            lambda: services.raise_ask(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                details=form.cleaned_data,
                raised_by=form.cleaned_data.get("raised_by"),
                activities=[activity] if activity is not None else [],
                documents=form.cleaned_data.get("documents") or [],
            ),
        )
        if ask:
            messages.success(request, f"{ask.title} has been recorded")
            return redirect("asks:detail", ask.pk)
    return render(
        request,
        "asks/form.jinja",
        {
            "title": "Record something that should change",
            "form": form,
            "activity": activity,
            "back_url": f"/activities/{activity.pk}/" if activity else "/asks/",
        },
    )


@access.requires(V)
def ask_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ask = _ask(request, pk)
    can_manage = access.has_permission(request.user, M, ask.organisation_id)
    # Who contributed is personal: only those who run involvement see names.
    contributions = (
        list(ask.contributions.select_related("person").order_by("added_at", "pk"))
        if can_manage
        else None
    )
    return render(
        request,
        "asks/detail.jinja",
        {
            "title": ask.title,
            "ask": ask,
            "rows": presenters.detail_rows(ask, quote=True),
            "updates": ask.updates.all(),
            "evidence": ask.evidence.all(),
            "activities": ask.activities.all(),
            "documents": ask.documents.select_related("activity"),
            "contributions": contributions,
            "contributor_count": ask.contributions.count(),
            "can_manage": can_manage,
            "can_move": services.may_move(request.user, ask),
            "next_statuses": [Status(status) for status in NEXT[ask.status]],
            "evidence_kinds": Evidence.Kind,
            "status_tag": presenters.status_tag,
            "move_title": presenters.move_title,
        },
    )


@access.requires(M)
def ask_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ask = _ask(request, pk, M)
    form = EditAskForm(
        request.POST or None,
        groups=PartnershipGroup.objects.filter(organisation_id=ask.organisation_id),
        staff=_staff([ask.organisation_id]),
        initial={
            name: getattr(ask, name)
            for name in ("title", "what_was_said", "quote", "service", "pathway_stage")
        }
        | {"group": ask.group_id, "owner": ask.owner_id},
    )
    saved = request.method == "POST" and bool(
        submit(
            form,
            lambda: services.update_ask(actor=request.user, ask=ask, details=form.cleaned_data),
        )
    )
    if saved:
        messages.success(request, "The changes have been saved")
        return redirect("asks:detail", ask.pk)
    return render(
        request,
        "asks/form.jinja",
        {"title": "Change the details", "form": form, "ask": ask, "back_url": _back(ask)},
    )


@access.requires(A)
def ask_move(request: AuthenticatedRequest, pk: int, status: str) -> HttpResponse:
    ask = _answerable(request, pk)
    if status not in Status.values:
        raise Http404
    form = MoveForm(request.POST or None, status=status)
    if request.method == "POST":
        data = form.cleaned_data if form.is_valid() else {}
        moved = submit(
            form,
            lambda: services.move(
                actor=request.user,
                ask=ask,
                status=status,
                note=data.get("note", ""),
                progress=data.get("progress"),
                outcome=data,
            ),
        )
        if moved:
            messages.success(
                request,
                f"{moved.title} is now {moved.get_status_display().lower()}. "
                "Everyone who contributed has been told",
            )
            return redirect("asks:detail", ask.pk)
    return render(
        request,
        "asks/move.jinja",
        {
            "title": presenters.move_title(Status(status)),
            "ask": ask,
            "status": Status(status),
            "form": form,
            "allowed": status in NEXT[ask.status],
            "back_url": _back(ask),
        },
    )


@access.requires(A)
def ask_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ask = _answerable(request, pk)
    form = ProgressForm(request.POST or None, initial={"progress": ask.progress})
    recorded = request.method == "POST" and bool(
        submit(
            form,
            lambda: services.record_progress(
                actor=request.user,
                ask=ask,
                progress=form.cleaned_data["progress"],
                note=form.cleaned_data["note"],
            ),
        )
    )
    if recorded:
        messages.success(request, "The progress has been recorded")
        return redirect("asks:detail", ask.pk)
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Record progress",
            "caption": ask.title,
            "form": form,
            "fields": ["progress", "note"],
            "submit": "Record progress",
            "back_url": _back(ask),
        },
    )


@access.requires(A)
def evidence_add(request: AuthenticatedRequest, pk: int, evidence_kind: str) -> HttpResponse:
    ask = _answerable(request, pk)
    if evidence_kind not in Evidence.Kind.values:
        raise Http404
    kind = Evidence.Kind(evidence_kind)
    form = EvidenceForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST":
        evidence = submit(
            form,
            lambda: services.add_evidence(
                actor=request.user,
                ask=ask,
                kind=kind,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data.get("file"),
                url=form.cleaned_data.get("url", ""),
                before=form.cleaned_data.get("before", ""),
                after=form.cleaned_data.get("after", ""),
            ),
        )
        if evidence:
            messages.success(request, f"{evidence.title} has been added")
            return redirect("asks:detail", ask.pk)
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": f"Add evidence: {Evidence.Kind(kind).label.lower()}",
            "caption": ask.title,
            "form": form,
            "fields": list(form.fields),
            "upload": kind == Evidence.Kind.FILE,
            "submit": "Add evidence",
            "back_url": _back(ask),
        },
    )


@access.requires(V)
def evidence_download(request: AuthenticatedRequest, pk: int, evidence_pk: int) -> FileResponse:
    evidence = access.get(
        request.user, Evidence.objects.exclude(file=""), V, pk=evidence_pk, ask_id=pk
    )
    return uploads.serve(
        evidence.file, evidence.content_type, services.evidence_download_name(evidence)
    )


@access.requires(M)
def contributor_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ask = _ask(request, pk, M)
    search = finder.find(
        request,
        Person.objects.filter(organisation_id=ask.organisation_id).exclude(
            pk__in=ask.contributions.values("person_id")
        ),
        permission=M,
    )
    form = finder.ChoosePersonForm(
        request.POST if request.method == "POST" else None, people=search.matches
    )
    if request.method == "POST":
        contribution = submit(
            form,
            lambda: services.add_contributor(
                actor=request.user, ask=ask, person=form.cleaned_data["person"]
            ),
        )
        if contribution:
            messages.success(
                request,
                f"{contribution.person.full_name} has been added and will hear how it goes",
            )
            return redirect("asks:detail", ask.pk)
    return render(
        request,
        "asks/contributor_add.jinja",
        {
            "title": "Add a contributor",
            "ask": ask,
            **search.context(),
            "form": form,
            "back_url": _back(ask),
        },
    )


@access.requires(M)
def ask_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ask = _ask(request, pk, M)
    publishing = ask.published_at is None
    if request.method == "POST":
        services.set_published(actor=request.user, ask=ask, published=publishing)
        messages.success(
            request,
            f"{ask.title} is {'now on' if publishing else 'no longer on'} the public record",
        )
        return redirect("asks:detail", ask.pk)
    return render(
        request,
        "asks/publish.jinja",
        {
            "title": "Publish on the public record" if publishing else "Take off the public record",
            "ask": ask,
            "publishing": publishing,
            "public_rows": presenters.public_rows(ask),
            "back_url": _back(ask),
        },
    )
