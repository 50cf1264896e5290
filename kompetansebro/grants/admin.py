"""Read-only admin views of grant schemes, rounds, the annual wheel, allocations and payments, for platform admins
looking into a problem. Every change goes through the app's own pages and services (the frame checked under a lock,
versions and the audit history), so the admin offers no add, change or delete."""

from django.contrib import admin

from kompetansebro.grants.models import Allocation, GrantRound, GrantScheme, Payment, ReportQuestion, WheelStep


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class QuestionInline(admin.TabularInline):
    model = ReportQuestion
    fields = ["position", "text", "help_text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GrantScheme)
class GrantSchemeAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "owner", "parent", "max_grant_share", "in_kind_counts", "is_active"]
    list_filter = ["is_active", "in_kind_counts"]
    search_fields = ["name", "slug", "source"]
    list_select_related = ["owner", "parent"]
    inlines = [QuestionInline]


@admin.register(GrantRound)
class GrantRoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "scheme", "year", "frame", "status", "frame_to_be_adjusted", "region", "forum"]
    list_filter = ["status", "year", "frame_to_be_adjusted"]
    search_fields = ["name", "scheme__name"]
    list_select_related = ["scheme", "region", "forum"]


@admin.register(WheelStep)
class WheelStepAdmin(ReadOnlyAdmin):
    list_display = ["title", "scheme", "forum", "round", "kind", "starts_on", "ends_on", "repeats_yearly"]
    list_filter = ["kind", "repeats_yearly"]
    search_fields = ["title", "scheme__name", "forum__name"]
    list_select_related = ["scheme", "forum", "round"]
    date_hierarchy = "starts_on"


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["purpose", "recipient", "round", "amount", "status"]
    list_filter = ["status"]
    search_fields = ["purpose", "recipient__name", "round__name"]
    list_select_related = ["recipient", "round"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["allocation", "kind", "amount", "status", "due_on", "paid_on", "reference"]
    list_filter = ["kind", "status"]
    search_fields = ["reference", "allocation__purpose", "allocation__recipient__name"]
    list_select_related = ["allocation__recipient"]
