"""The round page and what hangs under it: priority lists, the allocation proposal, the forum case, adoption,
payments, and the round's allocations and payments as .xlsx and the decision as PDF.

Who may do what is decided by grants/rules.py. The round is public; a priority list that the person may not
see is "not found" (anonymous visitors are asked to log in first); the round's money is managed with
grants.manage_round (403 for others)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.grants import documents, exports
from kompetansebro.grants import selectors_rounds as selectors
from kompetansebro.grants.forms_rounds import (
    AdoptForm,
    AllocationCaseForm,
    AllocationForm,
    MoveForm,
    PaymentForm,
    PriorityItemFormSet,
    PriorityListCreateForm,
    PriorityListForm,
    applicant_choices,
)
from kompetansebro.grants.models import Allocation, AllocationStatus, Payment, RoundStatus
from kompetansebro.grants.services import allocations as allocation_services
from kompetansebro.grants.services import payments as payment_services
from kompetansebro.grants.services import priorities as priority_services
from kompetansebro.grants.services.allocations import OUTCOME_LABELS, proposal_lines, submitted_lists


def round_or_404(request, pk, **_kwargs):
    """The round, loaded once per request; 404 when there is none."""
    cached = getattr(request, "_kompetansebro_grant_round", None)
    if cached is not None and cached.pk == pk:
        return cached
    grant_round = selectors.round_by_pk(pk)
    if grant_round is None:
        raise Http404
    request._kompetansebro_grant_round = grant_round
    return grant_round


def visible_list(request, pk, list_pk, **_kwargs):
    """The priority list if the person may see it; otherwise 404 (its existence is not revealed)."""
    cached = getattr(request, "_kompetansebro_priority_list", None)
    if cached is not None and cached.pk == list_pk:
        return cached
    grant_round = round_or_404(request, pk)
    priority_list = selectors.priority_list_by_pk(grant_round, list_pk)
    if priority_list is None or not request.user.has_perm("grants.view_priority_list", priority_list):
        raise Http404
    request._kompetansebro_priority_list = priority_list
    return priority_list


def allocation_or_404(request, pk, allocation_pk, **_kwargs):
    cached = getattr(request, "_kompetansebro_allocation", None)
    if cached is not None and cached.pk == allocation_pk:
        return cached
    allocation = selectors.allocation_by_pk(round_or_404(request, pk), allocation_pk)
    if allocation is None:
        raise Http404
    request._kompetansebro_allocation = allocation
    return allocation


def payment_or_404(request, pk, payment_pk, **_kwargs):
    cached = getattr(request, "_kompetansebro_payment", None)
    if cached is not None and cached.pk == payment_pk:
        return cached
    payment = selectors.payment_by_pk(round_or_404(request, pk), payment_pk)
    if payment is None:
        raise Http404
    request._kompetansebro_payment = payment
    return payment


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# ---- the round page -------------------------------------------------------------------------------------------


@permission_required("grants.view_history", fn=round_or_404)
def round_history(request, pk):
    grant_round = round_or_404(request, pk)
    entries = selectors.round_history(grant_round, page=request.GET.get("page", 1))
    return render(request, "grants/round_history.html", {"round": grant_round, "entries": entries})


def round_detail(request, pk):
    grant_round = round_or_404(request, pk)
    user = request.user
    manages = user.has_perm("grants.manage_round", grant_round)
    money = selectors.round_money(grant_round, user, manages=manages)
    lists = selectors.visible_priority_lists(grant_round, user, manages=manages) if user.is_authenticated else []
    context = {
        "round": grant_round,
        "scheme": grant_round.scheme,
        "manages": manages,
        "money": money,
        "payments_summary": selectors.payment_summary(money.adopted_rows),
        "priority_lists": lists,
        "may_submit": user.is_authenticated
        and grant_round.status in (RoundStatus.OPEN, RoundStatus.PROPOSED)
        and user.has_perm("grants.submit_priority_list", grant_round),
        "decision": allocation_services.round_decision(grant_round),
    }
    if manages:
        context.update(_manager_context(grant_round, money))
    return render(request, "grants/round_detail.html", context)


def _manager_context(grant_round, money) -> dict:
    """The proposal preview, the case and adoption forms, and whether the case's recommendation still matches
    the proposal."""
    context = {"proposal_possible": selectors.proposal_possible(grant_round), "outcome_labels": OUTCOME_LABELS}
    if context["proposal_possible"]:
        available = money.adopted_left
        context["preview"] = proposal_lines(submitted_lists(grant_round), available)
        context["preview_available"] = available
    if grant_round.status == RoundStatus.PROPOSED:
        if grant_round.decision_case_id is None and grant_round.forum_id is not None:
            context["case_form"] = AllocationCaseForm(grant_round=grant_round)
        context["adopt_form"] = AdoptForm()
        case = grant_round.decision_case
        if case is not None:
            proposed = [row.allocation for row in money.proposed_rows]
            expected = allocation_services.recommendation_text(grant_round, proposed)
            context["case_out_of_date"] = case.recommendation.strip() != expected.strip()
    return context


# ---- priority lists -------------------------------------------------------------------------------------------


@permission_required("grants.submit_priority_list", fn=round_or_404)
def priority_list_create(request, pk):
    grant_round = round_or_404(request, pk)
    form = PriorityListCreateForm(request.POST or None, user=request.user, grant_round=grant_round)
    if request.method == "POST" and form.is_valid():
        try:
            priority_list = priority_services.priority_list_create(
                actor=request.user,
                grant_round=grant_round,
                submitter=form.cleaned_data["submitter"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The priority list is created. Add the priorities in order."))
            return redirect("grants:priority_list_edit", pk=grant_round.pk, list_pk=priority_list.pk)
    return render(request, "grants/priority_list_create.html", {"round": grant_round, "form": form})


def _list_context(request, priority_list) -> dict:
    return {
        "round": priority_list.round,
        "priority_list": priority_list,
        "may_change": priority_list.round.status not in (RoundStatus.DECIDED, RoundStatus.CLOSED)
        and request.user.has_perm("grants.change_priority_list", priority_list),
    }


@permission_required("grants.view_priority_list", fn=visible_list)
def priority_list_detail(request, pk, list_pk):
    priority_list = visible_list(request, pk, list_pk)
    items = selectors.priority_items(priority_list)
    return render(
        request,
        "grants/priority_list_detail.html",
        {
            **_list_context(request, priority_list),
            "items": items,
            "applied_for": sum((item.amount for item in items), Decimal("0")),
        },
    )


def _item_rows(formset, organisations: dict) -> list[priority_services.ItemInput]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append(
            priority_services.ItemInput(
                pk=data.get("pk"),
                rank=data["rank"],
                theme=data["theme"],
                applicant=organisations[int(data["applicant"])],
                amount=data["amount"],
                description=data.get("description", ""),
            )
        )
    return rows


def _error_links(form, formset) -> list[tuple[str, str]]:
    """Every error of the list form and the priority forms, with the id of its field ("" for the whole form),
    for one error summary at the top of the page."""
    links = [("", error) for error in form.non_field_errors()]
    links += [("", error) for error in formset.non_form_errors()]
    for each in [form, *formset.forms]:
        if each is not form:
            links += [("", error) for error in each.non_field_errors()]
        for name, errors in each.errors.items():
            if name != "__all__":
                links += [(each[name].id_for_label, error) for error in errors]
    return links


def _priority_formset(data, items, choices):
    return PriorityItemFormSet(
        data,
        prefix="items",
        initial=[
            {
                "pk": item.pk,
                "rank": item.rank,
                "theme": item.theme,
                "applicant": item.applicant_id,
                "amount": item.amount,
                "description": item.description,
            }
            for item in items
        ],
        form_kwargs={"applicant_choices": choices},
    )


def _priority_list_saved(request, priority_list, *, changed: bool) -> None:
    if not changed:
        messages.info(request, _("Nothing was changed."))
        return
    messages.success(request, _("The priority list is saved."))
    if priority_list.changed_after_submission:
        messages.warning(request, _("The list was already submitted, so it is now marked as changed after submission."))


@permission_required("grants.change_priority_list", fn=visible_list)
def priority_list_edit(request, pk, list_pk):
    priority_list = visible_list(request, pk, list_pk)
    grant_round = priority_list.round
    if request.method == "POST" and "item" in request.POST:
        return _priority_move(request, priority_list)
    items = selectors.priority_items(priority_list)
    organisation_list = list(applicant_choices(grant_round, [item.applicant_id for item in items]))
    organisations = {organisation.pk: organisation for organisation in organisation_list}
    choices = [("", _("Choose the organisation")), *((o.pk, o.name) for o in organisation_list)]
    form = PriorityListForm(request.POST or None, priority_list=priority_list)
    formset = _priority_formset(request.POST or None, items, choices)
    conflict = {}
    closed = grant_round.status in (RoundStatus.DECIDED, RoundStatus.CLOSED)
    changed = False
    if request.method == "POST" and not closed and form.is_valid() and formset.is_valid():
        form.cleaned_data["items"] = _item_rows(formset, organisations)

        def save(version):
            nonlocal changed
            changed = priority_services.priority_list_save(
                actor=request.user,
                priority_list=priority_list,
                expected_version=version,
                note=form.cleaned_data["note"],
                items=form.cleaned_data["items"],
            )

        try:
            conflict = save_form_versioned(form, save, request=request)
            if "items" in getattr(form, "taken_over", []):
                formset = _priority_formset(None, selectors.priority_items(priority_list), choices)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                _priority_list_saved(request, priority_list, changed=changed)
                return redirect("grants:priority_list", pk=grant_round.pk, list_pk=priority_list.pk)
    elif request.method == "POST" and closed:
        form.add_error(None, _("The round is decided, so its priority lists can no longer be changed."))
    return render(
        request,
        "grants/priority_list_edit.html",
        {
            **_list_context(request, priority_list),
            "form": form,
            "formset": formset,
            "error_links": _error_links(form, formset) if request.method == "POST" else [],
            **conflict,
        },
    )


def _priority_move(request, priority_list):
    form = MoveForm(request.POST)
    target = reverse("grants:priority_list", args=[priority_list.round.pk, priority_list.pk])
    if not form.is_valid():
        messages.error(request, _("Choose up or down."))
        return redirect(target)
    try:
        moved = priority_services.priority_list_move(
            actor=request.user,
            priority_list=priority_list,
            item_pk=form.cleaned_data["item"],
            direction=form.cleaned_data["direction"],
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        if moved:
            messages.success(request, _("The order is changed."))
        else:
            messages.info(request, _("The priority is already at that end of the list."))
    return redirect(f"{target}#priorities")


@require_POST
@permission_required("grants.change_priority_list", fn=visible_list)
def priority_list_submit(request, pk, list_pk):
    priority_list = visible_list(request, pk, list_pk)
    try:
        priority_services.priority_list_submit(actor=request.user, priority_list=priority_list)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        if priority_list.is_late:
            messages.warning(
                request,
                _("The list is submitted after the deadline and is marked as late. The round's managers see the mark."),
            )
        else:
            messages.success(request, _("The priority list is submitted."))
    return redirect("grants:priority_list", pk=priority_list.round.pk, list_pk=priority_list.pk)


# ---- allocations ----------------------------------------------------------------------------------------------


def _round_anchor(grant_round, anchor: str) -> str:
    return f"{grant_round.get_absolute_url()}#{anchor}"


@require_POST
@permission_required("grants.manage_round", fn=round_or_404)
def allocation_propose(request, pk):
    grant_round = round_or_404(request, pk)
    try:
        lines = allocation_services.allocation_propose(actor=request.user, grant_round=grant_round)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        funded = sum(1 for line in lines if line.amount > 0)
        messages.success(
            request,
            ngettext(
                "The proposal is made: %(funded)s of %(count)s priority gets money.",
                "The proposal is made: %(funded)s of %(count)s priorities get money.",
                len(lines),
            )
            % {"funded": funded, "count": len(lines)},
        )
    return redirect(_round_anchor(grant_round, "proposal"))


@permission_required("grants.manage_round", fn=round_or_404)
def allocation_create(request, pk):
    grant_round = round_or_404(request, pk)
    form = AllocationForm(request.POST or None, grant_round=grant_round, instance=Allocation(round=grant_round))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocation_services.allocation_create(
                actor=request.user,
                grant_round=grant_round,
                recipient=data["recipient"],
                purpose=data["purpose"],
                amount=data["amount"],
                decision_case=data.get("decision_case"),
                decision_note=data.get("decision_note", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The allocation is added."))
            return redirect(_round_anchor(grant_round, "allocations"))
    return render(request, "grants/allocation_form.html", {"round": grant_round, "form": form, "allocation": None})


@permission_required("grants.manage_round", fn=allocation_or_404)
def allocation_edit(request, pk, allocation_pk):
    allocation = allocation_or_404(request, pk, allocation_pk)
    grant_round = allocation.round
    editable = Allocation.objects.select_related("recipient").get(pk=allocation.pk)
    editable.round = grant_round
    form = AllocationForm(request.POST or None, grant_round=grant_round, instance=editable)
    conflict = {}
    withdrawing = request.POST.get("action") == "withdraw"
    if request.method == "POST" and editable.status == AllocationStatus.WITHDRAWN:
        form.add_error(None, _("The allocation is withdrawn. Add a new one instead."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decision = {"decision_case": data.get("decision_case"), "decision_note": data.get("decision_note", "")}
        try:
            if withdrawing:
                conflict = save_form_versioned(
                    form,
                    lambda version: allocation_services.allocation_withdraw(
                        actor=request.user, allocation=editable, expected_version=version, **decision
                    ),
                    request=request,
                )
            else:
                conflict = save_form_versioned(
                    form,
                    lambda version: allocation_services.allocation_update(
                        actor=request.user,
                        allocation=editable,
                        expected_version=version,
                        recipient=data["recipient"],
                        purpose=data["purpose"],
                        amount=data["amount"],
                        **decision,
                    ),
                    request=request,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(
                    request, _("The allocation is withdrawn.") if withdrawing else _("The allocation is saved.")
                )
                return redirect(_round_anchor(grant_round, "allocations"))
    return render(
        request,
        "grants/allocation_form.html",
        {"round": grant_round, "form": form, "allocation": editable, **conflict},
    )


@require_POST
@permission_required("grants.manage_round", fn=round_or_404)
def allocation_case(request, pk):
    grant_round = round_or_404(request, pk)
    form = AllocationCaseForm(request.POST, grant_round=grant_round)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_round_anchor(grant_round, "decision"))
    try:
        case = allocation_services.allocation_case_create(
            actor=request.user, grant_round=grant_round, meeting=form.cleaned_data["meeting"]
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _("The proposal is case %(case)s on the forum's agenda, with the allocations as the recommendation.")
            % {"case": case.label},
        )
    return redirect(_round_anchor(grant_round, "decision"))


@require_POST
@permission_required("grants.manage_round", fn=round_or_404)
def allocation_adopt(request, pk):
    grant_round = round_or_404(request, pk)
    form = AdoptForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_round_anchor(grant_round, "decision"))
    try:
        count = allocation_services.allocations_adopt(
            actor=request.user, grant_round=grant_round, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s allocation is adopted. The round is decided.",
                "%(count)s allocations are adopted. The round is decided.",
                count,
            )
            % {"count": count},
        )
    return redirect(_round_anchor(grant_round, "allocations"))


# ---- payments -------------------------------------------------------------------------------------------------


def _allocation_payments_context(allocation) -> dict:
    payments = selectors.allocation_payments(allocation)
    totals = payment_services.totals_of(payments)
    return {"payments": payments, "totals": totals, "left": allocation.amount - totals.committed}


@permission_required("grants.manage_round", fn=allocation_or_404)
def payment_create(request, pk, allocation_pk):
    allocation = allocation_or_404(request, pk, allocation_pk)
    form = PaymentForm(request.POST or None, instance=Payment(allocation=allocation))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment_services.payment_create(
                actor=request.user,
                allocation=allocation,
                **{name: data[name] for name in payment_services.PAYMENT_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The payment is recorded."))
            return redirect(_round_anchor(allocation.round, "payments"))
    return render(
        request,
        "grants/payment_form.html",
        {
            "round": allocation.round,
            "allocation": allocation,
            "form": form,
            "payment": None,
            **_allocation_payments_context(allocation),
        },
    )


@permission_required("grants.manage_round", fn=payment_or_404)
def payment_edit(request, pk, payment_pk):
    payment = payment_or_404(request, pk, payment_pk)
    allocation = payment.allocation
    form = PaymentForm(request.POST or None, instance=payment)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conflict = save_form_versioned(
                form,
                lambda version: payment_services.payment_update(
                    actor=request.user,
                    payment=payment,
                    expected_version=version,
                    **{name: data[name] for name in payment_services.PAYMENT_FIELDS},
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("The payment is saved."))
                return redirect(_round_anchor(allocation.round, "payments"))
    return render(
        request,
        "grants/payment_form.html",
        {
            "round": allocation.round,
            "allocation": allocation,
            "form": form,
            "payment": payment,
            **_allocation_payments_context(allocation),
            **conflict,
        },
    )


# ---- files ----------------------------------------------------------------------------------------------------


def allocations_xlsx(request, pk):
    grant_round = round_or_404(request, pk)
    manages = request.user.has_perm("grants.manage_round", grant_round)
    allocations = selectors.allocations_for_export(grant_round, manages=manages)
    seen = [
        allocation.pk
        for allocation in allocations
        if allocation.status == AllocationStatus.ADOPTED and request.user.has_perm("grants.view_payments", allocation)
    ]
    return exports.allocations_xlsx(grant_round, allocations, selectors.payment_totals(seen) if seen else {})


def payments_xlsx(request, pk):
    """The managers get every payment of the round; a recipient's members the payments on their allocations."""
    grant_round = round_or_404(request, pk)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.has_perm("grants.manage_round", grant_round):
        payments = selectors.payments_for_export(grant_round)
    else:
        allocations = selectors.allocations_for_export(grant_round, manages=False)
        own = [allocation.pk for allocation in allocations if user.has_perm("grants.view_payments", allocation)]
        if not own:
            raise PermissionDenied
        payments = selectors.payments_for_export(grant_round, own)
    return exports.payments_xlsx(grant_round, list(payments))


def allocation_pdf(request, pk):
    grant_round = round_or_404(request, pk)
    manages = request.user.has_perm("grants.manage_round", grant_round)
    money = selectors.round_money(grant_round, request.user, manages=manages)
    response = HttpResponse(
        documents.allocation_pdf(grant_round, money, manages=manages), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{documents.allocation_filename(grant_round)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
