"""Pages for forums and their members. A forum the person may not see is "not found" (404); a visible forum
the person may not manage gives 403. Public forums' pages are open to anonymous visitors, like a
municipality's meeting portal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetansebro.core.forms import add_service_errors
from kompetansebro.core.htmx import wants_partial
from kompetansebro.core.permissions import permission_required
from kompetansebro.core.versioning import save_form_versioned
from kompetansebro.forums import selectors
from kompetansebro.forums.forms import (
    ForumFilterForm,
    ForumForm,
    MembershipAddForm,
    MembershipEndForm,
    PersonSearchForm,
    person_search,
)
from kompetansebro.forums.models import ForumMembership
from kompetansebro.forums.services import forums as services
from kompetansebro.forums.services.forums import FORUM_FIELDS


def visible_forum(request, slug, **_kwargs):
    """The forum if the person may see it; otherwise 404, whether it exists or not. Loaded once per request."""
    cached = getattr(request, "_kompetansebro_forum", None)
    if cached is not None and cached.slug == slug:
        return cached
    forum = selectors.forum_by_slug(slug)
    if forum is None or not request.user.has_perm("forums.view_forum", forum):
        raise Http404
    request._kompetansebro_forum = forum
    return forum


def forum_list(request):
    form = ForumFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    forums = selectors.forums_visible_to(request.user, region=filters.get("region"), kind=filters.get("kind") or "")
    context = {"form": form, "forums": forums, "partial": wants_partial(request)}
    template = "forums/_forum_list_results.html" if context["partial"] else "forums/forum_list.html"
    return render(request, template, context)


@permission_required("forums.add_forum")
def forum_create(request):
    form = ForumForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            forum = services.forum_create(actor=request.user, **{name: data[name] for name in FORUM_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The forum “%(name)s” is created.") % {"name": forum.name})
            return redirect(forum)
    return render(request, "forums/forum_form.html", {"form": form, "forum": None})


def forum_detail(request, slug):
    forum = visible_forum(request, slug)
    upcoming, past = selectors.forum_meetings(forum)
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum,
            "role_groups": selectors.members_by_role(forum),
            "upcoming_meetings": upcoming,
            "past_meetings": past,
        },
    )


@permission_required("forums.manage_forum", fn=visible_forum)
def forum_edit(request, slug):
    forum = visible_forum(request, slug)
    editable = selectors.forum_by_slug(slug)
    form = ForumForm(request.POST or None, instance=editable, user=request.user)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conflict = save_form_versioned(
                form,
                lambda version: services.forum_update(
                    actor=request.user,
                    forum=editable,
                    expected_version=version,
                    **{name: data[name] for name in FORUM_FIELDS},
                ),
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not conflict:
                messages.success(request, _("The changes have been saved."))
                return redirect(editable)
    return render(request, "forums/forum_form.html", {"form": form, "forum": forum, **conflict})


@permission_required("forums.view_history", fn=visible_forum)
def forum_history(request, slug):
    forum = visible_forum(request, slug)
    entries = selectors.forum_history(forum, page=request.GET.get("page", 1))
    return render(request, "forums/forum_history.html", {"forum": forum, "entries": entries})


# ---- members --------------------------------------------------------------------------------------------


def forum_members(request, slug):
    forum = visible_forum(request, slug)
    current, coming, former = selectors.member_history(forum)
    manages = request.user.has_perm("forums.manage_forum", forum)
    if manages:
        for membership in [*current, *coming]:
            membership.end_form = MembershipEndForm(membership=membership)
    return render(
        request,
        "forums/forum_members.html",
        {"forum": forum, "current": current, "coming": coming, "former": former, "manages": manages},
    )


@permission_required("forums.manage_forum", fn=visible_forum)
def member_add(request, slug):
    forum = visible_forum(request, slug)
    search_form = PersonSearchForm(request.GET or None)
    query = search_form.cleaned_data.get("q", "") if search_form.is_valid() else ""
    initial = {"email": request.GET.get("email", "")} if request.GET.get("email") else {}
    form = MembershipAddForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.membership_add(
                actor=request.user,
                forum=forum,
                person=form.person,
                organisation=data["organisation"],
                role=data["role"],
                may_decide=data["may_decide"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "person" in error.error_dict:
                error.error_dict["email"] = error.error_dict.pop("person")
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has a seat in the forum as %(role)s.")
                % {"name": membership.person.get_full_name(), "role": membership.get_role_display()},
            )
            return redirect("forums:members", forum.slug)
    return render(
        request,
        "forums/forum_member_add.html",
        {
            "forum": forum,
            "form": form,
            "search_form": search_form,
            "query": query,
            "people": person_search(query),
        },
    )


@require_POST
@permission_required("forums.manage_forum", fn=visible_forum)
def member_end(request, slug, pk):
    forum = visible_forum(request, slug)
    membership = get_object_or_404(ForumMembership.objects.select_related("person", "organisation"), forum=forum, pk=pk)
    membership.forum = forum
    form = MembershipEndForm(request.POST, membership=membership)
    if form.is_valid():
        try:
            services.membership_end(actor=request.user, membership=membership, ends_on=form.cleaned_data["ends_on"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The seat of %(name)s ends %(date)s.")
                % {"name": membership.person.get_full_name(), "date": membership.ends_on.strftime("%d.%m.%Y")},
            )
    else:
        for error in form.errors.get("ends_on", []):
            messages.error(request, error)
    return redirect("forums:members", forum.slug)
