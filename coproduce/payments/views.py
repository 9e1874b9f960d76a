"""Staff pages: payment policy, claims made for people, the approver's queue, export and budgets."""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet, Sum
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coproduce.activities.models import Attendance
from coproduce.core import access, audit, uploads
from coproduce.core.access import Permission
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.numbers import hundredths
from coproduce.core.pagination import paginate
from coproduce.core.presenters import format_date
from coproduce.groups.models import PartnershipGroup
from coproduce.organisations.models import Organisation
from coproduce.payments import finance, presenters, report, services
from coproduce.payments.forms import (
    BudgetForm,
    ConfirmForm,
    ExportForm,
    RateForm,
    RuleForm,
    StaffClaimForm,
    TransitionForm,
)
from coproduce.payments.models import Budget, Claim, ExpenseRule, PaymentRate, Receipt
from coproduce.people import finder
from coproduce.people.models import Person

Status = Claim.Status
# A search that matches more attendance than this asks for more of the name instead.
MOST_ATTENDANCE_LISTED = 30


def _organisations(request: AuthenticatedRequest, permission: Permission) -> Any:
    return access.scoped(request.user, Organisation.objects.order_by("name"), permission)


# Policy.


def _with_states(items: Iterable[Any], key: str) -> list[Any]:
    """Mark each rate or rule as in force, yet to take effect, or replaced, as of today."""
    today = timezone.localdate()
    in_force: set[tuple[int, str]] = set()
    marked = []
    for item in sorted(
        items, key=lambda i: (i.organisation_id, getattr(i, key), i.effective_from), reverse=True
    ):
        slot = (item.organisation_id, getattr(item, key))
        if item.effective_from > today:
            item.state, item.state_class = (
                "Takes effect " + format_date(item.effective_from),
                "nhsuk-tag--blue",
            )
            item.removable = True
        elif slot not in in_force:
            in_force.add(slot)
            item.state, item.state_class, item.removable = "In force", "nhsuk-tag--green", False
        else:
            item.state, item.state_class, item.removable = "Replaced", "nhsuk-tag--grey", False
        marked.append(item)
    return marked


@access.requires(Permission.MANAGE_PAYMENT_POLICY)
def policy(request: AuthenticatedRequest) -> HttpResponse:
    rates = access.scoped(
        request.user,
        PaymentRate.objects.select_related("organisation"),
        Permission.MANAGE_PAYMENT_POLICY,
    )
    rules = access.scoped(
        request.user,
        ExpenseRule.objects.select_related("organisation"),
        Permission.MANAGE_PAYMENT_POLICY,
    )
    return render(
        request,
        "payments/policy.jinja",
        {
            "title": "Payment and expenses policy",
            "rates": _with_states(rates, "unit"),
            "rules": _with_states(rules, "kind"),
            "many_organisations": _organisations(request, Permission.MANAGE_PAYMENT_POLICY).count()
            > 1,
            "column": "full",
            "back_url": "/payments/",
        },
    )


@access.requires(Permission.MANAGE_PAYMENT_POLICY)
def rate_add(request: AuthenticatedRequest) -> HttpResponse:
    form = RateForm(
        request.POST or None,
        organisations=_organisations(request, Permission.MANAGE_PAYMENT_POLICY),
    )
    if request.method == "POST":
        rate = submit(form, lambda: services.add_rate(actor=request.user, **form.cleaned_data))
        if rate:
            messages.success(request, f"The rate of {rate} has been added")
            return redirect("payments:policy")
    return render(
        request,
        "payments/rate_form.jinja",
        {"title": "Add a payment rate", "form": form, "back_url": "/payments/policy/"},
    )


@access.requires(Permission.MANAGE_PAYMENT_POLICY)
def rule_add(request: AuthenticatedRequest) -> HttpResponse:
    form = RuleForm(
        request.POST or None,
        organisations=_organisations(request, Permission.MANAGE_PAYMENT_POLICY),
    )
    if request.method == "POST":
        rule = submit(form, lambda: services.add_rule(actor=request.user, **form.cleaned_data))
        if rule:
            messages.success(request, f"The rule for {rule} has been added")
            return redirect("payments:policy")
    return render(
        request,
        "payments/rule_form.jinja",
        {"title": "Add an expense rule", "form": form, "back_url": "/payments/policy/"},
    )


def _remove(
    request: AuthenticatedRequest, item: PaymentRate | ExpenseRule, what: str, action: Any
) -> HttpResponse:
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and submit(form, lambda: action() or True):
        messages.success(request, f"The {what} {item} has been removed")
        return redirect("payments:policy")
    return render(
        request,
        "payments/remove.jinja",
        {
            "title": f"Remove the {what}",
            "form": form,
            "item": item,
            "what": what,
            "in_force": item.effective_from <= timezone.localdate(),
            "back_url": "/payments/policy/",
        },
    )


@access.requires(Permission.MANAGE_PAYMENT_POLICY)
def rate_remove(request: AuthenticatedRequest, rate_pk: int) -> HttpResponse:
    rate = access.get(
        request.user, PaymentRate.objects.all(), Permission.MANAGE_PAYMENT_POLICY, pk=rate_pk
    )
    return _remove(
        request, rate, "rate", lambda: services.remove_rate(actor=request.user, rate=rate)
    )


@access.requires(Permission.MANAGE_PAYMENT_POLICY)
def rule_remove(request: AuthenticatedRequest, rule_pk: int) -> HttpResponse:
    rule = access.get(
        request.user, ExpenseRule.objects.all(), Permission.MANAGE_PAYMENT_POLICY, pk=rule_pk
    )
    return _remove(
        request, rule, "rule", lambda: services.remove_rule(actor=request.user, rule=rule)
    )


# Claims made by staff for someone, and benefits advice.


@access.requires(Permission.MANAGE_CLAIMS)
def benefits_advice(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "payments/benefits_advice.jinja",
        {"title": "Payments and benefits", "for_staff": True, "back_url": "/payments/new/"},
    )


@access.requires(Permission.MANAGE_CLAIMS)
def claim_create(request: AuthenticatedRequest) -> HttpResponse:
    # An organisation records thousands of attendances: staff find the person by name first (a
    # GET search that works without JavaScript), then pick from their unclaimed activities.
    search = finder.find(request, Person.objects.all(), permission=Permission.MANAGE_CLAIMS)
    attendance: QuerySet[Attendance] = Attendance.objects.none()
    if search.query:
        found = services.unclaimed(
            Attendance.objects.filter(person__in=search.matches.values("pk"))
        )
        # Listed by id so that the form can still look a choice up in the list it showed.
        shown = list(found.values_list("pk", flat=True)[:MOST_ATTENDANCE_LISTED])
        attendance = services.unclaimed(Attendance.objects.filter(pk__in=shown))
    posted = request.method == "POST"
    form = StaffClaimForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        attendance=attendance,
    )
    if posted:
        claim = submit(
            form,
            lambda: services.create_claim(
                actor=request.user,
                person=form.cleaned_data["attendance"].person,
                activity=form.cleaned_data["attendance"].activity,
                unit=form.payment_unit(),
                expenses=form.expenses(),
                receipts=form.cleaned_data["receipts"],
                benefits_advice_confirmed=form.cleaned_data["benefits_advice"],
            ),
        )
        if claim:
            messages.success(request, f"The claim for {claim.person.full_name} has been submitted")
            return redirect("payments:detail", claim.pk)
    return render(
        request,
        "payments/claim_create.jinja",
        {
            "title": "Make a claim for someone",
            "finder": search.form,
            "query": search.query,
            "matches": list(attendance),
            "form": form,
            "back_url": "/payments/",
        },
    )


# The approver's queue and a claim's page.


@access.requires(Permission.APPROVE_CLAIMS)
def queue(request: AuthenticatedRequest) -> HttpResponse:
    claims = access.scoped(request.user, Claim.objects.all(), Permission.APPROVE_CLAIMS)
    status = request.GET.get("status", Status.SUBMITTED)
    if status not in Status.values:
        status = Status.SUBMITTED
    counts = dict(claims.values_list("status").annotate(Count("id")).order_by())
    listed = (
        claims.filter(status=status)
        .select_related("person", "activity")
        .order_by("submitted_at", "pk")
    )
    paged = paginate(request, listed)
    now = timezone.now()
    for claim in paged.items:
        claim.waited_days = (now - claim.submitted_at).days
    return render(
        request,
        "payments/queue.jinja",
        {
            "title": "Claims",
            "status": status,
            "statuses": [
                {"value": value, "label": label, "count": counts.get(value, 0)}
                for value, label in Status.choices
            ],
            "claims": paged,
            "turnaround": report.turnaround(claims),
            "standard": report.STANDARD_DAYS,
            "can_manage": access.has_permission(request.user, Permission.MANAGE_CLAIMS),
            "can_manage_policy": access.has_permission(
                request.user, Permission.MANAGE_PAYMENT_POLICY
            ),
            "column": "full",
        },
    )


def _claim(request: AuthenticatedRequest, pk: int, permission: Permission) -> Claim:
    return access.get(
        request.user,
        Claim.objects.select_related("person", "activity", "activity__organisation"),
        permission,
        pk=pk,
    )


def claim_context(claim: Claim) -> dict[str, Any]:
    """What both the staff and the person's claim pages show."""
    return {
        "claim": claim,
        "lines": list(claim.lines.all()),
        "receipts": list(claim.receipts.all()),
        "events": list(claim.events.select_related("actor")),
        "claim_tag": presenters.status_tag,
    }


@access.requires(Permission.APPROVE_CLAIMS)
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk, Permission.APPROVE_CLAIMS)
    return render(
        request,
        "payments/detail.jinja",
        {
            "title": f"Claim {claim.pk}: {claim.person.full_name}",
            **claim_context(claim),
            "can_act": bool(services.NEXT[claim.status]),
            "back_url": f"/payments/?status={claim.status}",
        },
    )


def allowed_actions(claim: Claim) -> list[str]:
    """What an approver can do to a claim now; answering for the person comes last."""
    order = [Status.QUERIED, Status.APPROVED, Status.REJECTED, Status.PAID, Status.SUBMITTED]
    return [status for status in order if status in services.NEXT[claim.status]]


@access.requires(Permission.APPROVE_CLAIMS)
def transition(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk, Permission.APPROVE_CLAIMS)
    form = TransitionForm(request.POST or None, allowed=allowed_actions(claim))
    if request.method == "POST":
        changed = submit(
            form,
            lambda: services.transition(
                actor=request.user,
                claim=claim,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
            ),
        )
        if changed:
            messages.success(
                request, f"Claim {changed.pk} is now {changed.get_status_display().lower()}"
            )
            return redirect("payments:detail", changed.pk)
    return render(
        request,
        "payments/transition.jinja",
        {
            "title": f"Decide on claim {claim.pk}",
            "form": form,
            "claim": claim,
            "back_url": f"/payments/{claim.pk}/",
        },
    )


@access.requires(Permission.APPROVE_CLAIMS)
def receipt(request: AuthenticatedRequest, pk: int, receipt_pk: int) -> FileResponse:
    found = access.get(
        request.user, Receipt.objects.all(), Permission.APPROVE_CLAIMS, pk=receipt_pk, claim_id=pk
    )
    return uploads.serve(
        found.file,
        found.content_type,
        uploads.download_name(found.original_name, found.content_type, "receipt"),
    )


# The finance export.


@access.requires(Permission.APPROVE_CLAIMS)
def export(request: AuthenticatedRequest) -> HttpResponse:
    approved = finance.approved_claims(
        access.scoped(request.user, Claim.objects.all(), Permission.APPROVE_CLAIMS)
    )
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        claims = list(approved)
        extension = form.cleaned_data["format"]
        content = finance.as_xlsx(claims) if extension == "xlsx" else finance.as_csv(claims)
        # The export carries names and amounts out of Coproduce: record whose, and who took it.
        for claim in claims:
            audit.record(
                actor=request.user,
                action="claim.exported",
                target=claim,
                summary=f"Included claim {claim.pk} in a finance export ({extension.upper()})",
                organisation_id=claim.activity.organisation_id,
                person=claim.person,
            )
        if form.cleaned_data["mark_paid"]:
            services.mark_paid(
                actor=request.user, claims=claims, note="Paid through the finance export"
            )
        response = HttpResponse(
            content,
            content_type="text/csv; charset=utf-8"
            if extension == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = finance.filename(extension, timezone.localdate())
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "payments/export.jinja",
        {
            "title": "Export approved claims for finance",
            "form": form,
            "count": approved.count(),
            "total": hundredths(approved.aggregate(total=Sum("total"))["total"]),
            "back_url": "/payments/",
        },
    )


# Budgets.


@access.requires(Permission.MANAGE_PAYMENT_POLICY)
def budgets(request: AuthenticatedRequest) -> HttpResponse:
    found = access.scoped(
        request.user,
        Budget.objects.select_related("organisation", "group"),
        Permission.MANAGE_PAYMENT_POLICY,
    )
    paged = paginate(request, found)
    return render(
        request,
        "payments/budgets.jinja",
        {
            "title": "Budgets",
            "budgets": paged,
            "positions": [report.position(budget) for budget in paged.items],
            "column": "full",
            "back_url": "/payments/",
        },
    )


@access.requires(Permission.MANAGE_PAYMENT_POLICY)
def budget_add(request: AuthenticatedRequest) -> HttpResponse:
    organisations = _organisations(request, Permission.MANAGE_PAYMENT_POLICY)
    groups = PartnershipGroup.objects.filter(organisation__in=organisations).order_by("name")
    form = BudgetForm(request.POST or None, organisations=organisations, groups=groups)
    if request.method == "POST":
        budget = submit(form, lambda: services.add_budget(actor=request.user, **form.cleaned_data))
        if budget:
            messages.success(request, f"The budget {budget.name} has been added")
            return redirect("payments:budget", budget.pk)
    return render(
        request,
        "payments/budget_form.jinja",
        {"title": "Add a budget", "form": form, "back_url": "/payments/budgets/"},
    )


@access.requires(Permission.MANAGE_PAYMENT_POLICY)
def budget(request: AuthenticatedRequest, budget_pk: int) -> HttpResponse:
    found = access.get(
        request.user,
        Budget.objects.select_related("organisation", "group"),
        Permission.MANAGE_PAYMENT_POLICY,
        pk=budget_pk,
    )
    claims = (
        report.claims_against(found)
        .filter(~Q(status=Status.REJECTED))
        .select_related("person", "activity")
        .order_by("-activity__starts_at", "pk")
    )
    return render(
        request,
        "payments/budget.jinja",
        {
            "title": found.name,
            "position": report.position(found),
            "claims": paginate(request, claims),
            "back_url": "/payments/budgets/",
        },
    )
