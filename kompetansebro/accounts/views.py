from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from kompetansebro.accounts.forms import EmailAuthenticationForm, ProfileForm
from kompetansebro.accounts.services import user_update_profile
from kompetansebro.accounts.throttling import login_failed, login_succeeded, login_wait, password_reset_allowed
from kompetansebro.organisations.selectors import memberships_of, region_roles_of


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        wait = login_wait(request.POST.get("username", ""))
        if wait:
            message = _(
                "There have been many failed logins to this account. Wait %(seconds)s seconds and try again, "
                "or choose a new password."
            ) % {"seconds": wait}
            return throttled(request, message, retry_after=wait)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        login_failed(self.request.POST.get("username", ""))
        return super().form_invalid(form)

    def form_valid(self, form):
        login_succeeded(self.request.POST.get("username", ""))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not password_reset_allowed(self.request, form.cleaned_data["email"]):
            message = _("Too many requests for a new password. Wait an hour and try again.")
            return throttled(self.request, message, retry_after=60 * 60)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


def throttled(request, message: str, *, retry_after: int):
    response = render(request, "accounts/throttled.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def locked_out(request, credentials=None, *args, **kwargs):
    return render(request, "accounts/locked_out.html", status=429)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=request.user, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.language, samesite="Lax")
        return response
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": memberships_of(request.user),
            "region_roles": region_roles_of(request.user),
        },
    )
