"""Read-only admin views of forums, seats, meetings and cases, for platform admins looking into a problem.
Every change goes through the app's own pages and services (numbering under a lock, checked uploads,
versions and the audit history), so the admin offers no add, change or delete."""

from django.contrib import admin

from kompetansebro.forums.models import AgendaCase, CaseAttachment, Forum, ForumMembership, Meeting


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = ForumMembership
    fields = ["person", "organisation", "role", "may_decide", "starts_on", "ends_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Forum)
class ForumAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "kind", "owner", "region", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["name", "slug"]
    list_select_related = ["owner", "region"]
    inlines = [MembershipInline]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "forum", "starts_at", "status", "calendar_sequence"]
    list_filter = ["status"]
    search_fields = ["title", "forum__name"]
    list_select_related = ["forum"]
    date_hierarchy = "starts_at"


class AttachmentInline(admin.TabularInline):
    model = CaseAttachment
    fields = ["title", "original_name", "content_type", "size", "sha256", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AgendaCase)
class AgendaCaseAdmin(ReadOnlyAdmin):
    list_display = ["label", "title", "forum", "meeting", "is_closed", "archive_number"]
    list_filter = ["kind", "is_closed", "year"]
    search_fields = ["title", "archive_number", "forum__name"]
    list_select_related = ["forum", "meeting__forum"]
    raw_id_fields = ["needs", "development_requests"]
    inlines = [AttachmentInline]
