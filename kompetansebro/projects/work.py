"""Start-page items: status reports due in the projects I lead; for a secretariat, overdue ones in its region."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kompetansebro.core.work import WorkItem, register_work_source
from kompetansebro.organisations.access import access_profile
from kompetansebro.projects.models import ReportStatus, StatusReport


@register_work_source
def work_items(user, today):
    profile = access_profile(user)
    condition = Q(project__leader=user)
    if profile.secretariat_region_ids:
        condition |= Q(project__region_id__in=profile.secretariat_region_ids, due_on__lt=today)
    reports = StatusReport.objects.filter(condition, status=ReportStatus.DUE).select_related("project")
    return [
        WorkItem(
            kind=_("Status report to submit") if report.project.leader_id == user.pk else _("Status report overdue"),
            title=f"{report.title} – {report.project.name}",
            url=reverse("projects:report_edit", args=[report.project.slug, report.pk])
            if report.project.leader_id == user.pk
            else reverse("projects:report", args=[report.project.slug, report.pk]),
            deadline=report.due_on,
            context=report.project.name,
            for_others=report.project.leader_id != user.pk,
        )
        for report in reports
    ]
