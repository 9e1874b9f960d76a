"""The public "you said, we did" record of an organisation or a partnership group, and its feed.

Only asks the lead chose to publish appear; no one is named, and quotes appear only while the
person who said them consents.
"""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from coproduce.asks import presenters
from coproduce.asks.forms import PublicFilterForm
from coproduce.asks.models import Ask
from coproduce.core import access
from coproduce.core.pagination import paginate
from coproduce.groups.models import PartnershipGroup
from coproduce.notifications.services import absolute
from coproduce.organisations.models import Organisation

FEED_ENTRIES = 50


def _published(organisation: Organisation) -> "QuerySet[Ask]":
    return (
        Ask.objects.published()
        .with_quote_consent()
        .filter(organisation=organisation)
        .select_related("service")
        .prefetch_related("evidence")
        .order_by("-published_at", "-pk")
    )


def _record(
    request: HttpRequest,
    organisation: Organisation,
    group: PartnershipGroup | None = None,
) -> HttpResponse:
    asks = _published(organisation)
    if group is not None:
        asks = asks.filter(group=group)
    form = PublicFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["service"]:
            asks = asks.filter(service=form.cleaned_data["service"])
        if form.cleaned_data["domain"]:
            asks = asks.filter(domain=form.cleaned_data["domain"])
    return render(
        request,
        "asks/public/record.jinja",
        {
            "title": f"You said, we did: {group.name if group else organisation.name}",
            "organisation": organisation,
            "group": group,
            "form": form,
            "asks": paginate(request, asks),
            "public_rows": presenters.public_rows,
            "status_tag": presenters.status_tag,
            "feed_url": reverse("you_said_we_did:feed", args=[organisation.pk]),
        },
    )


@access.public
def organisation_record(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    return _record(request, get_object_or_404(Organisation, pk=organisation_pk))


@access.public
def group_record(request: HttpRequest, organisation_pk: int, group_pk: int) -> HttpResponse:
    group = get_object_or_404(
        PartnershipGroup.objects.select_related("organisation"),
        pk=group_pk,
        organisation_id=organisation_pk,
    )
    return _record(request, group.organisation, group)


@access.public
def feed(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = Organisation.objects.filter(pk=organisation_pk).first()
    if organisation is None:
        raise Http404
    page = reverse("you_said_we_did:organisation", args=[organisation.pk])
    atom = Atom1Feed(
        title=f"You said, we did: {organisation.name}",
        link=absolute(page),
        description=f"What people told {organisation.name}, and what changed as a result",
        language="en-gb",
        feed_url=absolute(request.path),
    )
    for ask in _published(organisation)[:FEED_ENTRIES]:
        assert ask.published_at is not None
        answer = f" {ask.outcome}" if ask.outcome else ""
        atom.add_item(
            title=f"{ask.get_status_display()}: {ask.title}",
            link=absolute(f"{page}#ask-{ask.pk}"),
            description=f"You said: {ask.what_was_said}{answer}",
            unique_id=absolute(f"{page}#ask-{ask.pk}"),
            pubdate=ask.published_at,
            updateddate=ask.updated_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response
