"""Staff pages for people: the list, a person's record, and the writes an involvement lead makes."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from coproduce.accounts import services as account_services
from coproduce.core import access
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate
from coproduce.organisations.models import Organisation
from coproduce.people import presenters, services
from coproduce.people.forms import (
    ConsentForm,
    InterestsForm,
    NewPersonForm,
    PersonFilterForm,
    PersonForm,
)
from coproduce.people.models import ConsentKind, Person


@access.requires(Permission.VIEW_PEOPLE)
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    people = access.scoped(
        request.user, Person.objects.select_related("organisation"), Permission.VIEW_PEOPLE
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            people = people.search(data["q"])
        if data["kind"]:
            people = people.filter(kind=data["kind"])
        if data["contactable"]:
            people = people.contactable()
    context = {
        "title": "People",
        "form": form,
        "people": paginate(request, people),
        "column": "full",
        "can_add": access.has_permission(request.user, Permission.MANAGE_PEOPLE),
    }
    template = "people/_results.jinja" if request.headers.get("HX-Request") else "people/list.jinja"
    return render(request, template, context)


@access.requires(Permission.MANAGE_PEOPLE)
def person_create(request: AuthenticatedRequest) -> HttpResponse:
    organisations = access.scoped(
        request.user, Organisation.objects.all(), Permission.MANAGE_PEOPLE
    )
    form = NewPersonForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        person = submit(
            form,
            lambda: services.create_person(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                details=form.cleaned_data,
                consents=[ConsentKind.CONTACT] if form.cleaned_data["consent_contact"] else [],
            ),
        )
        if person:
            messages.success(request, f"{person.full_name} has been added")
            return redirect("people:detail", person.pk)
    return render(
        request,
        "people/form.jinja",
        {"title": "Add a person", "form": form, "back_url": "/people/"},
    )


@access.requires(Permission.VIEW_PEOPLE)
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = access.get(
        request.user,
        Person.objects.select_related("organisation", "user"),
        Permission.VIEW_PEOPLE,
        pk=pk,
    )
    can_manage = access.has_permission(
        request.user, Permission.MANAGE_PEOPLE, person.organisation_id
    )
    show_health = access.has_permission(
        request.user, Permission.VIEW_HEALTH_INFORMATION, person.organisation_id
    ) and person.has_consent(ConsentKind.HEALTH_INFORMATION)
    return render(
        request,
        "people/detail.jinja",
        {
            "title": person.full_name,
            "person": person,
            "profile_rows": presenters.profile_rows(person, show_health=show_health),
            "interest_rows": presenters.interest_rows(person, show_health=show_health),
            "consent_rows": presenters.consent_rows(person),
            "consent_history": person.consent_records.select_related("recorded_by")
            if can_manage
            else [],
            "memberships": presenters.membership_rows(person),
            "can_manage": can_manage,
            "can_audit": access.has_permission(
                request.user, Permission.VIEW_AUDIT, person.organisation_id
            ),
            "back_url": "/people/",
        },
    )


@access.requires(Permission.MANAGE_PEOPLE)
def person_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = access.get(request.user, Person.objects.all(), Permission.MANAGE_PEOPLE, pk=pk)
    health_allowed = person.has_consent(ConsentKind.HEALTH_INFORMATION)
    form = PersonForm(request.POST or None, instance=person)
    interests = InterestsForm(
        request.POST or None,
        health_allowed=health_allowed,
        initial={name: getattr(person, name).all() for name in services.INTEREST_FIELDS},
        prefix="interests",
    )
    if request.method == "POST" and interests.is_valid():
        saved = submit(
            form,
            lambda: services.update_person(
                actor=request.user,
                person=person,
                details=form.cleaned_data,
                interests=interests.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, f"{person.full_name}'s details have been updated")
            return redirect("people:detail", person.pk)
    return render(
        request,
        "people/edit.jinja",
        {
            "title": f"Change {person.full_name}'s details",
            "form": form,
            "interests": interests,
            "person": person,
            "health_allowed": health_allowed,
            "back_url": f"/people/{person.pk}/",
        },
    )


@access.requires(Permission.MANAGE_PEOPLE)
def person_consent(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = access.get(request.user, Person.objects.all(), Permission.MANAGE_PEOPLE, pk=pk)
    form = ConsentForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST":
        record = submit(
            form,
            lambda: services.record_consent(
                actor=request.user,
                person=person,
                kind=form.cleaned_data["kind"],
                given=form.cleaned_data["given"],
                effective_on=form.cleaned_data["effective_on"],
                note=form.cleaned_data["note"],
            ),
        )
        if record:
            messages.success(
                request, f"Consent recorded: {presenters.consent_state(record).lower()}"
            )
            return redirect("people:detail", person.pk)
    return render(
        request,
        "people/consent.jinja",
        {
            "title": f"Record consent for {person.full_name}",
            "form": form,
            "person": person,
            "back_url": f"/people/{person.pk}/",
        },
    )


@access.requires(Permission.MANAGE_PEOPLE)
def person_sign_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Register a member on their behalf: create their sign-in and e-mail them a link."""
    person = access.get(
        request.user, Person.objects.select_related("organisation"), Permission.MANAGE_PEOPLE, pk=pk
    )
    error = None
    if request.method == "POST":
        try:
            account_services.give_sign_in(actor=request.user, person=person, request=request)
        except ServiceError as refusal:
            error = refusal.message
        else:
            messages.success(request, f"We have emailed {person.email} a link to set a password")
            return redirect("people:detail", person.pk)
    return render(
        request,
        "people/sign_in.jinja",
        {
            "title": f"Give {person.full_name} a sign-in",
            "person": person,
            "error": error,
            "back_url": f"/people/{person.pk}/",
        },
    )
