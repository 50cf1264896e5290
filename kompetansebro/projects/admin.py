"""Read-only admin views of projects and their plan, for platform admins looking into a problem. Every change
goes through the app's own pages and services (versions, period checks, the refusal to delete a project with
payments, and the audit history), so the admin offers no add, change or delete."""

from django.contrib import admin

from kompetansebro.projects.models import Activity, Project, ProjectMembership, ResultGoal, Risk


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyInline):
    model = ProjectMembership
    fields = ["group", "person", "organisation", "role", "starts_on", "ends_on"]
    readonly_fields = fields


class GoalInline(ReadOnlyInline):
    model = ResultGoal
    fields = ["code", "text"]
    readonly_fields = fields


class RiskInline(ReadOnlyInline):
    model = Risk
    fields = ["description", "probability", "impact", "measure"]
    readonly_fields = fields


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "owner", "leader", "region", "scheme", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]
    list_select_related = ["owner", "leader", "region", "scheme"]
    inlines = [MembershipInline, GoalInline, RiskInline]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "goal", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    search_fields = ["title", "project__name"]
    list_select_related = ["project", "goal"]
